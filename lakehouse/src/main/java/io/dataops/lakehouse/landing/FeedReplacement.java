package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * Where the rows of an earlier feed are in an ods table's current snapshot, so that a corrected feed's commit can
 * remove them: files holding only that feed's rows are removed whole, and files that also hold other feeds' rows
 * (compaction puts several feeds in one file) are written again without them. Copy-on-write rather than delete
 * files, because every reader of ods tables reads data files alone (pipelines refuse row-level deletes).
 */
final class FeedReplacement {
  private FeedReplacement() {}

  /** Feed ids are made by landings ({@code 20261204T174206Z-1a2b3c4d}); this admits them and nothing to escape. */
  private static final Pattern FEED_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z_-]{0,63}");

  /** A file that holds the feed's rows and {@code kept} rows of other feeds. */
  record Mixed(DataFile file, long kept) {}

  /** The feed's rows in snapshot {@code baseSnapshotId}: files wholly its, files shared, its row count. */
  record Plan(long baseSnapshotId, List<DataFile> whole, List<Mixed> mixed, long rows) {}

  /** Whether {@code text} has the form of a feed id (the landing zone checks its sender's metadata by it too). */
  static boolean isFeedId(String text) {
    return FEED_ID.matcher(text).matches();
  }

  static void checkId(Replaces replaces, TableIdentifier ods) {
    if (!isFeedId(replaces.feedId())) {
      throw new BadInputException(replaces.setting() + " takes a feed id as landings report it (such as 20261204T174206Z-1a2b3c4d"
          + "; see: dataops table history " + ods + ")");
    }
  }

  /**
   * Finds the feed's rows in the table's current snapshot: the files whose {@code _feed_id} bounds admit the id are
   * read (that column only) and their rows counted. Bounds are truncated to 16 characters, so they only narrow it.
   */
  static Plan plan(Table ods, String feedId) {
    Snapshot base = ods.currentSnapshot();
    if (base == null) {
      return new Plan(-1, List.of(), List.of(), 0);
    }
    Schema lineage = ods.schema().select(FeedTables.FEED_ID);
    List<DataFile> whole = new ArrayList<>();
    List<Mixed> mixed = new ArrayList<>();
    long rows = 0;
    try (CloseableIterable<FileScanTask> tasks = ods.newScan().useSnapshot(base.snapshotId())
        .filter(Expressions.equal(FeedTables.FEED_ID, feedId)).planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty()) {
          throw new BadInputException(ods.name() + " has row-level delete files, which a replacement does not apply: "
              + "nothing landed");
        }
        DataFile f = task.file();
        long matching = 0;
        long all = 0;
        try (CloseableIterable<Record> values = Parquet.read(ods.io().newInputFile(f.location()))
            .project(lineage)
            .createReaderFunc(t -> GenericParquetReaders.buildReader(lineage, t))
            .build()) {
          for (Record r : values) {
            all++;
            if (feedId.equals(r.getField(FeedTables.FEED_ID))) {
              matching++;
            }
          }
        }
        if (matching == 0) {
          continue;
        }
        rows += matching;
        if (matching == all) {
          whole.add(f);
        } else {
          mixed.add(new Mixed(f, all - matching));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the files of " + ods.name(), e);
    }
    return new Plan(base.snapshotId(), List.copyOf(whole), List.copyOf(mixed), rows);
  }

  /**
   * Why the table has no rows of the feed: a landing replaced it already (naming that feed, which a further correction
   * replaces), it was replaced by a snapshot since expired (the ledger knows the feed), or the table never had it.
   */
  static BadInputException notThere(Table ods, TableIdentifier id, Replaces replaces, LandedFeeds ledger) {
    String feedId = replaces.feedId();
    Snapshot by = null;
    for (Snapshot s : ods.snapshots()) {
      if (s.summary() != null && feedId.equals(s.summary().get(FeedTables.SUMMARY_REPLACES))) {
        by = s;
      }
    }
    if (by != null) {
      String newer = by.summary().get(FeedTables.SUMMARY_FEED_ID);
      return new BadInputException("feed " + feedId + " of " + id + " was replaced already, by feed " + newer
          + " (snapshot " + by.snapshotId() + "): nothing landed; to correct it again, "
          + replaces.toCorrect(newer));
    }
    if (ledger.knows(id, feedId)) {
      return new BadInputException("feed " + feedId + " of " + id + " has no rows left in the table: it was replaced "
          + "already (see: dataops table history " + id + "): nothing landed");
    }
    return new BadInputException("table " + id + " has no feed " + feedId + " (its feeds: dataops table history " + id
        + "): nothing landed");
  }
}
