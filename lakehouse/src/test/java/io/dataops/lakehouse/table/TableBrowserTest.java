package io.dataops.lakehouse.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableBrowserTest {
  @TempDir Path dir;

  private LandingResult land(Lakehouse lh, long rows, long offset, double defects, String name) {
    GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, rows, dir.resolve(name),
        FeedFormat.CSV, StandardCharsets.UTF_8, defects, 9, offset, 1000, 10, false));
    Path f = Path.of(g.file());
    return new Landing(lh).land(new LandingRequest("public-security", "citizens", f,
        ContractParser.parse(SampleGenerator.contractPathFor(f)), null));
  }

  @Test
  void listShowTimeTravelAndHistory() {
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home")))) {
      LandingResult first = land(lh, 30, 0, 0, "a.csv");
      LandingResult second = land(lh, 20, 30, 0.3, "b.csv");
      TableBrowser browser = new TableBrowser(lh);

      var list = browser.list();
      assertThat(list).extracting(TableBrowser.TableSummary::name)
          .containsExactly("ods.public_security__citizens", "quarantine.public_security__citizens");
      assertThat(list.get(0).rows()).isEqualTo(30 + second.rowsLanded());
      assertThat(list.get(0).snapshots()).isEqualTo(2);
      assertThat(list.get(0).department()).isEqualTo("public-security");

      var now = browser.show(TableNames.ods("public-security", "citizens"), null, 1000);
      assertThat(now.rows()).hasSize((int) (30 + second.rowsLanded()));
      var then = browser.show(TableNames.ods("public-security", "citizens"), first.snapshotId(), 1000);
      assertThat(then.snapshotId()).isEqualTo(first.snapshotId());
      assertThat(then.rows()).as("time travel to the first feed").hasSize(30);
      var limited = browser.show(TableNames.ods("public-security", "citizens"), null, 5);
      assertThat(limited.rows()).hasSize(5);
      assertThat(limited.truncated()).isTrue();

      Map<String, Object> row = then.rows().get(0);
      assertThat((String) row.get("id_card")).matches("\\d{6}\\*{8}\\d{3}[\\dX]");
      assertThat((String) row.get("phone")).matches("\\d{3}\\*{4}\\d{4}");
      assertThat((String) row.get("birth_date")).matches("\\d{4}-\\*\\*-\\*\\*");
      assertThat((String) row.get("name")).matches("\\p{IsHan}+\\*+|\\p{IsHan}{2}\\*+");
      assertThat(row.get("district_code")).as("not personal: shown").asString().matches("440304\\d{6}");
      assertThat(then.columns()).filteredOn(c -> "id_card".equals(c.name())).singleElement()
          .extracting(TableBrowser.Column::personal).isEqualTo("id_card");

      var bad = browser.show(TableNames.quarantine("public-security", "citizens"), null, 100);
      assertThat(bad.rows()).isNotEmpty().allSatisfy(r ->
          assertThat((String) r.get("raw_text")).startsWith("[hidden: "));

      var history = browser.history(TableNames.ods("public-security", "citizens"));
      assertThat(history).extracting(TableBrowser.SnapshotInfo::snapshotId)
          .containsExactly(first.snapshotId(), second.snapshotId());
      assertThat(history.get(1).summary()).containsEntry("dataops.source-file", "b.csv");

      assertThatThrownBy(() -> browser.show(TableNames.ods("public-security", "citizens"), 42L, 1))
          .isInstanceOf(BadInputException.class).hasMessageContaining("has no snapshot 42");
      assertThatThrownBy(() -> browser.show(TableNames.parse("ods.nothing"), null, 1))
          .isInstanceOf(BadInputException.class).hasMessage("no table ods.nothing (see: dataops table list)");
      // Found by a probe: a huge --limit ran out of memory.
      assertThatThrownBy(() -> browser.show(TableNames.parse("ods.nothing"), null, TableBrowser.MAX_ROWS + 1))
          .isInstanceOf(BadInputException.class).hasMessage("--limit is at most 100,000: table show is a preview "
              + "(product deliver writes a whole version to a file)");
    }
  }

  @Test
  void tableNamesParse() {
    assertThat(TableNames.parse("ods.public-security__citizens").toString()).isEqualTo("ods.public_security__citizens");
    assertThat(TableNames.parse("public_security__citizens").namespace().toString()).isEqualTo("ods");
    assertThatThrownBy(() -> TableNames.parse("secret.x")).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> TableNames.parse("ods.")).isInstanceOf(BadInputException.class);
  }

  @Test
  void previewMasks() {
    assertThat(PreviewMask.mask(PersonalData.ID_CARD, "11010519491231002X")).isEqualTo("110105********002X");
    assertThat(PreviewMask.mask(PersonalData.MOBILE, "13800138000")).isEqualTo("138****8000");
    assertThat(PreviewMask.mask(PersonalData.NAME, "欧阳娜娜")).isEqualTo("欧***");
    assertThat(PreviewMask.mask(PersonalData.NAME, "王")).isEqualTo("*");
    assertThat(PreviewMask.mask(PersonalData.ADDRESS, "广东省深圳市福田区华富街道深南中路1号")).isEqualTo("广东省深圳市福田区" + "*".repeat(10));
    assertThat(PreviewMask.mask(PersonalData.EMAIL, "zhang@example.cn")).isEqualTo("z***@example.cn");
    assertThat(PreviewMask.mask(PersonalData.ID_CARD, "12345")).isEqualTo("*****");
    assertThat(PreviewMask.mask(PersonalData.OTHER, "anything")).isEqualTo("[hidden: 8 characters]");
    assertThat(PreviewMask.mask(PersonalData.MOBILE, null)).isNull();
  }

  /**
   * Found by a probe: the authority's masked view of a landed table showed the ID and mobile numbers of a column its
   * contract does not call personal; they are masked as quality reports mask them, and the owner's raw view keeps them.
   */
  @Test
  void identifiersInAColumnNotDeclaredPersonalAreMaskedInTheMaskedView() throws Exception {
    Path contract = java.nio.file.Files.writeString(dir.resolve("notes.contract.yaml"), """
        department: public-security
        dataset: notes
        format: csv
        encoding: UTF-8
        header: true
        columns:
          - {name: id, type: string, required: true}
          - {name: note, type: string}
        """);
    Path feed = java.nio.file.Files.writeString(dir.resolve("notes.csv"), "id,note\n"
        + "n1,guardian 441302/19980524/9405\n" + "n2,tel 138-0013-8000\n" + "n3,room 1203\n");
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home")))) {
      new Landing(lh).land(new LandingRequest("public-security", "notes", feed, ContractParser.parse(contract),
          null));
      TableBrowser browser = new TableBrowser(lh);
      var masked = browser.show(TableNames.ods("public-security", "notes"), null, null, 10, false).rows();
      assertThat(masked).extracting(r -> r.get("note")).containsExactly("guardian ******/********/****",
          "tel ***-****-****", "room 1203");
      var raw = browser.show(TableNames.ods("public-security", "notes"), null, null, 10, true).rows();
      assertThat(raw).extracting(r -> r.get("note")).containsExactly("guardian 441302/19980524/9405",
          "tel 138-0013-8000", "room 1203");
    }
  }

  /**
   * Found by a probe: an ID number with a wrong or missing check character was shown whole in the masked view; its
   * first 17 digits are the person. An 18-digit order number whose date cannot be a birth date stays as it is.
   */
  @Test
  void idNumbersWithAWrongOrMissingCheckCharacterAreMaskedInTheMaskedView() throws Exception {
    Path contract = java.nio.file.Files.writeString(dir.resolve("refs.contract.yaml"), """
        department: public-security
        dataset: refs
        format: csv
        encoding: UTF-8
        header: true
        columns:
          - {name: id, type: string, required: true}
          - {name: ref, type: string}
        """);
    // 44030419900101123 takes check character 3.
    Path feed = java.nio.file.Files.writeString(dir.resolve("refs.csv"), "id,ref\n" + "r1,44030419900101123X\n"
        + "r2,44030419900101123x\n" + "r3,44030419900101123\n" + "r4,ID44030419900101123\n"
        + "r5,110105202313451234\n");
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home")))) {
      new Landing(lh).land(new LandingRequest("public-security", "refs", feed, ContractParser.parse(contract), null));
      TableBrowser browser = new TableBrowser(lh);
      var masked = browser.show(TableNames.ods("public-security", "refs"), null, null, 10, false).rows();
      assertThat(masked).extracting(r -> r.get("ref")).containsExactly("440304********123X", "440304********123x",
          "*".repeat(17), "ID" + "*".repeat(17), "110105202313451234");
    }
  }
}
