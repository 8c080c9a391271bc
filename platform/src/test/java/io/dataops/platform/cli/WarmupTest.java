package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's training run for the class-data-sharing archive ({@code dataops warmup}): it runs the real commands —
 * landing, a quality run of every expectation family, a granted pipeline run into a product — in its own home, runs
 * again in the same home (each build does), and never empties a home it did not make.
 */
class WarmupTest {
  @TempDir Path dir;

  @Test
  void runsTheCommandsPeopleTimeInItsOwnHomeAndAgain() throws Exception {
    Path home = dir.resolve("warmup-home");
    Run first = CliTest.exactly("warmup", "--home", home.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("warmed up in " + home).contains("quality run").contains("pipeline run");
    assertThat(home.resolve(WarmupCommand.MARKER)).exists();

    // Each build runs it again in the same home, in a new JVM: the home is emptied and made again, so the product
    // has one version, not two, and each feed format landed once.
    String h = home.toString();
    List<Run> again = ChildCli.run(List.of(), dir.resolve("child.log"), List.of(List.of("warmup", "--home", h),
        List.of("product", "list", "--json", "--as", "warmup-op", "--home", h),
        List.of("table", "list", "--as", "ps-clerk", "--home", h)));
    for (Run r : again) {
      assertThat(r.exit()).as(r.err()).isZero();
    }
    JsonNode products = again.get(1).json();
    assertThat(products).hasSize(1);
    assertThat(products.get(0).path("name").asText()).isEqualTo("warmup-desensitized");
    assertThat(products.get(0).path("version").asInt()).isEqualTo(1);
    String tables = again.get(2).out();
    for (String format : List.of("csv", "jsonl", "parquet", "xlsx")) {
      assertThat(tables).containsPattern("ods\\.[a-z_]+__[a-z_]+_" + format + "\\b");
    }
    assertThat(tables).contains("ods.public_security__citizens").contains("quality.row_failures")
        .contains("product.warmup_desensitized");
  }

  @Test
  void refusesToEmptyAHomeItDidNotMake() throws Exception {
    Path home = dir.resolve("someone's-home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("catalog.db"), "not the warm-up's");
    Run r = CliTest.exactly("warmup", "--home", home.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("not a warm-up's home");
    assertThat(home.resolve("catalog.db")).hasContent("not the warm-up's");
  }
}
