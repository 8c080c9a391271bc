package io.dataops.lakehouse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import io.dataops.lakehouse.landing.Landing;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGeneratorTest {
  @TempDir Path dir;

  private GenerateResult gen(SampleDataset ds, String name, long rows, double defects, long seed) {
    return SampleGenerator.generate(new GenerateRequest(ds, rows, dir.resolve(name), FeedFormat.CSV,
        StandardCharsets.UTF_8, defects, seed, 0, 2_000, 200, false));
  }

  private static List<String[]> rows(GenerateResult g) throws Exception {
    return Files.readAllLines(Path.of(g.file()), StandardCharsets.UTF_8).stream().skip(1)
        .map(l -> l.split(",", -1)).toList();
  }

  @Test
  void aRequestOutsideTheGeneratorsRangeIsRefused() {
    for (double rate : new double[] {Double.NaN, -0.1, 1.5}) {
      assertThatThrownBy(() -> new GenerateRequest(SampleDataset.CITIZENS, 5,
          dir.resolve("x.csv"), FeedFormat.CSV, StandardCharsets.UTF_8, rate, 1, 0, 100, 10, false))
          .hasMessage("defect rate must be between 0 and 1");
    }
    assertThatThrownBy(() -> new GenerateRequest(SampleDataset.CITIZENS, 5,
        dir.resolve("x.csv"), FeedFormat.CSV, StandardCharsets.UTF_8, 0, 1, -3, 100, 10, false))
        .hasMessageStartingWith("offset must not be negative");
  }

  @Test
  void theSameRequestGivesTheSameBytes() {
    GenerateResult a = gen(SampleDataset.CITIZENS, "a.csv", 3_000, 0.05, 1);
    GenerateResult b = gen(SampleDataset.CITIZENS, "b.csv", 3_000, 0.05, 1);
    GenerateResult c = gen(SampleDataset.CITIZENS, "c.csv", 3_000, 0.05, 2);
    assertThat(Landing.sha256(Path.of(a.file()))).isEqualTo(Landing.sha256(Path.of(b.file())));
    assertThat(Landing.sha256(Path.of(a.file()))).isNotEqualTo(Landing.sha256(Path.of(c.file())));
    assertThat(a.defects()).isEqualTo(b.defects());
  }

  @Test
  void cleanCitizensHaveValidPrcIdentifiers() throws Exception {
    List<String[]> rows = rows(gen(SampleDataset.CITIZENS, "c.csv", 5_000, 0, 7));
    Set<String> ids = new HashSet<>();
    for (String[] r : rows) {
      assertThat(PrcIdentifiers.hasValidIdCardCheckChar(r[2])).as(r[2]).isTrue();
      assertThat(PrcIdentifiers.idCardBirthDate(r[2])).isEqualTo(java.time.LocalDate.parse(r[5]));
      assertThat(PrcIdentifiers.idCardIsMale(r[2])).isEqualTo(r[4].equals("M"));
      assertThat(PrcIdentifiers.isMainlandMobile(r[3])).as(r[3]).isTrue();
      assertThat(r[7]).startsWith("440304");
      assertThat(r[6]).startsWith("广东省深圳市福田区");
      ids.add(r[0]);
    }
    assertThat(ids).as("record ids are unique").hasSize(5_000);
  }

  @Test
  void cleanEnterprisesHaveValidCreditCodes() throws Exception {
    List<String[]> rows = rows(gen(SampleDataset.ENTERPRISES, "e.csv", 2_000, 0, 7));
    Set<String> codes = new HashSet<>();
    for (String[] r : rows) {
      assertThat(PrcIdentifiers.hasValidCreditCodeCheckChar(r[0])).as(r[0]).isTrue();
      assertThat(PrcIdentifiers.hasValidIdCardCheckChar(r[3])).isTrue();
      codes.add(r[0]);
    }
    assertThat(codes).hasSize(2_000);
  }

  @Test
  void contributionsReferToTheCitizenRegistryAndTheEnterpriseRegister() throws Exception {
    Set<String> people = new HashSet<>();
    rows(gen(SampleDataset.CITIZENS, "c.csv", 2_000, 0, 7)).forEach(r -> people.add(r[2]));
    Set<String> employers = new HashSet<>();
    rows(gen(SampleDataset.ENTERPRISES, "e.csv", 200, 0, 7)).forEach(r -> employers.add(r[0]));
    List<String[]> contributions = rows(gen(SampleDataset.SOCIAL_INSURANCE, "s.csv", 3_000, 0, 7));
    assertThat(contributions).allSatisfy(r -> {
      assertThat(people).contains(r[1]);
      assertThat(employers).contains(r[3]);
    });
  }

  @Test
  void aWorkbooksScratchFileIsItsOwnAndGoesWhenItIsWritten() throws Exception {
    // Its scratch file used to be FILE.tmp: two generators of one file wrote into each other's, and a link planted
    // there was followed (the file it named overwritten with the workbook) and then removed.
    Path victim = Files.writeString(dir.resolve("victim.txt"), "not to be touched");
    Files.createSymbolicLink(dir.resolve("w.xlsx.tmp"), victim);
    GenerateResult a = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 50, dir.resolve("w.xlsx"),
        FeedFormat.XLSX, StandardCharsets.UTF_8, 0, 1, 0, 100, 10, false));
    GenerateResult b = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 50,
        dir.resolve("w2.xlsx"), FeedFormat.XLSX, StandardCharsets.UTF_8, 0, 1, 0, 100, 10, false));
    assertThat(Files.readString(victim)).isEqualTo("not to be touched");
    assertThat(Files.isSymbolicLink(dir.resolve("w.xlsx.tmp"))).isTrue();
    assertThat(Landing.sha256(Path.of(a.file()))).as("still the same bytes every time")
        .isEqualTo(Landing.sha256(Path.of(b.file())));
    try (var left = Files.list(dir)) {
      assertThat(left.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".tmp")))
          .containsExactly("w.xlsx.tmp");
    }
  }

  @Test
  void theContractBesideTheFileDescribesIt() {
    GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.ENTERPRISES, 10,
        dir.resolve("e.csv"), FeedFormat.CSV, Charset.forName("GBK"), 0, 1, 0, 10, 10, true));
    var contract = ContractParser.parse(Path.of(g.contractFile()));
    assertThat(contract.encoding()).isEqualTo(Charset.forName("GBK"));
    assertThat(contract.primaryKey()).containsExactly("credit_code");
    assertThat(contract.department()).isEqualTo("market-regulation");
  }

  @Test
  void defectsAreCountedByKind() {
    GenerateResult g = gen(SampleDataset.CITIZENS, "d.csv", 20_000, 0.2, 3);
    long total = g.defects().values().stream().mapToLong(Long::longValue).sum();
    assertThat(total).isBetween(3_600L, 4_400L);
    assertThat(g.defects()).containsKeys("missing_required", "bad_id_check", "bad_phone", "undecodable");
    assertThat(g.expectedQuarantined()).isLessThan(total);
  }
}
