package io.dataops.lakehouse.landing;

import io.dataops.core.db.PlatformDatabase;
import io.dataops.core.db.Statements;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The landed-feed ledger (table {@code landed_feeds} of the platform database): which feeds each ods table committed,
 * by file digest and contract version, and whether the feed's quarantine rows are committed yet. Snapshot summaries
 * say the same, but snapshots are expired by table maintenance; the ledger is not, so a feed landed a year ago is
 * still recognised as a duplicate and its quarantine rows are never appended twice.
 */
public final class LandedFeeds {
  static final String MODULE = "lakehouse";

  private final Statements db;

  private LandedFeeds(Statements db) {
    this.db = db;
  }

  /** The ledger in the catalog's database (migrated on first use). */
  public static LandedFeeds of(LakehouseConfig config) {
    String jdbc = config.catalogUri();
    PlatformDatabase.migrate(jdbc, config.catalogUser(), config.catalogPassword(), MODULE);
    return new LandedFeeds(new Statements(PlatformDatabase.url(jdbc),
        PlatformDatabase.prepare(jdbc, config.catalogUser(), config.catalogPassword()), "the landed-feed ledger"));
  }

  /** What {@link #backfill} found: feeds recorded now, feeds already known. */
  public record Backfill(int recorded, int known) {}

  /** The snapshot that landed this feed, or null. */
  Long landedBefore(TableIdentifier ods, FeedKey key, String contractFileSha256) {
    return db.query("SELECT snapshot_id, feed_key, file_sha256, contract_sha256, rows_landed FROM landed_feeds"
        + " WHERE table_name = ? AND file_sha256 = ?", p -> {
          p.setString(1, ods.toString());
          p.setString(2, key.fileSha256());
        }, rs -> {
          while (rs.next()) {
            Map<String, String> summary = new HashMap<>();
            if (rs.getString(2) != null) {
              summary.put(FeedTables.SUMMARY_FEED_KEY, rs.getString(2));
            }
            summary.put(FeedTables.SUMMARY_FILE_SHA256, rs.getString(3));
            if (rs.getString(4) != null) {
              summary.put(FeedTables.SUMMARY_CONTRACT_SHA256, rs.getString(4));
            }
            summary.put(FeedTables.SUMMARY_ROWS_LANDED, String.valueOf(rs.getLong(5)));
            if (key.landedBy(summary, contractFileSha256)) {
              return rs.getLong(1);
            }
          }
          return null;
        });
  }

  /** Whether the ledger holds this feed of the table (snapshots expire; the ledger remembers every landed feed). */
  boolean knows(TableIdentifier ods, String feedId) {
    return db.query("SELECT 1 FROM landed_feeds WHERE table_name = ? AND feed_id = ?", p -> {
      p.setString(1, ods.toString());
      p.setString(2, feedId);
    }, ResultSet::next);
  }

  /** The feed the table's snapshot {@code snapshotId} landed, or null (for a snapshot expired since). */
  String feedOf(TableIdentifier ods, long snapshotId) {
    return db.query("SELECT feed_id FROM landed_feeds WHERE table_name = ? AND snapshot_id = ?", p -> {
      p.setString(1, ods.toString());
      p.setLong(2, snapshotId);
    }, rs -> rs.next() ? rs.getString(1) : null);
  }

  /** Whether a feed of exactly this many bytes was landed into the table (only such a file can be a duplicate). */
  boolean sizeSeen(TableIdentifier ods, long size) {
    return db.query("SELECT 1 FROM landed_feeds WHERE table_name = ? AND file_size = ?", p -> {
      p.setString(1, ods.toString());
      p.setLong(2, size);
    }, ResultSet::next);
  }

  /** Whether the ledger knows the quarantine rows of this feed are committed. */
  boolean quarantineCommitted(TableIdentifier ods, String feedId) {
    return db.query("SELECT quarantine_pending FROM landed_feeds WHERE table_name = ? AND feed_id = ?", p -> {
      p.setString(1, ods.toString());
      p.setString(2, feedId);
    }, rs -> rs.next() && rs.getInt(1) == 0);
  }

  /** Records the feed an ods snapshot landed (nothing when its summary names no feed, or the ledger has it). */
  boolean record(TableIdentifier ods, Snapshot s, boolean quarantinePending) {
    Map<String, String> sum = s.summary();
    String feedId = sum == null ? null : sum.get(FeedTables.SUMMARY_FEED_ID);
    String sha = sum == null ? null : sum.get(FeedTables.SUMMARY_FILE_SHA256);
    if (feedId == null || sha == null) {
      return false;
    }
    return db.update("INSERT INTO landed_feeds (table_name, feed_id, snapshot_id, feed_key, file_sha256, file_size,"
        + " contract_sha256, rows_landed, quarantine_pending, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT DO NOTHING", p -> {
          p.setString(1, ods.toString());
          p.setString(2, feedId);
          p.setLong(3, s.snapshotId());
          p.setString(4, sum.get(FeedTables.SUMMARY_FEED_KEY));
          p.setString(5, sha);
          p.setLong(6, number(sum.get(FeedTables.SUMMARY_FILE_SIZE)));
          p.setString(7, sum.get(FeedTables.SUMMARY_CONTRACT_SHA256));
          p.setLong(8, number(sum.get(FeedTables.SUMMARY_ROWS_LANDED)));
          p.setInt(9, quarantinePending ? 1 : 0);
          p.setLong(10, s.timestampMillis());
        }) > 0;
  }

  /** Marks the feed's quarantine rows committed. */
  void quarantineDone(TableIdentifier ods, String feedId) {
    db.update("UPDATE landed_feeds SET quarantine_pending = 0 WHERE table_name = ? AND feed_id = ?", p -> {
      p.setString(1, ods.toString());
      p.setString(2, feedId);
    });
  }

  /**
   * Records every feed the ods table's snapshots name that the ledger lacks, and which of them have their quarantine
   * rows committed (a quarantine snapshot carries the feed id). Run before snapshots of either table are expired:
   * it is also how a home made before the ledger is brought onto it.
   */
  public Backfill backfill(TableIdentifier ods, Table odsTable, Table quarantine) {
    Set<String> quarantined = new HashSet<>();
    if (quarantine != null) {
      for (Snapshot q : quarantine.snapshots()) {
        String feedId = q.summary() == null ? null : q.summary().get(FeedTables.SUMMARY_FEED_ID);
        if (feedId != null) {
          quarantined.add(feedId);
        }
      }
    }
    int recorded = 0;
    int known = 0;
    for (Snapshot s : odsTable.snapshots()) {
      Map<String, String> sum = s.summary();
      String feedId = sum == null ? null : sum.get(FeedTables.SUMMARY_FEED_ID);
      if (feedId == null) {
        continue;
      }
      // A replacement whose mark on the quarantine table is not made yet keeps its snapshot until a landing makes it.
      String replaced = sum.get(FeedTables.SUMMARY_REPLACES);
      boolean unmarked = replaced != null && quarantine != null
          && FeedTables.replacedBy(quarantine.properties(), replaced) == null;
      boolean pending = sum.containsKey(FeedTables.SUMMARY_QUARANTINE_FILES) && !quarantined.contains(feedId)
          || unmarked;
      if (record(ods, s, pending)) {
        recorded++;
      } else {
        known++;
        if (!pending && (sum.containsKey(FeedTables.SUMMARY_QUARANTINE_FILES) || replaced != null)) {
          quarantineDone(ods, feedId);
        }
      }
    }
    return new Backfill(recorded, known);
  }

  /** The ods snapshots whose feed's quarantine rows are not committed yet: expiring them would lose those rows. */
  public Set<Long> quarantinePending(TableIdentifier ods) {
    return db.query("SELECT snapshot_id FROM landed_feeds WHERE table_name = ? AND quarantine_pending = 1",
        p -> p.setString(1, ods.toString()), rs -> {
          Set<Long> ids = new HashSet<>();
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
          return ids;
        });
  }

  /** How many feeds the ledger holds for the table. */
  public long count(TableIdentifier ods) {
    return db.query("SELECT COUNT(*) FROM landed_feeds WHERE table_name = ?", p -> p.setString(1, ods.toString()),
        rs -> rs.next() ? rs.getLong(1) : 0L);
  }

  private static long number(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
