package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteException;
import io.dataops.quality.suite.SuiteParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Contributions must name people of the citizen registry: an exact merge-join in bounded memory. */
class ReferentialIntegrityTest extends QualityFixture {
  static final String SUITE = """
      name: links
      expectations:
        - type: expect_column_values_to_exist_in_table
          kwargs: {column: id_card, table: ods.public_security__citizens}
      """;

  private GenerateResult generate(SampleDataset ds, long rows, long population, String name) {
    return SampleGenerator.generate(new GenerateRequest(ds, rows, dir.resolve(name), FeedFormat.CSV,
        StandardCharsets.UTF_8, 0, 21, 0, population, 50, false));
  }

  private void land(SampleDataset ds, GenerateResult g) {
    Path f = Path.of(g.file());
    new Landing(lakehouse).land(new LandingRequest(ds.department(), ds.dataset(), f,
        ContractParser.parse(SampleGenerator.contractPathFor(f)), null));
  }

  private static Set<String> column(GenerateResult g, int index) throws Exception {
    Set<String> out = new HashSet<>();
    List<String> lines = Files.readAllLines(Path.of(g.file()), StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      out.add(line.split(",", -1)[index]);
    }
    return out;
  }

  @Test
  void valuesMissingFromTheReferenceAreExactlyTheUnexpectedRows() throws Exception {
    // The registry has people 0..3999; contributions name people 0..4999: a fifth cannot be found.
    GenerateResult citizens = generate(SampleDataset.CITIZENS, 4_000, 5_000, "c.csv");
    GenerateResult contributions = generate(SampleDataset.SOCIAL_INSURANCE, 20_000, 5_000, "s.csv");
    land(SampleDataset.CITIZENS, citizens);
    land(SampleDataset.SOCIAL_INSURANCE, contributions);
    Set<String> people = column(citizens, 2);
    List<String> lines = Files.readAllLines(Path.of(contributions.file()), StandardCharsets.UTF_8);
    long missing = lines.subList(1, lines.size()).stream().filter(l -> !people.contains(l.split(",", -1)[1])).count();
    assertThat(missing).isBetween(3_000L, 5_000L);

    var table = TableNames.ods("human-resources", "social-insurance");
    for (long budget : new long[] {256L << 20, 64L << 10}) {
      QualityReport r = new QualityRunner(lakehouse, dir.resolve("work" + budget), 2, budget)
          .run(table, null, SuiteParser.parse(SUITE, "links.yaml"));
      JsonNode res = json(r.validation().results().get(0));
      assertThat(res.get("success").asBoolean()).isFalse();
      assertThat(res.at("/result/unexpected_count").asLong()).as("budget " + budget).isEqualTo(missing);
      assertThat(res.at("/result/element_count").asLong()).isEqualTo(20_000);
      assertThat(res.at("/result/details/reference_values").asLong()).isEqualTo(4_000);
      assertThat(res.at("/result/partial_unexpected_list/0").asText()).as("masked").matches("\\d{6}\\*{8}\\d{3}[\\dX]");
      assertThat(r.failingRows()).isEqualTo(missing);
    }
    String mostly = SUITE.replace("table: ods.public_security__citizens}",
        "table: ods.public_security__citizens, mostly: 0.5}");
    assertThat(new QualityRunner(lakehouse, dir.resolve("w"), 2, 1 << 24).run(table, null,
        SuiteParser.parse(mostly, "m.yaml")).validation().success()).isTrue();
  }

  @Test
  void aMissingOrIncompatibleReferenceIsASuiteError() throws Exception {
    GenerateResult contributions = generate(SampleDataset.SOCIAL_INSURANCE, 100, 100, "s.csv");
    land(SampleDataset.SOCIAL_INSURANCE, contributions);
    var table = TableNames.ods("human-resources", "social-insurance");
    QualityRunner runner = new QualityRunner(lakehouse, dir.resolve("w"), 2, 1 << 24);
    assertThatThrownBy(() -> runner.run(table, null, SuiteParser.parse(SUITE, "links.yaml")))
        .isInstanceOf(SuiteException.class).hasMessageContaining("table 'ods.public_security__citizens' does not exist");
    String wrongType = """
        name: links
        expectations:
          - type: expect_column_values_to_exist_in_table
            kwargs: {column: base_salary, table: ods.human_resources__social_insurance, table_column: name}
        """;
    assertThatThrownBy(() -> runner.run(table, null, SuiteParser.parse(wrongType, "w.yaml")))
        .isInstanceOf(SuiteException.class).hasMessageContaining("values cannot match");
  }

  /**
   * The run reads each other table at the snapshot it is given (the caller's pin), not at the current one when it
   * gets there: a feed landed into the registry after the pin changed what the run saw. Every rule reading a table
   * reads one snapshot of it, which the result records.
   */
  @Test
  void otherTablesAreReadAtTheSnapshotsTheRunWasGiven() throws Exception {
    GenerateResult citizens = generate(SampleDataset.CITIZENS, 1_000, 2_000, "c.csv");
    land(SampleDataset.CITIZENS, citizens);
    land(SampleDataset.SOCIAL_INSURANCE, generate(SampleDataset.SOCIAL_INSURANCE, 1_000, 2_000, "s.csv"));
    var registry = TableNames.ods("public-security", "citizens");
    long pinned = lakehouse.load(registry).currentSnapshot().snapshotId();
    String suite = SUITE + """
          - type: expect_table_row_count_to_equal_other_table
            kwargs: {other_table_name: ods.public_security__citizens}
        """;
    var table = TableNames.ods("human-resources", "social-insurance");
    QualityRunner runner = new QualityRunner(lakehouse, dir.resolve("work"), 2, 64L << 20);
    QualityReport before = runner.run(table, null, SuiteParser.parse(suite, "links.yaml"));
    assertThat(before.validation().results().get(1).success()).as("1000 rows each").isTrue();
    land(SampleDataset.CITIZENS, SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 1_000,
        dir.resolve("c2.csv"), FeedFormat.CSV, StandardCharsets.UTF_8, 0, 21, 1_000, 2_000, 50, false)));
    long landed = lakehouse.load(registry).currentSnapshot().snapshotId();

    QualityReport pinnedRun = runner.run(table, null, SuiteParser.parse(suite, "links.yaml"),
        QualityRunner.Scope.TABLE, true, java.util.Map.of(registry.toString(), pinned));
    for (int i = 0; i < 2; i++) {
      assertThat(json(pinnedRun.validation().results().get(i))).as("rule " + i)
          .isEqualTo(json(before.validation().results().get(i)));
    }
    assertThat(json(pinnedRun.validation().results().get(0)).at("/result/details/reference_snapshot_id").asText())
        .isEqualTo(String.valueOf(pinned));
    assertThat(pinnedRun.referenceSnapshots()).containsExactly(java.util.Map.entry(registry.toString(), pinned));
    assertThat(pinnedRun.validation().meta().get("reference_snapshot_ids"))
        .isEqualTo(java.util.Map.of(registry.toString(), pinned));

    QualityReport now = runner.run(table, null, SuiteParser.parse(suite, "links.yaml"));
    assertThat(now.referenceSnapshots()).containsExactly(java.util.Map.entry(registry.toString(), landed));
    assertThat(now.validation().results().get(1).success()).as("2000 registry rows now").isFalse();
    assertThat(json(now.validation().results().get(0)).at("/result/details/reference_values").asLong())
        .isEqualTo(2_000);

    assertThatThrownBy(() -> runner.run(table, null, SuiteParser.parse(suite, "links.yaml"),
        QualityRunner.Scope.TABLE, true, java.util.Map.of(registry.toString(), 42L)))
        .hasMessageContaining("table ods.public_security__citizens has no snapshot 42");
  }
}
