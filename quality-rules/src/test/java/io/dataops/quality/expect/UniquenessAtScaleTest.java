package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.dataops.quality.suite.SuiteParser;
import io.dataops.quality.testing.Rows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exact uniqueness in bounded memory: spilling to disk gives the same rows as holding everything in memory. */
class UniquenessAtScaleTest extends QualityFixture {
  static final String SUITE = """
      name: unique
      expectations:
        - type: expect_column_values_to_be_unique
          kwargs: {column: record_id}
        - type: expect_column_values_to_be_unique
          kwargs: {column: id_card}
        - type: expect_compound_columns_to_be_unique
          kwargs: {column_list: [gender, district_code, birth_date]}
        - type: expect_column_unique_value_count_to_be_between
          kwargs: {column: id_card, min_value: 0}
      """;

  @Test
  void spillingGivesTheSameRowsAsMemory() throws Exception {
    GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 60_000,
        dir.resolve("c.csv"), FeedFormat.CSV, StandardCharsets.UTF_8, 0.02, 3, 0, 60_000, 10, false));
    Path file = Path.of(g.file());
    var landed = new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", file,
        ContractParser.parse(SampleGenerator.contractPathFor(file)), null));

    // The truth, from the rows that landed (the CSV minus the quarantined rows, by row number).
    Set<Long> quarantined = new HashSet<>();
    Rows.of(lakehouse.load(io.dataops.lakehouse.catalog.TableNames.quarantine("public-security", "citizens")))
        .forEach(r -> quarantined.add((Long) r.getField("row_number")));
    Map<String, Integer> ids = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1); // planted undecodable bytes; keys are ASCII
    long distinctIdCards;
    Map<String, Integer> idCards = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      if (quarantined.contains((long) i)) {
        continue;
      }
      String[] f = lines.get(i).split(",", -1);
      ids.merge(f[0], 1, Integer::sum);
      idCards.merge(f[2], 1, Integer::sum);
    }
    distinctIdCards = idCards.size();
    long duplicatedRows = ids.values().stream().filter(c -> c > 1).mapToLong(Integer::longValue).sum();
    assertThat(duplicatedRows).as("the generator planted duplicate keys").isPositive();

    var table = io.dataops.lakehouse.catalog.TableNames.ods("public-security", "citizens");
    QualityReport memory = new QualityRunner(lakehouse, dir.resolve("w1"), 2, 256L << 20)
        .run(table, null, SuiteParser.parse(SUITE, "s.yaml"));
    QualityReport spilled = new QualityRunner(lakehouse, dir.resolve("w2"), 2, 64L << 10)
        .run(table, null, SuiteParser.parse(SUITE, "s.yaml"));
    JsonNode m = json(memory.validation());
    JsonNode s = json(spilled.validation());
    assertThat(m.at("/results/0/result/unexpected_count").asLong()).isEqualTo(duplicatedRows);
    assertThat(m.at("/results/3/result/observed_value").asLong()).isEqualTo(distinctIdCards);
    for (int i = 0; i < 4; i++) {
      assertThat(s.at("/results/" + i + "/result")).as("expectation " + i).isEqualTo(m.at("/results/" + i + "/result"));
    }
    assertThat(spilled.failingRows()).isEqualTo(memory.failingRows());
    assertThat(landed.rowsLanded()).isEqualTo(m.at("/meta/rows_scanned").asLong());
    try (var left = Files.list(dir.resolve("w2"))) {
      assertThat(left).as("spill files are removed").isEmpty();
    }
  }
}
