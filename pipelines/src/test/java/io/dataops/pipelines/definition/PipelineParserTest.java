package io.dataops.pipelines.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PipelineParserTest {
  static final String GOOD = """
      name: citizens-profile
      scenario: 社区服务人口结构分析
      owner: futian-operator
      description: desensitized profile of residents
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, gender, birth_date]
          filter: "gender IS NOT NULL"
          snapshot: latest
      transform: |
        SELECT id_card, gender, birth_date
        FROM citizens
      policy:
        id_card: {pseudonymize: hmac-sha256, key: default, length: 20}
        birth_date: {generalize: age_band, width: 10}
        gender: keep
      privacy: {quasiIdentifiers: [birth_date, gender], k: 5}
      product: citizens-profile
      quality: {suite: profile.json}
      asOf: 2026-11-01
      """;

  private static PipelineDefinition parse(String yaml) {
    return PipelineParser.parse(yaml, "p.yaml");
  }

  @Test
  void readsEveryPartWithItsLine() {
    PipelineDefinition d = parse(GOOD);
    assertThat(d.name()).isEqualTo("citizens-profile");
    assertThat(d.inputs()).singleElement().satisfies(in -> {
      assertThat(in.alias()).isEqualTo("citizens");
      assertThat(in.columns()).containsExactly("id_card", "gender", "birth_date");
      assertThat(in.latest()).isTrue();
      assertThat(in.filterLine()).isEqualTo(9);
    });
    assertThat(d.transformLine()).as("the block starts under its key").isEqualTo(12);
    assertThat(d.policies()).containsOnlyKeys("id_card", "birth_date", "gender");
    assertThat(d.policies().get("birth_date").variant()).isEqualTo("age_band");
    assertThat(d.policies().get("birth_date").args()).containsEntry("width", "10");
    assertThat(d.policies().get("birth_date").line()).isEqualTo(16);
    assertThat(d.privacy().k()).isEqualTo(5);
    assertThat(d.quality().suite()).isEqualTo("profile.json");
    assertThat(d.asOf()).isEqualTo(LocalDate.of(2026, 11, 1));
    assertThat(d.sha256()).hasSize(64);
    assertThat(parse(GOOD + "\n").sha256()).as("the hash is of the file's text").isNotEqualTo(d.sha256());
  }

  @Test
  void problemsAreReportedWithTheirLine() {
    assertThatThrownBy(() -> parse(GOOD.replace("owner: futian-operator\n", "")))
        .hasMessage("p.yaml:1: missing 'owner'");
    assertThatThrownBy(() -> parse(GOOD.replace("    as: citizens", "    alias: citizens")))
        .hasMessage("p.yaml:7: unknown input key 'alias' (known: as, columns, filter, snapshot, table)");
    assertThatThrownBy(() -> parse(GOOD.replace("snapshot: latest", "snapshot: yesterday")))
        .hasMessageStartingWith("p.yaml:10: snapshot must be 'latest' or a snapshot id");
    assertThatThrownBy(() -> parse(GOOD.replace("key: default, length: 20", "key: default, salt: x")))
        .hasMessage("p.yaml:15: column 'id_card': pseudonymize has no option 'salt' (known: context, key, length)");
    assertThatThrownBy(() -> parse(GOOD.replace("gender: keep", "gender: hide")))
        .hasMessageStartingWith("p.yaml:17: column 'gender': unknown policy 'hide'");
    assertThatThrownBy(() -> parse(GOOD.replace("gender: keep", "gender: mask")))
        .hasMessage("p.yaml:17: column 'gender': mask needs its kind, e.g. {mask: id_card}");
    assertThatThrownBy(() -> parse(GOOD.replace("k: 5", "k: 1")))
        .hasMessage("p.yaml:18: k must be at least 2 (k = 1 protects no one)");
    assertThatThrownBy(() -> parse(GOOD.replace("k: 5}", "k: 5, l: 2}")))
        .hasMessage("p.yaml:18: l-diversity needs the sensitive column ('sensitive')");
    assertThatThrownBy(() -> parse(GOOD.replace("table: ods.public_security__citizens", "table: citizens")))
        .hasMessageStartingWith("p.yaml:6: table 'citizens' must be NAMESPACE.NAME");
    assertThatThrownBy(() -> parse(GOOD.replace("transform: |\n  SELECT id_card, gender, birth_date\n  FROM citizens\n",
        "").replace("inputs:\n", "inputs:\n  - {table: ods.a, columns: [x]}\n")))
        .hasMessageStartingWith("p.yaml:6: with several inputs, a 'transform' (SQL SELECT) must say how they combine");
    assertThatThrownBy(() -> parse(GOOD.replace("asOf: 2026-11-01", "asOf: next week")))
        .hasMessage("p.yaml:21: asOf must be a date like 2026-11-01");
    assertThatThrownBy(() -> parse("name: [unclosed")).hasMessageStartingWith("p.yaml:1: not valid YAML");
    assertThatThrownBy(() -> parse(GOOD.replace("name: citizens-profile", "name: Citizens Profile")))
        .hasMessageStartingWith("p.yaml:1: name 'Citizens Profile' must be lower-case");
    // YAML's null and binary are no text: a pipeline named "null" was accepted (found by a probe of applications).
    assertThatThrownBy(() -> parse(GOOD.replace("name: citizens-profile", "name: null")))
        .hasMessage("p.yaml:1: name is null in YAML, not text: quote it if 'null' is what you mean");
    assertThatThrownBy(() -> parse(GOOD.replace("owner: futian-operator", "owner: ~")))
        .hasMessageStartingWith("p.yaml:3: owner is null in YAML");
    assertThatThrownBy(() -> parse(GOOD.replace("gender: keep", "gender: !!binary a2VlcA==")))
        .hasMessageStartingWith("p.yaml:17: ").hasMessageContaining("is binary in YAML, not text: quote it if "
            + "'a2VlcA==' is what you mean");
    assertThat(parse(GOOD.replace("name: citizens-profile", "name: \"null\"")).name()).as("quoted, it is text")
        .isEqualTo("null");
  }

  @Test
  void policyArgumentsAreCheckedWhenBuilt() {
    PipelineDefinition d = parse(GOOD.replace("{generalize: age_band, width: 10}", "{generalize: age_band, level: 3}"));
    assertThatThrownBy(() -> PolicyFactory.build("p.yaml", d.policies().get("birth_date"), id -> new byte[32], null, "p"))
        .hasMessage("p.yaml:16: column 'birth_date': generalize age_band has no option 'level' (known: width)");
    PipelineDefinition e = parse(GOOD.replace("{generalize: age_band, width: 10}", "{mask: name, keepFirst: 2}"));
    assertThatThrownBy(() -> PolicyFactory.build("p.yaml", e.policies().get("birth_date"), id -> new byte[32], null, "p"))
        .hasMessageContaining("a name mask keeps what the convention keeps");
    PipelineDefinition f = parse(GOOD.replace("{generalize: age_band, width: 10}", "{generalize: age_band}"));
    assertThatThrownBy(() -> PolicyFactory.build("p.yaml", f.policies().get("birth_date"), id -> new byte[32], null, "p"))
        .hasMessage("p.yaml:16: column 'birth_date': an age band needs the date ages are counted at (asOf)");
  }

  @Test
  void aNameOfTheRightCharactersButTooLongIsRefusedForItsLength() {
    String longName = "population-by-street-" + "x".repeat(50);
    assertThatThrownBy(() -> parse(GOOD.replace("name: citizens-profile", "name: " + longName)))
        .isInstanceOf(PipelineException.class).hasMessageEndingWith("has 71 characters, at most 63 are allowed");
    assertThat(PipelineParser.nameProblem("product", longName)).isEqualTo("product 'population-by-street…' has 71 "
        + "characters, at most 63 are allowed");
    assertThat(PipelineParser.nameProblem("name", "Bad Name")).isEqualTo("name 'Bad Name' must be lower-case "
        + "letters, digits and '-', starting with a letter");
  }

  static final String OPTIMIZED = GOOD.replace("privacy: {quasiIdentifiers: [birth_date, gender], k: 5}\n", """
      privacy:
        quasiIdentifiers: [birth_date, gender]
        k: 5
        optimize: true
        suppressionLimit: 2%
        personKey: id_card
        hierarchies:
          birth_date: {bands: [20, 40]}
          gender: top
      """);

  @Test
  void readsTheGeneralizationSearch() {
    PipelineDefinition d = parse(OPTIMIZED);
    assertThat(d.privacy().optimize()).isTrue();
    assertThat(d.privacy().suppressionLimit()).isEqualTo(0.02);
    assertThat(d.privacy().personKey()).isEqualTo("id_card");
    assertThat(d.privacy().hierarchies().get("birth_date").kind()).isEqualTo("bands");
    assertThat(d.privacy().hierarchies().get("birth_date").arg()).isEqualTo(java.util.List.of("20", "40"));
    assertThat(d.privacy().hierarchies().get("birth_date").line()).isEqualTo(25);
    assertThat(d.privacy().hierarchies().get("gender").kind()).isEqualTo("top");
    assertThat(parse(GOOD).privacy().optimize()).isFalse();
    assertThat(parse(OPTIMIZED.replace("  suppressionLimit: 2%\n", "")).privacy().suppressionLimit())
        .isEqualTo(0.05);
  }

  @Test
  void malformedHierarchiesAreRefusedWithTheirLine() {
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("bands: [20, 40]", "bands: [20, 30]")))
        .hasMessage("p.yaml:25: hierarchy of 'birth_date': each band width must be a larger multiple of the one "
            + "before, so that bands nest (30 after 20)");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("bands: [20, 40]", "bands: [20, x]")))
        .hasMessage("p.yaml:25: hierarchy of 'birth_date': 'x' is not a number");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("gender: top", "gender: everything")))
        .hasMessageStartingWith("p.yaml:26: hierarchy of 'gender': unknown 'everything'");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("{bands: [20, 40]}", "{levels: [20, 40]}")))
        .hasMessageStartingWith("p.yaml:25: hierarchy of 'birth_date': unknown 'levels'");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("{bands: [20, 40]}", "{prefix: [1, 3]}")))
        .hasMessage("p.yaml:25: hierarchy of 'birth_date': prefix lengths must shrink from level to level (3 after 1)");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("{bands: [20, 40]}", "{tree: {A: [a1], B: {B1: [b1]}}}")))
        .hasMessageStartingWith("p.yaml:25: hierarchy of 'birth_date': ").hasMessageContaining("equally deep");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("suppressionLimit: 2%", "suppressionLimit: 120%")))
        .hasMessageStartingWith("p.yaml:22: suppressionLimit is a share");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("optimize: true", "optimize: false")))
        .hasMessageStartingWith("p.yaml:22: suppressionLimit applies to the generalization search");
    assertThatThrownBy(() -> parse(OPTIMIZED.replace("optimize: true", "optimize: yes please")))
        .hasMessageStartingWith("p.yaml:21: optimize is true");
  }

  @Test
  void readsTheScheduleAndRefusesABadOneAtItsLine() {
    assertThat(parse(GOOD).schedule()).as("no schedule: none").isNull();
    PipelineDefinition d = parse(GOOD + "schedule: {cron: '0 0 2 * * *', onFeed: true, engine: flink, maxAttempts: 5}\n");
    assertThat(d.schedule()).satisfies(s -> {
      assertThat(s.cron()).isEqualTo("0 0 2 * * *");
      assertThat(s.onFeed()).isTrue();
      assertThat(s.engine()).isEqualTo("flink");
      assertThat(s.maxAttempts()).isEqualTo(5);
      assertThat(s.cronLine()).isEqualTo(22);
      assertThat(s.timeout()).as("unsaid").isNull();
    });
    assertThat(parse(GOOD + "schedule:\n  onFeed: true\n").schedule().cron()).isNull();
    // The age's syntax and bounds are the platform's (as the CLI's --timeout), checked there at this line.
    assertThat(parse(GOOD + "schedule:\n  onFeed: true\n  timeout: 90m\n").schedule()).satisfies(s -> {
      assertThat(s.timeout()).isEqualTo("90m");
      assertThat(s.timeoutLine()).isEqualTo(24);
    });
    assertThatThrownBy(() -> parse(GOOD + "schedule:\n  onFeed: true\n  timeout: ''\n"))
        .hasMessageStartingWith("p.yaml:24: schedule.timeout is empty");
    assertThatThrownBy(() -> parse(GOOD + "schedule: {engine: flink}\n"))
        .hasMessage("p.yaml:22: a schedule says when the pipeline runs: cron, onFeed: true, or both");
    assertThatThrownBy(() -> parse(GOOD + "schedule: {cron: '0 0 2 * * *', every: day}\n"))
        .hasMessageStartingWith("p.yaml:22: unknown schedule key 'every' (known: cron, engine, maxAttempts, onFeed, timeout)");
    assertThatThrownBy(() -> parse(GOOD + "schedule:\n  onFeed: sometimes\n"))
        .hasMessageStartingWith("p.yaml:23: schedule.onFeed is true");
    assertThatThrownBy(() -> parse(GOOD + "schedule:\n  onFeed: true\n  maxAttempts: 0\n"))
        .hasMessage("p.yaml:24: schedule.maxAttempts is a whole number from 1 to 999, not '0'");
    assertThatThrownBy(() -> parse(GOOD + "schedule: nightly\n"))
        .hasMessageStartingWith("p.yaml:22: 'schedule' is a mapping");
  }

  @Test
  void readsTClosenessAndRefusesItsMistakesWithTheirLine() {
    String t = OPTIMIZED.replace("  gender: top\n", "  gender: top\n"
        + "  tCloseness: {column: income, t: 0.2, distance: ordered}\n");
    PipelineDefinition d = parse(t);
    assertThat(d.privacy().tCloseness()).isEqualTo(new io.dataops.pipelines.privacy.Closeness("income", 0.2,
        io.dataops.pipelines.privacy.Closeness.Distance.ORDERED));
    assertThat(d.privacy().sensitive()).as("t-closeness's column is the sensitive column").isEqualTo("income");
    assertThat(parse(t.replace(", distance: ordered", "")).privacy().tCloseness().distance())
        .isEqualTo(io.dataops.pipelines.privacy.Closeness.Distance.EQUAL);
    assertThat(parse(t.replace("  k: 5\n", "  k: 5\n  l: 2\n")).privacy().l()).as("l of the same column").isEqualTo(2);
    assertThatThrownBy(() -> parse(t.replace("t: 0.2", "t: 1.5")))
        .hasMessage("p.yaml:27: t is an earth mover's distance above 0 and at most 1 (e.g. 0.2)");
    assertThatThrownBy(() -> parse(t.replace("distance: ordered", "distance: hierarchical")))
        .hasMessage("p.yaml:27: distance is equal (categories) or ordered (numbers, dates), not 'hierarchical'");
    assertThatThrownBy(() -> parse(t.replace("column: income, ", "")))
        .hasMessage("p.yaml:27: tCloseness needs the sensitive column and t: {column: diagnosis, t: 0.2}");
    assertThatThrownBy(() -> parse(t.replace("  k: 5\n", "  k: 5\n  l: 2\n  sensitive: diagnosis\n")))
        .hasMessageStartingWith("p.yaml:22: l-diversity and t-closeness are about one sensitive column");
  }

  /** Found by a probe: a sensitive column listed among the quasi-identifiers leaves one value in each class. */
  @Test
  void refusesASensitiveColumnThatIsAlsoAQuasiIdentifier() {
    assertThatThrownBy(() -> parse(GOOD.replace("privacy: {quasiIdentifiers: [birth_date, gender], k: 5}",
        "privacy:\n  quasiIdentifiers: [birth_date, gender]\n  k: 5\n  l: 2\n  sensitive: gender")))
        .hasMessageStartingWith("p.yaml:22: sensitive column 'gender' is also a quasi-identifier");
    assertThatThrownBy(() -> parse(GOOD.replace("privacy: {quasiIdentifiers: [birth_date, gender], k: 5}",
        "privacy:\n  quasiIdentifiers: [birth_date, gender]\n  k: 5\n  tCloseness: {column: birth_date, t: 0.2}")))
        .hasMessageStartingWith("p.yaml:21: sensitive column 'birth_date' is also a quasi-identifier");
    assertThat(parse(GOOD.replace("privacy: {quasiIdentifiers: [birth_date, gender], k: 5}",
        "privacy:\n  quasiIdentifiers: [birth_date]\n  k: 5\n  l: 2\n  sensitive: gender")).privacy().sensitive())
        .isEqualTo("gender");
  }
}
