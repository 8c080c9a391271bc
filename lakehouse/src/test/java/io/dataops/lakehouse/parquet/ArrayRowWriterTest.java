package io.dataops.lakehouse.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.testing.Tables;
import io.dataops.lakehouse.testing.TestStorage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The array row writer writes the same rows, and files with the same metrics (column sizes included: the same bytes
 * per column), as Iceberg's generic writer configured as products were written with it (GenericAppenderFactory with
 * the table's properties), over every column type a product can have.
 */
class ArrayRowWriterTest {
  // Every product type (products' columns are optional), the decimals in all three physical forms, and a column
  // that the rows do not fill (null).
  private static final Schema SCHEMA = new Schema(
      NestedField.optional(1, "n", Types.LongType.get()),
      NestedField.optional(2, "s", Types.StringType.get()),
      NestedField.optional(3, "i", Types.IntegerType.get()),
      NestedField.optional(4, "d", Types.DoubleType.get()),
      NestedField.optional(5, "small", Types.DecimalType.of(5, 1)),
      NestedField.optional(6, "m", Types.DecimalType.of(12, 2)),
      NestedField.optional(7, "big", Types.DecimalType.of(30, 4)),
      NestedField.optional(8, "day", Types.DateType.get()),
      NestedField.optional(9, "ts", Types.TimestampType.withoutZone()),
      NestedField.optional(10, "tz", Types.TimestampType.withZone()),
      NestedField.optional(11, "b", Types.BooleanType.get()),
      NestedField.optional(12, "code", Types.StringType.get()),
      NestedField.optional(13, "unfilled", Types.StringType.get()));
  /** The row holds the columns in another order than the table (as a product's row after its schema evolved). */
  private static final int[] SOURCES = {11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1};
  private static final int ROW_WIDTH = 12;

  @TempDir Path dir;
  private Lakehouse lakehouse;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(TestStorage.embedded(dir.resolve("home")));
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  /** Text as a caller that already holds UTF-8 passes it. */
  private record Bytes(byte[] utf8, int offset, int length) implements Utf8Slice { }

  @Test
  void writesWhatTheGenericWriterWrites() throws IOException {
    Table generic = lakehouse.createOrLoad(TableIdentifier.of(Zone.PRODUCT.namespaceName(), "generic"), SCHEMA,
        Map.of());
    Table direct = lakehouse.createOrLoad(TableIdentifier.of(Zone.PRODUCT.namespaceName(), "direct"), SCHEMA,
        Map.of());
    GenericAppenderFactory appenders = new GenericAppenderFactory(generic.schema());
    appenders.setAll(generic.properties());
    DataWriter<Record> genericWriter = appenders.newDataWriter(outputFiles(generic).newOutputFile(),
        FileFormat.PARQUET, null);
    FlatWriterFactory<Object[]> factory = new FlatWriterFactory<>(direct, direct.schema(),
        type -> ArrayRowWriter.create(type, SOURCES), Map.of());
    DataWriter<Object[]> directWriter = factory.newDataWriter(outputFiles(direct).newOutputFile(), direct.spec(),
        null);

    Random random = new Random(5);
    GenericRecord record = GenericRecord.create(SCHEMA);
    for (int n = 1; n <= 20_000; n++) {
      Object[] row = new Object[ROW_WIDTH];
      String text = n % 7 == 0 ? "王*" + n % 500 : n % 31 == 0 ? "" : "R" + (n * 7919 % 10_000);
      row[11] = (long) n;
      row[0] = n % 17 == 0 ? null : text;
      row[1] = n % 13 == 0 ? null : random.nextInt();
      row[2] = n % 19 == 0 ? Double.valueOf(Double.NaN) : n % 23 == 0 ? null : random.nextGaussian() * 1e6;
      row[3] = BigDecimal.valueOf(random.nextInt(20_000) - 10_000, 1);
      row[4] = n % 5 == 0 ? null : BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 2);
      row[5] = new BigDecimal(new BigInteger(96, random).subtract(BigInteger.ONE.shiftLeft(95)), 4);
      row[6] = n % 29 == 0 ? null : LocalDate.ofEpochDay(random.nextInt(80_000) - 40_000);
      row[7] = LocalDateTime.of(1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28),
          random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000) * 1000);
      row[8] = n % 37 == 0 ? null : OffsetDateTime.of((LocalDateTime) row[7], ZoneOffset.ofHours(n % 3 * 4));
      row[9] = n % 41 == 0 ? null : random.nextBoolean();
      String code = "4403" + String.format("%08d", n % 1_000);
      row[10] = code;
      for (int i = 0; i < SOURCES.length; i++) {
        record.set(i, SOURCES[i] < 0 ? null : row[SOURCES[i]]);
      }
      genericWriter.write(record);
      if (n % 2 == 0) {
        // Text may come as its UTF-8 bytes, in a slice of a larger array.
        byte[] utf8 = code.getBytes(StandardCharsets.UTF_8);
        byte[] larger = new byte[utf8.length + 3];
        System.arraycopy(utf8, 0, larger, 1, utf8.length);
        row[10] = new Bytes(larger, 1, utf8.length);
      }
      directWriter.write(row);
    }
    genericWriter.close();
    directWriter.close();
    DataFile g = genericWriter.toDataFile();
    DataFile d = directWriter.toDataFile();
    Tables.assertSameRowsAndMetrics(generic, g, direct, d, "n");
    assertEquals(20_000, d.recordCount());
    assertNotNull(d.columnSizes());
    assertEquals(g.columnSizes(), d.columnSizes());
    assertEquals(g.fileSizeInBytes(), d.fileSizeInBytes());
  }

  private OutputFileFactory outputFiles(Table table) {
    return OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
  }
}
