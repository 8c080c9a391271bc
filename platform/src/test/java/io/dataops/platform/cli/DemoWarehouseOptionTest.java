package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataops demo --warehouse}: what it refuses before anything runs (the whole demo on a bucket is run by hand, see
 * the README: about two minutes). A home keeps one warehouse, recorded in its dataops.properties.
 */
class DemoWarehouseOptionTest {
  @TempDir Path dir;

  private Run demo(Path home, String warehouse) {
    return CliTest.exactly("demo", "--home", home.toString(), "--warehouse", warehouse);
  }

  @Test
  void onlyABucketIsAccepted() {
    Run r = demo(dir.resolve("h1"), "file:/tmp/elsewhere");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains("--warehouse is s3://BUCKET/prefix, not 'file:/tmp/elsewhere'");
    assertThat(demo(dir.resolve("h1"), "s3:///warehouse").err()).contains("names no bucket");
  }

  @Test
  void aHomeKeepsTheWarehouseItWasMadeWith() throws Exception {
    Path home = Files.createDirectories(dir.resolve("h2"));
    Files.writeString(home.resolve("dataops.properties"), "warehouse=s3://first/warehouse\n");
    Run r = demo(home, "s3://second/warehouse");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("this home's warehouse is s3://first/warehouse");

    Path local = Files.createDirectories(dir.resolve("h3/warehouse"));
    Run l = demo(local.getParent(), "s3://second/warehouse");
    assertThat(l.exit()).isEqualTo(2);
    assertThat(l.err()).contains("this home already has a local warehouse");
    assertThat(local.getParent().resolve("dataops.properties")).doesNotExist();
  }
}
