package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code dataops feedback scorecard} (found by a probe on a demo home): a department without feeds showed a pass rate
 * of 100%, an unknown department got a perfect card, the "open" column counted acknowledged and resolved tickets, and
 * the refusal of another department's tickets was not a sentence.
 */
class FeedbackScorecardCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("stdout is not one JSON object: " + out + err, e);
      }
    }
  }

  Run runAs(String user, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString(), "--as", user));
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** One feed of public-security failing three rules: three open tickets. */
  @BeforeEach
  void aFeedWithThreeFailingRules() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("citizens.csv");
    Run gen = runAs(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "20", "--defect-rate",
        "0", "--out", feed.toString());
    assertThat(gen.exit()).as(gen.err()).isZero();
    Path suite = dir.resolve("suite.yaml");
    Files.writeString(suite, """
        name: citizens.strict
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1000}
          - type: expect_column_values_to_be_in_set
            kwargs: {column: gender, value_set: [X]}
          - type: expect_column_values_to_match_regex
            kwargs: {column: record_id, regex: '^zzz'}
        """);
    Run reg = runAs(TestCast.PUBLIC_SECURITY, "quality", "suite", "register", "--department", "public-security",
        "--dataset", "citizens", "--file", suite.toString());
    assertThat(reg.exit()).as(reg.err()).isZero();
    Run land = runAs(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens",
        "--file", feed.toString());
    assertThat(land.exit()).as(land.err()).isZero();
  }

  @Test
  void theOpenColumnCountsOnlyOpenTicketsAndTheOthersAreShownByState() {
    JsonNode tickets = runAs(TestCast.PUBLIC_SECURITY, "feedback", "list", "--json").json().get("tickets");
    assertThat(tickets).hasSize(3);
    String acked = tickets.get(0).get("id").asText();
    String resolved = tickets.get(1).get("id").asText();
    assertThat(runAs(TestCast.PUBLIC_SECURITY, "feedback", "ack", acked).exit()).isZero();
    assertThat(runAs(TestCast.PUBLIC_SECURITY, "feedback", "ack", resolved).exit()).isZero();
    assertThat(runAs(TestCast.PUBLIC_SECURITY, "feedback", "resolve", resolved, "--note", "fixed at the source")
        .exit()).isZero();

    Run json = runAs(TestCast.AUTHORITY, "feedback", "scorecard", "--department", "public-security", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode card = json.json().at("/scorecards/0");
    assertThat(card.get("openTickets").asInt()).as("the open ones only").isEqualTo(1);
    assertThat(card.get("acknowledgedTickets").asInt()).isEqualTo(1);
    assertThat(card.get("resolvedTickets").asInt()).as("resolved, awaiting verification").isEqualTo(1);
    assertThat(card.get("verifiedTickets").asInt()).isZero();
    assertThat(card.get("passRatePercent").asDouble()).isZero();

    Run text = runAs(TestCast.AUTHORITY, "feedback", "scorecard", "--department", "public-security");
    List<String> lines = text.out().lines().toList();
    assertThat(lines.get(0)).containsSubsequence("pass rate", "open", "acknowledged", "resolved", "verified");
    assertThat(lines.get(1).split(" +")).startsWith("public-security", "1", "0", "0.0%", "1", "1", "1", "0", "-");
  }

  @Test
  void aDepartmentWithoutFeedsHasNoPassRate() {
    Run json = runAs(TestCast.MARKET_REGULATION, "feedback", "scorecard", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode card = json.json().at("/scorecards/0");
    assertThat(card.get("department").asText()).isEqualTo("market-regulation");
    assertThat(card.get("feeds").asInt()).isZero();
    assertThat(card.get("passRatePercent").isNull()).as("no feeds is no record, not a perfect one: " + card).isTrue();

    Run text = runAs(TestCast.MARKET_REGULATION, "feedback", "scorecard");
    assertThat(text.out()).doesNotContain("100.0%").contains("no feeds yet");
    assertThat(text.out().lines().toList().get(1).split(" +")).startsWith("market-regulation", "0", "0", "-");
  }

  @Test
  void anOrganizationThatIsNoDepartmentIsRefusedByName() {
    for (String command : List.of("scorecard", "list")) {
      Run unknown = runAs(TestCast.AUTHORITY, "feedback", command, "--department", "no-such-dept");
      assertThat(unknown.exit()).as(unknown.out()).isEqualTo(2);
      assertThat(unknown.out()).isEmpty();
      assertThat(unknown.err()).isEqualTo("dataops: no department no-such-dept (see: dataops org list)\n");
      Run operator = runAs(TestCast.AUDITOR, "feedback", command, "--department", TestCast.OPERATOR_ORG, "--json");
      assertThat(operator.exit()).isEqualTo(2);
      assertThat(operator.err()).contains("op is not a department (it is of kind operator");
    }
  }

  @Test
  void anotherDepartmentsTicketsAreRefusedInASentenceNamingWhoMaySeeThem() {
    for (String command : List.of("scorecard", "list")) {
      Run refused = runAs(TestCast.MARKET_REGULATION, "feedback", command, "--department", "public-security");
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(refused.err()).contains("the tickets of public-security may be seen only by public-security, the "
          + "authority and auditors; mr-clerk acts for market-regulation");
    }
  }
}
