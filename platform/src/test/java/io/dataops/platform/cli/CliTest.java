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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as scripts use it: exit codes, one-line errors, the JSON field names DESIGN.md fixes. */
class CliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("stdout is not one JSON object: " + out, e);
      }
    }
  }

  /** Who the next commands act as (null: the home's default user, its local admin). */
  String as;

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--home");
    all.add(dir.resolve("home").toString());
    if (as != null && !all.contains("--as")) {
      all.add("--as");
      all.add(as);
    }
    return exactly(all.toArray(String[]::new));
  }

  @org.junit.jupiter.api.BeforeEach
  void enrollTheCast() {
    TestCast.enroll(dir.resolve("home"));
  }

  /** The command line as given (no --home added). */
  static Run exactly(String... args) {
    return exactly(Map.of(), args);
  }

  /** The command line as given, with {@code env} as its environment (DATAOPS_WAREHOUSE, say). */
  static Run exactly(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * What the scheduler tests schedule: 300 citizens landed by public security in {@code dir}'s home, and a suite of
   * one rule (at least one row) at {@code dir}/suite.yaml, which is returned.
   */
  static Path landedCitizensAndARowCountSuite(Path dir) throws java.io.IOException {
    Path feed = dir.resolve("c.csv");
    for (List<String> args : List.of(
        List.of("generate", "--dataset", "citizens", "--rows", "300", "--out", feed.toString()),
        List.of("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
            "--as", TestCast.PUBLIC_SECURITY))) {
      List<String> all = new ArrayList<>(args);
      all.addAll(List.of("--home", dir.resolve("home").toString()));
      Run r = exactly(all.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }
    return Files.writeString(dir.resolve("suite.yaml"), """
        name: rows
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
  }

  /** The failure's JSON: one object on stdout whose error is the one line on stderr. */
  static JsonNode failure(Run r, int exit) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.err()).hasLineCount(1);
    assertThat(r.out()).as("one JSON object, one line").hasLineCount(1);
    JsonNode json = r.json();
    assertThat(json.isObject()).isTrue();
    assertThat(json.get("error").asText()).isEqualTo(r.err().strip());
    return json;
  }

  @Test
  void generateLandAndBrowseWithJson() {
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/citizens.csv");
    Run gen = run("generate", "--dataset", "citizens", "--rows", "2000", "--out", feed.toString(), "--encoding", "GBK",
        "--defect-rate", "0.1", "--seed", "3", "--json");
    assertThat(gen.exit()).as(gen.err()).isZero();
    long expected = gen.json().get("expectedQuarantined").asLong();
    assertThat(expected).isPositive();
    assertThat(Files.exists(dir.resolve("feeds/citizens.csv.contract.yaml"))).isTrue();

    Run land = run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(), "--json");
    assertThat(land.exit()).as(land.err()).isZero();
    JsonNode r = land.json();
    assertThat(r.get("table").asText()).isEqualTo("ods.public_security__citizens");
    assertThat(r.get("snapshotId").isNumber()).isTrue();
    assertThat(r.get("rowsRead").asLong()).isEqualTo(2000);
    assertThat(r.get("rowsLanded").asLong() + r.get("rowsQuarantined").asLong()).isEqualTo(2000);
    assertThat(r.get("rowsQuarantined").asLong()).isEqualTo(expected);
    assertThat(r.get("duplicateOf").isNull()).isTrue();
    // How the commit went (the race with other processes is proven in lakehouse's RacingLandings tests).
    assertThat(r.get("commit").toString()).isEqualTo("{\"attempts\":1,\"conflicts\":0,\"duplicateAtCommit\":false}");

    Run again = run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(), "--json");
    assertThat(again.exit()).isZero();
    assertThat(again.json().get("snapshotId").isNull()).isTrue();
    assertThat(again.json().get("duplicateOf").asLong()).isEqualTo(r.get("snapshotId").asLong());
    assertThat(again.json().get("rowsRead").asLong()).isZero();
    assertThat(again.json().get("commit").get("attempts").asInt()).as("found before reading").isZero();

    Run list = run("table", "list", "--json");
    assertThat(list.json().get("tables")).hasSize(2);
    Run show = run("table", "show", "ods.public_security__citizens", "--limit", "3", "--json");
    assertThat(show.json().get("rows")).hasSize(3);
    assertThat(show.json().get("rows").get(0).get("phone").asText()).matches("\\d{3}\\*{4}\\d{4}");
    Run history = run("table", "history", "ods.public_security__citizens", "--json");
    assertThat(history.json().get("snapshots")).hasSize(1);
    Run text = run("table", "show", "quarantine.public_security__citizens", "--limit", "1");
    assertThat(text.exit()).isZero();
    assertThat(text.out()).contains("raw_text").contains("[hidden: ");
  }

  @Test
  void contractRegistrationIsCheckedAndThenUsed() throws Exception {
    as = TestCast.MARKET_REGULATION;
    Path feed = dir.resolve("e.csv");
    assertThat(run("generate", "--dataset", "enterprises", "--rows", "50", "--out", feed.toString()).exit()).isZero();
    Path contract = dir.resolve("e.csv.contract.yaml");
    Path moved = dir.resolve("registered.yaml");
    Files.move(contract, moved);

    Run missing = run("land", "--department", "market-regulation", "--dataset", "enterprises", "--file", feed.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("dataops: no contract for market-regulation/enterprises").hasLineCount(1);

    Run reg = run("contract", "register", "--department", "market-regulation", "--dataset", "enterprises",
        "--file", moved.toString(), "--json");
    assertThat(reg.exit()).as(reg.err()).isZero();
    assertThat(reg.json().get("sha256").asText()).hasSize(64);
    Run landed = run("land", "--department", "market-regulation", "--dataset", "enterprises", "--file", feed.toString(),
        "--json");
    assertThat(landed.exit()).as(landed.err()).isZero();
    assertThat(landed.json().get("rowsLanded").asLong()).isEqualTo(50);
    assertThat(run("contract", "list", "--json").json().get("contracts")).hasSize(1);

    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "columns:\n  - name: id\n    type: integr\n");
    Run bad = run("contract", "register", "--department", "d", "--dataset", "s", "--file", broken.toString(), "--as",
        TestCast.DEPARTMENT_D);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip()).isEqualTo("dataops: broken.yaml:3: column 'id': unknown type 'integr' (expected "
        + "string, long, int, double, decimal(p,s), date, timestamp, boolean)");
    Run wrongDept = run("contract", "register", "--department", "public-security", "--dataset", "enterprises",
        "--file", moved.toString(), "--as", TestCast.PUBLIC_SECURITY);
    assertThat(wrongDept.exit()).isEqualTo(2);
    assertThat(wrongDept.err()).contains("names department 'market-regulation', not 'public-security'");
  }

  /** {@code contract show} gives each column's options the contract has, and only those, in text and JSON alike. */
  @Test
  void contractShowGivesEachColumnsOptions() throws Exception {
    as = TestCast.MARKET_REGULATION;
    Path contract = dir.resolve("licences.yaml");
    Files.writeString(contract, """
        department: market-regulation
        dataset: licences
        format: parquet
        primaryKey: [licence_id]
        columns:
          - name: licence_id
            type: string
            maxLength: 20
            binaryAsUtf8: true
            description: "issued by the district"
          - name: holder_id_card
            type: string
            personal: id_card
          - name: issued_on
            type: date
            format: "yyyyMMdd"
          - name: note
            type: string
        """);
    assertThat(run("contract", "register", "--department", "market-regulation", "--dataset", "licences", "--file",
        contract.toString()).exit()).isZero();
    Run text = run("contract", "show", "--department", "market-regulation", "--dataset", "licences");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out().lines().skip(1).map(String::strip)).containsExactly(
        "licence_id               string         required max 20 binaryAsUtf8 \"issued by the district\"",
        "holder_id_card           string         personal:id_card",
        "issued_on                date           format:yyyyMMdd",
        "note                     string");
    JsonNode columns = run("contract", "show", "--department", "market-regulation", "--dataset", "licences",
        "--json").json().get("columns");
    assertThat(columns.get(0).toString()).isEqualTo("{\"name\":\"licence_id\",\"type\":\"string\",\"required\":true,"
        + "\"maxLength\":20,\"binaryAsUtf8\":true,\"description\":\"issued by the district\"}");
    assertThat(columns.get(2).toString()).isEqualTo(
        "{\"name\":\"issued_on\",\"type\":\"date\",\"required\":false,\"format\":\"yyyyMMdd\"}");
    assertThat(columns.get(3).toString()).isEqualTo("{\"name\":\"note\",\"type\":\"string\",\"required\":false}");
  }

  @Test
  void anExplicitContractWinsOverTheOneBesideTheFile() throws Exception {
    as = TestCast.HUMAN_RESOURCES;
    Path feed = dir.resolve("s.csv");
    assertThat(run("generate", "--dataset", "social-insurance", "--rows", "40", "--out", feed.toString()).exit()).isZero();
    Path explicit = dir.resolve("explicit.yaml");
    // The explicit contract caps payment_status at 1 character: every row breaks it.
    Files.writeString(explicit, Files.readString(dir.resolve("s.csv.contract.yaml"))
        .replace("  - name: payment_status\n    type: string\n    maxLength: 8", "  - name: payment_status\n    type: string\n    maxLength: 1"));
    Run r = run("land", "--department", "human-resources", "--dataset", "social-insurance", "--file", feed.toString(),
        "--contract", explicit.toString(), "--json");
    assertThat(r.exit()).as("a feed of which no row lands is refused").isEqualTo(2);
    assertThat(r.err()).startsWith("dataops: none of the 40 rows of s.csv could be landed (too_long 40)");
    Run missing = run("land", "--department", "human-resources", "--dataset", "social-insurance", "--file",
        feed.toString(), "--contract", dir.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("dataops: no contract file at ");
    // Found by a probe: a folder or a pipe was said to be missing. Now what is there is named (a pipe is not read).
    Path pipe = dir.resolve("pipe.yaml");
    assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
    Run folder = run("land", "--department", "human-resources", "--dataset", "social-insurance", "--file",
        feed.toString(), "--contract", dir.toString());
    assertThat(folder.err()).isEqualTo("dataops: " + dir + " is not a file (a folder, a device or a pipe): the contract"
        + " file must be a regular file\n");
    as = TestCast.OPERATOR;
    for (String command : List.of("validate", "run")) {
      Run fifo = run("pipeline", command, pipe.toString());
      assertThat(fifo.exit()).as(command).isEqualTo(2);
      assertThat(fifo.err()).as(command).isEqualTo("dataops: " + pipe + " is not a file (a folder, a device or a"
          + " pipe): the pipeline file must be a regular file\n");
    }
  }

  @Test
  void badInputExitsWithTwoAndOneLine() {
    as = TestCast.DEPARTMENT_D;
    Run noFile = run("land", "--department", "d", "--dataset", "s", "--file", dir.resolve("none.csv").toString());
    assertThat(noFile.exit()).isEqualTo(2);
    assertThat(noFile.err().strip()).isEqualTo("dataops: no readable file at " + dir.resolve("none.csv"));
    assertThat(noFile.out()).isEmpty();

    Run missingOption = run("land", "--department", "d");
    assertThat(missingOption.exit()).isEqualTo(2);
    assertThat(missingOption.err()).hasLineCount(1).contains("Missing required options").contains("dataops land --help");

    Run unknown = run("table", "show", "ods.nothing", "--as", TestCast.AUTHORITY);
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err().strip()).isEqualTo("dataops: no table ods.nothing (see: dataops table list)");

    // A message repeating a typed name prints it without its control characters, on one line.
    Run escape = run("table", "show", "ods.\u001b[2J\u009b31m\nx", "--as", TestCast.AUTHORITY);
    assertThat(escape.exit()).isEqualTo(2);
    assertThat(escape.err()).hasLineCount(1).doesNotContain("\u001b", "\u009b")
        .containsPattern("␛\\[2[jJ]<U\\+009B>31m x");
    // Found by a probe: a bidirectional override or an invisible format character reached stderr as it was.
    Run bidi = run("table", "show", "ods.\u202eab\u200bc", "--as", TestCast.AUTHORITY);
    assertThat(bidi.exit()).isEqualTo(2);
    assertThat(bidi.err()).hasLineCount(1).doesNotContain("\u202e", "\u200b").contains("<U+202E>ab<U+200B>c");

    // The trail compares times as text: a five-digit year would have sorted before every event and listed them all.
    Run farFuture = run("audit", "list", "--since", "+999999999-12-31T23:59:59Z", "--as", TestCast.AUTHORITY);
    assertThat(farFuture.exit()).isEqualTo(2);
    assertThat(farFuture.err().strip()).isEqualTo(
        "dataops: --since is an instant from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");

    Run badDataset = run("generate", "--dataset", "weather", "--rows", "1", "--out", dir.resolve("w.csv").toString());
    assertThat(badDataset.exit()).isEqualTo(2);
    assertThat(badDataset.err()).contains("unknown dataset 'weather' (expected citizens, enterprises, social-insurance)");

    Run badRate = run("generate", "--dataset", "citizens", "--rows", "1", "--defect-rate", "2",
        "--out", dir.resolve("w.csv").toString());
    assertThat(badRate.exit()).isEqualTo(2);
  }

  // The demo's own test is HomeAccessTest.theDemoRunsTheLifecycleAndReportsWhatItProduced: HomeAccessTest runs the
  // demo once, in a child JVM, for its checks of the home and for the demo's report.

  @Test
  void qualityRunsOnDemandAndOnEveryFeedOfARegisteredSuite() throws Exception {
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("c.csv");
    Run gen = run("generate", "--dataset", "citizens", "--rows", "3000", "--out", feed.toString(), "--defect-rate", "0.1",
        "--json");
    Path suite = dir.resolve("citizens.json");
    Files.writeString(suite, """
        {"name": "citizens.basic", "expectations": [
          {"type": "expect_column_values_to_be_valid_prc_id_card", "kwargs": {"column": "id_card"}},
          {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "record_id"}},
          {"type": "expect_column_values_to_be_valid_prc_mobile", "kwargs": {"column": "phone"}, "severity": "warning"}
        ]}
        """);
    Run reg = run("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", suite.toString(), "--json");
    assertThat(reg.exit()).as(reg.err()).isZero();
    Run land = run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(), "--json");
    assertThat(land.exit()).as(land.err()).isZero();
    JsonNode q = land.json().get("quality");
    assertThat(q.get("success").asBoolean()).as("planted bad check characters fail the suite").isFalse();
    assertThat(q.get("failingRows").asLong()).isPositive();

    // The department's tickets: it acknowledges and resolves its own; the authority sees them too.
    Run tickets = run("feedback", "list", "--state", "open", "--json");
    assertThat(tickets.json().get("tickets")).as("one per failing rule").hasSize(3);
    long id = tickets.json().at("/tickets/0/id").asLong();
    assertThat(run("feedback", "ack", String.valueOf(id), "--by", "公安分局数据科", "--json").json().get("state").asText())
        .isEqualTo("ACKNOWLEDGED");
    Run noNote = run("feedback", "resolve", String.valueOf(id));
    assertThat(noNote.exit()).isEqualTo(2);
    assertThat(run("feedback", "resolve", String.valueOf(id), "--note", "feed was cut short; resent").exit()).isZero();
    Run shown = run("feedback", "show", String.valueOf(id), "--as", TestCast.AUTHORITY);
    assertThat(shown.out()).contains("acknowledged", "公安分局数据科 (ps-clerk)", "resolved");
    Run notTheirs = run("feedback", "ack", String.valueOf(id), "--as", TestCast.HUMAN_RESOURCES);
    assertThat(notTheirs.exit()).isEqualTo(2);
    assertThat(notTheirs.err()).contains("ticket " + id + " is for public-security; hr-clerk acts for human-resources");

    Run on = run("quality", "run", "--table", "ods.public_security__citizens", "--json");
    assertThat(on.exit()).as(on.err()).isZero();
    JsonNode v = on.json();
    assertThat(v.get("success").asBoolean()).isFalse();
    assertThat(v.get("results")).hasSize(3);
    assertThat(v.at("/statistics/evaluated_expectations").asInt()).isEqualTo(3);
    assertThat(v.at("/results/0/result/unexpected_count").asLong()).isEqualTo(gen.json().at("/defects/bad_id_check").asLong());
    assertThat(v.at("/results/2/result/unexpected_count").asLong()).isEqualTo(gen.json().at("/defects/bad_phone").asLong());
    assertThat(v.at("/meta/failures_table").asText()).isEqualTo("quality.row_failures");
    assertThat(on.out()).as("no raw ID number in the result").doesNotContainPattern("\"\\d{17}[\\dX]\"");

    Run text = run("quality", "run", "--table", "ods.public_security__citizens", "--suite", suite.toString());
    assertThat(text.out()).contains("FAIL error    expect_column_values_to_be_valid_prc_id_card(id_card)");

    // Without the uniqueness check every rule keeps its state: the table run adds up what the feed run stored.
    Path checks = dir.resolve("checks.json");
    Files.writeString(checks, """
        {"name": "citizens.checks", "expectations": [
          {"type": "expect_column_values_to_be_valid_prc_id_card", "kwargs": {"column": "id_card"}},
          {"type": "expect_column_values_to_be_valid_prc_mobile", "kwargs": {"column": "phone"}}
        ]}
        """);
    Run added = run("quality", "run", "--table", "ods.public_security__citizens", "--suite", checks.toString(), "--json");
    Run full = run("quality", "run", "--table", "ods.public_security__citizens", "--suite", checks.toString(), "--json",
        "--full");
    assertThat(added.json().at("/meta/incremental").asBoolean()).as(added.out()).isTrue();
    assertThat(full.json().at("/meta/incremental").asBoolean()).isFalse();
    for (String count : List.of("/results/0/result/unexpected_count", "/results/1/result/unexpected_count")) {
      assertThat(added.json().at(count).asLong()).isEqualTo(full.json().at(count).asLong()).isPositive();
    }
    assertThat(run("quality", "run", "--table", "ods.public_security__citizens", "--suite", checks.toString()).out())
        .contains("added up from the stored states of their feed runs, no data read");

    Run suggest = run("quality", "suggest", "--table", "ods.public_security__citizens", "--json");
    assertThat(suggest.exit()).as(suggest.err()).isZero();
    Path suggested = Path.of(suggest.json().get("file").asText());
    assertThat(suggested).isRegularFile().startsWith(dir.resolve("home/suites/suggested"));
    assertThat(suggest.json().at("/suite/expectations").size()).isGreaterThan(5);
    assertThat(run("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", suggested.toString()).exit()).as("a suggestion registers as it is").isZero();
    // An empty range is an error of every run in GX (not a refusal of the suite): registered, and said at once.
    Path inverted = dir.resolve("inverted.yaml");
    Files.writeString(inverted, """
        name: citizens.inverted
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: id_card}
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 10, max_value: 1}
        """);
    String warning = "inverted.yaml line 5: expect_table_row_count_to_be_between: min_value cannot be greater than "
        + "max_value: this expectation reports an error at every run";
    Run invertedJson = run("quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", inverted.toString(), "--json");
    assertThat(invertedJson.exit()).as(invertedJson.err()).isZero();
    assertThat(invertedJson.json().get("warnings")).singleElement().satisfies(w -> assertThat(w.asText())
        .endsWith(warning + ", as Great Expectations does (with catch_exceptions: false the suite is refused instead)"));
    assertThat(run("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", inverted.toString()).out()).contains("  warning: ").contains(warning);
    assertThat(reg.json().get("warnings")).as("a suite without such arguments").isEmpty();
    // Numbers in a text column's value set never equal its values (GX compares as Python's ==): the suite is taken,
    // as GX takes it, and the registration says so at the set's line.
    Path numbers = dir.resolve("numbers.yaml");
    Files.writeString(numbers, """
        name: citizens.codes
        expectations:
          - type: expect_column_values_to_be_in_set
            kwargs:
              column: district_code
              value_set: [440305001, 440305002, "440305003"]
        """);
    Run numbersJson = run("quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", numbers.toString(), "--json");
    assertThat(numbersJson.exit()).as(numbersJson.err()).isZero();
    assertThat(numbersJson.json().get("warnings")).singleElement().satisfies(w -> assertThat(w.asText())
        .endsWith("numbers.yaml line 6: expect_column_values_to_be_in_set: 2 of the 3 members are numbers or booleans,"
            + " which never equal a value of the string column 'district_code' (Great Expectations compares as"
            + " Python's ==: \"518000\" != 518000), so every row not matching another member fails; write them as"
            + " text"));

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"name\": \"x\", \"expectations\": [{\"type\": \"expect_column_values_to_be_unique\","
        + " \"kwargs\": {\"column\": \"nope\"}}]}");
    Run bad = run("quality", "run", "--table", "ods.public_security__citizens", "--suite", broken.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("dataops: broken.json:1: expect_column_values_to_be_unique: column 'nope' does not exist");
    Run none = run("quality", "run", "--table", "ods.nothing");
    assertThat(none.exit()).isEqualTo(2);
  }

  static final String PIPELINE = """
      name: income-by-street
      scenario: test
      owner: op
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, phone, gender, birth_date, district_code, monthly_income]
      transform: |
        SELECT id_card AS person, phone, gender, birth_date, district_code, monthly_income
        FROM citizens
      policy:
        person: {pseudonymize: hmac-sm3, key: default, length: 24}
        phone: {encrypt: ff1, key: fpe, shape: mobile}
        birth_date: {generalize: year}
        monthly_income: {generalize: buckets, width: 5000}
      privacy:
        quasiIdentifiers: [gender, birth_date, district_code]
        k: 3
        exempt: {monthly_income: "the income band is what the product publishes, not what an outsider knows"}
      product: income-by-street
      quality: {suite: gate.yaml}
      """;

  /** 1,500 citizens landed by their department, and the operator (acting from here on) granted {@code product}. */
  private void landCitizensAndGrant(String product) {
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "1500", "--out", feed.toString()).exit()).isZero();
    assertThat(run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString())
        .exit()).isZero();
    as = TestCast.OPERATOR;
    TestCast.grant(dir.resolve("home"), "test", product);
  }

  @Test
  void theGeneralizationSearchIsPreviewedWithoutAProductAndAppliedByTheRun() throws Exception {
    landCitizensAndGrant("optimized-profile");
    Path file = Files.createDirectories(dir.resolve("pipelines")).resolve("optimized.yaml");
    Files.writeString(file, """
        name: optimized-profile
        scenario: test
        owner: op
        inputs:
          - table: ods.public_security__citizens
            as: citizens
            columns: [id_card, gender, birth_date, district_code, monthly_income]
        transform: |
          SELECT id_card AS person, gender, birth_date, district_code, monthly_income FROM citizens
        policy:
          person: {pseudonymize: hmac-sm3, key: default, length: 24}
          birth_date: {generalize: month}
          monthly_income: {generalize: buckets, width: 1000}
        privacy:
          quasiIdentifiers: [gender, birth_date, district_code, monthly_income]
          k: 5
          optimize: true
          personKey: person
          hierarchies:
            district_code: region
        product: optimized-profile
        """);

    Run preview = run("pipeline", "privacy", file.toString(), "--json");
    assertThat(preview.exit()).as(preview.err()).isZero();
    JsonNode g = preview.json().at("/privacy/generalization");
    assertThat(g.get("counted").asText()).isEqualTo("people");
    assertThat(g.get("meetsLimit").asBoolean()).isTrue();
    assertThat(g.get("peopleSuppressed").asLong()).isLessThanOrEqualTo(g.get("people").asLong() * 5 / 100);
    assertThat(g.get("levels").size()).isEqualTo(4);
    assertThat(g.get("loss").asDouble()).isBetween(0.0, 1.0);
    assertThat(g.get("metric").asText()).contains("Loss");
    assertThat(preview.json().at("/privacy/smallestClass").asLong()).isGreaterThanOrEqualTo(5);
    assertThat(run("product", "list", "--json").json()).as("the preview writes no product").isEmpty();
    Run text = run("pipeline", "privacy", file.toString());
    assertThat(text.out()).contains("nothing written").contains("generalization chosen").contains("information loss");

    Run r = run("pipeline", "run", file.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().at("/privacy/generalization/levels")).isEqualTo(g.get("levels"));
    assertThat(r.json().at("/privacy/generalization/loss").asDouble()).isEqualTo(g.get("loss").asDouble());
    assertThat(r.out()).doesNotContain("generalization chosen"); // --json: one object
    Run shown = run("product", "show", "optimized-profile", "1", "--json");
    assertThat(shown.json().at("/lineage/privacy/generalization/levelNames").size()).isEqualTo(4);
  }

  @Test
  void tClosenessIsPreviewedAndReportedAndAnOrderedDistanceOverTextIsRefused() throws Exception {
    landCitizensAndGrant("income-closeness");
    Path file = Files.createDirectories(dir.resolve("pipelines")).resolve("closeness.yaml");
    String yaml = """
        name: income-closeness
        scenario: test
        owner: op
        inputs:
          - table: ods.public_security__citizens
            as: citizens
            columns: [gender, district_code, monthly_income]
        transform: SELECT gender, district_code, monthly_income FROM citizens
        policy:
          monthly_income: {generalize: buckets, width: 5000}
        privacy:
          quasiIdentifiers: [gender, district_code]
          k: 3
          tCloseness: {column: monthly_income, t: 0.3}
        product: income-closeness
        """;
    Files.writeString(file, yaml);
    Run preview = run("pipeline", "privacy", file.toString(), "--json");
    assertThat(preview.exit()).as(preview.err()).isZero();
    JsonNode tc = preview.json().at("/privacy/tCloseness");
    assertThat(tc.get("column").asText()).isEqualTo("monthly_income");
    assertThat(tc.get("distance").asText()).isEqualTo("equal");
    assertThat(tc.get("t").asDouble()).isEqualTo(0.3);
    assertThat(tc.get("maxDistance").asDouble()).isPositive().isLessThanOrEqualTo(0.3);
    Run text = run("pipeline", "privacy", file.toString());
    assertThat(text.out()).contains("t-closeness of monthly_income (equal distance): highest distance of a kept class "
        + String.format("%.4f", tc.get("maxDistance").asDouble()) + ", t=0.3");

    // the income bands are text: an ordered distance over them is refused at validation
    Files.writeString(file, yaml.replace("t: 0.3}", "t: 0.3, distance: ordered}"));
    Run refused = run("pipeline", "validate", file.toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("ordered distance orders numbers and dates; 'monthly_income' is string");
  }

  @Test
  void pipelinesValidateRunAsVersionsAndAreGatedByQuality() throws Exception {
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "1500", "--out", feed.toString()).exit()).isZero();
    assertThat(run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString())
        .exit()).isZero();
    as = TestCast.OPERATOR;
    TestCast.grant(dir.resolve("home"), "test", "income-by-street");
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Path file = pipelines.resolve("income.yaml");
    Files.writeString(file, PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
          - type: expect_column_value_lengths_to_be_between
            kwargs: {column: person, min_value: 24, max_value: 24}
        """);

    Run valid = run("pipeline", "validate", file.toString(), "--json");
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.json().get("valid").asBoolean()).isTrue();
    assertThat(valid.json().at("/privacy/quasiIdentifiers").toString()).contains("phone");
    // validate measured monthly_income (exempted) over the snapshot and kept the measure: the run takes it from there
    Path measures = dir.resolve("home/tmp/group-measures/ods.public_security__citizens");
    List<Path> measured;
    try (var entries = Files.list(measures)) {
      measured = entries.toList();
    }
    assertThat(measured).hasSize(1);
    Object measure = Files.readAttributes(measured.get(0), java.nio.file.attribute.BasicFileAttributes.class)
        .fileKey();

    Run r = run("pipeline", "run", file.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readAttributes(measured.get(0), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .as("the run used the measure validate kept").isEqualTo(measure);
    JsonNode j = r.json();
    for (String field : List.of("product", "version", "engine", "snapshotId", "inputs", "rowsIn", "rowsOut",
        "rowsSuppressed", "privacy", "leakCheck")) {
      assertThat(j.has(field)).as(field).isTrue();
    }
    assertThat(j.get("engine").asText()).isEqualTo("spring-batch");
    assertThat(j.get("version").asInt()).isEqualTo(1);
    assertThat(j.get("rowsIn").asLong()).isEqualTo(1500);
    assertThat(j.get("rowsOut").asLong() + j.get("rowsSuppressed").asLong()).isEqualTo(1500);
    assertThat(j.at("/privacy/k").asInt()).isEqualTo(3);
    assertThat(j.at("/privacy/maxRisk").asDouble()).isLessThanOrEqualTo(1 / 3.0);
    assertThat(j.get("leakCheck").asText()).isEqualTo("passed");
    assertThat(j.at("/quality/passed").asBoolean()).isTrue();
    long snapshot = j.get("snapshotId").asLong();

    Path keys = dir.resolve("home/secrets/keys.properties");
    assertThat(Files.getPosixFilePermissions(keys)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    String hmacKey = Files.readAllLines(keys).stream().filter(l -> l.startsWith("default")).findFirst().orElseThrow()
        .split("=")[1].strip();
    assertThat(r.out()).doesNotContain(hmacKey);

    Run again = run("pipeline", "run", file.toString(), "--json");
    assertThat(again.json().get("recognized").asBoolean()).isTrue();
    assertThat(again.json().get("snapshotId").asLong()).isEqualTo(snapshot);

    Run list = run("product", "list", "--json");
    assertThat(list.json()).hasSize(1);
    assertThat(list.json().get(0).get("name").asText()).isEqualTo("income-by-street");
    assertThat(list.json().get(0).get("state").asText()).isEqualTo("draft");
    assertThat(list.json().get(0).get("snapshotId").asLong()).isEqualTo(snapshot);
    Run show = run("product", "show", "income-by-street", "1", "--json");
    assertThat(show.json().at("/lineage/inputs/ods.public_security__citizens").asLong()).isPositive();
    assertThat(show.json().at("/lineage/policies/phone").asText()).contains("ff1");
    assertThat(show.json().at("/tag").asText()).isEqualTo("v1");
    assertThat(show.json().at("/content/merkleRoot").asText()).hasSize(64);
    assertThat(run("product", "show", "income-by-street", "7").exit()).isEqualTo(2);

    // A gate that fails: nothing is published, the product stays at version 1.
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1000000}
        """);
    Files.writeString(file, PIPELINE.replace("width: 5000", "width: 10000"));
    Run gated = run("pipeline", "run", file.toString());
    assertThat(gated.exit()).as(gated.err()).isEqualTo(2);
    assertThat(gated.err()).startsWith("dataops: quality gate failed, nothing was published: suite gate.yaml: 1 of 1 "
        + "rules of severity error failed: expect_table_row_count_to_be_between: observed");
    // With --json the failure is one object: the error and what is known, the gate's result among it.
    JsonNode gatedJson = failure(run("pipeline", "run", file.toString(), "--json"), 2);
    assertThat(gatedJson.get("error").asText()).startsWith("dataops: quality gate failed, nothing was published");
    assertThat(gatedJson.get("command").asText()).isEqualTo("pipeline run");
    assertThat(gatedJson.get("product").asText()).isEqualTo("income-by-street");
    assertThat(gatedJson.at("/inputs/ods.public_security__citizens").asLong()).isPositive();
    assertThat(gatedJson.at("/quality/passed").asBoolean()).isFalse();
    assertThat(gatedJson.at("/quality/suite").asText()).isEqualTo("gate.yaml");
    assertThat(gatedJson.at("/quality/errors/0").asText()).startsWith("expect_table_row_count_to_be_between: observed");
    assertThat(run("product", "list", "--json").json()).hasSize(1);
    assertThat(run("table", "show", "product.income_by_street", "--json").json().get("snapshotId").asLong())
        .isEqualTo(snapshot);
    // The staged snapshot the gate refused is gone with its files: its rows cannot be read (issue 8, item 5).
    assertThat(run("table", "history", "product.income_by_street", "--json").json().findValuesAsText("snapshotId"))
        .containsExactly(String.valueOf(snapshot));
    // The run that failed its gate is not resumed into missing files: with the suite fixed, it runs anew.
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    Run fixed = run("pipeline", "run", file.toString(), "--json");
    assertThat(fixed.exit()).as(fixed.err()).isEqualTo(0);
    assertThat(fixed.json().get("version").asInt()).isEqualTo(2);
    assertThat(fixed.json().get("restarted").asBoolean()).isFalse();

    // A product belongs to its pipeline.
    Path other = pipelines.resolve("other.yaml");
    Files.writeString(other, PIPELINE.replace("name: income-by-street", "name: someone-else"));
    Run taken = run("pipeline", "validate", other.toString());
    assertThat(taken.exit()).isEqualTo(2);
    assertThat(taken.err()).isEqualTo("dataops: the product 'income-by-street' is made by the pipeline "
        + "'income-by-street', not 'someone-else': give this pipeline its own product name\n");

    // Errors name the file and line.
    Files.writeString(file, PIPELINE.replace("  phone: {encrypt: ff1, key: fpe, shape: mobile}\n", ""));
    Run bad = run("pipeline", "validate", file.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("dataops: income.yaml:9: column 'phone' carries personal data from "
        + "citizens.phone");
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(run("pipeline", "run", file.toString(), "--engine", "spark").err())
        .contains("engine 'spark' is not in this build (engines: spring-batch");
    assertThat(run("pipeline", "validate", dir.resolve("nope.yaml").toString()).exit()).isEqualTo(2);
  }

  @Test
  void theCommonOptionsGoBeforeOrAfterTheCommandName() throws Exception {
    String home = dir.resolve("home").toString();
    Path feed = dir.resolve("c.csv");
    Run gen = exactly("--json", "generate", "--dataset", "citizens", "--rows", "30", "--out", feed.toString());
    assertThat(gen.exit()).as(gen.err()).isZero();
    assertThat(gen.json().get("rows").asLong()).isEqualTo(30);
    Run land = exactly("--home", home, "land", "--department", "public-security", "--dataset", "citizens",
        "--file", feed.toString(), "--json", "--as", TestCast.PUBLIC_SECURITY);
    assertThat(land.exit()).as(land.err()).isZero();
    assertThat(land.json().get("rowsLanded").asLong()).isEqualTo(30);
    assertThat(Path.of(home, "catalog.db")).isRegularFile();
    for (String[] args : List.of(new String[] {"--home", home, "--json", "table", "list"},
        new String[] {"table", "--home", home, "list", "--json"},
        new String[] {"--json", "table", "list", "--home", home},
        new String[] {"--home=" + home, "table", "--json", "list"})) {
      Run list = exactly(args);
      assertThat(list.exit()).as(String.join(" ", args) + ": " + list.err()).isZero();
      assertThat(list.json().get("tables")).as(String.join(" ", args)).hasSize(2);
    }
    Run help = exactly("land", "--help");
    assertThat(help.out()).contains("--home=DIR").contains("--json");

    Run unknown = exactly("--bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("dataops: Unknown option: '--bogus' (see: dataops --help)\n");
    Run unknownSub = exactly("table", "list", "--bogus", "--home", home);
    assertThat(unknownSub.err()).isEqualTo("dataops: Unknown option: '--bogus' (see: dataops table list --help)\n");
  }

  @Test
  void aFailingCommandWithJsonStillPrintsOneObjectWithTheError() throws Exception {
    as = TestCast.DEPARTMENT_D;
    Path none = dir.resolve("none.csv");
    JsonNode noFile = failure(run("land", "--json", "--department", "d", "--dataset", "s", "--file", none.toString()), 2);
    assertThat(noFile.get("error").asText()).isEqualTo("dataops: no readable file at " + none);
    assertThat(noFile.get("command").asText()).isEqualTo("land");
    assertThat(noFile.get("home").asText()).isEqualTo(dir.resolve("home").toString());

    JsonNode noTable = failure(run("table", "show", "ods.nothing", "--json", "--as", TestCast.AUTHORITY), 2);
    assertThat(noTable.get("error").asText()).isEqualTo("dataops: no table ods.nothing (see: dataops table list)");
    assertThat(noTable.get("command").asText()).isEqualTo("table show");

    JsonNode missing = failure(run("--json", "land", "--department", "d"), 2);
    assertThat(missing.get("error").asText()).contains("Missing required options");
    JsonNode unknown = failure(exactly("--json", "--bogus"), 2);
    assertThat(unknown.get("error").asText()).contains("Unknown option: '--bogus'");

    JsonNode noSuite = failure(run("quality", "run", "--table", "ods.nothing", "--json", "--as", TestCast.AUTHORITY),
        2);
    assertThat(noSuite.get("error").asText()).isEqualTo("dataops: no table ods.nothing (see: dataops table list)");
    JsonNode noTicket = failure(run("feedback", "show", "999", "--json"), 2);
    assertThat(noTicket.get("command").asText()).isEqualTo("feedback show");
    JsonNode noVersion = failure(run("product", "show", "nothing", "--json", "--as", TestCast.AUTHORITY), 2);
    JsonNode refused = failure(run("product", "approve", "nothing", "1", "--json"), 2);
    assertThat(refused.get("error").asText()).isEqualTo("dataops: product approve requires role authority; d-clerk "
        + "has department");
    assertThat(refused.get("user").asText()).isEqualTo(TestCast.DEPARTMENT_D);
    assertThat(noVersion.get("error").asText()).startsWith("dataops: ");

    Run text = run("table", "show", "ods.nothing", "--as", TestCast.AUTHORITY);
    assertThat(text.out()).as("without --json, nothing on stdout").isEmpty();

    // An internal failure (exit 1) too: a catalog file that is not a database.
    Path broken = Files.createDirectories(dir.resolve("broken-home"));
    Files.writeString(broken.resolve("catalog.db"), "not a database".repeat(300));
    JsonNode internal = failure(exactly("table", "list", "--json", "--home", broken.toString()), 1);
    // (where the details are: logback writes to the log of the first home this test JVM used)
    assertThat(internal.get("error").asText()).startsWith("dataops: internal error: ")
        .contains(broken.resolve("logs/dataops.log").toString());
    assertThat(internal.get("home").asText()).isEqualTo(broken.toString());
  }

  @Test
  void aHomeThatIsAFileIsRefusedWithTheReason() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    Run r = exactly("table", "list", "--home", file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("dataops: the home " + file + " is a file, not a folder: give --home a folder "
        + "(or set DATAOPS_HOME)\n");
    assertThat(failure(exactly("land", "--department", "d", "--dataset", "s", "--file", file.toString(), "--json",
        "--home", file.toString()), 2).get("error").asText()).contains("is a file, not a folder");
    Path inside = file.resolve("home");
    Run below = exactly("table", "list", "--home", inside.toString());
    assertThat(below.exit()).isEqualTo(2);
    assertThat(below.err()).isEqualTo("dataops: cannot create the home " + inside + ": " + file
        + " is a file, not a folder\n");
  }

  @Test
  void helpAndVersion() {
    Run help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("land").contains("generate").contains("table").contains("demo");
  }
}
