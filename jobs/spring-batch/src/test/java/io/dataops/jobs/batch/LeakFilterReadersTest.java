package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.BoundPipeline.Personal;
import io.dataops.pipelines.privacy.LeakFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak filter step reads an input's files in two parts at once ({@link LeakFilterTasklet#rawFilter}): the merged
 * filter is the one reader of every file gives, bit for bit and value for value; a part that cannot be read fails the
 * build with DuckDB's error and leaves no reader running; the parts are of about equal size.
 */
class LeakFilterReadersTest {
  private static final long EXPECTED = 100_000;
  private static final long MEMORY = 1 << 20;

  @TempDir Path dir;
  private BoundInput input;
  private final List<String> files = new java.util.ArrayList<>();

  @BeforeEach
  void threeFiles() throws Exception {
    Map<String, ColumnType> columns = new LinkedHashMap<>();
    columns.put("id_card", ColumnType.of(ValueType.STRING));
    columns.put("name", ColumnType.of(ValueType.STRING));
    columns.put("birth_date", ColumnType.of(ValueType.DATE));
    columns.put("district", ColumnType.of(ValueType.STRING));
    Map<String, Personal> personal = new LinkedHashMap<>();
    personal.put("id_card", new Personal(PersonalData.ID_CARD, true, "declared"));
    personal.put("name", new Personal(PersonalData.NAME, true, "declared"));
    personal.put("birth_date", new Personal(PersonalData.BIRTH_DATE, true, "declared"));
    input = new BoundInput("citizens", TableIdentifier.of("ods", "citizens"), 1L, columns, personal, null);
    try (Connection c = DuckTransform.connect(dir.resolve("make"), "256MB", 1); Statement s = c.createStatement()) {
      for (int f = 0; f < 3; f++) {
        Path file = dir.resolve("part-" + f + ".parquet");
        // Different sizes, values that repeat across files, nulls, one-character and multi-byte names.
        s.execute("COPY (SELECT '4403' || lpad(CAST((i * 7919) % 40000 AS VARCHAR), 14, '0') AS id_card, "
            + "CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN '王' ELSE '张' || i END AS name, "
            + "DATE '1950-01-01' + CAST(i % 20000 AS INTEGER) AS birth_date, 'd' || (i % 9) AS district "
            + "FROM range(" + (f * 30_000) + ", " + (f * 30_000 + 10_000 * (f + 1)) + ") r(i)) TO '" + file
            + "' (FORMAT parquet)");
        files.add(file.toString());
      }
    }
  }

  private LeakFilterTasklet.Databases databases() {
    return folder -> DuckTransform.connect(dir.resolve(folder), "128MB", 1);
  }

  @Test
  void twoReadersGiveTheFilterOfOne() throws Exception {
    LeakFilter one = LeakFilterTasklet.rawFilter(input, List.of(files), EXPECTED, MEMORY, databases());
    List<List<String>> halves = LeakFilterTasklet.halves(files);
    assertThat(halves).hasSize(2);
    LeakFilter two = LeakFilterTasklet.rawFilter(input, halves, EXPECTED, MEMORY, databases());
    assertThat(two.rawValues()).isEqualTo(one.rawValues()).isGreaterThan(100_000);
    assertThat(two.toBytes()).isEqualTo(one.toBytes());
    LeakFilter swapped = LeakFilterTasklet.rawFilter(input, List.of(halves.get(1), halves.get(0)), EXPECTED, MEMORY,
        databases());
    assertThat(swapped.toBytes()).isEqualTo(one.toBytes());
  }

  @Test
  void thePartsAreOfAboutEqualSize() throws Exception {
    // 10,000, 20,000 and 30,000 rows: the largest alone, the two others together.
    List<List<String>> halves = LeakFilterTasklet.halves(files);
    assertThat(halves.get(0)).containsExactly(files.get(2));
    assertThat(halves.get(1)).containsExactlyInAnyOrder(files.get(0), files.get(1));
    assertThat(LeakFilterTasklet.halves(List.of(files.get(0)))).containsExactly(List.of(files.get(0)));
    // Sizes that cannot be read (files gone: DuckDB names them when it reads): split by count, neither part empty.
    List<String> gone = List.of("/gone/a.parquet", "/gone/b.parquet", "/gone/c.parquet", "/gone/d.parquet");
    assertThat(LeakFilterTasklet.halves(gone)).allSatisfy(part -> assertThat(part).hasSize(2));
  }

  @Test
  void aPartThatCannotBeReadFailsTheBuildAndLeavesNoReaderRunning() throws Exception {
    Path gone = dir.resolve("gone.parquet");
    Files.copy(Path.of(files.get(0)), gone);
    Files.delete(gone);
    for (List<List<String>> parts : List.of(List.of(List.of(files.get(0)), List.of(gone.toString())),
        List.of(List.of(gone.toString()), List.of(files.get(0))))) {
      assertThatThrownBy(() -> LeakFilterTasklet.rawFilter(input, parts, EXPECTED, MEMORY, databases()))
          .isInstanceOf(SQLException.class).hasMessageContaining("gone.parquet");
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("leak-filter-reader")
          && t.isAlive());
    }
  }
}
