package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quality run --json}: the validation result as GX's JSON writes it. */
class QualityJsonCliTest {
  @TempDir Path dir;

  private CliTest.Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString(), "--as", TestCast.PUBLIC_SECURITY));
    return CliTest.exactly(all.toArray(String[]::new));
  }

  @Test
  void aFloatingColumnsValuesAreWrittenAsPythonWritesThem() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path contract = dir.resolve("readings.contract.yaml");
    Files.writeString(contract, """
        columns:
          - {name: id, type: long}
          - {name: x, type: double}
        """);
    Path feed = dir.resolve("readings.csv");
    Files.writeString(feed, "id,x\n1,1.0\n2,1e22\n3,5.5\n");
    CliTest.Run land = run("land", "--department", "public-security", "--dataset", "readings", "--file",
        feed.toString(), "--contract", contract.toString());
    assertThat(land.exit()).as(land.err()).isZero();
    Path suite = dir.resolve("readings.json");
    Files.writeString(suite, """
        {"name": "readings", "expectations": [
          {"type": "expect_column_values_to_be_between", "kwargs": {"column": "x", "min_value": 2, "max_value": 10}},
          {"type": "expect_column_max_to_be_between", "kwargs": {"column": "x", "max_value": 10}}
        ]}
        """);
    CliTest.Run r = run("quality", "run", "--table", "ods.public_security__readings", "--suite", suite.toString(),
        "--json");
    assertThat(r.json().get("success").asBoolean()).as(r.out()).isFalse();
    assertThat(r.out()).contains("\"partial_unexpected_list\":[1.0,1e+22]", "\"observed_value\":1e+22");
  }
}
