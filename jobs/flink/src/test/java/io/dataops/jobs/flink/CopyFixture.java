package io.dataops.jobs.flink;

import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.landing.FeedTables;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.testing.PipelineFixture;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Lineage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.BeforeEach;

/**
 * The citizen registry landed in two feeds (two snapshots), a product table holding a projection of it, and the
 * row multisets the tests compare: of a snapshot, of files, of a product version.
 */
abstract class CopyFixture extends PipelineFixture {
  static final String ODS = TableNames.ods(SampleDataset.CITIZENS.department(), SampleDataset.CITIZENS.dataset())
      .toString();
  static final String PRODUCT = "citizen-copy";
  /** Strings, a decimal, timestamps without and with zone, a long. */
  static final List<String> COLUMNS = List.of("record_id", "gender", "district_code", "monthly_income", "updated_at",
      FeedTables.ROW_NUMBER, FeedTables.LANDED_AT);
  static final int FIRST_ROWS = 1500;
  static final int SECOND_ROWS = 1000;

  long first;
  long second;

  @BeforeEach
  void landTwoFeeds() throws Exception {
    first = landed(landSample(SampleDataset.CITIZENS, FIRST_ROWS, FIRST_ROWS, 1));
    second = landed(landSample(SampleDataset.CITIZENS, SECOND_ROWS, SECOND_ROWS, 2));
  }

  private static long landed(LandingResult r) {
    return r.snapshotId();
  }

  PinnedRead read(long snapshotId) {
    return new PinnedRead(ODS, snapshotId, COLUMNS);
  }

  /** The product's table: the read's columns (all optional, as product columns are), no version yet. */
  Table productTable() {
    Schema ods = lakehouse.load(TableIdentifier.parse(ODS)).schema();
    List<NestedField> fields = new ArrayList<>();
    for (String c : COLUMNS) {
      NestedField f = ods.findField(c);
      fields.add(NestedField.optional(f.fieldId(), f.name(), f.type(), f.doc()));
    }
    Schema schema = TypeUtil.assignIncreasingFreshIds(new Schema(fields));
    return lakehouse.createOrLoad(ProductTables.id(PRODUCT), schema, Map.of(ProductTables.PROP_PRODUCT, PRODUCT));
  }

  /** The multiset of the read's rows at the snapshot, read by Iceberg's generic reader. */
  Map<List<Object>, Integer> snapshotRows(long snapshotId) {
    Table table = lakehouse.load(TableIdentifier.parse(ODS));
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshotId).select(COLUMNS)
        .build()) {
      return multiset(rows, COLUMNS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The multiset of the rows the files hold, read straight from the files with the table's schema. */
  Map<List<Object>, Integer> fileRows(Table table, List<String> files) {
    Map<List<Object>, Integer> all = new HashMap<>();
    for (String f : files) {
      try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(f)).project(table.schema())
          .createReaderFunc(s -> GenericParquetReaders.buildReader(table.schema(), s)).build()) {
        multiset(rows, COLUMNS).forEach((row, n) -> all.merge(row, n, Integer::sum));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all;
  }

  /** The multiset of a product version's rows, read at its tag. */
  Map<List<Object>, Integer> versionRows(ProductVersion v) {
    Table table = lakehouse.load(ProductTables.id(PRODUCT));
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(v.snapshotId()).build()) {
      return multiset(rows, COLUMNS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<List<Object>, Integer> multiset(Iterable<Record> rows, List<String> columns) {
    Map<List<Object>, Integer> counts = new HashMap<>();
    for (Record r : rows) {
      List<Object> values = new ArrayList<>(columns.size());
      for (String c : columns) {
        values.add(r.getField(c));
      }
      counts.merge(values, 1, Integer::sum);
    }
    return counts;
  }

  static long size(Map<List<Object>, Integer> multiset) {
    return multiset.values().stream().mapToLong(Integer::longValue).sum();
  }

  /** Publishes the files as the product's next version, through the publish both executors use. */
  ProductVersion publish(SnapshotCopy.Result copy, long snapshotId, String runKey) {
    ProductPublisher publisher = ProductPublisher.ungated(lakehouse,
        new ProductRegistry(lakehouse.config().catalogUri(), null, null));
    Lineage lineage = new Lineage("citizen-copy", "0".repeat(64), "engine foundation test", "futian-operator",
        "flink", runKey, Map.of(ODS, snapshotId), Map.of(), Map.of(), Map.of("passed", true), null, copy.rows(),
        copy.rows(), 0, Map.of());
    return publisher.newVersion(PRODUCT, runKey).replaceWith(copy.locations()).lineage(lineage).commit();
  }
}
