package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductVersion;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
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
