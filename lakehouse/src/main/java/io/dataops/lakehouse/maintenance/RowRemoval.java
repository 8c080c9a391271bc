package io.dataops.lakehouse.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.iceberg.parquet.Parquet;

/**
 * Removes the rows of an unpartitioned table that match a filter, in one commit: a file holding such a row leaves the
 * table, and its other rows (if any) are written again into a new file. Iceberg's delete by filter cannot do it for
 * the tables this serves: string bounds are truncated to 16 characters, so it cannot prove that every row of a file
 * matches. The removed files stay in the table's history until its snapshots expire.
 */
public final class RowRemoval {
  private RowRemoval() {}

  /**
   * What a removal did.
   *
   * @param rows the rows removed
   * @param files the files that left the table (committed; still on storage until expiry)
   */
  public record Removed(long rows, List<String> files) {}

  /** Removes the rows of {@code table} that {@code rows} matches; {@code prefix} names the files written again. */
  public static Removed remove(Table table, Expression rows, String prefix) {
    if (table.currentSnapshot() == null) {
      return new Removed(0, List.of());
    }
    Evaluator matches = new Evaluator(table.schema().asStruct(), rows);
    OverwriteFiles overwrite = table.newOverwrite();
    List<String> removed = new ArrayList<>();
    long matching = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(rows).planFiles()) {
      for (FileScanTask task : tasks) {
        long[] counts = count(table, task, matches); // matching, other
        if (counts[0] == 0) {
          continue;
        }
        matching += counts[0];
        overwrite.deleteFile(task.file());
        removed.add(task.file().location());
        if (counts[1] > 0) {
          overwrite.addFile(DataFileRewriter.rewrite(table, List.of(task.file()), r -> !matches.eval(r), counts[1],
              prefix));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove rows of " + table.name(), e);
    }
    if (!removed.isEmpty()) {
      overwrite.commit();
    }
    return new Removed(matching, List.copyOf(removed));
  }

  private static long[] count(Table table, FileScanTask task, Evaluator matches) throws IOException {
    long[] counts = new long[2];
    try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(task.file().location()))
        .project(table.schema())
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
        .build(); CloseableIterator<Record> it = rows.iterator()) {
      while (it.hasNext()) {
        counts[matches.eval(it.next()) ? 0 : 1]++;
      }
    }
    return counts;
  }
}
