package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.testing.ChildJvm;
import io.dataops.core.testing.Tmpfs;
import io.dataops.platform.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataops land} on feeds that cannot land and on a disk that fills up: exit status, one line, nothing left. */
class LandCliTest {
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

  Run run(String... args) {
    return runAs(TestCast.PUBLIC_SECURITY, args); // the department whose feeds these are
  }

  Run runAs(String user, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--home");
    all.add(dir.resolve("home").toString());
    all.addAll(List.of("--as", user));
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The command in its own JVM: what a shell sees, with the home's own log file. */
  Run child(Map<String, String> env, String... args) throws Exception {
    return child("-Xmx512m", env, args);
  }

  Run child(String heap, Map<String, String> env, String... args) throws Exception {
    List<String> command = ChildJvm.command(Main.class, List.of(heap), List.of(args));
    command.addAll(List.of("--home", dir.resolve("home").toString(), "--as", TestCast.PUBLIC_SECURITY));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("child.out").toFile()).redirectError(dir.resolve("child.err").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(dir.resolve("child.out")), Files.readString(dir.resolve("child.err")));
  }

  @org.junit.jupiter.api.BeforeEach
  void enrollTheCast() {
    TestCast.enroll(dir.resolve("home"));
  }

  /** Fifty generated citizens of public-security, with their contract beside them. */
  private Path fiftyCitizens() {
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "50", "--out", feed.toString()).exit()).isZero();
    return feed;
  }

  /** Writes the suite's text to its file and registers it for public-security/citizens. */
  private Run registerSuite(Path suite, String text) throws java.io.IOException {
    Files.writeString(suite, text);
    return run("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        suite.toString());
  }

  private String[] land(Path file, String... more) {
    List<String> args = new ArrayList<>(List.of("land", "--department", "public-security", "--dataset", "citizens",
        "--file", file.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void hostileDepartmentAndDatasetNamesAreRefusedWithoutBeingEchoed() throws Exception {
    // Found by a probe: a 5,000-character name ended as an internal error (the refusal's audit event could not hold
    // it) and a name with an escape sequence was printed back to the terminal as typed.
    Path feed = dir.resolve("citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "20", "--out", feed.toString()).exit()).isZero();
    String contract = dir.resolve("citizens.csv.contract.yaml").toString();
    String escape = "a\u001b[31mred";
    String huge = "a".repeat(5_000);
    for (String[] names : List.of(new String[] {huge, "citizens"}, new String[] {escape, "citizens"},
        new String[] {"public-security", huge}, new String[] {"public-security", escape},
        new String[] {"public-security", "a__citizens"}, new String[] {"public-security", "../citizens"})) {
      Run r = run("land", "--department", names[0], "--dataset", names[1], "--file", feed.toString(), "--contract",
          contract);
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err().lines().count()).isEqualTo(1);
      assertThat(r.err()).doesNotContain("\u001b", huge).containsAnyOf("(5000 characters)", "(9 characters)",
          "'a__citizens'", "'../citizens'");
    }
    assertThat(run("table", "list", "--json").out()).doesNotContain("citizens");
  }

  @Test
  void valuesThatWouldActOnTheReadersTerminalAreShownNotSent() throws Exception {
    // Found by a probe: `table show` printed a feed's escape sequences as they were, so a department's value could
    // clear the operator's screen, set its title or make the terminal type a reply (ESC [6n), and a carriage return
    // or a line feed in a value could overwrite or fake a row of the listing.
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "5", "--out", feed.toString(), "--encoding",
        "UTF-8").exit()).isZero();
    List<String> hostile = List.of("\u001b[2J\u001b[31mX", "\u001b]0;pw\u0007", "a\rb", "x\ny", "\u202eab");
    List<String> lines = new ArrayList<>(Files.readAllLines(feed));
    for (int i = 0; i < hostile.size(); i++) {
      String[] f = lines.get(i + 1).split(",", -1);
      f[7] = "\"" + hostile.get(i) + "\""; // district_code: not personal, shown as it is
      lines.set(i + 1, String.join(",", f));
    }
    Files.writeString(feed, String.join("\n", lines) + "\n");
    Run landed = run(land(feed, "--contract", feed + ".contract.yaml"));
    assertThat(landed.exit()).as(landed.err()).isZero();

    Run shown = run("table", "show", "ods.public_security__citizens");
    assertThat(shown.exit()).as(shown.err()).isZero();
    assertThat(shown.out()).doesNotContain("\u001b", "\u0007", "\r", "\u202e")
        .contains(" | ␛[2J␛[31mX | ", " | ␛]0;pw␇ | ", " | a␍b | ", " | x␊y | ", " | <U+202E>ab | ");
    assertThat(shown.out().lines().filter(l -> l.startsWith("  R"))).as("one line per row").hasSize(5);
    JsonNode rows = run("table", "show", "ods.public_security__citizens", "--json").json().get("rows");
    List<String> exact = new ArrayList<>();
    rows.forEach(r -> exact.add(r.get("district_code").asText()));
    assertThat(exact).as("--json gives the values as they are").containsExactlyInAnyOrderElementsOf(hostile);
  }

  @Test
  void aFileNameThatIsNoTextInTheLocaleIsNamedAsSuch() {
    // Found by a probe: a name written in GBK under a UTF-8 locale reaches Java with its bytes replaced (U+FFFD), and
    // "no readable file" was said of a file that is there.
    for (String[] args : List.of(land(dir.resolve("bad\uFFFD\uFFFDname.csv")),
        new String[] {"quality", "run", "--table", "ods.public_security__citizens", "--suite", "s\uFFFD.yaml"})) {
      Run r = run(args);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err().lines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("\uFFFD")
          .contains("' has bytes that are not text in this locale's")
          .contains("(a name written in GBK?): rename the file, e.g. with convmv -f gbk -t utf8"));
    }
  }

  @Test
  void runningOutOfMemoryIsOneLineNamingTheHeapNotAStackTrace() throws Exception {
    // Found by a probe: a contract allowing 256 MB records and a 120 MB cell ended in the JVM's own stack trace of
    // an OutOfMemoryError on stderr, and --json printed nothing.
    Path contract = Files.writeString(dir.resolve("big.contract.yaml"), """
        department: public-security
        dataset: notes
        maxRecordBytes: 134217728
        columns:
          - {name: id, type: long}
          - {name: note, type: string}
        """);
    byte[] cell = new byte[60 << 20];
    java.util.Arrays.fill(cell, (byte) 'x');
    Path feed = dir.resolve("notes.csv");
    try (var out = Files.newOutputStream(feed)) {
      out.write("id,note\n1,\"".getBytes(StandardCharsets.US_ASCII));
      out.write(cell);
      out.write("\"\n".getBytes(StandardCharsets.US_ASCII));
    }
    Run r = child("-Xmx96m", Map.of(), "land", "--department", "public-security", "--dataset", "notes", "--file",
        feed.toString(), "--contract", contract.toString(), "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().lines()).as(r.err()).hasSize(1).allSatisfy(l -> assertThat(l).startsWith(
        "dataops: out of memory: dataops land needed more than its heap of ").contains("DATAOPS_HEAP=4g"));
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("error").asText())
        .startsWith("dataops: out of memory");
    run("table", "list", "--json").json().get("tables").forEach(t -> assertThat(t.get("snapshots").asInt())
        .as(t.get("name").asText() + ": nothing committed").isZero());
  }

  @Test
  void aFileNameCannotForgeLinesOfTheLandingTheHistoryOrTheAuditTrail() throws Exception {
    // Found by a probe: a file named "x.csv\n   999 ... grant.approve ok grant:forged" printed a line of its own in
    // land's output, table history and audit list (line feeds of a value were kept; escapes were shown).
    Path generated = fiftyCitizens();
    String forged = "   999 2026-12-06T03:47:00.000000Z chen-jing  authority    grant.approve          ok       "
        + "grant:forged";
    Path feed = Files.move(generated, generated.resolveSibling("x.csv\n" + forged));
    Run landed = run(land(feed, "--contract", generated + ".contract.yaml"));
    assertThat(landed.exit()).as(landed.err()).isZero();
    assertThat(landed.out()).contains("from x.csv␊   999").doesNotContain("\n" + forged);
    Run history = run("table", "history", "ods.public_security__citizens");
    assertThat(history.out()).contains("from x.csv␊   999").doesNotContain("\n" + forged);
    Run audit = runAs(TestCast.AUDITOR, "audit", "list");
    assertThat(audit.out().lines().filter(l -> l.contains("grant:forged"))).hasSize(1)
        .allSatisfy(l -> assertThat(l).contains("feed.land").contains("x.csv␊   999"));
    assertThat(runAs(TestCast.AUDITOR, "audit", "list", "--json").out()).as("--json keeps the name as it is")
        .contains("x.csv\\n   999");
  }

  @Test
  void aFeedOfWhichNoRowLandsOrAnEmptyFileExitsTwoAndLandsNothing() throws Exception {
    Path feed = dir.resolve("feeds/citizens.csv");
    Run gen = run("generate", "--dataset", "citizens", "--rows", "200", "--out", feed.toString(), "--encoding", "GBK");
    assertThat(gen.exit()).as(gen.err()).isZero();
    Path sidecar = dir.resolve("feeds/citizens.csv.contract.yaml");
    Path wrong = dir.resolve("wrong.contract.yaml");
    Files.writeString(wrong, Files.readString(sidecar).replace("encoding: GBK", "encoding: UTF-8"));

    Run bad = run(land(feed, "--contract", wrong.toString()));
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("dataops: none of the 200 rows of citizens.csv could be landed (undecodable 200)")
        .endsWith("; is the file really UTF-8? check the contract's encoding\n");
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(run("table", "history", "ods.public_security__citizens", "--json").json().get("snapshots")).isEmpty();
    assertThat(run("table", "history", "quarantine.public_security__citizens", "--json").json().get("snapshots"))
        .as("the rows are kept in quarantine").hasSize(1);

    Path empty = Files.createFile(dir.resolve("feeds/empty.csv"));
    Run none = run(land(empty, "--contract", sidecar.toString()));
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("dataops: empty.csv is empty (0 bytes): there is nothing to land\n");
    assertThat(run("table", "history", "ods.public_security__citizens", "--json").json().get("snapshots")).isEmpty();

    Run fixed = run(land(feed, "--json"));
    assertThat(fixed.exit()).as(fixed.err()).isZero();
    assertThat(fixed.json().get("rowsLanded").asLong()).isEqualTo(200);
    assertThat(fixed.json().get("duplicateOf").isNull()).as("the refused feed did not count as landed").isTrue();
  }

  @Test
  void aFileSentAgainUnderItsNameWithOtherContentLandsAndSaysTheEarlierFeedsRowsAreThereToo() throws Exception {
    // Found by a probe as a clerk would send a correction: the same file name with one row changed landed all its
    // rows again, without a word that the earlier feed's rows were still in the table.
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "50", "--defect-rate", "0", "--out",
        feed.toString()).exit()).isZero();
    JsonNode first = run(land(feed, "--json")).json();
    assertThat(first.get("sameNameAs").isNull()).isTrue();
    List<String> lines = new ArrayList<>(Files.readAllLines(feed, StandardCharsets.UTF_8));
    String row = lines.get(1);
    lines.set(1, row.contains(",M,") ? row.replace(",M,", ",F,") : row.replace(",F,", ",M,")); // the correction
    Files.write(feed, lines, StandardCharsets.UTF_8);
    Run corrected = run(land(feed));
    assertThat(corrected.exit()).as(corrected.err()).isZero();
    assertThat(corrected.out()).contains("note: citizens.csv was landed before as feed " + first.get("feedId").asText()
        + " (snapshot " + first.get("snapshotId").asLong() + ", 50 rows) with other content: both feeds' rows are in"
        + " the table now; if this file corrects that one, the rows it repeats are there twice");
    JsonNode events = runAs(TestCast.AUDITOR, "audit", "list", "--action", "feed.land", "--json").json()
        .get("events");
    assertThat(events.get(0).at("/details/sameNameAs").asText()).isEqualTo(first.get("feedId").asText());

    Path other = dir.resolve("feeds/citizens-2.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "5", "--offset", "50", "--defect-rate", "0",
        "--out", other.toString()).exit()).isZero();
    JsonNode another = run(land(other, "--json")).json();
    assertThat(another.get("sameNameAs").isNull()).as("another file name: " + another).isTrue();
  }

  /** The rows of the ods table (at {@code snapshot} when given), as {@code table show --json} gives them. */
  private List<JsonNode> citizens(Long snapshot) {
    List<String> args = new ArrayList<>(List.of("table", "show", "ods.public_security__citizens", "--limit", "10000",
        "--json"));
    if (snapshot != null) {
      args.addAll(List.of("--snapshot", snapshot.toString()));
    }
    Run shown = run(args.toArray(String[]::new));
    assertThat(shown.exit()).as(shown.err()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    shown.json().get("rows").forEach(rows::add);
    return rows;
  }

  private static java.util.Map<String, Long> byFeed(List<JsonNode> rows) {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    rows.forEach(r -> counts.merge(r.get("_feed_id").asText(), 1L, Long::sum));
    return counts;
  }

  /** A corrected copy of fiftyCitizens()' feed, with its contract beside it: feeds/citizens-fix.csv. */
  private Path correctedCopy(Path feed) throws java.io.IOException {
    Path fix = dir.resolve("feeds/citizens-fix.csv");
    Files.copy(feed, fix);
    Files.copy(dir.resolve("feeds/citizens.csv.contract.yaml"), dir.resolve("feeds/citizens-fix.csv.contract.yaml"));
    correct(fix);
    return fix;
  }

  /** The file with its first data row's gender changed and its last row left out: a department's correction. */
  private static void correct(Path feed) throws java.io.IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(feed, StandardCharsets.UTF_8));
    String row = lines.get(1);
    lines.set(1, row.contains(",M,") ? row.replace(",M,", ",F,") : row.replace(",F,", ",M,"));
    lines.remove(lines.size() - 1);
    Files.write(feed, lines, StandardCharsets.UTF_8);
  }

  private JsonNode snapshots() {
    return run("table", "history", "ods.public_security__citizens", "--json").json().get("snapshots");
  }

  @Test
  void aCorrectedFileLandedWithReplacesTakesTheEarlierFeedsPlaceInOneCommitOnce() throws Exception {
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "50", "--defect-rate", "0", "--out",
        feed.toString()).exit()).isZero();
    JsonNode first = run(land(feed, "--json")).json();
    String firstId = first.get("feedId").asText();
    Path other = dir.resolve("feeds/citizens-2.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "5", "--offset", "50", "--defect-rate", "0",
        "--out", other.toString()).exit()).isZero();
    String otherId = run(land(other, "--json")).json().get("feedId").asText();

    correct(feed);
    Run corrected = run(land(feed, "--replaces", firstId, "--json"));
    assertThat(corrected.exit()).as(corrected.err()).isZero();
    JsonNode c = corrected.json();
    assertThat(c.get("rowsLanded").asLong()).isEqualTo(49);
    assertThat(c.at("/replaced/feedId").asText()).isEqualTo(firstId);
    assertThat(c.at("/replaced/rows").asLong()).isEqualTo(50);
    assertThat(c.at("/replaced/filesRewritten").asLong()).isZero();
    assertThat(c.get("sameNameAs").isNull()).as("its rows are not beside this feed's: " + c).isTrue();
    String newId = c.get("feedId").asText();
    long replacing = c.get("snapshotId").asLong();
    assertThat(byFeed(citizens(null))).as("the earlier feed's rows went in the commit that brought the new ones")
        .isEqualTo(java.util.Map.of(otherId, 5L, newId, 49L));
    assertThat(byFeed(citizens(first.get("snapshotId").asLong()))).as("older snapshots still read the replaced rows")
        .isEqualTo(java.util.Map.of(firstId, 50L));
    JsonNode last = snapshots().get(snapshots().size() - 1);
    assertThat(last.get("snapshotId").asLong()).isEqualTo(replacing);
    assertThat(last.get("operation").asText()).isEqualTo("overwrite");
    assertThat(last.at("/summary/dataops.replaces").asText()).isEqualTo(firstId);
    assertThat(last.at("/summary/dataops.rows-replaced").asText()).isEqualTo("50");
    JsonNode event = runAs(TestCast.AUDITOR, "audit", "list", "--action", "feed.land", "--json").json()
        .get("events").get(0);
    assertThat(event.at("/details/replaces").asText()).isEqualTo(firstId);
    assertThat(event.at("/details/rowsReplaced").asLong()).isEqualTo(50);

    Run again = run(land(feed, "--replaces", firstId, "--json"));
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().get("duplicateOf").asLong()).as("the same replacement again changes nothing")
        .isEqualTo(replacing);
    assertThat(snapshots()).hasSize(3);
    assertThat(byFeed(citizens(null))).isEqualTo(java.util.Map.of(otherId, 5L, newId, 49L));
  }

  /** The quarantine table's rows as {@code table show --json} gives them: feed id to the replaced_by of its rows. */
  private java.util.Map<String, java.util.Set<String>> quarantinedByFeed() {
    Run shown = run("table", "show", "quarantine.public_security__citizens", "--limit", "10000", "--json");
    assertThat(shown.exit()).as(shown.err()).isZero();
    java.util.Map<String, java.util.Set<String>> replacedBy = new java.util.TreeMap<>();
    shown.json().get("rows").forEach(r -> replacedBy.computeIfAbsent(r.get("feed_id").asText(),
        k -> new java.util.TreeSet<>()).add(r.get("replaced_by").isNull() ? "open" : r.get("replaced_by").asText()));
    return replacedBy;
  }

  /**
   * The replaced feed's quarantined rows stayed in quarantine.* looking as open as the correction's; and its old file
   * sent again answered only "the same content as the feed of snapshot S", as if that feed were still in the table.
   */
  @Test
  void aReplacedFeedsQuarantinedRowsAreMarkedReplacedAndItsOldFileSentAgainSaysWhichFeedReplacedIt()
      throws Exception {
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "50", "--defect-rate", "0.1", "--seed", "7",
        "--out", feed.toString()).exit()).isZero();
    byte[] original = Files.readAllBytes(feed);
    JsonNode first = run(land(feed, "--json")).json();
    String firstId = first.get("feedId").asText();
    assertThat(first.get("rowsQuarantined").asLong()).as("the file has defects").isPositive();
    assertThat(quarantinedByFeed()).isEqualTo(java.util.Map.of(firstId, java.util.Set.of("open")));

    // The correction leaves out the last row (read byte for byte: the defects include undecodable bytes).
    List<String> lines = new ArrayList<>(Files.readAllLines(feed, StandardCharsets.ISO_8859_1));
    lines.remove(lines.size() - 1);
    Files.write(feed, lines, StandardCharsets.ISO_8859_1);
    JsonNode fix = run(land(feed, "--replaces", firstId, "--json")).json();
    String fixId = fix.get("feedId").asText();
    assertThat(fix.get("rowsQuarantined").asLong()).as("the correction keeps the other defects").isPositive();
    assertThat(quarantinedByFeed()).as("kept for the record, marked as no longer open").isEqualTo(java.util.Map.of(
        firstId, java.util.Set.of(fixId), fixId, java.util.Set.of("open")));

    Files.write(feed, original);
    Run old = run(land(feed));
    assertThat(old.exit()).as(old.err()).isZero();
    assertThat(old.out()).startsWith("nothing landed: citizens.csv has the same content (SHA-256 ")
        .endsWith("as feed " + firstId + " (snapshot " + first.get("snapshotId").asLong() + " of "
            + "ods.public_security__citizens), which was replaced by feed " + fixId + "; to correct the data again, "
            + "land the corrected file with --replaces " + fixId + "\n");
    JsonNode again = run(land(feed, "--json")).json();
    assertThat(again.get("duplicateOf").asLong()).isEqualTo(first.get("snapshotId").asLong());
    assertThat(again.at("/duplicateReplaced/feedId").asText()).isEqualTo(firstId);
    assertThat(again.at("/duplicateReplaced/replacedBy").asText()).isEqualTo(fixId);
    assertThat(snapshots()).as("nothing landed again").hasSize(2);
    assertThat(byFeed(citizens(null)).keySet()).containsExactly(fixId);
    JsonNode event = runAs(TestCast.AUDITOR, "audit", "list", "--action", "feed.land", "--json").json()
        .get("events").get(0);
    assertThat(event.at("/details/duplicateReplacedBy").asText()).isEqualTo(fixId);
  }

  /**
   * Two intakes of one corrected file at once (two {@code land --from-bucket} runs meeting on its object, or a clerk's
   * second try while the first still runs). The second looked for a duplicate before the first committed, then found
   * the feed replaced, by this very file: it was refused ("replaced already, by feed F2"), and from the landing zone it
   * moved the object to rejected/ although its rows had landed. It is a duplicate, as the same file sent later is.
   */
  @Test
  void aCorrectionLandedByAnotherIntakeMeanwhileIsADuplicateNotARefusal() throws Exception {
    Path feed = fiftyCitizens();
    String firstId = run(land(feed, "--json")).json().get("feedId").asText();
    Path fix = correctedCopy(feed);

    JsonNode landed;
    CliTest.Run second;
    try (PausedChild child = PausedChild.at("replacement-planning", dir, dir.resolve("home"),
        TestCast.PUBLIC_SECURITY, land(fix, "--replaces", firstId, "--json"))) {
      landed = run(land(fix, "--replaces", firstId, "--json")).json();
      second = child.resume();
    }
    assertThat(landed.at("/replaced/feedId").asText()).isEqualTo(firstId);
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.json().get("duplicateOf").asLong()).isEqualTo(landed.get("snapshotId").asLong());
    assertThat(snapshots()).as("one replacement").hasSize(2);
    assertThat(byFeed(citizens(null)).keySet()).containsExactly(landed.get("feedId").asText());
  }

  @Test
  void aReplacementOfAFeedThatIsNotThereOrOfAnotherDepartmentIsRefusedAndLandsNothing() throws Exception {
    Path feed = fiftyCitizens();
    String firstId = run(land(feed, "--json")).json().get("feedId").asText();
    Path fix = correctedCopy(feed);

    Run stranger = runAs(TestCast.MARKET_REGULATION, land(fix, "--replaces", firstId));
    assertThat(stranger.exit()).isEqualTo(2);
    assertThat(stranger.err()).isEqualTo("dataops: landing a feed of public-security is for public-security; "
        + TestCast.MARKET_REGULATION + " acts for market-regulation\n");
    Run unknown = run(land(fix, "--replaces", "20200101T000000Z-00000000"));
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("dataops: table ods.public_security__citizens has no feed "
        + "20200101T000000Z-00000000 (its feeds: dataops table history ods.public_security__citizens): nothing landed\n");
    Run hostile = run(land(fix, "--replaces", "x\u001b[2J"));
    assertThat(hostile.exit()).isEqualTo(2);
    assertThat(hostile.err()).startsWith("dataops: --replaces takes a feed id").doesNotContain("\u001b");
    assertThat(snapshots()).as("nothing landed").hasSize(1);

    String fixId = run(land(fix, "--replaces", firstId, "--json")).json().get("feedId").asText();
    Path again = dir.resolve("feeds/citizens-fix2.csv");
    Files.copy(fix, again);
    Files.copy(dir.resolve("feeds/citizens.csv.contract.yaml"), dir.resolve("feeds/citizens-fix2.csv.contract.yaml"));
    correct(again);
    Run twice = run(land(again, "--replaces", firstId));
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).startsWith("dataops: feed " + firstId + " of ods.public_security__citizens was replaced "
        + "already, by feed " + fixId + " (snapshot ").endsWith("): nothing landed; to correct it again, land the file "
        + "with --replaces " + fixId + "\n");
    assertThat(snapshots()).hasSize(2);
    assertThat(byFeed(citizens(null))).isEqualTo(java.util.Map.of(fixId, 49L));

    JsonNode events = runAs(TestCast.AUDITOR, "audit", "list", "--json").json().get("events");
    List<String> refusals = new ArrayList<>();
    events.forEach(e -> {
      if ("refused".equals(e.get("outcome").asText())) {
        refusals.add(e.get("action").asText() + " " + e.at("/details/reason").asText());
      }
    });
    assertThat(refusals).as("every refusal is in the trail").anySatisfy(r -> assertThat(r).startsWith(
        "command.refused landing a feed of public-security is for public-security"))
        .anySatisfy(r -> assertThat(r).startsWith("feed.land table ods.public_security__citizens has no feed"))
        .anySatisfy(r -> assertThat(r).startsWith("feed.land --replaces takes a feed id"))
        .anySatisfy(r -> assertThat(r).startsWith("feed.land feed " + firstId + " of ods.public_security__citizens "
            + "was replaced already"));
  }

  @Test
  void aFeedWhoseRowsCompactionMergedWithOtherFeedsIsReplacedWithoutLosingTheirs() throws Exception {
    Path feed = fiftyCitizens();
    String firstId = run(land(feed, "--json")).json().get("feedId").asText();
    Path other = dir.resolve("feeds/citizens-2.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "5", "--offset", "50", "--out",
        other.toString()).exit()).isZero();
    String otherId = run(land(other, "--json")).json().get("feedId").asText();
    Run maintained = runAs(io.dataops.platform.session.Sessions.LOCAL_ADMIN, "table", "maintain",
        "ods.public_security__citizens", "--json");
    assertThat(maintained.exit()).as(maintained.err()).isZero();
    assertThat(maintained.out()).as("both feeds in one file now").contains("\"filesRewritten\":2");
    Path suite = dir.resolve("citizens-suite.yaml");
    assertThat(registerSuite(suite, """
        name: citizens.count
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 49, max_value: 49}
        """).exit()).isZero();

    correct(feed);
    Run corrected = run(land(feed, "--replaces", firstId, "--json"));
    assertThat(corrected.exit()).as(corrected.err()).isZero();
    JsonNode c = corrected.json();
    assertThat(c.at("/replaced/rows").asLong()).isEqualTo(50);
    assertThat(c.at("/replaced/filesRewritten").asLong()).as("the compacted file, without the feed's rows")
        .isEqualTo(1);
    assertThat(c.at("/quality/success").asBoolean()).as("the feed's check reads its own 49 rows, not the other "
        + "feed's rewritten ones: " + c.get("quality")).isTrue();
    List<JsonNode> rows = citizens(null);
    assertThat(byFeed(rows)).isEqualTo(java.util.Map.of(otherId, 5L, c.get("feedId").asText(), 49L));
  }

  @Test
  void aFeedItsDepartmentsSuiteCannotCheckIsRefusedBeforeAnythingLands() throws Exception {
    // A clerk's typo in the suite (mobile for phone): before, the feed landed and then the command failed on the
    // suite, leaving the feed without its check (and, from a bucket, its object moved to the rejected ones).
    Path feed = fiftyCitizens();
    Path suite = dir.resolve("citizens-suite.yaml");
    Run registered = registerSuite(suite, """
        name: citizens.strict
        expectations:
          - type: expect_column_values_to_match_regex
            kwargs: {column: mobile, regex: "^1"}
        """);
    assertThat(registered.exit()).as(registered.err()).isZero();

    Run refused = run(land(feed));
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err().lines()).singleElement().asString()
        .startsWith("dataops: nothing was landed: the quality suite registered for public-security/citizens cannot "
            + "check this feed: ")
        .contains("column 'mobile' does not exist in ods.public_security__citizens (columns: ")
        .endsWith("(register a corrected suite with `dataops quality suite register`, then send the feed again)");
    assertThat(run("table", "history", "ods.public_security__citizens", "--json").exit()).as("no table made")
        .isNotZero();

    // With the dataset's contract registered, the same suite is refused at its registration already.
    assertThat(run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        dir.resolve("feeds/citizens.csv.contract.yaml").toString()).exit()).isZero();
    Run early = registerSuite(suite, Files.readString(suite));
    assertThat(early.exit()).isEqualTo(2);
    assertThat(early.err()).contains("column 'mobile' does not exist in ods.public_security__citizens");

    assertThat(registerSuite(suite, Files.readString(suite).replace("mobile", "phone")).exit()).isZero();
    Run landed = run(land(feed, "--json"));
    assertThat(landed.exit()).as(landed.err()).isZero();
    assertThat(landed.json().get("rowsLanded").asLong()).isEqualTo(50);
    assertThat(landed.json().at("/quality/success").asBoolean()).isTrue();
  }

  /**
   * A registered pattern that backtracks without end on the feed's addresses (java.util.regex alone would spend hours
   * on each): the feed lands, its check stops within the pattern's budget, and the message says both, and how to
   * finish; the same file sent after the mend lands nothing and runs the check it missed.
   */
  @Test
  void aRegisteredSuiteDeletedOrEditedInTheHomeStopsTheIntakeInsteadOfChangingTheCheckSilently() throws Exception {
    // Found by a probe: with the registered suite's file deleted from the home, feeds landed unchecked without a
    // word; edited there, feeds were checked by rules nobody registered (and no event said so).
    Path suite = dir.resolve("citizens-suite.yaml");
    assertThat(registerSuite(suite, """
        name: citizens.basics
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: record_id}
        """).exit()).isZero();
    Path stored = dir.resolve("home/suites/public-security/citizens.yaml");
    assertThat(stored).isRegularFile();
    for (int i = 0; i < 3; i++) {
      assertThat(run("generate", "--dataset", "citizens", "--rows", "20", "--offset", String.valueOf(i * 20), "--out",
          dir.resolve("feeds/c" + i + ".csv").toString()).exit()).isZero();
    }
    assertThat(run(land(dir.resolve("feeds/c0.csv"))).exit()).isZero();

    Files.delete(stored);
    Run missing = run(land(dir.resolve("feeds/c1.csv")));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).hasLineCount(1).startsWith("dataops: the quality suite 'citizens.basics' of "
        + "public-security/citizens registered by " + TestCast.PUBLIC_SECURITY + " at ").contains(
        "is missing from the home: its feeds would land unchecked; the department registers it again");
    Run byHand = run("quality", "run", "--table", "ods.public_security__citizens");
    assertThat(byHand.exit()).isEqualTo(2);
    assertThat(byHand.err()).contains("is missing from the home");

    assertThat(registerSuite(suite, Files.readString(suite)).exit()).isZero();
    assertThat(run(land(dir.resolve("feeds/c1.csv"))).exit()).as("nothing of it had landed").isZero();

    Files.writeString(stored, Files.readString(stored).replace("record_id", "name"));
    Run edited = run(land(dir.resolve("feeds/c2.csv")));
    assertThat(edited.exit()).isEqualTo(2);
    assertThat(edited.err()).hasLineCount(1).contains(stored + " is not the quality suite 'citizens.basics' of "
        + "public-security/citizens registered by ", "it was changed since, outside registration (SHA-256 ");
    assertThat(run("table", "history", "ods.public_security__citizens", "--json").json().get("snapshots"))
        .as("the refused feeds landed nothing").hasSize(2);
  }

  /**
   * Two expectations with one id: their failing rows, metrics and report lines were one rule's, and one raising
   * dropped the other's rows. The registration is refused (exit 2, the second's line) and nothing is stored.
   */
  @Test
  void aSuiteGivingTwoExpectationsOneIdIsRefusedAtRegistrationAndNothingIsStored() throws Exception {
    Path suite = dir.resolve("citizens-suite.yaml");
    Run refused = registerSuite(suite, """
        name: citizens.basics
        expectations:
          - type: expect_column_values_to_not_be_null
            id: present
            kwargs: {column: record_id}
          - type: expect_column_values_to_not_be_null
            id: present
            kwargs: {column: name}
        """);
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("dataops: citizens-suite.yaml:7: expectation id 'present' at line 7 is "
        + "already the id of the expectation at line 3; ids name the rule in the failing rows and the report: give "
        + "one of them another id\n");
    assertThat(dir.resolve("home/suites/public-security")).as("nothing stored").doesNotExist();
    Run landed = run(land(fiftyCitizens(), "--json"));
    assertThat(landed.exit()).as(landed.err()).isZero();
    assertThat(landed.json().has("quality")).as("no suite in force: " + landed.out()).isFalse();
  }

  /**
   * A suite registered before two expectations with one id were refused (its event records its bytes) stops the
   * intake before anything lands, naming the stored file and how the department mends it, as an edited one does.
   */
  @Test
  void aSuiteRegisteredWithTwoExpectationsOfOneIdStopsTheIntakeSayingHowToMendIt() throws Exception {
    Path suite = dir.resolve("citizens-suite.yaml");
    String text = """
        name: citizens.basics
        expectations:
          - {id: present, type: expect_column_values_to_not_be_null, kwargs: {column: record_id}}
          - {id: present, type: expect_column_values_to_not_be_null, kwargs: {column: name}}
        """;
    assertThat(registerSuite(suite, text.replace("present, type: expect_column_values_to_not_be_null, kwargs: "
        + "{column: name}", "named, type: expect_column_values_to_not_be_null, kwargs: {column: name}")).exit())
        .isZero();
    // What a registration before the check stored and recorded.
    Path stored = dir.resolve("home/suites/public-security/citizens.yaml");
    Files.writeString(stored, text);
    var config = io.dataops.platform.config.PlatformConfig.load(dir.resolve("home"), Map.of());
    io.dataops.platform.session.Sessions.system(config).record(io.dataops.core.audit.AuditEvent.ok(
        "quality.suite.register", List.of("table:ods.public_security__citizens"), Map.of("suite", "citizens.basics",
            "sha256", io.dataops.core.digest.Digests.sha256(stored), "file", "public-security/citizens.yaml")));

    Path feed = fiftyCitizens();
    Run refused = run(land(feed));
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("dataops: " + stored + ":4: expectation id 'present' at line 4 is already "
        + "the id of the expectation at line 3; ids name the rule in the failing rows and the report: give one of them"
        + " another id; the suite registered for public-security/citizens is refused until the department registers"
        + " a corrected one (dataops quality suite register --department public-security --dataset citizens --file"
        + " SUITE)\n");
    assertThat(run("table", "history", "ods.public_security__citizens", "--json").exit()).as("nothing landed")
        .isNotZero();

    assertThat(registerSuite(suite, text.replace("present, type: expect_column_values_to_not_be_null, kwargs: "
        + "{column: name}", "named, type: expect_column_values_to_not_be_null, kwargs: {column: name}")).exit())
        .isZero();
    Run landed = run(land(feed, "--json"));
    assertThat(landed.exit()).as(landed.err()).isZero();
    assertThat(landed.json().at("/quality/success").asBoolean()).as(landed.out()).isTrue();
  }

  @Test
  void aRegisteredContractDeletedOrEditedInTheHomeIsNotReplacedByTheOneBesideTheFile() throws Exception {
    // Found by reading the code beside the suites' case: with the registered contract deleted from the home, `land`
    // read the feed by whatever contract lay beside the file.
    for (int i = 0; i < 2; i++) {
      assertThat(run("generate", "--dataset", "citizens", "--rows", "20", "--offset", String.valueOf(i * 20), "--out",
          dir.resolve("feeds/c" + i + ".csv").toString()).exit()).isZero();
    }
    assertThat(run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        dir.resolve("feeds/c0.csv.contract.yaml").toString()).exit()).isZero();
    Path stored = dir.resolve("home/contracts/public-security/citizens.contract.yaml");
    assertThat(stored).isRegularFile();

    Files.delete(stored);
    Run missing = run(land(dir.resolve("feeds/c0.csv")));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).hasLineCount(1).startsWith("dataops: the contract of public-security/citizens "
        + "registered by " + TestCast.PUBLIC_SECURITY + " at ").contains("is missing from the home: the department "
        + "registers it again");
    assertThat(run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        dir.resolve("feeds/c0.csv.contract.yaml").toString()).exit()).isZero();
    Files.writeString(stored, Files.readString(stored).replace("maxLength: 32", "maxLength: 2"));
    Run edited = run(land(dir.resolve("feeds/c1.csv")));
    assertThat(edited.exit()).isEqualTo(2);
    assertThat(edited.err()).contains(stored + " is not the contract of public-security/citizens registered by ",
        "changed since, outside registration");
    assertThat(run("table", "list", "--json").out()).as("nothing landed").doesNotContain("citizens");
  }

  /**
   * A registered pattern that backtracks without end on the feed's addresses (java.util.regex alone would spend hours
   * on each) ends only its own rule, as GX's raised expectation: the feed lands and is checked by the other rules, its
   * feedback says the rule could not be checked and why (not a count of failing rows), and no failing row of that rule
   * is recorded. Before, the whole check stopped (exit 2): no rule checked, no feedback, nothing recorded.
   */
  @Test
  void aCostlyPatternEndsOnlyItsRuleAndTheFeedbackSaysItCouldNotBeChecked() throws Exception {
    Path feed = fiftyCitizens();
    Path suite = dir.resolve("citizens-suite.yaml");
    assertThat(registerSuite(suite, """
        name: citizens.addresses
        expectations:
          - type: expect_column_values_to_match_regex
            kwargs: {column: address, regex: '^(.*.){25}x$'}
          - type: expect_column_values_to_not_be_null
            kwargs: {column: record_id}
        """).exit()).isZero();

    Run landed = run(land(feed, "--json"));
    assertThat(landed.exit()).as("a failing suite is a result: " + landed.err()).isZero();
    assertThat(landed.json().get("rowsLanded").asLong()).isEqualTo(50);
    assertThat(landed.json().at("/quality/success").asBoolean()).as(landed.out()).isFalse();
    assertThat(landed.json().at("/quality/statistics/unsuccessful_expectations").asInt()).isEqualTo(1);
    assertThat(landed.json().at("/quality/failingRows").asLong()).as("no failing rows of a rule not checked").isZero();
    Path outbox = Path.of(landed.json().at("/feedback/folder").asText());
    JsonNode validation = new ObjectMapper().readTree(outbox.resolve("validation.json").toFile());
    String message = validation.at("/results/0/exception_info/exception_message").asText();
    assertThat(message).as(validation.toString()).matches("the pattern '\\^\\(\\.\\*\\.\\)\\{25\\}x\\$' of "
        + "expectation 1 \\(expect_column_values_to_match_regex\\) on row \\d+ of feed \\S+ needed more than [\\d,]+ "
        + "steps on one value of \\d+ characters: .*");
    assertThat(validation.at("/results/0/result/unexpected_count").isMissingNode()).isTrue();
    assertThat(validation.at("/results/1/success").asBoolean()).as("the other rule is checked").isTrue();
    assertThat(landed.json().at("/feedback/tickets/0/change").asText()).isEqualTo("opened");

    assertThat(Files.readString(outbox.resolve("report.en.html"))).contains("could not be checked: the pattern ");
    assertThat(Files.readString(outbox.resolve("report.zh.html"))).contains("无法检查: the pattern ");
    assertThat(Files.readAllLines(outbox.resolve("failing-rows.csv"))).as("no failing row of a rule not checked")
        .hasSize(1);
    Run ticket = run("feedback", "show", landed.json().at("/feedback/tickets/0/ticketId").asText(), "--json");
    assertThat(ticket.out()).as(ticket.out()).contains("could not be checked on feed ", "needed more than ");
  }

  /**
   * Found by a probe: an outbox folder that cannot be written (a file where the dataset's folder goes) ended a landing
   * as an internal error, though the feed had landed and the cure is the person's. It is one line of bad input saying
   * what landed, which folder and why, and that the same command again delivers the feedback: which it does, once.
   */
  @Test
  void anOutboxFolderThatCannotBeWrittenIsSaidAndTheSameCommandAgainDeliversTheFeedbackOnce() throws Exception {
    Path feed = fiftyCitizens();
    assertThat(registerSuite(dir.resolve("citizens-suite.yaml"), """
        name: citizens.ids
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: record_id}
        """).exit()).isZero();
    Path folder = dir.resolve("home/outbox/public-security/citizens");
    Files.createDirectories(folder.getParent());
    Files.writeString(folder, "not a folder");

    Run stopped = run(land(feed));
    assertThat(stopped.exit()).as(stopped.err()).isEqualTo(2);
    assertThat(stopped.err()).hasLineCount(1).startsWith("dataops: the feed landed (50 rows, snapshot ")
        .contains(" of ods.public_security__citizens) and its quality check ran, but its feedback could not be written "
            + "to the outbox folder " + folder + "/", ": not a directory. Once that folder (and each folder above it) "
            + "can be written, run the same command again: it lands nothing and delivers the feedback")
        .doesNotContain("internal error");
    String firstRow = Files.readAllLines(feed).get(1);
    for (String value : firstRow.split(",")) {
      if (value.length() > 3) {
        assertThat(stopped.err()).as("no value of the feed").doesNotContain(value);
      }
    }

    Files.delete(folder);
    Run again = run(land(feed, "--json"));
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().get("rowsLanded").asLong()).as("landed before").isZero();
    Path delivered = Path.of(again.json().at("/feedback/folder").asText());
    assertThat(delivered.getParent()).isEqualTo(folder);
    assertThat(delivered.resolve("report.en.html")).isRegularFile();
    assertThat(delivered.resolve("validation.json")).isRegularFile();
    Run once = run(land(feed, "--json"));
    assertThat(once.exit()).as(once.err()).isZero();
    assertThat(once.json().has("feedback")).as("delivered once: " + once.out()).isFalse();
  }

  @Test
  void aDiskThatFillsUpDuringALandIsOneLineOnStderrWithTheDetailsInTheLog() throws Exception {
    Path big = dir.resolve("feeds/big.csv");
    Path small = dir.resolve("feeds/small.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "150000", "--out", big.toString()).exit()).isZero();
    assertThat(run("generate", "--dataset", "citizens", "--rows", "2000", "--offset", "150000", "--out",
        small.toString()).exit()).isZero();
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 3)) {
      Map<String, String> env = Map.of("DATAOPS_WAREHOUSE", disk.dir().toUri().toString());
      Run full = child(env, land(big));
      assertThat(full.exit()).isEqualTo(1);
      Path log = dir.resolve("home/logs/dataops.log");
      assertThat(full.err()).startsWith("dataops: no space left on the device while writing "
          + "ods.public_security__citizens (" + disk.dir() + " (tmpfs), ")
          .contains(" free now; " + io.dataops.core.StorageFullException.deviceOf(dir.toString()) + ", ")
          .endsWith(" free now): nothing was landed; free some space and land the feed again (details in "
          + dir.resolve("home") + "/logs/dataops.log)\n");
      assertThat(full.err().lines()).hasSize(1);
      assertThat(Files.readString(log)).contains("storage full").contains("No space left on device")
          .contains("at io.dataops.lakehouse.landing.LandingWorker");
      try (Stream<Path> files = Files.walk(disk.dir())) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet"))).as("no partial data file is left").isEmpty();
      }

      Run next = child(env, land(small, "--json"));
      assertThat(next.exit()).as(next.err()).isZero();
      assertThat(next.json().get("rowsRead").asLong()).isEqualTo(2000);
    }
  }
}
