package io.dataops.quality.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failing rows' CSV in report order whether it fits its buffer or spills sorted runs: the same bytes, every
 * failing row once, by expectation, row number and line, and no scratch file left behind.
 */
class FailingRowsCsvTest {
  static final String CONTRACT = """
      columns:
        - {name: id, type: long}
        - {name: gender, type: string}
        - {name: code, type: string}
      """;
  static final String SUITE = """
      name: strict
      expectations:
        - type: expect_column_values_to_be_in_set
          kwargs: {column: gender, value_set: [M, F]}
        - type: expect_column_values_to_match_regex
          kwargs: {column: code, regex: "^A"}
        - type: expect_column_values_to_be_between
          kwargs: {column: id, max_value: 3490}
      """;

  @TempDir Path dir;

  @Test
  void spilledOrNotTheRowsComeOnceInReportOrder() throws Exception {
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home")))) {
      // Two feeds, so that the table's run holds rows of equal row numbers; every gender fails, every third code, and
      // the last nine ids (too few to spill: the largest rules spill first).
      land(lh, "a.csv", 0, 2000);
      land(lh, "b.csv", 2000, 1500);
      QualityReport report = new QualityRunner(lh, dir.resolve("work"), 2, 1 << 20).run(
          TableNames.ods("public-security", "people"), lh.load(TableNames.ods("public-security", "people"))
              .currentSnapshot().snapshotId(), SuiteParser.parse(SUITE, "s.yaml"), QualityRunner.Scope.TABLE);
      Path scratch = dir.resolve("scratch");
      String inMemory = csv(lh, report.runId(), scratch, FailingRowsCsv.BUFFER_BYTES);
      String spilled = csv(lh, report.runId(), scratch, 4 << 10); // a few dozen lines a run: over a hundred runs
      assertThat(spilled).isEqualTo(inMemory);
      try (var left = Files.list(scratch)) {
        assertThat(left).as("no run and no folder of a sort left").isEmpty();
      }

      assertThat(inMemory).startsWith("\uFEFF" + FailingRowsCsv.HEADER);
      List<String> lines = inMemory.substring(1 + FailingRowsCsv.HEADER.length()).lines().toList();
      assertThat(lines).hasSize(3500 + 3500 / 3 + 1 + 9).doesNotHaveDuplicates();
      List<String> ordered = new ArrayList<>(lines);
      ordered.sort(Comparator.comparing((String l) -> l.split(",")[0])
          .thenComparingLong(l -> Long.parseLong(l.split(",")[6])).thenComparing(Comparator.naturalOrder()));
      assertThat(lines).as("by expectation, row number, line").isEqualTo(ordered);
      assertThat(lines.stream().collect(java.util.stream.Collectors.groupingBy(
          l -> l.split(",")[0] + "@" + l.split(",")[6], java.util.stream.Collectors.counting())).values())
          .as("rows of both feeds under one rule and row number, ordered by their lines").contains(2L);
    }
  }

  @Test
  void valuesASpreadsheetWouldRunAsFormulasStayTextAndALoneCarriageReturnIsShownInItsField() throws Exception {
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home")))) {
      // What a hostile or careless feed can hold in a column the report shows as it is (not personal).
      Path f = dir.resolve("hostile.csv");
      Files.writeString(f, "id,gender,code\n1,\"=cmd|' /C calc'!A0\",A1\n2,-2+3,A2\n3,-5,A3\n4,\"a\rb\",A4\n"
          + "5,@SUM(1+1),A5\n6,M,A6\n");
      new Landing(lh).land(new LandingRequest("public-security", "people", f, ContractParser.parse(CONTRACT, "c"),
          null));
      QualityReport report = new QualityRunner(lh, dir.resolve("work"), 2, 1 << 20).run(
          TableNames.ods("public-security", "people"), lh.load(TableNames.ods("public-security", "people"))
              .currentSnapshot().snapshotId(), SuiteParser.parse(SUITE, "s.yaml"), QualityRunner.Scope.TABLE);
      String csv = csv(lh, report.runId(), dir.resolve("scratch"), FailingRowsCsv.BUFFER_BYTES);

      assertThat(csv).contains(",'=cmd|' /C calc'!A0\n", ",'-2+3\n", ",'@SUM(1+1)\n")
          .as("a number is no formula: shown as the number").contains(",-5\n")
          .as("a lone CR ends a row in Excel: shown as its picture, so the row stays one").contains(",a␍b\n")
          .doesNotContain(",=cmd", ",-2+3", ",@SUM");
      assertThat(csv.split("\n")).as("the header and five failing rows, one line each").hasSize(6);
    }
  }

  @Test
  void theScratchFilesOfAKilledWriteAreSweptADayLater() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("tmp"));
    java.time.Instant now = java.time.Instant.parse("2026-12-03T12:00:00Z");
    Path oldCsv = Files.writeString(scratch.resolve(FailingRowsCsv.PREFIX + "123.csv"), "x");
    Path oldRun = Files.writeString(scratch.resolve(FailingRowsCsv.PREFIX + "0-456.run"), "x");
    Path fresh = Files.writeString(scratch.resolve(FailingRowsCsv.PREFIX + "789.csv"), "x");
    Path other = Files.writeString(scratch.resolve("quality-spill-1.run"), "x");
    for (Path p : List.of(oldCsv, oldRun, other)) {
      Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofHours(25))));
    }
    Files.setLastModifiedTime(fresh, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofHours(2))));
    assertThat(FailingRowsCsv.sweep(scratch, now)).isEqualTo(2);
    assertThat(oldCsv).doesNotExist();
    assertThat(oldRun).doesNotExist();
    assertThat(fresh).as("a write under way").exists();
    assertThat(other).as("not ours").exists();
  }

  private void land(Lakehouse lh, String name, int from, int rows) throws Exception {
    StringBuilder csv = new StringBuilder("id,gender,code\n");
    for (int i = from; i < from + rows; i++) {
      csv.append(i).append(",X,").append(i % 3 == 0 ? "B" : "A").append(i).append('\n');
    }
    Path f = dir.resolve(name);
    Files.writeString(f, csv);
    new Landing(lh).land(new LandingRequest("public-security", "people", f, ContractParser.parse(CONTRACT, "c"),
        null));
  }

  private static String csv(Lakehouse lh, String runId, Path scratch, long buffer) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FailingRowsCsv.write(lh, runId, scratch, out, buffer);
    return out.toString(StandardCharsets.UTF_8);
  }
}
