package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: the authority, who sees a department's personal values only masked, rebuilt a citizen's full
 * resident ID with one {@code quality run} of its own rules (eighty {@code unexpected_rows_expectation}s, each asking
 * whether one digit of one row's ID was a given one; a {@code row_condition} on the ID narrowed to one row does the
 * same). Rules of such a caller's own that read a personal column's values are refused, and the refusal is audited;
 * rules blind to the values (nulls, uniqueness) and rules on other columns run.
 */
class QualityOracleCliTest extends HomeCliTest {
  static final String CITIZENS = "ods.public_security__citizens";

  @BeforeEach
  void land() {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("citizens.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "50", "--seed", "3", "--out",
        feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
  }

  @Test
  void rulesOfAMaskedReadersOwnMayNotReadPersonalValues() throws Exception {
    Path pattern = suite("pattern", """
          - type: expect_column_values_to_match_regex
            kwargs: {column: id_card, regex: '^1301021986'}
        """);
    Path narrowed = suite("narrowed", """
          - type: expect_column_values_to_not_be_null
            kwargs: {column: gender}
          - type: expect_column_values_to_not_be_null
            kwargs: {column: gender, row_condition: 'col("id_card") > "130102198608"', condition_parser: great_expectations}
        """);
    Path query = suite("query", """
          - type: unexpected_rows_expectation
            kwargs: {unexpected_rows_query: "SELECT record_id FROM {batch} WHERE substring(id_card, 7, 1) = '1'"}
        """);
    String masked = ", which you see masked; only the department that owns " + CITIZENS + " runs its own rules on them";
    record Refusal(Path suite, String why) {}
    for (Refusal r : List.of(
        new Refusal(pattern, "pattern.yaml:4: rule 1 (expect_column_values_to_match_regex) is refused: it reads the"
            + " values of id_card, a personal column of " + CITIZENS + masked),
        new Refusal(narrowed, "narrowed.yaml:6: rule 2 (expect_column_values_to_not_be_null) is refused: its"
            + " row_condition reads the values of id_card, a personal column of " + CITIZENS + masked),
        new Refusal(query, "query.yaml:4: rule 1 (unexpected_rows_expectation) is refused: its SQL may read"))) {
      Run refused = run(TestCast.AUTHORITY, "quality", "run", "--table", CITIZENS, "--suite", r.suite().toString());
      assertThat(refused.exit()).as(r.suite() + ": " + refused.out() + refused.err()).isEqualTo(2);
      assertThat(refused.err()).hasLineCount(1).contains(r.why());
      assertThat(refused.out()).as("nothing of a result").isEmpty();
    }

    // Blind to the values (nulls, repeats), and any rule on a column that is not personal: they run.
    Path blind = suite("blind", """
          - type: expect_column_values_to_not_be_null
            kwargs: {column: id_card}
          - type: expect_column_values_to_be_unique
            kwargs: {column: id_card, row_condition: 'col("gender") == "F"', condition_parser: great_expectations}
          - type: expect_column_values_to_be_in_set
            kwargs: {column: gender, value_set: [M, F]}
        """);
    JsonNode supervised = ok(TestCast.AUTHORITY, "quality", "run", "--table", CITIZENS, "--suite", blind.toString(),
        "--json").json();
    assertThat(supervised.get("success").asBoolean()).isTrue();
    assertThat(supervised.get("results")).hasSize(3);
    // The department reads its own values raw: its own rules on them run.
    JsonNode own = ok(TestCast.PUBLIC_SECURITY, "quality", "run", "--table", CITIZENS, "--suite", pattern.toString(),
        "--json").json();
    assertThat(own.at("/results/0/success").asBoolean()).isFalse();

    List<String> refusals = new ArrayList<>();
    for (JsonNode e : run(TestCast.AUDITOR, "audit", "list", "--action", "command.refused", "--json").json()
        .get("events")) {
      if (e.get("objects").toString().contains("personal-values")) {
        refusals.add(e.get("actor").asText() + " " + e.at("/details/reason").asText().replaceFirst(":.*", ""));
      }
    }
    assertThat(refusals).as("every refusal audited").containsExactlyInAnyOrder(TestCast.AUTHORITY + " pattern.yaml",
        TestCast.AUTHORITY + " narrowed.yaml", TestCast.AUTHORITY + " query.yaml");
  }

  @Test
  void rulesOfAMaskedReadersOwnMayNotReadIdentifiersInAColumnNotDeclaredPersonal() throws Exception {
    // Found by a probe: a note column its contract does not call personal held a mobile number, which the
    // authority's view masks; its own pattern rules on the column answered what the view hid, digit by digit.
    Path feed = dir.resolve("visits.csv");
    java.nio.file.Files.writeString(feed, "visit_id,status,note\n1,open,call 138 0013 8000 after six\n"
        + "2,closed,no answer\n3,open,\n4,closed,left a letter\n");
    Path contract = dir.resolve("visits.contract.yaml");
    java.nio.file.Files.writeString(contract, """
        department: public-security
        dataset: visits
        format: csv
        encoding: UTF-8
        columns:
          - {name: visit_id, type: long}
          - {name: status, type: string}
          - {name: note, type: string}
        """);
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "visits", "--file",
        feed.toString(), "--contract", contract.toString());
    String visits = "ods.public_security__visits";
    Path pattern = suite("note-pattern", """
          - type: expect_column_values_to_match_regex
            kwargs: {column: status, regex: '^(open|closed)$'}
          - type: expect_column_values_to_match_regex
            kwargs: {column: note, regex: '138 0013'}
        """);
    Path narrowed = suite("note-narrowed", """
          - type: expect_column_values_to_not_be_null
            kwargs: {column: status, row_condition: 'col("note") > "call 138 0"', condition_parser: great_expectations}
        """);
    Path query = suite("note-query", """
          - type: unexpected_rows_expectation
            kwargs: {unexpected_rows_query: "SELECT visit_id FROM {batch} WHERE note LIKE '%138 0013%'"}
        """);
    String masked = " of " + visits + ", which you see masked; only the department that owns " + visits
        + " runs its own rules on them";
    record Refusal(Path suite, String why) {}
    for (Refusal r : List.of(
        new Refusal(pattern, "note-pattern.yaml:6: rule 2 (expect_column_values_to_match_regex) is refused: it reads"
            + " the values of note, where 1 value holds a resident ID, mobile or bank card number" + masked),
        new Refusal(narrowed, "note-narrowed.yaml:4: rule 1 (expect_column_values_to_not_be_null) is refused: its"
            + " row_condition reads the values of note, where 1 value holds a resident ID, mobile or bank card number"
            + masked),
        new Refusal(query, "note-query.yaml:4: rule 1 (unexpected_rows_expectation) is refused: its SQL may read the"
            + " values of any column"))) {
      Run refused = run(TestCast.AUTHORITY, "quality", "run", "--table", visits, "--suite", r.suite().toString());
      assertThat(refused.exit()).as(r.suite() + ": " + refused.out() + refused.err()).isEqualTo(2);
      assertThat(refused.err()).hasLineCount(1).contains(r.why()).doesNotContain("8000");
      assertThat(refused.out()).as("nothing of a result").isEmpty();
    }

    // A column without identifiers: the authority's own value rules on it run.
    Path status = suite("status", """
          - type: expect_column_values_to_be_in_set
            kwargs: {column: status, value_set: [open, closed]}
          - type: expect_column_values_to_not_be_null
            kwargs: {column: note}
        """);
    JsonNode supervised = ok(TestCast.AUTHORITY, "quality", "run", "--table", visits, "--suite", status.toString(),
        "--json").json();
    assertThat(supervised.get("success").asBoolean()).isFalse(); // one note is empty
    assertThat(supervised.at("/results/0/success").asBoolean()).isTrue();
    // The department reads its own notes raw: its own rules on them run.
    JsonNode own = ok(TestCast.PUBLIC_SECURITY, "quality", "run", "--table", visits, "--suite", pattern.toString(),
        "--json").json();
    assertThat(own.at("/results/1/result/unexpected_count").asInt()).isEqualTo(2);

    List<String> refusals = new ArrayList<>();
    for (JsonNode e : run(TestCast.AUDITOR, "audit", "list", "--action", "command.refused", "--json").json()
        .get("events")) {
      if (e.get("objects").toString().contains("personal-values")) {
        refusals.add(e.get("actor").asText() + " " + e.at("/details/reason").asText().replaceFirst(":.*", ""));
      }
    }
    assertThat(refusals).as("every refusal audited").containsExactlyInAnyOrder(
        TestCast.AUTHORITY + " note-pattern.yaml", TestCast.AUTHORITY + " note-narrowed.yaml",
        TestCast.AUTHORITY + " note-query.yaml");
  }
}
