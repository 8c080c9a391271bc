package io.dataops.lakehouse.landing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.parquet.FlatWriterFactory;
import io.dataops.lakehouse.testing.Tables;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import org.apache.avro.util.Utf8;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.Test;

/** The ods row writer writes the same rows, and the same file metrics, as Iceberg's generic writer. */
class OdsRowWriterTest extends LandingFixture {
  // Every contract type, the lineage columns in the middle (as after a schema evolution), and a column of an
  // older contract that this one no longer sends.
  private static final Schema SCHEMA = new Schema(
      NestedField.required(1, "s", Types.StringType.get()),
      NestedField.optional(2, "l", Types.LongType.get()),
      NestedField.optional(3, "i", Types.IntegerType.get()),
      NestedField.required(4, "_feed_id", Types.StringType.get()),
      NestedField.required(5, "_source_file", Types.StringType.get()),
      NestedField.required(6, "_row_number", Types.LongType.get()),
      NestedField.required(7, "_landed_at", Types.TimestampType.withZone()),
      NestedField.optional(8, "d", Types.DoubleType.get()),
      NestedField.optional(9, "m", Types.DecimalType.of(12, 2)),
      NestedField.optional(10, "big", Types.DecimalType.of(30, 4)),
      NestedField.optional(11, "small", Types.DecimalType.of(5, 1)),
      NestedField.optional(12, "day", Types.DateType.get()),
      NestedField.optional(13, "ts", Types.TimestampType.withoutZone()),
      NestedField.optional(14, "b", Types.BooleanType.get()),
      NestedField.optional(15, "old", Types.StringType.get()));
  private static final int[] SOURCES = {0, 1, 2, OdsRowWriter.FEED_ID, OdsRowWriter.SOURCE_FILE,
      OdsRowWriter.ROW_NUMBER, OdsRowWriter.LANDED_AT, 3, 4, 5, 6, 7, 8, 9, OdsRowWriter.NONE};
  private static final String FEED = "20260101T000000Z-0a1b2c3d";
  private static final String SOURCE = "居民.csv";
  private static final OffsetDateTime LANDED = OffsetDateTime.of(2026, 5, 1, 8, 30, 15, 123_456_789,
      ZoneOffset.ofHours(8));

  @Test
  void writesWhatTheGenericWriterWrites() throws IOException {
    Table generic = lakehouse.createOrLoad(TableNames.ods("dept", "generic"), SCHEMA, Map.of());
    Table direct = lakehouse.createOrLoad(TableNames.ods("dept", "direct"), SCHEMA, Map.of());
    DataWriter<Record> genericWriter = new GenericFileWriterFactory.Builder(generic)
        .dataFileFormat(FileFormat.PARQUET).dataSchema(generic.schema()).build()
        .newDataWriter(outputFiles(generic).newOutputFile(), PartitionSpec.unpartitioned(), null);
    FileWriterFactory<OdsRowWriter.Row> factory = new OdsWriterFactory(direct, SOURCES, FEED, SOURCE, LANDED);
    DataWriter<OdsRowWriter.Row> directWriter = factory.newDataWriter(outputFiles(direct).newOutputFile(),
        PartitionSpec.unpartitioned(), null);

    Random random = new Random(11);
    GenericRecord record = GenericRecord.create(SCHEMA);
    OdsRowWriter.Row row = new OdsRowWriter.Row();
    row.values = new Object[10];
    for (int n = 1; n <= 5_000; n++) {
      Object[] v = row.values;
      String text = n % 7 == 0 ? "王" + n + "号" : "R" + (n * 7919 % 10_000);
      // Text arrives as a field's own UTF-8 bytes, as UTF-8 (lineage), or as a String (decoded from another charset).
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      byte[] line = new byte[utf8.length + 4];
      System.arraycopy(utf8, 0, line, 2, utf8.length);
      v[0] = switch (n % 3) {
        case 0 -> new FieldBytes().set(line, 2, utf8.length, text.equals(new String(utf8, StandardCharsets.US_ASCII)),
            StandardCharsets.UTF_8);
        case 1 -> new Utf8(text);
        default -> text;
      };
      v[1] = n % 11 == 0 ? null : random.nextLong();
      v[2] = n % 13 == 0 ? null : random.nextInt();
      v[3] = n % 17 == 0 ? Double.valueOf(Double.NaN) : n % 19 == 0 ? null : Double.valueOf(random.nextGaussian() * 1e6);
      v[4] = n % 5 == 0 ? null : BigDecimal.valueOf(random.nextInt(1_000_000_000), 2);
      v[5] = new BigDecimal(random.nextLong() + "123").movePointLeft(4);
      v[6] = BigDecimal.valueOf(random.nextInt(20_000) - 10_000, 1);
      v[7] = n % 23 == 0 ? null : LocalDate.ofEpochDay(random.nextInt(80_000) - 40_000);
      v[8] = LocalDateTime.of(1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28),
          random.nextInt(24), random.nextInt(60), random.nextInt(60), n % 3 == 0 ? random.nextInt(1_000_000) * 1000 : 0);
      v[9] = n % 29 == 0 ? null : random.nextBoolean();
      row.rowNumber = n;
      directWriter.write(row);
      for (int i = 0; i < SOURCES.length; i++) {
        record.set(i, switch (SOURCES[i]) {
          case OdsRowWriter.FEED_ID -> FEED;
          case OdsRowWriter.SOURCE_FILE -> SOURCE;
          case OdsRowWriter.ROW_NUMBER -> (long) n;
          case OdsRowWriter.LANDED_AT -> LANDED;
          case OdsRowWriter.NONE -> null;
          default -> v[SOURCES[i]] instanceof FieldBytes || v[SOURCES[i]] instanceof Utf8 ? text : v[SOURCES[i]];
        });
      }
      genericWriter.write(record);
    }
    genericWriter.close();
    directWriter.close();
    DataFile g = genericWriter.toDataFile();
    DataFile d = directWriter.toDataFile();
    Tables.assertSameRowsAndMetrics(generic, g, direct, d, "_row_number");
    assertEquals(5_000, d.recordCount());
  }

  @Test
  void zstdIsFasterUnlessTheTableSetsALevel() {
    Map<String, String> level1 = Map.of(TableProperties.PARQUET_COMPRESSION_LEVEL, "1");
    assertEquals(level1, FlatWriterFactory.fastZstd(Map.of(TableProperties.PARQUET_COMPRESSION, "zstd")));
    assertEquals(Map.of(), FlatWriterFactory.fastZstd(Map.of(TableProperties.PARQUET_COMPRESSION, "zstd",
        TableProperties.PARQUET_COMPRESSION_LEVEL, "9")));
    assertEquals(Map.of(), FlatWriterFactory.fastZstd(Map.of(TableProperties.PARQUET_COMPRESSION, "gzip")));
  }

  private OutputFileFactory outputFiles(Table table) {
    return OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
  }
}
