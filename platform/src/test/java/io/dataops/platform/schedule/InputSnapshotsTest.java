package io.dataops.platform.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.scheduler.embedded.Schedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feed arrives when an input table's rows change, not when its files are rewritten (found by a probe: a compaction
 * by table maintenance started the pipelines scheduled on feed arrival).
 */
class InputSnapshotsTest {
  @TempDir Path dir;

  @Test
  void aCompactionIsNoNewFeedAndAnAppendAfterItIs() {
    try (Lakehouse lakehouse = Lakehouse.open(io.dataops.lakehouse.testing.TestStorage.embedded(dir))) {
      TableIdentifier id = TableIdentifier.of("ods", "public_security__citizens");
      Table table = lakehouse.createOrLoad(id, new Schema(Types.NestedField.optional(1, "n", Types.LongType.get())),
          Map.of());
      Schedule schedule = new Schedule("pipeline:p", "pipeline", "p.yaml", List.of("pipeline", "run", "p.yaml"), null,
          true, List.of(id.toString()), "sun-hao", 3, false, 0L, "sun-hao", null, null, Schedule.DEFAULT_TIMEOUT);
      InputSnapshots watch = new InputSnapshots(lakehouse);
      DataFile a = file(table, "a");
      DataFile b = file(table, "b");
      table.newAppend().appendFile(a).commit();
      table.newAppend().appendFile(b).commit();
      String landed = watch.fingerprint(schedule);
      assertThat(landed).isEqualTo(id + "@" + table.currentSnapshot().snapshotId());

      table.newRewrite().rewriteFiles(Set.of(a, b), Set.of(file(table, "ab"))).commit();
      assertThat(table.currentSnapshot().operation()).isEqualTo("replace");
      assertThat(watch.fingerprint(schedule)).as("a compaction changes no row").isEqualTo(landed);

      table.newAppend().appendFile(file(table, "c")).commit();
      assertThat(watch.fingerprint(schedule)).as("a feed after it")
          .isEqualTo(id + "@" + table.currentSnapshot().snapshotId());
    }
  }

  private static DataFile file(Table table, String name) {
    return DataFiles.builder(PartitionSpec.unpartitioned()).withPath(table.location() + "/data/" + name + ".parquet")
        .withFileSizeInBytes(100).withRecordCount(1).withFormat("parquet").build();
  }
}
