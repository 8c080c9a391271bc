package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;

/**
 * Raw personal values stay out of a landed table's metadata: no Iceberg metrics in the manifests and no Parquet
 * statistics in the files for personal columns (nor for the quarantine's raw lines), while the other columns keep
 * both, so scans can still be pruned by them.
 */
class PersonalMetadataTest extends LandingFixture {
  private static final String CONTRACT = """
      columns:
        - {name: id, type: long, required: true}
        - {name: id_card, type: string, personal: id_card}
        - {name: phone, type: string, personal: mobile}
        - {name: city, type: string}
        - {name: born, type: date}
      """;

  private static String feed(int from, int rows, boolean badRow) {
    StringBuilder csv = new StringBuilder("id,id_card,phone,city,born\n");
    for (int i = from; i < from + rows; i++) {
      csv.append(i).append(",4403041990").append(String.format("%08d", i)).append(",1380013").append(
          String.format("%04d", i % 10_000)).append(",福田").append(i % 7).append(",1990-0").append(1 + i % 9)
          .append("-15\n");
    }
    if (badRow) {
      csv.append("not-a-number,440304199001011234,13800138000,福田,1990-01-15\n");
    }
    return csv.toString();
  }

  @Test
  void personalColumnsHaveNoBoundsInIcebergAndNoStatisticsInParquet() {
    LandingResult r = land(CONTRACT, feed(0, 3_000, true));
    assertThat(r.rowsQuarantined()).isEqualTo(1);
    Table ods = ods();
    int idCard = ods.schema().findField("id_card").fieldId();
    int phone = ods.schema().findField("phone").fieldId();
    int city = ods.schema().findField("city").fieldId();
    int born = ods.schema().findField("born").fieldId();
    List<DataFile> files = dataFiles(ods);
    assertThat(files).isNotEmpty();
    for (DataFile f : files) {
      assertThat(f.lowerBounds()).doesNotContainKeys(idCard, phone).containsKeys(city, born);
      assertThat(f.upperBounds()).doesNotContainKeys(idCard, phone).containsKeys(city, born);
      assertThat(f.valueCounts()).doesNotContainKeys(idCard, phone).containsKeys(city, born);
      assertThat(f.nullValueCounts()).doesNotContainKeys(idCard, phone).containsKeys(city, born);
      assertThat(Conversions.<CharSequence>fromByteBuffer(ods.schema().findType(city), f.lowerBounds().get(city)).toString())
          .startsWith("福田");
      for (ColumnChunkMetaData chunk : chunks(ods, f)) {
        String column = chunk.getPath().toDotString();
        Statistics<?> stats = chunk.getStatistics();
        if (column.equals("id_card") || column.equals("phone")) {
          assertThat(stats == null || !stats.hasNonNullValue()).as(column + " has no min/max").isTrue();
        } else if (column.equals("city")) {
          assertThat(stats.hasNonNullValue()).as("city keeps its statistics").isTrue();
        }
      }
    }
    Table quarantine = quarantine();
    int rawText = quarantine.schema().findField("raw_text").fieldId();
    for (DataFile f : dataFiles(quarantine)) {
      assertThat(f.lowerBounds() == null ? java.util.Map.of() : f.lowerBounds()).doesNotContainKey(rawText);
      assertThat(f.upperBounds() == null ? java.util.Map.of() : f.upperBounds()).doesNotContainKey(rawText);
      for (ColumnChunkMetaData chunk : chunks(quarantine, f)) {
        if (chunk.getPath().toDotString().equals("raw_text")) {
          assertThat(chunk.getStatistics() == null || !chunk.getStatistics().hasNonNullValue()).isTrue();
        }
      }
    }
  }

  @Test
  void aTableMadeBeforeGetsThePropertiesAtItsNextLandingAndAColumnNoLongerPersonalGetsItsBoundsBack() {
    land(CONTRACT, feed(0, 10, false));
    // as an earlier build left it: the personal marker only
    ods().updateProperties().remove("write.metadata.metrics.column.id_card")
        .remove("write.parquet.stats-enabled.column.id_card").commit();
    land(CONTRACT, feed(10, 10, false));
    assertThat(ods().properties()).containsEntry("write.metadata.metrics.column.id_card", "none")
        .containsEntry("write.parquet.stats-enabled.column.id_card", "false");

    String phoneNotPersonal = CONTRACT.replace(", personal: mobile", "");
    land(phoneNotPersonal, feed(20, 10, false));
    Table ods = ods();
    assertThat(ods.properties()).doesNotContainKeys("dataops.personal.phone",
        "write.metadata.metrics.column.phone", "write.parquet.stats-enabled.column.phone")
        .containsEntry("dataops.personal.id_card", "id_card")
        .containsEntry("write.metadata.metrics.column.id_card", "none");
    int phone = ods.schema().findField("phone").fieldId();
    int idCard = ods.schema().findField("id_card").fieldId();
    DataFile newest = dataFiles(ods).stream()
        .filter(f -> f.lowerBounds().containsKey(phone)).findFirst().orElseThrow();
    assertThat(newest.lowerBounds()).doesNotContainKey(idCard);
  }

  private static List<DataFile> dataFiles(Table table) {
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      tasks.forEach(t -> files.add(t.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static List<ColumnChunkMetaData> chunks(Table table, DataFile file) {
    String location = file.location();
    java.nio.file.Path path = location.startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(location))
        : java.nio.file.Path.of(location);
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(path))) {
      List<ColumnChunkMetaData> out = new ArrayList<>();
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        out.addAll(block.getColumns());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
