package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision through the command line: a user probing forbidden commands and a guessed token raise alerts. */
class SupervisionCliTest {
  @TempDir Path dir;

  @Test
  void probingAndGuessedTokensRaiseAlertsInTheAuthoritysOutbox() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    for (int i = 0; i < 5; i++) {
      CliTest.Run r = CliTest.exactly("product", "approve", "p", "1", "--home", home.toString(), "--as",
          TestCast.PARTNER);
      assertThat(r.exit()).isEqualTo(2);
    }
    for (int i = 0; i < 5; i++) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = Main.run(new String[] {"table", "list", "--home", home.toString()}, new PrintStream(
          new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
          Map.of("DATAOPS_TOKEN", "dop_" + "A".repeat(43)));
      assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
    }
    CliTest.Run refusedToPartner = CliTest.exactly("supervise", "--home", home.toString(), "--as", TestCast.PARTNER);
    assertThat(refusedToPartner.exit()).isEqualTo(2);
    CliTest.Run scan = CliTest.exactly("supervise", "--json", "--home", home.toString(), "--as", TestCast.AUTHORITY);
    assertThat(scan.exit()).as(scan.err()).isZero();
    JsonNode alerts = scan.json().get("alerts");
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).get("rule").asText()).isEqualTo("refusal-burst");
    assertThat(alerts.get(0).get("subject").asText()).isEqualTo("user:paul");
    assertThat(alerts.get(1).get("rule").asText()).isEqualTo("auth-failures");
    assertThat(alerts.get(1).get("subject").asText()).isEqualTo("unknown-token");
    try (var files = Files.list(home.resolve("outbox/bureau/alerts"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
          "alert-1-refusal-burst.json", "alert-2-auth-failures.json");
    }
    CliTest.Run again = CliTest.exactly("supervise", "--home", home.toString(), "--as", TestCast.AUDITOR);
    assertThat(again.out()).isEqualTo("no new alerts\n");
  }
}
