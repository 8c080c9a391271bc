package io.dataops.quality.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteParser;
import io.dataops.quality.testing.Rows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by a probe: ID numbers with a wrong or missing check character, in a column the contract does not call
 * personal, were shown whole in the department's feedback and in the recorded failing rows; their first 17 digits are
 * the person (region, birth date, sequence) and give the check character.
 */
class UncheckedIdNumbersMaskedTest {
  /** 44030419900101123 takes check character 3 (GB 11643): each of these fails the ID rule. */
  static final List<String> IDS = List.of("44030419900101123X", "44030419900101123x", "440304199001011235",
      "44030419900101123", "ID44030419900101123");
  /** An order number of ID shape but for its date (month 13): no one's number, shown as it is. */
  static final String ORDER = "110105202313451234";

  @TempDir Path dir;

  @Test
  void theDepartmentsReportsAndTheRecordedFailingRowsMaskThem() throws Exception {
    StringBuilder csv = new StringBuilder("id,resident_no\n");
    for (int i = 0; i < IDS.size(); i++) {
      csv.append(i + 1).append(',').append(IDS.get(i)).append('\n');
    }
    csv.append("9,").append(ORDER).append('\n');
    Path feed = Files.writeString(dir.resolve("people.csv"), csv);
    LakehouseConfig cfg = LakehouseConfig.embedded(dir.resolve("home"));
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      LandingResult landed = new Landing(lh).land(new LandingRequest("public-security", "people", feed,
          ContractParser.parse("""
              primaryKey: [id]
              columns:
                - {name: id, type: long}
                - {name: resident_no, type: string}
              """, "c"), null));
      QualityReport report = new QualityRunner(lh, dir.resolve("work"), 2, 1 << 20).run(
          TableNames.ods("public-security", "people"), landed.snapshotId(), SuiteParser.parse("""
              name: people
              expectations:
                - type: expect_column_values_to_be_valid_prc_id_card
                  kwargs: {column: resident_no}
              """, "s.yaml"), QualityRunner.Scope.FEED);
      Feedback.Delivery d = new Feedback(new TicketStore(cfg.catalogUri(), null, null), lh, dir.resolve("outbox"))
          .deliver(report, "public-security", "people", event -> { });

      Path folder = Path.of(d.folder());
      for (String f : List.of("report.zh.html", "report.en.html", "validation.json", "failing-rows.csv")) {
        String text = Files.readString(folder.resolve(f));
        assertThat(text).as(f).doesNotContain("0419900101");
      }
      assertThat(Files.readString(folder.resolve("failing-rows.csv"))).contains("440304********123X",
          "440304********123x", "440304********1235", "," + "*".repeat(17), "ID" + "*".repeat(17), ORDER);

      List<String> recorded = Rows.of(lh.load(QualityRunner.ROW_FAILURES)).stream()
          .map(r -> String.valueOf(r.getField("value"))).toList();
      assertThat(recorded).containsExactlyInAnyOrder(ORDER, "*".repeat(17), "440304********1235", "440304********123X",
          "440304********123x", "ID" + "*".repeat(17));
    }
  }
}
