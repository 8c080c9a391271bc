package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.platform.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines the platform refuses, as an operator meets them on the command line: exit 2 and one line saying why. */
class PipelineRefusalsCliTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--home");
    all.add(dir.resolve("home").toString());
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void landCitizens() {
    Path feed = dir.resolve("citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "1000", "--out", feed.toString()).exit()).isZero();
    assertThat(run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString())
        .exit()).isZero();
  }

  @Test
  void aTransformThatFailsOnTheDataIsBadInputEveryTimeUntilThePipelineChanges() throws Exception {
    Path file = dir.resolve("ids.yaml");
    String pipeline = """
        name: id-numbers
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        transform: SELECT CAST(id_card AS BIGINT) AS n, gender FROM citizens
        policy: {n: suppress}
        product: id-numbers
        """;
    Files.writeString(file, pipeline);
    assertThat(run("pipeline", "validate", file.toString()).exit()).isZero();
    String reason = "dataops: pipeline id-numbers failed on its input data, nothing was published: Conversion Error: "
        + "Could not convert string '…' to INT64 when casting from source column id_card (change the transform or "
        + "the data: this run will not be resumed)\n";
    for (int attempt = 0; attempt < 2; attempt++) {
      Run r = run("pipeline", "run", file.toString());
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).isEqualTo(reason);
    }
    assertThat(run("product", "list").out()).doesNotContain("id-numbers");

    Files.writeString(file, pipeline.replace("CAST(id_card AS BIGINT)", "char_length(id_card)"));
    Run fixed = run("pipeline", "run", file.toString());
    assertThat(fixed.exit()).as(fixed.err()).isZero();
    assertThat(fixed.out()).startsWith("product id-numbers version 1 (draft)");
  }
}
