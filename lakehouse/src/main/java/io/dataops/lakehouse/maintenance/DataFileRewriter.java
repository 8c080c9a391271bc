package io.dataops.lakehouse.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/**
 * Writes the rows of Parquet data files of an unpartitioned table into one new file, in order, one row at a time, with
 * the table's own writer settings (codec, row-group size, and no statistics for personal columns). Compaction keeps
 * every row; a landing that replaces a feed keeps the rows of the other feeds; a quality run drops the failing rows of
 * an expectation that raised. The new file is not committed here.
 */
public final class DataFileRewriter {
  private DataFileRewriter() {}

  /**
   * The rows of {@code files} that {@code keep} accepts, in one new file named {@code prefix}-UUID; {@code expected}
   * is how many that must be (checked, so that a misread never commits a file short of rows).
   */
  public static DataFile rewrite(Table table, List<DataFile> files, Predicate<Record> keep, long expected,
      String prefix) {
    Schema schema = table.schema();
    GenericAppenderFactory appenders = new GenericAppenderFactory(schema, table.spec());
    appenders.setAll(table.properties()); // the table's codec and row-group size, not the library's defaults
    String location = table.locationProvider().newDataLocation(prefix + "-" + UUID.randomUUID() + ".parquet");
    OutputFile out = table.io().newOutputFile(location);
    FileAppender<Record> appender = appenders.newAppender(out, FileFormat.PARQUET);
    try (appender) {
      for (DataFile f : files) {
        try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(f.location()))
            .project(schema)
            .createReaderFunc(t -> GenericParquetReaders.buildReader(schema, t))
            .build()) {
          for (Record r : rows) {
            if (keep.test(r)) {
              appender.add(r);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      table.io().deleteFile(location);
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new UncheckedIOException("cannot rewrite files of " + table.name(), (IOException) e);
    }
    DataFile written = DataFiles.builder(table.spec())
        .withPath(location)
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(appender.length())
        .withMetrics(appender.metrics())
        .build();
    if (written.recordCount() != expected) {
      table.io().deleteFile(location);
      throw new IllegalStateException("a rewrite of files of " + table.name() + " wrote " + written.recordCount()
          + " rows for " + expected + ": nothing committed");
    }
    return written;
  }
}
