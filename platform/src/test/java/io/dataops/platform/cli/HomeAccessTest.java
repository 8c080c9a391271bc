package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's home as other users and its own user meet it, in child processes: made under the common umask 022, no
 * file or folder of it is readable by anyone but its owner; made read-only, the commands that only read it still work
 * and those that would change it say why they cannot. The demo's own report is checked here too, on the same run.
 */
class HomeAccessTest {
  /** No privilege to override file permissions: the process meets the home as an ordinary user does. */
  static final List<String> UNPRIVILEGED = List.of("setpriv", "--inh-caps=-dac_override,-dac_read_search",
      "--bounding-set=-dac_override,-dac_read_search");
  static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  @TempDir static Path dir;
  static Path home;
  static List<CliTest.Run> made;

  // What the child JVM runs, in this order: the demo, a suggested suite, the reads the demo test makes of the home the
  // demo left, the demo again on that home, and the product lists after it.
  static final int DEMO = 0;
  static final int SUGGEST = 1;
  static final int RUNS_AUDITED = 2;
  static final int COMPARES_AUDITED = 3;
  static final int TICKETS = 4;
  static final int SCORECARD = 5;
  static final int OTHERS_TICKETS = 6;
  static final int NO_SUCH_TICKET = 7;
  static final int DEMO_AGAIN = 8;
  static final int ADMIN_PRODUCTS = 9;
  static final int AUTHORITY_PRODUCTS = 10;

  /**
   * The demo and a suggested suite, made by a process whose umask lets files be world-readable by default; then, in
   * the same process, the reads and the second demo the demo test checks (one demo for both: it is the longest
   * command of the platform's tests).
   */
  @BeforeAll
  static void makeAHomeUnderUmask022() throws Exception {
    home = dir.resolve("home");
    String h = home.toString();
    made = ChildCli.run(List.of("bash", "-c", "umask 022 && exec \"$0\" \"$@\""), dir.resolve("make.log"), List.of(
        List.of("demo", "--home", h, "--json"),
        List.of("quality", "suggest", "--table", "ods.public_security__citizens", "--home", h, "--as", "wang-fang"),
        List.of("audit", "list", "--action", "pipeline.run", "--json", "--home", h, "--as", "chen-jing"),
        List.of("audit", "list", "--action", "pipeline.compare", "--json", "--home", h, "--as", "chen-jing"),
        List.of("feedback", "list", "--json", "--home", h, "--as", "wang-fang"),
        List.of("feedback", "scorecard", "--department", "public-security", "--json", "--home", h, "--as", "wang-fang"),
        List.of("feedback", "list", "--department", "human-resources", "--json", "--home", h, "--as", "wang-fang"),
        List.of("feedback", "show", "999", "--home", h, "--as", "wang-fang"),
        List.of("demo", "--home", h),
        List.of("product", "list", "--json", "--home", h),
        List.of("product", "list", "--json", "--home", h, "--as", "zhang-wei")));
    ok(DEMO);
    ok(SUGGEST);
  }

  /** The child's run {@code i}, which must have succeeded. */
  static CliTest.Run ok(int i) {
    CliTest.Run r = made.get(i);
    assertThat(r.exit()).as(i + ": " + r.err()).isZero();
    return r;
  }

  @Test
  void everyFileAndFolderOfTheHomeIsOwnerOnly() throws Exception {
    List<String> exposed = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        if (perms.stream().anyMatch(OTHERS::contains)) {
          exposed.add(PosixFilePermissions.toString(perms) + " " + home.relativize(p));
        }
        if (Files.isRegularFile(p)) {
          files.add(home.relativize(p));
        }
      }
    }
    assertThat(exposed).as("group- or other-accessible under the home").isEmpty();
    assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    // What the walk covered: every kind of file the platform writes.
    assertThat(files).contains(Path.of("catalog.db"), Path.of("logs/dataops.log"), Path.of("secrets/keys.properties"),
        Path.of("contracts/public-security/citizens.contract.yaml"), Path.of("suites/public-security/citizens.yaml"),
        Path.of("suites/suggested/ods.public_security__citizens.json"),
        Path.of("pipelines/enterprise-employment.yaml"), Path.of("landing/public-security/citizens-2026-10.csv"),
        Path.of("secrets/credentials.properties"), Path.of("certificates/population-by-street-v1-destruction.json"),
        Path.of("certificates/population-by-street-v1-destruction.html"));
    assertThat(files).anyMatch(f -> f.startsWith("outbox/public-security/citizens") && f.endsWith("failing-rows.csv"));
    assertThat(files).anyMatch(f -> f.startsWith("warehouse/ods/public_security__citizens/data")
        && f.toString().endsWith(".parquet"));
    assertThat(files).anyMatch(f -> f.startsWith("warehouse/product/enterprise_employment/metadata")
        && f.toString().endsWith(".metadata.json"));
  }

  @Test
  void onAReadOnlyHomeCommandsThatReadWorkAndThoseThatWriteSayWhyNot() throws Exception {
    // The home itself made read-only (its permissions given back after), not a copy of it: a copy is refused, its
    // catalog naming the original's files (see HomeOriginCliTest).
    Path readOnly = home;
    exec("chmod", "-R", "a-w", readOnly.toString());
    String h = readOnly.toString();
    Path feed = Path.of(made.get(0).json().at("/steps/0/file").asText());
    Path suggested = dir.resolve("suggested.json");
    try {
      List<CliTest.Run> runs = ChildCli.run(UNPRIVILEGED, dir.resolve("read-only.log"), List.of(
          List.of("table", "list", "--json", "--home", h),
          List.of("table", "show", "ods.public_security__citizens", "--limit", "2", "--json", "--home", h, "--as",
              "wang-fang"),
          List.of("table", "history", "ods.public_security__citizens", "--json", "--home", h, "--as", "zhang-wei"),
          List.of("product", "list", "--json", "--home", h),
          List.of("product", "show", "enterprise-employment", "1", "--json", "--home", h),
          List.of("contract", "list", "--json", "--home", h),
          List.of("contract", "show", "--department", "public-security", "--dataset", "citizens", "--home", h),
          List.of("feedback", "list", "--json", "--home", h, "--as", "wang-fang"),
          List.of("feedback", "show", "1", "--home", h, "--as", "zhang-wei"),
          List.of("feedback", "scorecard", "--json", "--home", h, "--as", "chen-jing"),
          List.of("quality", "suggest", "--table", "ods.public_security__citizens", "--out", suggested.toString(),
              "--home", h, "--as", "wang-fang"),
          List.of("pipeline", "validate", readOnly.resolve("pipelines/enterprise-employment.yaml").toString(),
              "--home", h, "--as", "sun-hao"),
          List.of("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
              "--home", h, "--as", "wang-fang"),
          List.of("quality", "suggest", "--table", "ods.public_security__citizens", "--home", h, "--as", "wang-fang"),
          List.of("table", "list", "--home", readOnly.resolve("nothing-here").toString())));
      for (int i = 0; i < 12; i++) {
        assertThat(runs.get(i).exit()).as(i + ": " + runs.get(i).err()).isZero();
        // A read of data is an access the trail should record; a read-only home cannot take it, and says so.
        assertThat(runs.get(i).err()).as(i + "").isIn("", "dataops: note: the home is read-only, so this access is "
            + "not recorded in its audit trail\n");
      }
      assertThat(runs.get(1).err()).contains("not recorded");
      assertThat(runs.get(0).json().get("tables")).hasSize(12);
      assertThat(runs.get(1).json().get("rows")).hasSize(2);
      assertThat(runs.get(2).json().get("snapshots").size()).isEqualTo(5);
      assertThat(runs.get(3).json()).hasSize(2);
      assertThat(runs.get(4).json().at("/lineage/inputs").size()).isEqualTo(2);
      assertThat(runs.get(5).json().get("contracts")).hasSize(3);
      assertThat(runs.get(6).out()).contains("id_card");
      assertThat(runs.get(7).json().get("tickets").size()).isPositive();
      assertThat(runs.get(8).out()).contains("#1");
      assertThat(runs.get(9).json().get("scorecards")).hasSize(2);
      assertThat(suggested).isRegularFile();
      assertThat(runs.get(11).out()).contains("valid");

      for (CliTest.Run refused : runs.subList(12, 14)) {
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("dataops: the home " + h + " is read-only for this user, and this "
            + "command changes it (commands that only read it work)\n");
      }
      CliTest.Run below = runs.get(14);
      assertThat(below.exit()).isEqualTo(2);
      assertThat(below.err()).isEqualTo("dataops: cannot create the home " + readOnly.resolve("nothing-here")
          + ": permission denied\n");
      assertThat(runs.get(12).out()).isEmpty();
      try (Stream<Path> all = Files.walk(readOnly)) {
        assertThat(all.filter(p -> p.getFileName().toString().endsWith("-wal"))).as("nothing was written").isEmpty();
      }
    } finally {
      exec("chmod", "-R", "u+w", readOnly.toString());
    }
  }

  @Test
  void theDemoRunsTheLifecycleAndReportsWhatItProduced() throws Exception {
    JsonNode report = made.get(DEMO).json();
    assertThat(report.get("home").asText()).isEqualTo(home.toString());
    assertThat(report.get("contracts")).hasSize(3);
    assertThat(report.get("suites")).hasSize(2);
    JsonNode steps = report.get("steps");
    assertThat(steps).hasSize(8);
    for (int i = 0; i < 3; i++) {
      assertThat(steps.get(i).get("landing").get("rowsQuarantined").asLong()).isZero();
    }
    assertThat(steps.get(3).get("landing").get("duplicateOf").asLong())
        .isEqualTo(steps.get(0).get("landing").get("snapshotId").asLong());
    JsonNode defective = steps.get(4);
    assertThat(defective.get("landing").get("rowsQuarantined").asLong())
        .isPositive().isEqualTo(defective.get("generated").get("expectedQuarantined").asLong());
    assertThat(steps.get(0).at("/quality/validation/success").asBoolean()).as("the clean feed passes").isTrue();
    assertThat(steps.get(2).at("/quality/validation/success").asBoolean())
        .as("contributions name well-formed people and employers").isTrue();
    assertThat(steps.get(2).at("/quality/validation/results/0/expectation_config/type").asText())
        .as("a department's suite reads no other department's register")
        .isEqualTo("expect_column_values_to_be_valid_prc_id_card");
    assertThat(defective.at("/quality/validation/success").asBoolean()).as("the defective feed fails").isFalse();
    assertThat(report.get("tables").findValuesAsText("name")).hasSize(12)
        .contains("quality.row_failures", "quality.metrics", "quality.analyzer_states",
            "product.population_by_street", "product.enterprise_employment");
    JsonNode products = report.get("products");
    assertThat(products.findValuesAsText("product")).containsExactly("population-by-street", "enterprise-employment",
        "population-by-street");
    JsonNode employment = products.get(1).get("run");
    assertThat(employment.get("inputs").size()).as("two departments' tables").isEqualTo(2);
    assertThat(employment.get("leakCheck").asText()).isEqualTo("passed");
    assertThat(employment.at("/quality/passed").asBoolean()).isTrue();
    assertThat(employment.get("rowsOut").asLong()).isPositive();
    assertThat(employment.at("/privacy/maxRisk").asDouble()).isLessThanOrEqualTo(0.2);
    // On the demo's data every product reaches k >= 5 with under 5% of its people (or records) suppressed, and no
    // quasi-identifier is exempted.
    for (JsonNode product : products) {
      JsonNode pv = product.at("/run/privacy");
      String name = product.at("/run/product").asText();
      assertThat(pv.get("smallestClass").asLong()).as(name).isGreaterThanOrEqualTo(5);
      assertThat(pv.path("exempted")).as(name).isEmpty();
      JsonNode g = pv.path("generalization");
      if (g.path("people").asLong() > 0) { // the search over people: under 5% of them suppressed
        assertThat((double) g.get("peopleSuppressed").asLong() / g.get("people").asLong()).as(name).isLessThan(0.05);
      } else { // the street cells: none below k
        assertThat(pv.get("recordsSuppressed").asLong()).as(name).isZero();
      }
    }
    assertThat(employment.at("/privacy/generalization/people").asLong()).as("k counts people").isPositive();
    assertThat(home.resolve("pipelines/enterprise-employment.yaml")).isRegularFile();
    assertThat(defective.at("/feedback/tickets").findValuesAsText("change")).containsOnly("opened").hasSize(4);
    assertThat(steps.get(5).at("/feedback/tickets").findValuesAsText("change")).containsOnly("verified").hasSize(4);
    JsonNode shrunk = steps.get(6);
    assertThat(shrunk.at("/quality/validation/success").asBoolean()).as("only a warning fails").isTrue();
    assertThat(shrunk.at("/feedback/tickets").findValuesAsText("change")).containsExactly("reopened");
    assertThat(shrunk.at("/quality/validation/results/8/result/details/anomaly").asBoolean()).isTrue();
    assertThat(report.get("scorecards").findValuesAsText("department"))
        .containsExactly("human-resources", "public-security");
    // The governed half: each move by its role, a refusal, a seal, a destruction with its certificate, a clean trail.
    assertThat(report.get("cast")).hasSize(8);
    List<String> lives = new ArrayList<>();
    report.get("lifecycle").forEach(l -> lives.add(l.asText()));
    assertThat(lives).anyMatch(l -> l.startsWith("sun-hao (operator of futian-data-operator) submitted"))
        .anyMatch(l -> l.startsWith("zhang-wei (authority of futian-data-bureau) approved"))
        .anyMatch(l -> l.startsWith("zhou-lei") && l.contains("refused"))
        .anyMatch(l -> l.contains("sealed population-by-street v1"))
        .anyMatch(l -> l.contains("destroyed population-by-street v1") && l.contains("post-check passed"));
    assertThat(report.get("versions").findValuesAsText("state")).containsExactly("published", "destroyed",
        "published");
    // Grants per scenario: the operator applies, the authority and every owning department approve; the runs read
    // under them; the partner receives the market product; the month's statement, supervision and evaluation.
    List<String> governance = new ArrayList<>();
    report.get("governance").forEach(l -> governance.add(l.asText()));
    assertThat(governance).anyMatch(l -> l.startsWith("sun-hao (operator of futian-data-operator) applied for grant 1"))
        .anyMatch(l -> l.startsWith("zhang-wei (authority of futian-data-bureau) approved grant 2"))
        .anyMatch(l -> l.startsWith("wang-fang (department of public-security) approved grant 1"))
        .anyMatch(l -> l.startsWith("zhao-min (department of human-resources) approved grant 2"))
        .anyMatch(l -> l.startsWith("liu-yang (department of market-regulation) approved grant 2")
            && l.contains("granted until"))
        .anyMatch(l -> l.startsWith("wu-xia (partner of qianhai-credit) received enterprise-employment v1"))
        .anyMatch(l -> l.contains("took the statement of") && l.contains("total 2000.00 yuan"))
        .anyMatch(l -> l.contains("ran supervision (安全监管): no alerts"));
    // The partner's copy is on its side, beside the home, not in it (found by a probe: a copy in the home's outbox
    // outlived the version's destruction while the certificate called it outside the platform).
    String received = governance.stream().filter(l -> l.startsWith("wu-xia (partner of qianhai-credit) received"))
        .findFirst().orElseThrow();
    Path copy = Path.of(received.substring(received.lastIndexOf(" in ") + 4));
    assertThat(copy).isRegularFile().hasParent(dir.resolve("home-partners/qianhai-credit/received"));
    assertThat(copy.toAbsolutePath().normalize().startsWith(home.toAbsolutePath().normalize())).isFalse();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
    assertThat(Path.of(report.get("statement").asText())).isRegularFile();
    assertThat(Path.of(report.get("evaluation").asText())).isRegularFile();
    JsonNode runs = ok(RUNS_AUDITED).json();
    assertThat(runs.findValues("details")).hasSize(3).allSatisfy(d -> assertThat(d.get("grant").asLong())
        .as("each run read under its scenario's grant").isPositive());
    // The first pipeline again on Flink from the same snapshots, nothing published: the same product.
    JsonNode check = report.get("engineCheck");
    assertThat(check.get("engine").asText()).isEqualTo("flink");
    assertThat(check.get("reference").asText()).isEqualTo("spring-batch");
    assertThat(check.get("parallelism").asInt()).isEqualTo(2);
    assertThat(check.get("matched").asBoolean()).as(check.toString()).isTrue();
    assertThat(check.get("differences")).isEmpty();
    assertThat(check.get("rows").asLong()).isEqualTo(products.get(0).at("/run/rowsOut").asLong());
    assertThat(check.get("k").asInt()).isEqualTo(5);
    JsonNode compared = ok(COMPARES_AUDITED).json();
    assertThat(compared.findValues("details")).hasSize(1).allSatisfy(d -> {
      assertThat(d.get("matched").asBoolean()).isTrue();
      assertThat(d.get("reference").asText()).isEqualTo("population-by-street v1");
      assertThat(d.get("grant").asLong()).as("the trial read under the scenario's grant").isPositive();
    });
    assertThat(home.resolve("warehouse/.dataops-runs")).as("the trial's files are removed")
        .satisfiesAnyOf(d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());
    assertThat(Path.of(report.get("certificate").asText())).isRegularFile();
    assertThat(Path.of(report.get("certificateHtml").asText())).isRegularFile();
    assertThat(report.at("/audit/ok").asBoolean()).isTrue();
    assertThat(report.at("/audit/checkpoints").asInt()).isPositive();
    Path outbox = Path.of(defective.at("/feedback/folder").asText());
    assertThat(outbox.resolve("report.zh.html")).isRegularFile();
    assertThat(outbox.resolve("failing-rows.csv")).isRegularFile();

    // As wang-fang, the demo's public-security clerk:
    // The shrunken feed reopened a ticket; the later feed (made for version 2) verified it again.
    CliTest.Run tickets = ok(TICKETS);
    assertThat(tickets.json().get("tickets").findValuesAsText("state")).containsOnly("VERIFIED").hasSize(4);
    CliTest.Run score = ok(SCORECARD);
    assertThat(score.json().at("/scorecards/0/feeds").asInt()).isEqualTo(5);
    // A department sees only its own tickets.
    CliTest.Run others = made.get(OTHERS_TICKETS);
    assertThat(others.exit()).isEqualTo(2);
    assertThat(others.err()).contains("the tickets of human-resources may be seen only by human-resources, the "
        + "authority and auditors; wang-fang acts for public-security");
    assertThat(made.get(NO_SUCH_TICKET).exit()).isEqualTo(2);
    assertThat(Files.isDirectory(home.resolve("landing/public-security"))).isTrue();
    assertThat(Files.isRegularFile(home.resolve("contracts/human-resources/social-insurance.contract.yaml"))).isTrue();
    assertThat(Files.isRegularFile(home.resolve("catalog.db"))).isTrue();
    assertThat(Files.isDirectory(home.resolve("warehouse/ods"))).isTrue();

    // The demo again on its own home, as the admin: it lands and runs nothing new and says so.
    CliTest.Run text = ok(DEMO_AGAIN);
    assertThat(text.out()).contains("nothing landed").contains("quarantine.public_security__citizens")
        .contains("product enterprise-employment version 1 (published)").contains("nothing ran")
        .contains("leak check: passed").contains("audit trail: verified ok")
        .containsPattern("flink \\(parallelism 2\\): \\d+ rows, k=5, same product as spring-batch's "
            + "population-by-street v\\d");
    // The admin sees the published versions; the authority sees every one.
    assertThat(ok(ADMIN_PRODUCTS).json().findValuesAsText("version")).containsExactly("1", "2");
    assertThat(ok(AUTHORITY_PRODUCTS).json().findValuesAsText("state"))
        .containsExactly("published", "destroyed", "published");
  }

  static JsonNode json(CliTest.Run r) {
    return r.json();
  }

  private static void exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
  }
}
