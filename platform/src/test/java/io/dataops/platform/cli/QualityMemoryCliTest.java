package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.testing.ChildJvm;
import io.dataops.platform.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep values share one bounded pool of memory, whatever their number. Found by a probe: 100 uniqueness
 * rules, each with its own row condition, needed more than a 1 GB heap over 400,000 rows (a few MB per rule and
 * thread, and every value's hash); the run ran out of memory instead of spilling.
 */
class QualityMemoryCliTest extends HomeCliTest {
  private static final String TABLE = "ods.public_security__citizens";
  private static final int RULES = 40;

  /** As the department whose table it is. */
  private CliTest.Run department(String... args) {
    return run(TestCast.PUBLIC_SECURITY, args);
  }

  @Test
  void fortyUniquenessRulesRunInASmallHeapAndCountExactly() throws Exception {
    TestCast.enroll(home());
    Path feed = dir.resolve("c.csv");
    assertThat(department("generate", "--dataset", "citizens", "--rows", "60000", "--population", "60000", "--seed",
        "3", "--defect-rate", "0.01", "--out", feed.toString()).exit()).isZero();
    CliTest.Run land = department("land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    assertThat(land.exit()).as(land.err()).isZero();
    // The truth: one rule, in this JVM's heap.
    Path one = suite("one.json", 1);
    JsonNode truth = department("quality", "run", "--table", TABLE, "--suite", one.toString(), "--json").json()
        .at("/results/0/result");
    long expected = truth.get("unexpected_count").asLong();
    assertThat(expected).as("the generated defects include repeated ID numbers").isPositive();

    // Before the pool, these 40 rules held about 200 MB in two threads (2.5 MB of records, arrays and hashes each).
    Path many = suite("many.json", RULES);
    // The launcher's collector (bin/dataops), with a heap where those 200 MB ran out (checked before the pool).
    List<String> command = ChildJvm.command(Main.class, List.of("-Xmx128m", "-XX:+UseParallelGC"), List.of("quality",
        "run", "--table", TABLE, "--suite", many.toString(), "--workers", "2", "--json", "--home",
        home().toString(), "--as", TestCast.PUBLIC_SECURITY));
    Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("child.out").toFile())
        .redirectError(dir.resolve("child.err").toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("child.err"));
    assertThat(p.exitValue()).as(err).isZero();
    JsonNode result = new ObjectMapper().readTree(Files.readString(dir.resolve("child.out")));
    assertThat(result.get("results")).hasSize(RULES).allSatisfy(r -> {
      assertThat(r.at("/result/unexpected_count").asLong()).as(r.toString()).isEqualTo(expected);
      assertThat(r.at("/result/element_count").asLong()).isEqualTo(truth.get("element_count").asLong());
    });
  }

  /** {@code n} uniqueness rules on id_card, each under its own row condition (true of every row with a record id). */
  private Path suite(String name, int n) throws Exception {
    StringBuilder s = new StringBuilder("{\"name\": \"citizens.many\", \"expectations\": [\n");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ",\n").append("{\"type\": \"expect_column_values_to_be_unique\", \"kwargs\": ")
          .append("{\"column\": \"id_card\", \"row_condition\": \"col(\\\"record_id\\\") != \\\"X").append(i)
          .append("\\\"\", \"condition_parser\": \"great_expectations\"}}");
    }
    return Files.writeString(dir.resolve(name), s.append("]}\n").toString());
  }
}
