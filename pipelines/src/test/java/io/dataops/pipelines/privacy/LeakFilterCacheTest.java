package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.pipelines.testing.PipelineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

class LeakFilterCacheTest extends PipelineFixture {
  @Test
  void whatAKilledSaveLeftAsideIsPrunedWhatALiveOneWritesIsNot() throws Exception {
    land("street-office", "visits", """
        columns:
          - {name: visitor, type: string, personal: name}
        """, "visitor\n张三丰\n");
    long snapshot = lakehouse.load(TableIdentifier.parse("ods.street_office__visits")).currentSnapshot().snapshotId();
    LeakFilterCache cache = LeakFilterCache.in(dir.resolve("work"));
    LeakFilterCache.Key key = new LeakFilterCache.Key("ods.street_office__visits", snapshot, null, List.of("a.parquet"),
        Map.of("visitor", "string"), 1, 1024, "code");
    cache.save(key, new LeakFilter(1, 1024));
    Path folder = dir.resolve("work/leak-filters/ods.street_office__visits");
    Path entry;
    try (var files = Files.list(folder)) {
      entry = files.toList().get(0);
    }
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    Process running = new ProcessBuilder("sleep", "60").start();
    try {
      Path killed = aside(entry, exited.pid());
      Path ownProcess = aside(entry, ProcessHandle.current().pid());
      Path otherProcess = aside(entry, running.pid());
      Path unnamed = entry.resolveSibling(entry.getFileName() + ".0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.tmp");
      Files.writeString(unnamed, "an earlier build's name: its writer is unknown");

      assertThat(cache.prune(lakehouse, null)).isEqualTo(1);
      assertThat(killed).as("its writer is gone: no save will move it in").doesNotExist();
      assertThat(List.of(ownProcess, otherProcess, unnamed)).as("saves that may be going on").allSatisfy(f ->
          assertThat(f).exists());
      assertThat(cache.load(key)).as("the entry").isPresent();
    } finally {
      running.destroyForcibly().waitFor();
    }
  }

  /** A file as a save of {@code pid} writes it aside of {@code entry}, half written. */
  private static Path aside(Path entry, long pid) throws Exception {
    Path f = entry.resolveSibling(entry.getFileName() + "." + pid + "-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.tmp");
    Files.write(f, new byte[] {1, 2, 3});
    return f;
  }
}
