package io.dataops.lakehouse.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContractParserTest {
  static final String VALID = """
      department: public-security
      dataset: citizens
      description: "citizen registry"
      format: csv
      encoding: GBK
      header: true
      delimiter: ","
      nullValues: ["", "NULL"]
      dateFormat: "yyyyMMdd"
      primaryKey: [record_id]
      columns:
        - name: record_id
          type: string
          maxLength: 20
        - name: id_card
          type: string
          required: true
          personal: id_card
        - name: birth_date
          type: date
        - name: updated_at
          type: timestamp
          format: "yyyy/MM/dd HH:mm"
        - name: income
          type: decimal(12, 2)
        - name: active
          type: boolean
      """;

  @Test
  void readsEveryField() {
    FeedContract c = ContractParser.parse(VALID, "c.yaml");
    assertThat(c.department()).isEqualTo("public-security");
    assertThat(c.encoding()).isEqualTo(Charset.forName("GBK"));
    assertThat(c.nullValues()).containsExactly("", "NULL");
    assertThat(c.primaryKey()).containsExactly("record_id");
    assertThat(c.columnNames()).containsExactly("record_id", "id_card", "birth_date", "updated_at", "income", "active");
    assertThat(c.column("record_id").orElseThrow().required()).as("a key column is required").isTrue();
    assertThat(c.column("id_card").orElseThrow().personal()).isEqualTo(PersonalData.ID_CARD);
    assertThat(c.column("income").orElseThrow().type()).isEqualTo(ColumnType.decimal(12, 2));
    assertThat(c.formatOf(c.column("birth_date").orElseThrow())).isEqualTo("yyyyMMdd");
    assertThat(c.formatOf(c.column("updated_at").orElseThrow())).isEqualTo("yyyy/MM/dd HH:mm");
    assertThat(c.column("active").orElseThrow().type().type()).isEqualTo(ValueType.BOOLEAN);
  }

  /**
   * Without nullValues, the empty value is null in a text format, where an empty field is the only null there is, and
   * nothing is in Parquet, whose own null is null and whose "" is text; a contract naming its nullValues has them.
   */
  @ParameterizedTest
  @CsvSource({"csv, true", "jsonl, true", "xlsx, true", "parquet, false"})
  void theEmptyValueIsNullByDefaultExceptInParquet(String format, boolean emptyIsNull) {
    String named = VALID.replace("format: csv", "format: " + format).replace("encoding: GBK\n", "")
        .replace("header: true\n", "").replace("delimiter: \",\"\n", "");
    String unnamed = named.replace("nullValues: [\"\", \"NULL\"]\n", "");
    assertThat(unnamed).doesNotContain("nullValues");
    FeedContract c = ContractParser.parse(unnamed, "c.yaml");
    assertThat(c.nullValues()).isEqualTo(emptyIsNull ? List.of("") : List.of());
    assertThat(ContractParser.parse(ContractWriter.toYaml(c), "w.yaml")).isEqualTo(c);
    assertThat(ContractParser.parse(named, "c.yaml").nullValues()).containsExactly("", "NULL");
    assertThat(SampleDataset.CITIZENS.contract(FeedFormat.parse(format), java.nio.charset.StandardCharsets.UTF_8)
        .nullValues()).as("the sample contract's, as a contract without them").isEqualTo(c.nullValues());
  }

  @Test
  void writerAndParserRoundTrip() {
    for (SampleDataset ds : SampleDataset.values()) {
      FeedContract c = ds.contract(FeedFormat.CSV, Charset.forName("GB18030"));
      assertThat(ContractParser.parse(ContractWriter.toYaml(c), "x")).isEqualTo(c);
    }
    FeedContract c = ContractParser.parse(VALID, "c.yaml");
    assertThat(ContractParser.parse(ContractWriter.toYaml(c), "again")).isEqualTo(c);
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', value = {
      "type: strin|13|column 'record_id': unknown type 'strin' (expected string, long, int, double, decimal(p,s), date, timestamp, boolean)",
      "type: decimal(40,2)|13|column 'record_id': decimal(40,2) needs 1 <= precision <= 38",
      "colour: red|14|unknown column key 'colour'",
      "maxLength: -3|14|maxLength must be a positive whole number, not '-3'",
      "required: perhaps|14|required must be true or false, not 'perhaps'",
      "personal: shoe_size|14|column 'record_id': unknown personal-data kind 'shoe_size'",
      "personal: null|14|personal is null in YAML, not text: quote it if 'null' is what you mean",
  })
  void rejectsABadColumnNamingTheLine(String replacement, int line, String problem) {
    String yaml = VALID.replace("    type: string\n    maxLength: 20", "    type: string\n    " + replacement)
        .replace("    type: string\n    type: ", "    type: ");
    if (replacement.startsWith("type:")) {
      yaml = VALID.replace("  - name: record_id\n    type: string", "  - name: record_id\n    " + replacement);
    }
    String source = yaml;
    assertThatThrownBy(() -> ContractParser.parse(source, "citizens.contract.yaml"))
        .isInstanceOf(ContractException.class)
        .hasMessageStartingWith("citizens.contract.yaml:" + line + ": ")
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((ContractException) e).line()).isEqualTo(line));
  }

  @Test
  void rejectsStructuralProblems() {
    expect(VALID.replace("format: csv", "format: dbf"), 4, "unknown format 'dbf'");
    expect(VALID.replace("encoding: GBK", "encoding: KLINGON-8"), 5, "unknown encoding 'KLINGON-8'");
    expect(VALID.replace("dateFormat: \"yyyyMMdd\"", "dateFormat: \"yyyy-{MM\""), 9, "is not a date/time pattern");
    expect(VALID.replace("primaryKey: [record_id]", "primaryKey: [no_such]"), 10,
        "primary key column 'no_such' is not among the columns");
    expect(VALID.replace("  - name: income\n    type: decimal(12, 2)", "  - name: income\n    type: decimal(12, 2)\n    maxLength: 3"),
        26, "maxLength applies to string columns only, this one is decimal(12,2)");
    expect(VALID.replace("  - name: active", "  - name: id_card"), 26, "column 'id_card' is declared twice (first at line 15)");
    expect(VALID.replace("  - name: active", "  - name: _active"), 26, "names starting with '_' are reserved");
    expect(VALID.replace("  - name: active", "  - name: Active"), 26, "a name is lower-case letters");
    expect(VALID.replace("delimiter: \",\"", "delimiter: '\"'"), 7, "delimiter and quote must be two different characters");
    expect(VALID.replace("header: true", "header: [true"), 7, "not valid YAML");
    expect(VALID.replace("department: public-security", "department: Public Security"), 1,
        "department 'Public Security' must be lower-case");
    expect("columns: []\n", 1, "'columns' must be a non-empty list");
    expect("format: csv\n", 1, "the contract has no 'columns' list");
    expect("- just\n- a list\n", 1, "a contract is a mapping");
    expect(VALID + "format: csv\n", 28, "key 'format' appears twice (first at line 4)");
  }

  /**
   * Found by a probe: UTF-16 landed GBK and UTF-8 files as silent garbage, a '|' with GBK split 瑋 (0xAC 0x7C) and
   * quarantined valid rows, and a full-width comma was accepted only to fail every landing without a line.
   */
  @Test
  void anEncodingOrDelimiterThatCannotFrameAFeedIsRefusedAtItsLine() {
    for (String encoding : List.of("UTF-16", "UTF-16LE", "UTF-32", "IBM037")) {
      expect(VALID.replace("encoding: GBK", "encoding: " + encoding), 5, "encoding '" + encoding + "' cannot carry "
          + "a feed: ");
    }
    expect(VALID.replace("delimiter: \",\"", "delimiter: \"|\""), 7, "delimiter '|' is also a byte inside "
        + "characters of GBK (in GBK, 瑋 is 0xAC 0x7C): rows would be split inside them; use ',', ';' or a tab, or "
        + "send UTF-8");
    expect(VALID.replace("encoding: GBK", "encoding: GB18030").replace("delimiter: \",\"", "delimiter: \"5\""), 7,
        "delimiter '5' is also a byte inside characters of GB18030");
    expect(VALID.replace("delimiter: \",\"", "delimiter: \"，\""), 7, "delimiter must be an ASCII character, "
        + "not '，' (U+FF0C)");
    for (String ok : List.of(";", "\\t", "|")) {
      String yaml = VALID.replace("delimiter: \",\"", "delimiter: \"" + ok + "\"");
      assertThat(ContractParser.parse(ok.equals("|") ? yaml.replace("encoding: GBK", "encoding: UTF-8") : yaml,
          "c.yaml").delimiter()).as(ok).isIn(';', '\t', '|');
    }
    assertThat(ContractParser.parse(VALID.replace("encoding: GBK", "encoding: GB18030"), "c.yaml").encoding().name())
        .isEqualTo("GB18030");
  }

  /**
   * Older Parquet writers store text as plain BINARY without the STRING annotation: a string column of a Parquet
   * contract can say its bytes are UTF-8 text; anywhere else the option is refused at its line.
   */
  @Test
  void binaryAsUtf8IsAnOptionOfStringColumnsOfParquetContracts() {
    String parquet = VALID.replace("format: csv", "format: parquet");
    String option = parquet.replace("    maxLength: 20", "    maxLength: 20\n    binaryAsUtf8: true");
    FeedContract c = ContractParser.parse(option, "c.yaml");
    assertThat(c.column("record_id").orElseThrow().binaryAsUtf8()).isTrue();
    assertThat(c.column("id_card").orElseThrow().binaryAsUtf8()).isFalse();
    assertThat(ContractParser.parse(ContractWriter.toYaml(c), "w.yaml")).isEqualTo(c);
    assertThat(ContractWriter.toYaml(c)).as("a contract version of its own: a file it reads anew is a new attempt")
        .isNotEqualTo(ContractWriter.toYaml(ContractParser.parse(parquet, "c.yaml")));
    expect(parquet.replace("    type: boolean", "    type: boolean\n    binaryAsUtf8: true"), 28,
        "column 'active': binaryAsUtf8 applies to string columns only, this one is boolean");
    expect(VALID.replace("    maxLength: 20", "    maxLength: 20\n    binaryAsUtf8: true"), 15,
        "column 'record_id': binaryAsUtf8 applies to Parquet feeds only (a BINARY column without the STRING "
            + "annotation), this contract's format is csv");
    expect(option.replace("binaryAsUtf8: true", "binaryAsUtf8: perhaps"), 15,
        "binaryAsUtf8 must be true or false, not 'perhaps'");
  }

  @Test
  void aNameOfTheRightCharactersButTooLongIsRefusedForItsLength() {
    String department = "d".repeat(64);
    expect(VALID.replace("department: public-security", "department: " + department), 1,
        "department '" + department + "' has 64 characters, at most 63 are allowed");
    String dataset = "citizens-of-futian-district-" + "x".repeat(50);
    expect(VALID.replace("dataset: citizens", "dataset: " + dataset), 2,
        "dataset '" + dataset + "' has 78 characters, at most 63 are allowed");
    String column = "c".repeat(70);
    expect(VALID.replace("  - name: active", "  - name: " + column), 26,
        "column '" + column + "': a name has 70 characters, at most 63 are allowed");
    assertThat(ContractParser.parse(VALID.replace("dataset: citizens", "dataset: " + "x".repeat(63)), "c.yaml")
        .dataset()).hasSize(63);
  }

  @Test
  void aDeclaredScheduleIsReadWrittenAndItsDueFeedsListed() {
    FeedContract monthly = ContractParser.parse(VALID.replace("primaryKey:", "schedule: {every: month, dueDay: 5}\n"
        + "primaryKey:"), "c.yaml");
    assertThat(monthly.schedule()).isEqualTo(new FeedSchedule(FeedSchedule.Every.MONTH, 5));
    assertThat(ContractParser.parse(ContractWriter.toYaml(monthly), "w.yaml")).isEqualTo(monthly);
    assertThat(ContractParser.parse(VALID, "c.yaml").schedule()).as("none declared").isNull();
    var month = java.time.YearMonth.of(2026, 3);
    assertThat(monthly.schedule().slots(month)).singleElement().satisfies(s -> {
      assertThat(s.due().toString()).isEqualTo("2026-03-06T00:00+08:00[Asia/Shanghai]");
      assertThat(s.closes().toString()).isEqualTo("2026-04-01T00:00+08:00[Asia/Shanghai]");
    });
    // Weeks whose due day (Friday) falls in March 2026: the 6th, 13th, 20th and 27th.
    assertThat(new FeedSchedule(FeedSchedule.Every.WEEK, 5).slots(month)).extracting(s -> s.due().toLocalDate())
        .extracting(Object::toString).containsExactly("2026-03-07", "2026-03-14", "2026-03-21", "2026-03-28");
    assertThat(new FeedSchedule(FeedSchedule.Every.DAY, 1).slots(month)).hasSize(31);
    expect(VALID.replace("primaryKey:", "schedule: {every: fortnight}\nprimaryKey:"), 10,
        "schedule every 'fortnight': expected day, week or month");
    expect(VALID.replace("primaryKey:", "schedule: {every: month}\nprimaryKey:"), 10,
        "a schedule every month names its dueDay (1 to 28)");
    expect(VALID.replace("primaryKey:", "schedule: {every: week, dueDay: 8}\nprimaryKey:"), 10,
        "dueDay of a schedule every week is 1 to 7, not 8");
    expect(VALID.replace("primaryKey:", "schedule: monthly\nprimaryKey:"), 10, "schedule is a mapping");
  }

  @Test
  void emptyFileIsRejected() {
    assertThatThrownBy(() -> ContractParser.parse("", "empty.yaml")).isInstanceOf(ContractException.class)
        .hasMessageStartingWith("empty.yaml: a contract is a mapping");
  }

  private static void expect(String yaml, int line, String problem) {
    assertThatThrownBy(() -> ContractParser.parse(yaml, "c.yaml"))
        .isInstanceOf(ContractException.class)
        .hasMessageStartingWith("c.yaml:" + line + ": ")
        .hasMessageContaining(problem);
  }

  @Test
  void columnTypesParse() {
    assertThat(List.of("string", "LONG", " int ", "double", "decimal(38,0)", "date", "timestamp", "boolean"))
        .allSatisfy(t -> assertThat(ContractTypes.parse(t)).isNotNull());
    assertThat(ContractTypes.parse("decimal( 10 , 3 )")).isEqualTo(ColumnType.decimal(10, 3));
    assertThatThrownBy(() -> ContractTypes.parse("decimal(3,4)")).hasMessageContaining("scale <= precision");
    // products may hold instants; departments send local civil time, so a contract still refuses them
    assertThatThrownBy(() -> ContractTypes.parse("timestamptz")).hasMessage(
        "unknown type 'timestamptz' (expected string, long, int, double, decimal(p,s), date, timestamp, boolean)");
  }
}
