package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.junit.jupiter.api.Test;

class SnapshotCopyTest extends CopyFixture {
  @Test
  void aPinnedSnapshotReadAtParallelismOneAndTwoIsWrittenUncommittedAndPublishedAsVersions() {
    Table product = productTable();
    SnapshotCopy copy = new SnapshotCopy(FlinkEngine.local(), lakehouse);

    Map<List<Object>, Integer> atFirst = snapshotRows(first);
    assertThat(size(atFirst)).isEqualTo(FIRST_ROWS);
    SnapshotCopy.Result one = copy.run(read(first), product, product.schema(), 1);
    assertThat(one.rows()).as("the pinned snapshot, not the current one").isEqualTo(FIRST_ROWS);
    assertThat(fileRows(product, one.locations())).isEqualTo(atFirst);

    Map<List<Object>, Integer> atSecond = snapshotRows(second);
    assertThat(size(atSecond)).isEqualTo(FIRST_ROWS + SECOND_ROWS);
    SnapshotCopy.Result two = copy.run(read(second), product, product.schema(), 2);
    assertThat(two.rows()).isEqualTo(FIRST_ROWS + SECOND_ROWS);
    assertThat(fileRows(product, two.locations())).isEqualTo(atSecond);

    product.refresh();
    assertThat(product.currentSnapshot()).as("the job committed nothing").isNull();
    String data = java.net.URI.create(product.location()).getPath() + "/data/";
    assertThat(one.locations()).allSatisfy(f -> assertThat(java.net.URI.create(f).getPath()).startsWith(data)
        .endsWith(".parquet"));

    ProductVersion v1 = publish(one, first, "copy-first");
    ProductVersion v2 = publish(two, second, "copy-second");
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(versionRows(v1)).isEqualTo(atFirst);
    assertThat(versionRows(v2)).as("replaces v1's rows").isEqualTo(atSecond);
    assertThat(v2.content().records()).isEqualTo(FIRST_ROWS + SECOND_ROWS);
    assertThat(lakehouse.load(ProductTables.id(PRODUCT)).snapshots()).as("one snapshot per version").hasSize(2);
  }

  @Test
  void aWriterThatFailsRemovesTheFilesItHadWritten() throws Exception {
    // Files roll every 1000 rows (the writer checks the size that often), so some are complete when the job fails.
    Table product = productTable();
    product.updateProperties().set(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, "1").commit();
    FlinkEngine engine = FlinkEngine.local();
    StreamExecutionEnvironment env = engine.environment(1);
    DataStream<RowData> rows = IcebergInput.read(env, lakehouse, read(second));
    UncommittedWriter.write(rows.map(new FailAfter(2200)).returns(rows.getType()), product, product.schema());
    assertThatThrownBy(() -> engine.execute(env, "fails after 2200 rows"))
        .hasStackTraceContaining("planted failure after 2200 rows");
    Path data = Path.of(java.net.URI.create(product.location() + "/data"));
    try (Stream<Path> files = Files.exists(data) ? Files.list(data) : Stream.empty()) {
      assertThat(files.map(Path::getFileName).map(Path::toString).toList()).as("files left behind").isEmpty();
    }
  }

  /** Passes rows on, then fails the task. */
  static final class FailAfter implements MapFunction<RowData, RowData> {
    private final int rows;
    private int seen;

    FailAfter(int rows) {
      this.rows = rows;
    }

    @Override
    public RowData map(RowData row) {
      if (++seen > rows) {
        throw new IllegalStateException("planted failure after " + rows + " rows");
      }
      return row;
    }
  }

  @Test
  void anUnknownSnapshotOrColumnIsRefusedWithItsName() {
    Table product = productTable();
    SnapshotCopy copy = new SnapshotCopy(FlinkEngine.local(), lakehouse);
    assertThatThrownBy(() -> copy.run(new PinnedRead(ODS, 42L, COLUMNS), product, product.schema(), 1))
        .isInstanceOf(BadInputException.class)
        .hasMessage(ODS + " has no snapshot 42 (expired, or of another table): see `dataops table history " + ODS
            + "`");
    assertThatThrownBy(() -> copy.run(new PinnedRead(ODS, first, List.of("record_id", "salary")), product,
        product.schema(), 1))
        .isInstanceOf(BadInputException.class)
        .hasMessage(ODS + " had no column 'salary' at snapshot " + first);
    assertThatThrownBy(() -> copy.run(new PinnedRead(ODS, first, List.of("gender", "record_id")), product,
        product.schema(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not fit the columns of");
  }
}
