package io.dataops.lakehouse.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.testing.Tables;
import io.dataops.lakehouse.testing.TestStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
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
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.codec.ZstandardCodec;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once the lakehouse is open, zstd Parquet files (the tables' default codec, no level) are written and read through
 * codecs whose Hadoop configurations hold no parsed defaults, and read back the rows written.
 */
class ParquetCodecsTest {
  private static final Schema SCHEMA = new Schema(
      NestedField.required(1, "n", Types.LongType.get()),
      NestedField.optional(2, "s", Types.StringType.get()));

  @TempDir Path dir;

  @Test
  void zstdFilesAreReadWithACodecThatParsedNoHadoopDefaults() throws IOException {
    try (Lakehouse lakehouse = Lakehouse.open(TestStorage.embedded(dir.resolve("home")))) {
      Table table = lakehouse.createOrLoad(TableIdentifier.of(Zone.PRODUCT.namespaceName(), "codecs"), SCHEMA,
          Map.of());
      GenericAppenderFactory appenders = new GenericAppenderFactory(table.schema());
      appenders.setAll(table.properties());
      OutputFileFactory files = OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
      List<String> written = new ArrayList<>();
      AppendFiles append = table.newAppend();
      GenericRecord record = GenericRecord.create(SCHEMA);
      for (int file = 0; file < 2; file++) {
        DataWriter<Record> writer = appenders.newDataWriter(files.newOutputFile(), FileFormat.PARQUET, null);
        for (long n = file * 5_000L; n < (file + 1) * 5_000L; n++) {
          record.set(0, n);
          record.set(1, n % 11 == 0 ? null : "value " + n % 700);
          writer.write(record);
          written.add(record.toString());
        }
        writer.close();
        append.appendFile(writer.toDataFile());
      }
      append.commit();

      List<String> read = Tables.rowsBy(table, "n").stream().map(Record::toString).toList();
      assertEquals(written, read);
      // The reader's codec (no level) and the writer's (cached under Hadoop's default zstd level, 3).
      String name = CompressionCodecName.ZSTD.getHadoopCompressionCodecClassName();
      for (String key : List.of(name, name + ":3")) {
        Configuration conf = assertInstanceOf(ZstandardCodec.class, CodecCache.get(key)).getConf();
        // fs.defaultFS is one of core-default.xml's keys: set only where the defaults were parsed.
        assertNull(conf.get("fs.defaultFS"), key);
      }
      assertEquals("1", CodecCache.get(name + ":1").getConf().get(ZstandardCodec.PARQUET_COMPRESS_ZSTD_LEVEL));
    }
  }

  /** A subclass only to look into parquet-java's protected static codec cache. */
  private static final class CodecCache extends CodecFactory {
    private CodecCache() {
      super(new Configuration(false), 0);
    }

    static ZstandardCodec get(String key) {
      return (ZstandardCodec) CODEC_BY_NAME.get(key);
    }
  }
}
