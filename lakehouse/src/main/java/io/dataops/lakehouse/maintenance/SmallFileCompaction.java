package io.dataops.lakehouse.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Rewrites the small Parquet data files of an unpartitioned table into files of about the target size, in one
 * {@code replace} commit: the same rows, in the same order within each new file (old files in path order), read and
 * written one row at a time. Snapshots before it still read the old files, which go when those snapshots expire.
 * Tables with delete files are left alone (a rewrite would have to apply them, and their sequence numbers matter).
 */
final class SmallFileCompaction {
  private SmallFileCompaction() {}

  static TableReport.Compaction compact(Table table, MaintenancePolicy policy) {
    table.refresh();
    Snapshot base = table.currentSnapshot();
    if (base == null) {
      return TableReport.Compaction.none("no snapshot");
    }
    if (!table.spec().isUnpartitioned()) {
      return TableReport.Compaction.none("partitioned table");
    }
    List<DataFile> small = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(base.snapshotId()).planFiles()) {
      for (FileScanTask t : tasks) {
        if (!t.deletes().isEmpty()) {
          return TableReport.Compaction.none("the table has delete files");
        }
        DataFile f = t.file();
        if (f.format() == FileFormat.PARQUET && f.fileSizeInBytes() < policy.smallFileBytes()) {
          small.add(f.copyWithoutStats());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    small.sort(Comparator.comparing(DataFile::location));
    List<List<DataFile>> groups = binPack(small, policy.targetFileBytes());
    if (groups.isEmpty()) {
      return TableReport.Compaction.none(null);
    }
    Set<DataFile> removed = new HashSet<>();
    Set<DataFile> added = new HashSet<>();
    long rows = 0;
    long before = 0;
    long after = 0;
    try {
      for (List<DataFile> group : groups) {
        DataFile written = DataFileRewriter.rewrite(table, group, row -> true,
            group.stream().mapToLong(DataFile::recordCount).sum(), "compacted");
        added.add(written);
        removed.addAll(group);
        rows += written.recordCount();
        after += written.fileSizeInBytes();
        for (DataFile f : group) {
          before += f.fileSizeInBytes();
        }
      }
      RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(base.snapshotId())
          .set("dataops.maintenance", "compaction");
      removed.forEach(rewrite::deleteFile);
      added.forEach(rewrite::addFile);
      rewrite.commit();
    } catch (RuntimeException | Error e) {
      added.forEach(f -> table.io().deleteFile(f.location()));
      throw e;
    }
    table.refresh();
    return new TableReport.Compaction(removed.size(), added.size(), rows, before, after,
        table.currentSnapshot().snapshotId(), null);
  }

  /** Groups of at least two small files, each group up to the target size (by the inputs' sizes). */
  private static List<List<DataFile>> binPack(List<DataFile> small, long target) {
    List<List<DataFile>> groups = new ArrayList<>();
    List<DataFile> group = new ArrayList<>();
    long size = 0;
    for (DataFile f : small) {
      if (!group.isEmpty() && size + f.fileSizeInBytes() > target) {
        groups.add(group);
        group = new ArrayList<>();
        size = 0;
      }
      group.add(f);
      size += f.fileSizeInBytes();
    }
    groups.add(group);
    groups.removeIf(g -> g.size() < 2);
    return groups;
  }
}
