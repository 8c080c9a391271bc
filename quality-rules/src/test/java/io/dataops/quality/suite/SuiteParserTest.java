package io.dataops.quality.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.quality.expect.ExpectationCatalog;
import io.dataops.quality.expect.TableFacts;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SuiteParserTest {
  static final TableFacts PEOPLE = new TableFacts("ods.dept__people", new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "name", Types.StringType.get()),
      Types.NestedField.optional(3, "age", Types.IntegerType.get())), null, List.of("id"), Map.of(), null);

  @Test
  void readsGreatExpectations1xJson() {
    String json = """
        {
          "name": "people.critical",
          "id": "7b1c",
          "suite_parameters": {"min_rows": 10},
          "meta": {"great_expectations_version": "1.2.0"},
          "expectations": [
            {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": {"$PARAMETER": "min_rows"}}},
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name", "mostly": 0.95},
             "meta": {"severity": "warning"}, "id": "e2"},
            {"type": "expect_column_values_to_be_between", "kwargs": {"column": "age", "min_value": 0},
             "severity": "critical"}
          ]
        }
        """;
    ExpectationSuite s = SuiteParser.parse(json, "people.json");
    assertThat(s.name()).isEqualTo("people.critical");
    assertThat(s.expectations()).hasSize(3);
    assertThat(s.expectations().get(0).kwargs()).containsEntry("min_value", 10L);
    assertThat(s.expectations().get(1).severity()).isEqualTo(Severity.WARNING);
    assertThat(s.expectations().get(1).id()).isEqualTo("e2");
    assertThat(s.expectations().get(1).kwargs().get("mostly")).isEqualTo(new java.math.BigDecimal("0.95"));
    assertThat(s.expectations().get(2).severity()).isEqualTo(Severity.ERROR);
    assertThat(s.expectations().get(2).line()).isEqualTo(10);
    assertThat(ExpectationCatalog.compile(s, PEOPLE)).hasSize(3);
  }

  @Test
  void readsGreatExpectations0xJsonAndYaml() {
    String json = """
        {
          "expectation_suite_name": "legacy",
          "data_asset_type": null,
          "evaluation_parameters": {"upper": 120},
          "expectations": [
            {"expectation_type": "expect_column_values_to_be_between",
             "kwargs": {"column": "age", "min_value": 0, "max_value": {"$PARAMETER": "upper"}}, "meta": {}}
          ],
          "meta": {"great_expectations_version": "0.18.8"}
        }
        """;
    ExpectationSuite s = SuiteParser.parse(json, "legacy.json");
    assertThat(s.name()).isEqualTo("legacy");
    assertThat(s.expectations().get(0).type()).isEqualTo("expect_column_values_to_be_between");
    assertThat(s.expectations().get(0).kwargs()).containsEntry("max_value", 120L);
    String yaml = """
        name: people
        expectations:
          - type: expect_column_values_to_be_unique
            kwargs:
              column: id
        """;
    assertThat(SuiteParser.parse(yaml, "p.yaml").expectations().get(0).kwargs()).containsEntry("column", "id");
  }

  @Test
  void rejectsProblemsBeforeReadingDataNamingTheLine() {
    expect("""
        name: s
        expectations:
          - type: ~
            kwargs: {column: name}
        """, "s.yaml:3: type is null in YAML, not text: quote it if '~' is what you mean");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_not_be_nul
            kwargs: {column: name}
        """, "s.yaml:3: unknown expectation type 'expect_column_values_to_not_be_nul' (did you mean "
        + "expect_column_values_to_not_be_null?)");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs:
              column: nmae
        """, "s.yaml:5: expect_column_values_to_not_be_null: column 'nmae' does not exist in ods.dept__people "
        + "(columns: id, name, age)");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_match_regex
            kwargs: {column: name, regex: "([a-z", catch_exceptions: false}
        """, "s.yaml:4: expect_column_values_to_match_regex: pattern '([a-z' is not valid in Python's re: "
        + "unterminated character set at position 1");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_be_between
            kwargs:
              column: age
              min_value: 1
              maxvalue: 5
        """, "s.yaml:7: expect_column_values_to_be_between: unknown argument 'maxvalue'");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: name, mostly: 1.5}
        """, "s.yaml:4: expect_column_values_to_not_be_null: mostly must be between 0 and 1");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: name, row_condition: 'age > 3', condition_parser: sql}
        """, "s.yaml:4: expect_column_values_to_not_be_null: value is not a valid enumeration member");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_be_between
            kwargs: {column: age}
        """, "s.yaml:3: expect_column_values_to_be_between: give min_value, max_value or both");
    expect("""
        name: s
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: {$PARAMETER: nope}}
        """, "s.yaml:4: expect_table_row_count_to_be_between: kwarg 'min_value' refers to suite parameter 'nope'");
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_not_be_null
            severity: fatal
            kwargs: {column: name}
        """, "s.yaml:4: expect_column_values_to_not_be_null: unknown severity 'fatal'");
    expect("expectations: []\n", "s.yaml:1: the suite has no 'name'");
    expect("name: s\nexpectations: [\n", "s.yaml:3: not valid JSON or YAML");
    expect("name: s\nname: t\nexpectations: []\n", "s.yaml:2: key 'name' appears twice");
  }

  /** The last of two equal keys in kwargs won silently (a duplicate elsewhere was already refused at its line). */
  @Test
  void aKeyTwiceInKwargsIsRefusedAtItsLine() {
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_be_between
            kwargs: {column: age, min_value: 0,
              min_value: 999999999}
        """, "s.yaml:5: expect_column_values_to_be_between: key 'min_value' appears twice in kwargs");
    expect("""
        {"name": "s", "expectations": [{"type": "expect_column_values_to_be_between",
          "kwargs": {"column": "age", "max_value": 10, "column": "name"}}]}
        """, "s.yaml:2: expect_column_values_to_be_between: key 'column' appears twice in kwargs");
  }

  /**
   * Two expectations with one id were accepted: the failing rows and the report name a rule by its id, so their
   * failures were one, and one raising dropped the other's rows. Refused at the second's id, naming the first's line,
   * in both formats and generations, an explicit id against a positional one either way.
   */
  @Test
  void twoExpectationsWithOneIdAreRefusedAtTheSecond() {
    String because = "; ids name the rule in the failing rows and the report: give one of them another id";
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_not_be_null
            id: names
            kwargs: {column: name}
          - type: expect_column_values_to_be_between
            kwargs: {column: age, min_value: 0}
            id: names
        """, "s.yaml:8: expectation id 'names' at line 8 is already the id of the expectation at line 3" + because);
    expect("""
        {"expectation_suite_name": "s", "expectations": [
          {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"}, "id": "e1"},
          {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "age"},
           "id": "e1"}]}
        """, "s.yaml:4: expectation id 'e1' at line 4 is already the id of the expectation at line 2" + because);
    // An id written as a number is its text: 2 in YAML or JSON is the second expectation's positional id.
    expect("""
        name: s
        expectations:
          - {type: expect_column_values_to_not_be_null, kwargs: {column: name}}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: age}}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: id}, id: 2}
        """, "s.yaml:5: expectation id '2' at line 5 is already the id of the expectation at line 4 (its position: "
        + "it has no 'id')" + because);
    expect("""
        {"name": "s", "expectations": [
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"}, "id": "2"},
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "age"}}]}
        """, "s.yaml:3: expectation id '2' (its position: it has no 'id') at line 3 is already the id of the "
        + "expectation at line 2" + because);
    // Distinct ids, and a written id equal to no position, read as before.
    ExpectationSuite s = SuiteParser.parse("""
        name: s
        expectations:
          - {type: expect_column_values_to_not_be_null, kwargs: {column: name}, id: Names}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: age}, id: names}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: id}, id: 1}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: id}}
        """, "s.yaml");
    assertThat(s.expectations()).extracting(Expectation::id).containsExactly("Names", "names", "1", "4");
  }

  /**
   * An empty or blank id was accepted: the failing rows and the report named the rule as nothing. GX refuses it (its
   * id is a UUID field); refused here at the id's line, in both formats and generations, saying what to write. A null
   * id is no id, as GX's None: the expectation has its position.
   */
  @Test
  void anEmptyOrBlankIdIsRefusedAtItsLineAndANullOneIsNoId() {
    String because = "; an id names the rule in the failing rows and the report: write one (id: names-present, say), "
        + "or leave 'id' out for its position (";
    expect("""
        name: s
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: name}
            id: ""
        """, "s.yaml:5: expectation 1 has an empty id" + because + "1)");
    expect("""
        name: s
        expectations:
          - {type: expect_column_values_to_not_be_null, kwargs: {column: name}, id: n}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: age},
             id: '  '}
        """, "s.yaml:5: expectation 2 has a blank id ('  ')" + because + "2)");
    expect("""
        {"name": "s", "expectations": [
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"},
           "id": ""}]}
        """, "s.yaml:3: expectation 1 has an empty id" + because + "1)");
    expect("""
        {"expectation_suite_name": "s", "expectations": [
          {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"}, "meta": {},
           "id": " \t"}]}
        """, "s.yaml:3: expectation 1 has a blank id");
    expect("""
        expectation_suite_name: s
        expectations:
          - expectation_type: expect_column_values_to_not_be_null
            kwargs: {column: name}
            meta: {}
            id: ''
        """, "s.yaml:6: expectation 1 has an empty id" + because + "1)");
    // null in either format is no id: the position, as if 'id' were left out (and so one an explicit id may clash with)
    ExpectationSuite s = SuiteParser.parse("""
        name: s
        expectations:
          - {type: expect_column_values_to_not_be_null, kwargs: {column: name}, id: null}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: age}, id: ~}
          - type: expect_column_values_to_not_be_null
            kwargs: {column: id}
            id:
        """, "s.yaml");
    assertThat(s.expectations()).extracting(Expectation::id).containsExactly("1", "2", "3");
    assertThat(SuiteParser.parse("""
        {"expectation_suite_name": "s", "expectations": [
          {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"}, "id": null}]}
        """, "s.yaml").expectations()).extracting(Expectation::id).containsExactly("1");
    expect("""
        name: s
        expectations:
          - {type: expect_column_values_to_not_be_null, kwargs: {column: name}, id: null}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: age}, id: "1"}
        """, "s.yaml:4: expectation id '1' at line 4 is already the id of the expectation at line 3 (its position: "
        + "it has no 'id')");
  }

  /**
   * Integers in other bases (YAML 1.1: 0x10, 0b101, 010, 1:30) were an internal NumberFormatException; they are
   * refused at their line, saying what PyYAML reads. A leading zero is never silently 10 (PyYAML reads 8).
   */
  @Test
  void integersInOtherBasesAreRefusedAtTheirLine() {
    String suite = """
        name: s
        expectations:
          - type: expect_column_values_to_be_between
            kwargs:
              column: age
              min_value: %s
        """;
    expect(suite.formatted("0x10"), "s.yaml:6: '0x10' is a YAML 1.1 hexadecimal integer (16 to PyYAML); write the"
        + " number in decimal, or quote it if it is text");
    expect(suite.formatted("0b101"), "s.yaml:6: '0b101' is a YAML 1.1 binary integer (5 to PyYAML)");
    expect(suite.formatted("010"), "s.yaml:6: '010' is a YAML 1.1 octal integer (8 to PyYAML, 10 to YAML 1.2"
        + " readers)");
    expect(suite.formatted("-0_10"), "'-0_10' is a YAML 1.1 octal integer (-8 to PyYAML, -10 to YAML 1.2 readers)");
    expect(suite.formatted("1:30"), "s.yaml:6: '1:30' is a YAML 1.1 base-60 integer (90 to PyYAML)");
    expect(suite.formatted("+0x_1F"), "'+0x_1F' is a YAML 1.1 hexadecimal integer (31 to PyYAML)");
    // Decimal forms read as before; 0 is decimal; a quoted code stays text.
    for (String v : List.of("0", "-0", "+7", "1_000")) {
      assertThat(SuiteParser.parse(suite.formatted(v), "s.yaml").expectations().get(0).kwargs().get("min_value"))
          .as(v).isInstanceOf(Long.class);
    }
    assertThat(SuiteParser.parse(suite.formatted("'010'"), "s.yaml").expectations().get(0).kwargs().get("min_value"))
        .isEqualTo("010");
  }

  /**
   * Found by a probe: a suite's name held line breaks, and every quality run printed it, forging lines in the
   * authority's terminal ("passed", "approved by ..."). A name is one line without control, bidi or invisible format
   * characters, refused at its line as an organization's display name is.
   */
  @Test
  void aNameWithLineBreaksControlBidiOrInvisibleCharactersIsRefusedAtItsLine() {
    String suite = """
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: name}
        name: %s
        """;
    expect(suite.formatted("\"people\\n   all 3 rules passed\""), "s.yaml:4: the suite's name holds a control"
        + " character (U+000A) at character 7: it is shown to others as one line of text");
    expect(suite.formatted("|\n  people\n  approved"), "s.yaml:4: the suite's name holds a control character"
        + " (U+000A)");
    expect(suite.formatted("\"people\\r\""), "the suite's name holds a control character (U+000D)");
    expect(suite.formatted("\"people\\e[2J\""), "the suite's name holds a control character (U+001B)");
    expect(suite.formatted("\"people\\u2028passed\""), "(U+2028)");
    expect(suite.formatted("\"people \\u202Edessap\""), "the suite's name holds a control character (U+202E)");
    expect(suite.formatted("\"peo\\u200Bple\""), "the suite's name holds an invisible format character (U+200B)");
    expect(suite.replace("name:", "expectation_suite_name:").formatted("\"people\\n\""),
        "s.yaml:4: the suite's expectation_suite_name holds a control character (U+000A)");
    assertThat(SuiteParser.parse(suite.formatted("居民 people.v2 (2026)"), "s.yaml").name())
        .isEqualTo("居民 people.v2 (2026)");
  }

  private static void expect(String suite, String message) {
    assertThatThrownBy(() -> ExpectationCatalog.compile(SuiteParser.parse(suite, "s.yaml"), PEOPLE))
        .isInstanceOf(SuiteException.class).hasMessageContaining(message);
  }

}
