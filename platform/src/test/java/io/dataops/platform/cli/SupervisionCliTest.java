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

/**
 * Supervision through the command line: a user probing forbidden commands and a guessed token raise alerts, and so
 * does a run stopped by its leak check on either engine.
 */
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
    // Guessed tokens, and (found by a probe: not recorded before) a token that is none and an --as that is no name.
    for (String[] attempt : java.util.List.of(new String[] {"dop_" + "A".repeat(43)},
        new String[] {"dop_" + "B".repeat(43)}, new String[] {"dop_" + "C".repeat(43)},
        new String[] {"' OR 1=1 --"}, new String[] {"dop_" + "A".repeat(43), "--as", "Robert'); DROP TABLE x;--"})) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("table", "list", "--home",
          home.toString()));
      args.addAll(java.util.Arrays.asList(attempt).subList(1, attempt.length));
      int exit = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("DATAOPS_TOKEN", attempt[0]));
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
    assertThat(alerts.get(1).get("message").asText()).endsWith("{invalid user name=1, malformed token=1, unknown "
        + "token=3}");
    try (var files = Files.list(home.resolve("outbox/bureau/alerts"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
          "alert-1-refusal-burst.json", "alert-2-auth-failures.json");
    }
    CliTest.Run again = CliTest.exactly("supervise", "--home", home.toString(), "--as", TestCast.AUDITOR);
    assertThat(again.out()).isEqualTo("no new alerts\n");

    // An alert stored but not written to the outbox (found by a probe: the scan delivering it said "no new alerts").
    Path outbox = home.resolve("outbox/bureau");
    Files.move(outbox, dir.resolve("bureau-aside"));
    Files.writeString(outbox, "in the way");
    for (int i = 0; i < 5; i++) {
      CliTest.exactly("product", "approve", "p", "1", "--home", home.toString(), "--as", TestCast.OTHER_OPERATOR);
    }
    CliTest.Run blocked = CliTest.exactly("supervise", "--home", home.toString(), "--as", TestCast.AUDITOR);
    assertThat(blocked.exit()).isEqualTo(2);
    assertThat(blocked.err()).contains("cannot deliver alert 3");
    Files.delete(outbox);
    CliTest.Run late = CliTest.exactly("supervise", "--home", home.toString(), "--as", TestCast.AUDITOR);
    assertThat(late.out()).startsWith("1 earlier alert delivered now (in outbox/<authority>/alerts/):\n  #3 medium "
        + "refusal-burst      5 refused requests by oscar").endsWith("\nno new alerts\n");
    assertThat(home.resolve("outbox/bureau/alerts/alert-3-refusal-burst.json")).isRegularFile();
    Files.delete(home.resolve("outbox/bureau/alerts/alert-3-refusal-burst.json"));
    assertThat(CliTest.exactly("supervise", "--home", home.toString(), "--as", TestCast.AUDITOR).out())
        .as("delivered once").isEqualTo("no new alerts\n");
  }

  @Test
  void aLeakCheckFailingOnEitherEngineRaisesAnAlert() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path contract = Files.writeString(dir.resolve("visits.contract.yaml"), """
        department: d
        dataset: visits
        columns:
          - {name: visit_id, type: long}
          - {name: visitor, type: string, personal: name}
          - {name: visitor_id_card, type: string, personal: id_card}
          - {name: note, type: string}
        """);
    Path feed = Files.writeString(dir.resolve("visits.csv"), """
        visit_id,visitor,visitor_id_card,note
        1,张三丰,440304198503071231,咨询低保政策
        2,李四光,11010519491231002X,户籍迁入办理
        3,王五,440304198503071231,张三丰
        """);
    String clerk = TestCast.DEPARTMENT_D;
    assertThat(CliTest.exactly("contract", "register", "--department", "d", "--dataset", "visits", "--file",
        contract.toString(), "--home", home.toString(), "--as", clerk).exit()).isZero();
    assertThat(CliTest.exactly("land", "--department", "d", "--dataset", "visits", "--file", feed.toString(),
        "--home", home.toString(), "--as", clerk).exit()).isZero();
    Path pipeline = Files.writeString(dir.resolve("visit-notes.yaml"), """
        name: visit-notes
        scenario: 窗口服务分析
        owner: op
        inputs:
          - {table: ods.d__visits, as: visits, columns: [visit_id, visitor, visitor_id_card, note]}
        policy:
          visitor: remove
          visitor_id_card: {pseudonymize: hmac-sha256, key: default, length: 16}
        # k over the visitor: the one-visit visitor's row is suppressed, the note naming a visitor is in a kept row (a
        # visitor seen twice), so the run reaches the leak check; the note is exempt so that k does not suppress every
        # row first.
        privacy:
          quasiIdentifiers: [visitor_id_card]
          k: 2
          exempt:
            visit_id: "the window's own serial number, which no outsider knows"
            note: "free text: the leak check, not k, guards what it carries"
        product: visit-notes
        """);
    TestCast.grant(home, "窗口服务分析", "visit-notes");
    for (String engine : java.util.List.of("spring-batch", "flink")) {
      CliTest.Run run = CliTest.exactly("pipeline", "run", pipeline.toString(), "--engine", engine, "--home",
          home.toString(), "--as", TestCast.OPERATOR);
      assertThat(run.exit()).as(engine + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).startsWith("dataops: leak check failed, nothing was published").doesNotContain("张三丰");
    }
    JsonNode alerts = CliTest.exactly("supervise", "--json", "--home", home.toString(), "--as", TestCast.AUTHORITY)
        .json().get("alerts");
    assertThat(alerts).hasSize(2).allSatisfy(a -> {
      assertThat(a.get("rule").asText()).isEqualTo("leak-check-failed");
      assertThat(a.get("subject").asText()).isEqualTo("pipeline:visit-notes");
      assertThat(a.get("severity").asText()).isEqualTo("high");
      assertThat(a.toString()).doesNotContain("张三丰", "440304198503071231");
    });
  }

  /**
   * A version's price edited in the platform database (beside the audit chain): the authority's next {@code supervise}
   * raises {@code registry-drift}, naming the version and the field, not the value; once.
   */
  @Test
  void aPriceChangedInTheDatabaseRaisesRegistryDrift() throws Exception {
    DeliveryCliTest.grantedRunAndPublished(dir, "--channel market --price 300");
    Path home = dir.resolve("home");
    JsonNode before = CliTest.exactly("supervise", "--json", "--home", home.toString(), "--as", TestCast.AUTHORITY)
        .json().get("alerts");
    assertThat(before).as("an untouched registry").noneMatch(a -> a.get("rule").asText().equals("registry-drift"));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("catalog.db"));
         var st = c.prepareStatement("UPDATE product_versions SET publication = replace(publication, '300', '1')"
             + " WHERE product = 'income-by-street' AND version = 1")) {
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    JsonNode alerts = CliTest.exactly("supervise", "--json", "--home", home.toString(), "--as", TestCast.AUTHORITY)
        .json().get("alerts");
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.get("rule").asText()).isEqualTo("registry-drift");
      assertThat(a.get("severity").asText()).isEqualTo("high");
      assertThat(a.get("message").asText()).isEqualTo("the product registry differs from the audit trail: "
          + "income-by-street v1: its publication differs from its publish event in price");
    });
    assertThat(CliTest.exactly("supervise", "--json", "--home", home.toString(), "--as", TestCast.AUTHORITY).json()
        .get("alerts")).as("the same drift, raised once").isEmpty();
  }
}
