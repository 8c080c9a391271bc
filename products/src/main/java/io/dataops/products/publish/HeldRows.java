package io.dataops.products.publish;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.plan.ProductClasses;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.run.RowPolicies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;

/**
 * The held-back rule of an incremental product with privacy: a row is published only when its class's total (the
 * product's saved counts plus this run's) reaches k; the rows of smaller classes are held back — kept, desensitized as
 * the product's rows are, in one file of the product's state folder that the version's snapshot names, never in the
 * product — and a later run that lifts their class publishes them. The engines write every row of the increment;
 * this splits their files by the verdict over the totals, and the previous version's held rows with them: each held
 * row goes either into this version or into the next held file, so none is lost and none is published twice. All
 * the files are written before the commit that makes them the version's.
 */
public final class HeldRows {
  private HeldRows() {}

  /**
   * What the split gives the publish.
   *
   * @param publish the data files of the version (the engine's files without held rows, and one of rows taken out
   *     of the others and released rows)
   * @param held the file of rows held back after this version (null: none)
   * @param replaced the engine's files whose rows were split into others (to remove once the version is recorded)
   * @param heldNow rows of this run's increment held back
   * @param released rows held back by earlier versions published by this one
   * @param heldTotal rows held back after this version
   */
  public record Split(List<String> publish, String held, List<String> replaced, long heldNow, long released,
      long heldTotal) {

    /**
     * The state files a run wrote for a version that its publish then refused (the product's {@code files} go on
     * their own): this split's held rows and the class counts {@code judged} saved; removed with the files.
     */
    public List<String> stateOf(ProductClasses.Judged judged, List<String> files) {
      List<String> out = written();
      out.removeAll(files);
      out.add(judged.location());
      return out;
    }

    /** The files this split wrote (orphans when an earlier attempt's commit is the version). */
    public List<String> written() {
      List<String> out = new ArrayList<>(publish);
      out.removeAll(replaced);
      if (held != null) {
        out.add(held);
      }
      return out;
    }
  }

  public static Split split(Lakehouse lakehouse, RunPlan plan, AnonymityCheck.Verdict verdict, List<String> files) {
    Table table = lakehouse.load(ProductTables.id(plan.product()));
    Schema schema = ProductTables.writeSchema(table, plan.pipeline());
    RowPolicies policies = plan.newRowFunction();
    List<String> columns = policies.productColumns();
    GenericAppenderFactory appenders = new GenericAppenderFactory(schema);
    appenders.setAll(table.properties());
    String before = plan.increment().base().get(ProductClasses.SUMMARY_HELD);
    if (before != null && !table.io().newInputFile(before).exists()) {
      throw ProductClasses.missingState(plan, "held-back rows", before);
    }
    String kept = table.locationProvider().newDataLocation("increment-" + UUID.randomUUID() + ".parquet");
    String held = ProductClasses.stateFolder(lakehouse, plan) + "held-" + UUID.randomUUID() + ".parquet";
    List<String> publish = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    long heldNow = 0;
    long released = 0;
    long heldTotal = 0;
    long keptRows = 0;
    try (FileAppender<Record> keptOut = appenders.newAppender(table.io().newOutputFile(kept), FileFormat.PARQUET);
        FileAppender<Record> heldOut = appenders.newAppender(table.io().newOutputFile(held), FileFormat.PARQUET)) {
      for (String f : files) {
        if (!anyHeld(table, schema, f, policies, columns, verdict)) {
          publish.add(f);
          continue;
        }
        replaced.add(f);
        try (CloseableIterable<Record> rows = read(table, schema, f)) {
          for (Record r : rows) {
            if (verdict.suppressed(policies.quasiIdentifiers(values(r, columns)))) {
              heldOut.add(r);
              heldNow++;
            } else {
              keptOut.add(r);
              keptRows++;
            }
          }
        }
      }
      if (before != null) {
        try (CloseableIterable<Record> rows = read(table, schema, before)) {
          for (Record r : rows) {
            if (verdict.suppressed(policies.quasiIdentifiers(values(r, columns)))) {
              heldOut.add(r);
              heldTotal++;
            } else {
              keptOut.add(r);
              keptRows++;
              released++;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot split the held-back rows of product " + plan.product(), e);
    }
    heldTotal += heldNow;
    if (keptRows > 0) {
      publish.add(kept);
    } else {
      table.io().deleteFile(kept);
    }
    if (heldTotal == 0) {
      table.io().deleteFile(held);
      held = null;
    }
    return new Split(publish, held, replaced, heldNow, released, heldTotal);
  }

  /**
   * The held rows of a version made in mode full with privacy (the state an incremental run continues from, as after
   * an incremental version): the rows the engine suppressed, desensitized as the product's rows and written to
   * {@code parts} beside the product's files, merged into the one held file of the state folder that the version's
   * snapshot names. The parts go once the version is recorded ({@link Split#replaced()}); the product's files are
   * published as they are.
   */
  public static Split suppressed(Lakehouse lakehouse, RunPlan plan, List<String> files, List<String> parts) {
    if (parts.isEmpty()) {
      return new Split(files, null, parts, 0, 0, 0); // no class under k: no held file (not even an empty one)
    }
    Table table = lakehouse.load(ProductTables.id(plan.product()));
    Schema schema = ProductTables.writeSchema(table, plan.pipeline());
    GenericAppenderFactory appenders = new GenericAppenderFactory(schema);
    appenders.setAll(table.properties());
    String held = ProductClasses.stateFolder(lakehouse, plan) + "held-" + UUID.randomUUID() + ".parquet";
    long rows = 0;
    try (FileAppender<Record> heldOut = appenders.newAppender(table.io().newOutputFile(held), FileFormat.PARQUET)) {
      for (String part : parts) {
        try (CloseableIterable<Record> records = read(table, schema, part)) {
          for (Record r : records) {
            heldOut.add(r);
            rows++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the suppressed rows of product " + plan.product(), e);
    }
    if (rows == 0) {
      table.io().deleteFile(held);
      held = null;
    }
    return new Split(files, held, parts, rows, 0, rows);
  }

  private static boolean anyHeld(Table table, Schema schema, String file, RowPolicies policies, List<String> columns,
      AnonymityCheck.Verdict verdict) throws IOException {
    try (CloseableIterable<Record> rows = read(table, schema, file)) {
      for (Record r : rows) {
        if (verdict.suppressed(policies.quasiIdentifiers(values(r, columns)))) {
          return true;
        }
      }
    }
    return false;
  }

  /** A product row as the policies give it: the product's columns in order. */
  private static Object[] values(Record r, List<String> columns) {
    Object[] out = new Object[columns.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.getField(columns.get(i));
    }
    return out;
  }

  private static CloseableIterable<Record> read(Table table, Schema schema, String file) {
    return Parquet.read(table.io().newInputFile(file)).project(schema)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema)).build();
  }
}
