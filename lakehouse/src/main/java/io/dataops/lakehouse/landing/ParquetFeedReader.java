package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import io.dataops.core.Listing;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.parquet.ParquetCodecs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

/**
 * Parquet feeds: columns are matched to the contract by name; typed values go to the workers for conversion
 * (a Parquet int64 in a decimal column, a string in a date column, and so on).
 */
final class ParquetFeedReader implements FeedReader {
  private static final int BATCH_ROWS = 4096;

  private final FeedFile file;
  private final FeedContract contract;
  private final Schema fileSchema;
  private final boolean hasIds;
  private final int[] contractToFile;
  private final List<String> missing = new ArrayList<>();
  private final long size;
  private long rowsSoFar;
  private long rowCount;

  ParquetFeedReader(FeedFile file, FeedContract contract) throws IOException {
    this.file = file;
    this.contract = contract;
    this.size = file.length();
    // A Parquet read, though not of a table file: the shared zstd codecs first, as the warehouse's FileIO does.
    ParquetCodecs.share();
    MessageType type;
    try (ParquetFileReader reader = ParquetFileReader.open(footerInput(file))) {
      type = reader.getFooter().getFileMetaData().getSchema();
      rowCount = reader.getRecordCount();
    } catch (RuntimeException | IOException e) {
      throw new BadInputException("the file is not a readable Parquet file (" + e.getClass().getSimpleName() + ")");
    }
    this.hasIds = ParquetSchemaUtil.hasIds(type);
    this.fileSchema = ParquetSchemaUtil.convert(hasIds ? type : ParquetSchemaUtil.addFallbackIds(type));

    Map<String, Integer> byName = new HashMap<>();
    List<NestedField> fields = fileSchema.columns();
    for (int i = 0; i < fields.size(); i++) {
      byName.put(fields.get(i).name().strip().toLowerCase(Locale.ROOT), i);
    }
    contractToFile = new int[contract.columns().size()];
    List<String> missingRequired = new ArrayList<>();
    for (int c = 0; c < contractToFile.length; c++) {
      ColumnSpec spec = contract.columns().get(c);
      Integer f = byName.remove(spec.name());
      contractToFile[c] = f == null ? -1 : f;
      if (f == null) {
        (spec.required() ? missingRequired : missing).add(spec.name());
      } else if (!fields.get(f).type().isPrimitiveType()) {
        throw new BadInputException("Parquet column '" + spec.name() + "' is nested (" + fields.get(f).type()
            + "); the contract promises a single value");
      }
    }
    if (!byName.isEmpty()) {
      var unknown = new java.util.TreeSet<>(byName.keySet());
      throw new BadInputException("the file has " + Listing.countIfMany(unknown) + "columns the contract does not "
          + "declare: " + Listing.some(unknown) + " (add them to the contract or remove them from the file)");
    }
    if (!missingRequired.isEmpty()) {
      throw new BadInputException("the file lacks required columns: " + String.join(", ", missingRequired));
    }
  }

  /** Parquet's own view of the feed's InputFile, to read the footer (a local file or an object alike). */
  private static org.apache.parquet.io.InputFile footerInput(FeedFile file) {
    return new org.apache.parquet.io.InputFile() {
      @Override
      public long getLength() {
        return file.length();
      }

      @Override
      public org.apache.parquet.io.SeekableInputStream newStream() throws IOException {
        org.apache.iceberg.io.SeekableInputStream in = file.open();
        return new org.apache.parquet.io.DelegatingSeekableInputStream(in) {
          @Override
          public long getPos() throws IOException {
            return in.getPos();
          }

          @Override
          public void seek(long newPos) throws IOException {
            in.seek(newPos);
          }
        };
      }
    };
  }

  @Override
  public void read(BatchSink sink) throws IOException, InterruptedException {
    Parquet.ReadBuilder builder = Parquet.read(file.input())
        .project(fileSchema)
        .createReaderFunc(t -> GenericParquetReaders.buildReader(fileSchema, t));
    if (!hasIds) {
      builder = builder.withNameMapping(MappingUtil.create(fileSchema));
    }
    List<String> names = contract.columnNames();
    ValueBatch batch = new ValueBatch(names);
    try (CloseableIterable<Record> records = builder.build()) {
      for (Record r : records) {
        Object[] values = new Object[contractToFile.length];
        Arrays.fill(values, ValueConverter.ABSENT);
        for (int c = 0; c < contractToFile.length; c++) {
          if (contractToFile[c] >= 0) {
            values[c] = r.get(contractToFile[c]);
          }
        }
        rowsSoFar++;
        batch.add(rowsSoFar, 0, values, null);
        if (batch.size() >= BATCH_ROWS) {
          sink.accept(batch);
          batch = new ValueBatch(names);
        }
      }
    } catch (RuntimeException e) {
      throw new BadInputException("the Parquet file is damaged after row " + rowsSoFar + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    if (batch.size() > 0) {
      sink.accept(batch);
    }
  }

  @Override
  public long bytesRead() {
    return rowCount == 0 ? size : (long) (size * (rowsSoFar / (double) rowCount));
  }

  @Override
  public String encoding() {
    return null;
  }

  @Override
  public List<String> missingColumns() {
    return List.copyOf(missing);
  }

  @Override
  public void close() {}
}
