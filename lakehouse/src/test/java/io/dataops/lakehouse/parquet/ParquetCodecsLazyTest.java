package io.dataops.lakehouse.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.ChildJvm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.testing.TestStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared zstd codecs are made at the first Parquet file a process opens, not when it opens the lakehouse: a fresh
 * JVM (the codec cache is the process's) that opens the lakehouse, creates, lists and loads tables (what
 * {@code table list} does) has made none; its first write of a table's data file shares them, once; a second process
 * whose first Parquet file is a read shares them too, and reads what the first wrote.
 */
class ParquetCodecsLazyTest {
  static final Schema SCHEMA = new Schema(NestedField.required(1, "n", Types.LongType.get()),
      NestedField.optional(2, "s", Types.StringType.get()));
  static final TableIdentifier TABLE = TableIdentifier.of(Zone.PRODUCT.namespaceName(), "lazy_codecs");

  @TempDir Path dir;

  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.embedded(home);
  }

  @Test
  void codecsAreSharedAtTheFirstParquetFileNotWhenTheLakehouseOpens() throws Exception {
    Path home = dir.resolve("home");
    LakehouseConfig config = lakehouseConfig(home);
    try (Lakehouse lh = Lakehouse.open(config)) {
      lh.createOrLoad(TABLE, SCHEMA, Map.of()); // the catalog's tables exist before the children start
    }
    assertThat(child(config, home, "write")).containsSubsequence(
        "after open, list and load: shared=false", "after writing 3 rows: shared=true");
    assertThat(child(config, home, "read")).containsSubsequence(
        "after open, list and load: shared=false", "after reading 3 rows [0, 1, 2]: shared=true");
  }

  private List<String> child(LakehouseConfig config, Path home, String mode) throws IOException, InterruptedException {
    Path log = dir.resolve(mode + ".log");
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(Child.class, List.of(), List.of(home.toString(), mode)))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(TestStorage.childEnvironment(config));
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> lines = Files.readAllLines(log);
    assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
    return lines;
  }

  /** The child process: HOME write|read. */
  public static final class Child {
    public static void main(String[] args) throws IOException {
      try (Lakehouse lh = Lakehouse.open(TestStorage.inChild(Path.of(args[0])))) {
        Table table = lh.createOrLoad(TABLE, SCHEMA, Map.of());
        for (TableIdentifier id : lh.listTables()) {
          lh.load(id).currentSnapshot();
        }
        System.out.println("after open, list and load: shared=" + ParquetCodecs.isShared());
        if (args[1].equals("write")) {
          GenericAppenderFactory appenders = new GenericAppenderFactory(table.schema()).setAll(table.properties());
          OutputFileFactory files = OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
          DataWriter<Record> writer = appenders.newDataWriter(files.newOutputFile(), FileFormat.PARQUET, null);
          GenericRecord record = GenericRecord.create(SCHEMA);
          for (long n = 0; n < 3; n++) {
            record.set(0, n);
            record.set(1, "value " + n);
            writer.write(record);
          }
          writer.close();
          table.newAppend().appendFile(writer.toDataFile()).commit();
          System.out.println("after writing 3 rows: shared=" + ParquetCodecs.isShared());
        } else {
          List<Long> read = new java.util.ArrayList<>();
          try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(r -> read.add((Long) r.getField("n")));
          }
          read.sort(null);
          System.out.println("after reading " + read.size() + " rows " + read + ": shared=" + ParquetCodecs.isShared());
        }
      }
    }
  }
}
