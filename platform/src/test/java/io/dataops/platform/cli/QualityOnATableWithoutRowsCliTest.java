package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Found by a probe: a quality run on a table that never held a row said "@ null" where the snapshot goes. */
class QualityOnATableWithoutRowsCliTest {
  @TempDir Path dir;

  private CliTest.Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString(), "--as", TestCast.PUBLIC_SECURITY));
    return CliTest.exactly(all.toArray(String[]::new));
  }

  @Test
  void theRunSaysTheTableHasNoSnapshot() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path contract = Files.writeString(dir.resolve("empt.contract.yaml"), """
        department: public-security
        dataset: empt
        format: csv
        columns:
          - {name: k, type: string}
          - {name: num, type: int}
        """);
    Path feed = Files.writeString(dir.resolve("empt.csv"), "k,num\na,notnum\n");
    CliTest.Run land = run("land", "--department", "public-security", "--dataset", "empt", "--file", feed.toString(),
        "--contract", contract.toString());
    assertThat(land.exit()).as("every row quarantined: refused, its table left without a row").isEqualTo(2);
    Path suite = Files.writeString(dir.resolve("s.yaml"), """
        name: empt
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: k}
        """);
    CliTest.Run q = run("quality", "run", "--table", "ods.public_security__empt", "--suite", suite.toString());
    assertThat(q.out()).as(q.err()).startsWith(
        "quality empt on ods.public_security__empt (no snapshot: it has never held a row): ").doesNotContain("@ null");
  }
}
