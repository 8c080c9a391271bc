package io.dataops.quality.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.engine.ScanRunner;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuggesterTest extends QualityFixture {

  @Test
  @SuppressWarnings("unchecked")
  void suggestsARunnableSuiteThatFitsTheDataAndNamesNoPersonalValues() throws Exception {
    GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 5_000, dir.resolve("c.csv"),
        FeedFormat.CSV, StandardCharsets.UTF_8, 0.02, 4, 0, 5_000, 10, false));
    Path f = Path.of(g.file());
    new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", f,
        ContractParser.parse(SampleGenerator.contractPathFor(f)), null));
    var id = io.dataops.lakehouse.catalog.TableNames.ods("public-security", "citizens");
    Suggester.Suggestion s = new Suggester(lakehouse, dir.resolve("work"), 2).suggest(id);

    List<Map<String, Object>> expectations = (List<Map<String, Object>>) s.suite().get("expectations");
    List<String> described = expectations.stream().map(e -> e.get("type") + " " + e.get("kwargs")).toList();
    assertThat(described).anyMatch(d -> d.startsWith("expect_column_values_to_be_valid_prc_id_card {column=id_card"));
    assertThat(described).anyMatch(d -> d.startsWith("expect_column_values_to_be_valid_prc_mobile {column=phone"));
    assertThat(described).anyMatch(d -> d.startsWith("expect_column_values_to_be_in_set {column=gender, value_set=[F, M]"));
    assertThat(described).contains("expect_column_values_to_not_be_null {column=record_id}");
    assertThat(described).anyMatch(d -> d.startsWith("expect_column_values_to_be_unique {column=record_id, mostly=0.99"))
        .as("planted duplicate keys: unique, mostly");
    assertThat(described).anyMatch(d -> d.startsWith("expect_column_values_to_be_in_set {column=district_code"))
        .as("ten sub-district codes: categorical");
    assertThat(described).noneMatch(d -> d.contains("value_set") && (d.contains("column=name") || d.contains("column=id_card")));

    String json = new ObjectMapper().writeValueAsString(s.suite());
    var suite = SuiteParser.parse(json, "suggested.json");
    var report = new QualityRunner(lakehouse, dir.resolve("work"), 2, 1 << 24).run(id, null, suite);
    assertThat(report.validation().success()).as("a suggestion fits the data it came from: "
        + report.validation().results().stream().filter(r -> !r.success()).toList()).isTrue();
  }

  @Test
  void aShortTableIsProfiledInFewerScansHoldingNoMoreValuesABatch() {
    assertThat(Suggester.columnsPerScan(1_000_000)).isEqualTo(Suggester.COLUMNS_PER_SCAN);
    assertThat(Suggester.columnsPerScan(ScanRunner.BATCH_ROWS)).isEqualTo(Suggester.COLUMNS_PER_SCAN);
    assertThat(Suggester.columnsPerScan(ScanRunner.BATCH_ROWS / 4)).isEqualTo(4 * Suggester.COLUMNS_PER_SCAN);
    assertThat(Suggester.columnsPerScan(60)).isEqualTo(Suggester.MAX_COLUMNS_PER_SCAN);
    assertThat(Suggester.columnsPerScan(0)).isEqualTo(Suggester.MAX_COLUMNS_PER_SCAN);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aTableOfTenThousandColumnsIsProfiledInBoundedMemory() throws Exception {
    int width = 10_000;
    StringBuilder contract = new StringBuilder("format: csv\ncolumns:\n");
    StringBuilder csv = new StringBuilder();
    for (int c = 0; c < width; c++) {
      contract.append("  - name: c").append(c).append("\n    type: ").append(c % 2 == 0 ? "string" : "long")
          .append("\n");
      csv.append(c == 0 ? "" : ",").append('c').append(c);
    }
    csv.append('\n');
    for (int r = 0; r < 60; r++) {
      for (int c = 0; c < width; c++) {
        csv.append(c == 0 ? "" : ",").append(c % 2 == 0 ? "v" + (r + c) % 7 : String.valueOf(r));
      }
      csv.append('\n');
    }
    assertThat(land("wide", contract.toString(), csv.toString()).rowsLanded()).isEqualTo(60);

    Suggester.Suggestion s = new Suggester(lakehouse, dir.resolve("work"), 2).suggest(table("wide"));
    assertThat(s.rows()).isEqualTo(60);
    assertThat(s.profile()).hasSize(width);
    List<Map<String, Object>> expectations = (List<Map<String, Object>>) s.suite().get("expectations");
    assertThat(expectations.stream().filter(e -> e.get("type").equals("expect_column_values_to_not_be_null")))
        .as("every column was profiled").hasSize(width);
    assertThat(expectations.stream().filter(e -> e.get("type").equals("expect_column_values_to_be_unique")))
        .as("the long columns count 0..59: each value once").hasSize(width / 2);
    assertThat(expectations.stream().filter(e -> e.get("type").equals("expect_column_values_to_be_in_set")))
        .as("the string columns hold seven values each").hasSize(width / 2);
  }
}
