package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.StorageFullException;
import io.dataops.core.testing.Tmpfs;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.testing.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse on a device that really fills up (a 3 MB tmpfs) in the middle of a landing. */
class DiskFullTest {
  @TempDir Path dir;

  private GenerateResult citizens(String name, long rows, long offset) {
    return SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, rows, dir.resolve(name),
        FeedFormat.CSV, StandardCharsets.UTF_8, 0.01, 7, offset, 1_000_000, 100, false));
  }

  private static LandingResult land(Lakehouse lh, GenerateResult g) {
    Path file = Path.of(g.file());
    return new Landing(lh, 2, ProgressListener.NONE).land(new LandingRequest("public-security", "citizens", file,
        ContractParser.parse(SampleGenerator.contractPathFor(file)), null));
  }

  private static Set<Path> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).collect(Collectors.toSet());
    }
  }

  @Test
  void aLandingThatFillsTheDiskSaysSoInOneLineRemovesWhatItWroteAndLeavesTheTableAsItWas() throws Exception {
    GenerateResult first = citizens("first.csv", 500, 0);
    GenerateResult big = citizens("big.csv", 150_000, 500);
    GenerateResult next = citizens("next.csv", 2_000, 200_000);
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 3);
         Lakehouse lh = Lakehouse.open(new LakehouseConfig("jdbc:sqlite:" + dir.resolve("catalog.db"), null, null,
             disk.dir().toUri().toString(), Map.of()))) {
      LandingResult before = land(lh, first);
      Set<Path> committed = files(disk.dir());

      // The devices of the table's files and of the catalog's database, each with its free space now.
      assertThatThrownBy(() -> land(lh, big)).isInstanceOf(StorageFullException.class)
          .hasMessageMatching("no space left on the device while writing ods.public_security__citizens \\("
              + java.util.regex.Pattern.quote(disk.dir() + " (tmpfs), ") + "\\d+ [KM]B free now; "
              + java.util.regex.Pattern.quote(StorageFullException.deviceOf(dir.toString())) + ", \\d+ [KM]B free now"
              + "\\): nothing was landed; free some space and land the feed again");
      assertThat(files(disk.dir())).as("every file the landing wrote is gone, the one cut off midway too")
          .isEqualTo(committed);
      Table ods = lh.load(TableNames.ods("public-security", "citizens"));
      assertThat(ods.currentSnapshot().snapshotId()).isEqualTo(before.snapshotId());
      assertThat(Tables.rows(ods)).hasSize((int) before.rowsLanded());

      LandingResult after = land(lh, next);
      assertThat(after.rowsRead()).as("the space came back: the next feed lands").isEqualTo(2_000);
      assertThat(after.rowsQuarantined()).isEqualTo(next.expectedQuarantined());
    }
  }
}
