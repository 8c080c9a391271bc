package io.dataops.lakehouse.landing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dataops.core.BadInputException;
import io.dataops.core.text.VisibleText;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.StorageFullException;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.contract.FeedFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Lands one department feed: every row either goes to {@code ods.<department>__<dataset>} or, with the reason,
 * to {@code quarantine.<department>__<dataset>}. The ods append is one Iceberg commit and is the feed's commit
 * point: it carries the feed id, the file's SHA-256, the contract's version, the row counts and the list of
 * quarantine files, and it is refused on every retry if a snapshot with the same file and contract version exists
 * (so a feed lands at most once, even when two processes land it at the same moment). The quarantine append
 * follows; if a crash falls between the two, the next landing into the table appends the recorded quarantine files.
 * An empty feed, or one of which no row can be landed, is refused: only the quarantine rows of the latter are kept.
 * A feed that replaces an earlier one (a corrected file) is one overwrite commit instead of the append: its rows in,
 * the earlier feed's rows out.
 */
public final class Landing {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Landing.class);
  private static final DateTimeFormatter FEED_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Lakehouse lakehouse;
  private final int workers;
  private final ProgressListener progress;
  /** Runs between the ods and the quarantine commit; tests use it to die at the worst moment. */
  Runnable betweenCommits = () -> { };
  /** Runs at each ods commit attempt once its base is chosen; tests line up processes here to force a conflict. */
  IntConsumer beforeCommitAttempt = attempt -> { };

  private AuditSink audit = AuditSink.NONE;
  private LandedFeeds ledger;

  public Landing(Lakehouse lakehouse) {
    this(lakehouse, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), ProgressListener.NONE);
  }

  public Landing(Lakehouse lakehouse, int workers, ProgressListener progress) {
    this.lakehouse = lakehouse;
    this.workers = workers;
    this.progress = progress;
  }

  /** The landed-feed ledger (opened at first use): deduplication that outlives snapshot expiry. */
  private synchronized LandedFeeds ledger() {
    if (ledger == null) {
      ledger = LandedFeeds.of(lakehouse.config());
    }
    return ledger;
  }

  /** Where each landing is recorded (the platform's audit trail); nothing by default. */
  public Landing audit(AuditSink sink) {
    this.audit = sink;
    return this;
  }

  /**
   * Lands a feed and records it as an audit event ({@code feed.land}: the table, the snapshot it made or the one it
   * duplicates, the counts), or the refusal ({@code refused}, with the one-line reason, which names no value).
   */
  public LandingResult land(LandingRequest request) {
    List<String> objects = List.of("table:" + TableNames.ods(request.department(), request.dataset()),
        fileObject(request.feed().name()));
    // The event follows the commit: one the trail would refuse must be known before anything is landed.
    List<String> atMost = new ArrayList<>(objects);
    atMost.add("snapshot:" + Long.MIN_VALUE);
    audit.check(AuditEvent.ok("feed.land", atMost, Map.of()));
    LandingResult r;
    List<TableIdentifier> created = new ArrayList<>(2);
    try {
      r = landFeed(request, created);
    } catch (BadInputException refused) {
      dropUnfilled(created, request);
      audit.record(new AuditEvent("feed.land", objects, AuditEvent.REFUSED, Map.of("reason", refused.getMessage())));
      throw refused;
    } catch (RuntimeException | Error e) {
      dropUnfilled(created, request);
      throw e;
    }
    Map<String, Object> details = eventDetails(r.feedId(), r.snapshotId(), r.duplicateOf(), r.rowsRead(),
        r.rowsLanded(), r.rowsQuarantined(), r.fileSha256());
    if (r.sameNameAs() != null) {
      details.put("sameNameAs", r.sameNameAs().feedId());
    }
    if (r.replaced() != null) {
      details.put("replaces", r.replaced().feedId());
      details.put("rowsReplaced", r.replaced().rows());
    }
    if (r.duplicateReplaced() != null) {
      details.put("duplicateReplacedBy", r.duplicateReplaced().replacedBy());
    }
    List<String> withSnapshot = new ArrayList<>(objects);
    if (r.snapshotId() != null) {
      withSnapshot.add("snapshot:" + r.snapshotId());
    }
    audit.record(AuditEvent.ok("feed.land", withSnapshot, details));
    return r;
  }

  /**
   * Records the events of the table's landings that the trail does not hold: a landing committed, then its process
   * was killed or the platform database was full before the event was recorded (the command said it failed, and run
   * again it finds the feed landed). The snapshot's summary says what the event would have; the event says it was
   * recorded late. Walks back from the current snapshot to the newest landing whose event is held: later commits that
   * are not landings (a compaction, a product's destruction) no longer hide an unrecorded one, which looking at the
   * current snapshot alone did (found by a probe: a full disk, then {@code table maintain}). Table maintenance runs
   * this too before it expires snapshots, which would take the summaries with them.
   */
  public static void recordMissedLandingEvents(TableIdentifier odsId, Table ods, AuditSink audit) {
    for (org.apache.iceberg.Snapshot s = ods.currentSnapshot(); s != null;
        s = s.parentId() == null ? null : ods.snapshot(s.parentId())) {
      Map<String, String> summary = s.summary();
      if (summary == null || summary.get(FeedTables.SUMMARY_FEED_ID) == null) {
        continue;
      }
      Map<String, Object> details = eventDetails(summary.get(FeedTables.SUMMARY_FEED_ID), s.snapshotId(), null,
          count(summary.get(FeedTables.SUMMARY_ROWS_READ)), count(summary.get(FeedTables.SUMMARY_ROWS_LANDED)),
          count(summary.get(FeedTables.SUMMARY_ROWS_QUARANTINED)), summary.get(FeedTables.SUMMARY_FILE_SHA256));
      if (summary.get(FeedTables.SUMMARY_REPLACES) != null) {
        details.put("replaces", summary.get(FeedTables.SUMMARY_REPLACES));
        details.put("rowsReplaced", count(summary.get(FeedTables.SUMMARY_ROWS_REPLACED)));
      }
      details.put("recordedLate", true);
      details.put("landedAt", java.time.Instant.ofEpochMilli(s.timestampMillis()).toString());
      String file = summary.get(FeedTables.SUMMARY_SOURCE_FILE);
      List<String> objects = new ArrayList<>(List.of("table:" + odsId));
      if (file != null) {
        objects.add(fileObject(file));
      }
      objects.add("snapshot:" + s.snapshotId());
      if (!audit.recordUnlessHeld(AuditEvent.ok("feed.land", objects, details), "snapshot:" + s.snapshotId())) {
        return; // held (older landings were checked when it was made), or a sink that keeps no trail
      }
    }
  }

  /**
   * The audit object naming a feed: {@code file:} and its name, shortened as the bucket intake shortens an over-long
   * key when the name would pass what the trail takes (S3 allows 1,024 bytes; found by a probe: a landing committed,
   * then its event was refused, and every later landing of the table failed recording it late).
   */
  static String fileObject(String name) {
    return "file:" + ShortNames.fitted(name, AuditEvent.MAX_OBJECT_LENGTH - "file:".length(),
        ShortNames.Measure.CHARS);
  }

  /** The details of a {@code feed.land} event that succeeded (in this order: the trail keeps them as given). */
  private static Map<String, Object> eventDetails(String feedId, Long snapshotId, Long duplicateOf, Long rowsRead,
      Long rowsLanded, Long rowsQuarantined, String fileSha256) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("feedId", feedId);
    details.put("snapshotId", snapshotId);
    details.put("duplicateOf", duplicateOf);
    details.put("rowsRead", rowsRead);
    details.put("rowsLanded", rowsLanded);
    details.put("rowsQuarantined", rowsQuarantined);
    details.put("fileSha256", fileSha256);
    return details;
  }

  /** A count of a snapshot's summary, or null where an older landing did not write it. */
  private static Long count(String value) {
    try {
      return value == null ? null : Long.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Removes the tables this landing created when it ends without a commit in either (a feed refused at read time: no
   * header, an unreadable workbook): left behind, their schema would refuse the corrected contract, and any user who
   * may land could make tables under any name this way (found by a probe). Each is removed only if the catalog still
   * names the metadata it was created with ({@link Lakehouse#dropIfAt}): a process that committed into it since keeps
   * it, one that commits after finds it gone and lands nothing. The ods table goes first; the quarantine table only
   * after it, as a landing commits there only after its ods commit (or, refusing an unlandable feed, instead of one:
   * that commit keeps it). A kill before this leaves them, as before: the next landing uses them.
   */
  private void dropUnfilled(List<TableIdentifier> created, LandingRequest request) {
    if (created.isEmpty()) {
      return;
    }
    TableIdentifier odsId = TableNames.ods(request.department(), request.dataset());
    TableIdentifier quarantineId = TableNames.quarantine(request.department(), request.dataset());
    try {
      Map<TableIdentifier, TableMetadata> unfilled = new LinkedHashMap<>();
      for (TableIdentifier id : List.of(odsId, quarantineId)) {
        if (!lakehouse.exists(id)) {
          continue;
        }
        TableMetadata m = ((HasTableOperations) lakehouse.load(id)).operations().current();
        if (!m.snapshots().isEmpty()) {
          return; // something was committed (an unlandable feed's quarantined rows): both tables stay
        }
        if (created.contains(id)) {
          unfilled.put(id, m);
        }
      }
      for (Map.Entry<TableIdentifier, TableMetadata> e : unfilled.entrySet()) {
        if (!dropIfStillAt(e.getKey(), e.getValue())) {
          return; // committed into since: it stays, and so does the quarantine table
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("the empty tables a refused landing created for {} were not removed ({})", odsId,
          e.getClass().getSimpleName());
    }
  }

  private LandingResult landFeed(LandingRequest request, List<TableIdentifier> created) {
    long started = System.nanoTime();
    FeedContract contract = checkRequest(request);
    FeedFile file = request.feed();
    long fileBytes = file.length();
    if (fileBytes == 0) {
      throw new BadInputException(VisibleText.value(file.name()) + " is empty (0 bytes): there is nothing to land");
    }
    TableIdentifier odsId = TableNames.ods(request.department(), request.dataset());
    TableIdentifier quarantineId = TableNames.quarantine(request.department(), request.dataset());
    Replaces correction = request.replaces();
    String replaces = correction == null ? null : correction.feedId();
    if (replaces != null) {
      FeedReplacement.checkId(correction, odsId);
      if (!lakehouse.exists(odsId)) {
        throw new BadInputException("table " + odsId + " has no feed " + replaces + ": nothing has landed in it yet");
      }
    }
    Table ods = odsTable(odsId, request, () -> created.add(odsId));
    Map<String, String> quarantineProps = FeedTables.quarantineProperties(request.department(), request.dataset());
    Table quarantine = withProperties(lakehouse.createOrLoad(quarantineId, FeedTables.quarantineSchema(),
        quarantineProps, () -> created.add(quarantineId)), quarantineProps);
    Repaired repaired = completeQuarantineCommits(odsId, ods, quarantine);
    recordMissedLandingEvents(odsId, ods, audit);
    String contractVersion = FeedKey.versionOf(contract);

    // A file can only be a duplicate of a feed of the same size: hash up front only then, else while reading.
    String sha = null;
    if (sizeSeenBefore(ods, fileBytes) || ledger().sizeSeen(odsId, fileBytes)
        || contract.format() == FeedFormat.PARQUET || contract.format() == FeedFormat.XLSX) {
      sha = sha256(file);
      Long earlier = earlierLanding(ods, odsId, new FeedKey(sha, contractVersion), request.contractSha256());
      if (earlier != null) {
        return duplicate(odsId, ods, quarantineId, quarantine, earlier, sha, fileBytes, contract, started,
            CommitReport.NONE, repaired);
      }
    }

    // Checked before the file is read (and again at every commit attempt): the feed to replace is there, unreplaced.
    FeedReplacement.Plan replacing = null;
    if (replaces != null) {
      io.dataops.core.CommitPoint.reached("replacement-planning");
      ods.refresh();
      replacing = FeedReplacement.plan(ods, replaces);
      if (replacing.rows() == 0) {
        // Two intakes of one corrected file at once (two land --from-bucket runs meeting on its object, say): the
        // other may have landed it, replacing the feed, since the duplicate check above. Then the feed was replaced
        // by this very file, which is a duplicate as it is when sent again later, not a refusal.
        if (sha == null && sizeSeenBefore(ods, fileBytes)) {
          sha = sha256(file);
          Long earlier = earlierLanding(ods, odsId, new FeedKey(sha, contractVersion), request.contractSha256());
          if (earlier != null) {
            return duplicate(odsId, ods, quarantineId, quarantine, earlier, sha, fileBytes, contract, started,
                CommitReport.NONE, repaired);
          }
        }
        throw FeedReplacement.notThere(ods, odsId, correction, ledger());
      }
    }

    OffsetDateTime landedAt = OffsetDateTime.now(ZoneOffset.UTC);
    String feedId = FEED_TIME.format(landedAt) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    MessageDigest digest = sha == null ? newSha256() : null;
    Outcome outcome;
    try {
      outcome = readAndWrite(file, contract, ods, quarantine, feedId, landedAt, digest, fileBytes);
    } catch (RuntimeException | Error e) {
      throw storageFullOr(e, ods, odsId);
    }
    if (sha == null) {
      sha = HexFormat.of().formatHex(digest.digest());
    }
    if (outcome.landed == 0) {
      throw refuseUnlandable(file, ods, quarantine, quarantineId, feedId, outcome);
    }
    FeedKey key = new FeedKey(sha, contractVersion);

    Map<String, String> summary = new HashMap<>();
    summary.put(FeedTables.SUMMARY_FEED_ID, feedId);
    summary.put(FeedTables.SUMMARY_FILE_SHA256, sha);
    summary.put(FeedTables.SUMMARY_FILE_SIZE, String.valueOf(fileBytes));
    summary.put(FeedTables.SUMMARY_SOURCE_FILE, file.name());
    summary.put(FeedTables.SUMMARY_DEPARTMENT, request.department());
    summary.put(FeedTables.SUMMARY_DATASET, request.dataset());
    summary.put(FeedTables.SUMMARY_FORMAT, contract.format().spelling());
    if (outcome.encoding != null) {
      summary.put(FeedTables.SUMMARY_ENCODING, outcome.encoding);
    }
    summary.put(FeedTables.SUMMARY_ROWS_READ, String.valueOf(outcome.landed + outcome.quarantined));
    summary.put(FeedTables.SUMMARY_ROWS_LANDED, String.valueOf(outcome.landed));
    summary.put(FeedTables.SUMMARY_ROWS_QUARANTINED, String.valueOf(outcome.quarantined));
    if (request.contractSha256() != null) {
      summary.put(FeedTables.SUMMARY_CONTRACT_SHA256, request.contractSha256());
    }
    summary.put(FeedTables.SUMMARY_CONTRACT_VERSION, contractVersion);
    summary.put(FeedTables.SUMMARY_FEED_KEY, key.value());
    if (replaces != null) {
      summary.put(FeedTables.SUMMARY_REPLACES, replaces);
    }
    if (!outcome.quarantineFiles.isEmpty()) {
      summary.put(FeedTables.SUMMARY_QUARANTINE_FILES, describe(outcome.quarantineFiles));
    }

    LandingResult.EarlierFeed sameName = sameNameAs(ods, file.name(), sha);
    if (sameName != null && sameName.feedId().equals(replaces)) {
      sameName = null; // its rows are replaced, not beside this feed's
    }
    OnceOnlyOperations guard = new OnceOnlyOperations(((HasTableOperations) ods).operations(),
        FeedTables.SUMMARY_FEED_KEY, key.value(), beforeCommitAttempt);
    long snapshotId;
    LandingResult.Replaced replaced = null;
    try {
      if (replacing == null) {
        snapshotId = commitOnce(ods, guard, outcome.odsFiles, summary);
      } else {
        Replacing done = commitReplacing(ods, odsId, guard.replacing(replaces), outcome.odsFiles, correction,
            summary, replacing, key);
        snapshotId = done.snapshotId();
        replaced = done.replaced();
      }
    } catch (OnceOnlyOperations.AlreadyCommitted e) {
      deleteQuietly(ods, outcome.odsFiles);
      deleteQuietly(quarantine, outcome.quarantineFiles);
      return duplicate(odsId, ods, quarantineId, quarantine, e.snapshotId, sha, fileBytes, contract, started,
          guard.report(true), repaired);
    } catch (RuntimeException | Error e) {
      deleteQuietly(ods, outcome.odsFiles);
      deleteQuietly(quarantine, outcome.quarantineFiles);
      throw storageFullOr(e, ods, odsId);
    }
    // The ods snapshot is the commit point; the quarantine rows and the replaced feed's mark follow, and the ledger
    // keeps the snapshot from expiry until both are done (a landing repairs them after a crash in between).
    boolean quarantinePending = !outcome.quarantineFiles.isEmpty() || replaces != null;
    recordInLedger(odsId, ods, snapshotId, quarantinePending);
    betweenCommits.run();
    io.dataops.core.CommitPoint.reached("ods-committed");
    Long quarantineSnapshot = null;
    if (!outcome.quarantineFiles.isEmpty()) {
      quarantineSnapshot = commitQuarantine(quarantine, feedId, outcome.quarantineFiles);
    }
    if (replaces != null) {
      markReplaced(quarantine, replaces, feedId);
    }
    if (quarantinePending) {
      quarantineDoneInLedger(odsId, feedId);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new LandingResult(odsId.toString(), snapshotId, feedId, outcome.landed + outcome.quarantined,
        outcome.landed, outcome.quarantined, null, quarantineId.toString(), quarantineSnapshot,
        new TreeMap<>(outcome.byRule), sha, fileBytes, contract.format().spelling(), outcome.encoding,
        outcome.missingColumns, outcome.blankLines, seconds, guard.report(false), repaired, sameName, replaced, null);
  }

  /**
   * The newest feed of {@code ods} (as loaded for this landing) landed from a file named {@code name} with content
   * other than {@code sha}, or null. Only snapshots the table still has are looked at (maintenance expires old ones).
   */
  private static LandingResult.EarlierFeed sameNameAs(Table ods, String name, String sha) {
    Snapshot newest = null;
    for (Snapshot s : ods.snapshots()) {
      Map<String, String> summary = s.summary();
      if (summary != null && name.equals(summary.get(FeedTables.SUMMARY_SOURCE_FILE))
          && !sha.equals(summary.get(FeedTables.SUMMARY_FILE_SHA256)) && summary.get(FeedTables.SUMMARY_FEED_ID) != null
          && (newest == null || s.timestampMillis() >= newest.timestampMillis())) {
        newest = s;
      }
    }
    if (newest == null) {
      return null;
    }
    Long rows = count(newest.summary().get(FeedTables.SUMMARY_ROWS_LANDED));
    return new LandingResult.EarlierFeed(newest.summary().get(FeedTables.SUMMARY_FEED_ID), newest.snapshotId(),
        rows == null ? 0 : rows);
  }

  /**
   * A write that failed for want of space is said in one line naming the device (the files written are gone by
   * now, so landing again once there is space is safe); any other failure is passed on as it is.
   */
  private RuntimeException storageFullOr(Throwable failure, Table table, TableIdentifier id) {
    if (StorageFullException.isCause(failure)) {
      // The table's files, or the catalog's database (SQLite's SQLITE_FULL at the commit, rolled back whole).
      List<String> places = new ArrayList<>(List.of(table.location()));
      io.dataops.core.db.PlatformDatabase.sqliteFile(lakehouse.config().catalogUri())
          .ifPresent(db -> places.add(db.toString()));
      return StorageFullException.of(failure, "writing " + id, "nothing was landed; free some space and land the "
          + "feed again", places);
    }
    if (failure instanceof Error err) {
      throw err;
    }
    return (RuntimeException) failure;
  }

  /**
   * Records the committed feed in the ledger. The ods snapshot is the commit point: if the ledger cannot be written
   * now, the snapshot's summary still says it all and table maintenance records it before expiring anything.
   */
  private void recordInLedger(TableIdentifier odsId, Table ods, long snapshotId, boolean quarantinePending) {
    try {
      ods.refresh();
      Snapshot s = ods.snapshot(snapshotId);
      if (s != null) {
        ledger().record(odsId, s, quarantinePending);
      }
    } catch (RuntimeException e) {
      LOG.warn("landed feed of {} not recorded in the ledger yet ({}); table maintenance will record it", odsId,
          e.getClass().getSimpleName());
    }
  }

  private void quarantineDoneInLedger(TableIdentifier odsId, String feedId) {
    try {
      ledger().quarantineDone(odsId, feedId);
    } catch (RuntimeException e) {
      LOG.warn("quarantine commit of a feed of {} not marked in the ledger yet ({})", odsId,
          e.getClass().getSimpleName());
    }
  }

  /**
   * The snapshot that landed the feed of {@code key} before, in the table as it is now or, for a snapshot expired
   * since, in the ledger; null when none did.
   */
  private Long earlierLanding(Table ods, TableIdentifier odsId, FeedKey key, String contractFileSha256) {
    Long earlier = landedBefore(((HasTableOperations) ods).operations().refresh(), key, contractFileSha256);
    return earlier != null ? earlier : ledger().landedBefore(odsId, key, contractFileSha256);
  }

  /** The snapshot that landed this feed before, or null. */
  private static Long landedBefore(TableMetadata metadata, FeedKey key, String contractFileSha256) {
    for (Snapshot s : metadata.snapshots()) {
      if (s.summary() != null && key.landedBy(s.summary(), contractFileSha256)) {
        return s.snapshotId();
      }
    }
    return null;
  }

  /**
   * A feed with no row to land is refused (exit status 2 in the CLI) rather than committed as an empty snapshot that
   * would count as landed. Its quarantined rows are kept, raw bytes and all, so the department can see why.
   */
  private static BadInputException refuseUnlandable(FeedFile file, Table ods, Table quarantine, TableIdentifier quarantineId,
      String feedId, Outcome outcome) {
    deleteQuietly(ods, outcome.odsFiles);
    String name = VisibleText.value(file.name());
    if (outcome.quarantined == 0) {
      deleteQuietly(quarantine, outcome.quarantineFiles);
      return new BadInputException(name + " has no rows: there is nothing to land");
    }
    commitQuarantine(quarantine, feedId, outcome.quarantineFiles);
    StringBuilder rules = new StringBuilder();
    new TreeMap<>(outcome.byRule).forEach((rule, n) -> rules.append(rules.length() > 0 ? ", " : "").append(rule)
        .append(' ').append(n));
    String hint = outcome.byRule.containsKey(Problem.UNDECODABLE) && outcome.encoding != null
        ? "; is the file really " + outcome.encoding + "? check the contract's encoding" : "";
    String none = outcome.quarantined == 1 ? "the only row of " + name + " could not be landed"
        : "none of the " + outcome.quarantined + " rows of " + name + " could be landed";
    return new BadInputException(none + " (" + rules + "): nothing landed; the rows are in " + quarantineId
        + " as feed " + feedId + hint);
  }

  private FeedContract checkRequest(LandingRequest request) {
    FeedContract contract = request.contract();
    if (contract.department() != null && !contract.department().equals(request.department())) {
      throw new BadInputException("the contract is for department '" + contract.department() + "', not '"
          + request.department() + "'");
    }
    if (contract.dataset() != null && !contract.dataset().equals(request.dataset())) {
      throw new BadInputException("the contract is for dataset '" + contract.dataset() + "', not '"
          + request.dataset() + "'");
    }
    FeedFile file = request.feed();
    String location = file.location();
    if (location.startsWith("/") && (!Files.isRegularFile(Path.of(location)) || !Files.isReadable(Path.of(location)))) {
      throw new BadInputException("no readable file at " + VisibleText.value(location));
    }
    FeedFormat byName = FeedFormat.fromFileName(file.name());
    if (byName != null && byName != contract.format() && !(byName == FeedFormat.CSV && contract.format() == FeedFormat.JSONL)) {
      throw new BadInputException("the contract promises " + contract.format().spelling() + " but the file name says "
          + byName.spelling());
    }
    return contract;
  }

  /** Creates the ods table, or evolves its schema when the contract adds columns or widens a type. */
  private Table odsTable(TableIdentifier id, LandingRequest request, Runnable created) {
    FeedContract contract = request.contract();
    Schema wanted = FeedTables.odsSchema(contract);
    Table table = lakehouse.createOrLoad(id, wanted, FeedTables.odsProperties(request.department(), request.dataset(),
        contract), created);
    // Table names write '-' as '_': sp-two and sp_two would land into one table, each feed under its own contract
    // (found by a probe: the same file landed twice, personal markings of one contract applied to the other's rows).
    String department = table.properties().get(FeedTables.PROP_DEPARTMENT);
    String dataset = table.properties().get(FeedTables.PROP_DATASET);
    if (department != null && dataset != null
        && (!department.equals(request.department()) || !dataset.equals(request.dataset()))) {
      throw new BadInputException("table " + id + " holds dataset '" + dataset + "' of department '" + department
          + "': '" + request.department() + "/" + request.dataset() + "' reads as that one (names that differ only in"
          + " '-' and '_' share a table); land it as " + department + "/" + dataset);
    }
    Schema have = table.schema();
    UpdateSchema update = null;
    String conflict = null;
    for (ColumnSpec c : contract.columns()) {
      NestedField existing = have.findField(c.name());
      Type type = c.type().toIceberg();
      if (existing == null) {
        update = update != null ? update : table.updateSchema();
        update.addColumn(c.name(), type, c.description());
      } else if (!existing.type().equals(type)) {
        if (type.isPrimitiveType() && TypeUtil.isPromotionAllowed(existing.type(), type.asPrimitiveType())) {
          update = update != null ? update : table.updateSchema();
          update.updateColumn(c.name(), type.asPrimitiveType());
        } else if (conflict == null) {
          conflict = "column '" + c.name() + "' is " + existing.type() + " in " + id + " but the contract says "
              + c.type() + " (only widening changes are allowed)";
        }
      }
    }
    for (NestedField f : have.columns()) {
      if (conflict == null && f.isRequired() && !f.name().startsWith("_") && contract.column(f.name()).isEmpty()) {
        conflict = "table " + id + " requires column '" + f.name() + "' that the contract does not have";
      }
    }
    if (conflict != null) {
      if (dropNeverFilled(id, table)) {
        // Made by feeds none of whose rows landed (all quarantined), under a contract since corrected: no row was
        // ever read with the old schema, so the table starts again with the contract's (found by a probe: the
        // department could otherwise never land the dataset again).
        LOG.info("{} never held a row; made again with the changed contract's schema", id);
        return odsTable(id, request, created);
      }
      throw new BadInputException(conflict);
    }
    if (update != null) {
      try {
        update.commit();
      } catch (CommitFailedException raced) {
        // another landing changed the schema at the same moment: look again
        return odsTable(id, request, created);
      }
      table.refresh();
    }
    return withProperties(table, FeedTables.odsProperties(request.department(), request.dataset(), contract));
  }

  /**
   * Removes an ods table that has never had a snapshot (no row ever landed in it), if the catalog still names the
   * metadata it was loaded with: a landing that commits into it meanwhile keeps it (and this one then meets the
   * conflict again), and one still writing for it finds it gone at its commit (Iceberg checks the table's identity).
   */
  private boolean dropNeverFilled(TableIdentifier id, Table table) {
    if (!(table instanceof HasTableOperations t)) {
      return false;
    }
    TableMetadata m = t.operations().current();
    return m.snapshots().isEmpty() && dropIfStillAt(id, m);
  }

  /** Removes {@code id}, and the metadata files of {@code m}, if the catalog still names {@code m}'s. */
  private boolean dropIfStillAt(TableIdentifier id, TableMetadata m) {
    if (!lakehouse.dropIfAt(id, m.metadataFileLocation())) {
      return false;
    }
    try {
      lakehouse.io().deleteFile(m.metadataFileLocation());
      m.previousFiles().forEach(f -> lakehouse.io().deleteFile(f.file()));
    } catch (RuntimeException ignored) {
      // an orphan metadata file, never named by the catalog again
    }
    return true;
  }

  /**
   * {@code table} with {@code wanted} set, and the personal-data properties of columns no longer personal removed:
   * a table made by an earlier build or contract gets them at its next landing.
   */
  private static Table withProperties(Table table, Map<String, String> wanted) {
    Map<String, String> have = table.properties();
    List<String> stale = FeedTables.stalePersonalProperties(have, wanted);
    boolean same = stale.isEmpty() && wanted.entrySet().stream()
        .allMatch(e -> e.getValue().equals(have.get(e.getKey())));
    if (!same) {
      var props = table.updateProperties();
      wanted.forEach(props::set);
      stale.forEach(props::remove);
      props.commit(); // retried by Iceberg on conflict; a property update never conflicts with an append
      table.refresh();
    }
    return table;
  }

  private static boolean sizeSeenBefore(Table ods, long size) {
    String wanted = String.valueOf(size);
    for (Snapshot s : ods.snapshots()) {
      if (wanted.equals(s.summary().get(FeedTables.SUMMARY_FILE_SIZE))) {
        return true;
      }
    }
    return false;
  }

  private static final class Outcome {
    final List<DataFile> odsFiles = new ArrayList<>();
    final List<DataFile> quarantineFiles = new ArrayList<>();
    final Map<String, Long> byRule = new HashMap<>();
    long landed;
    long quarantined;
    long blankLines;
    String encoding;
    List<String> missingColumns = List.of();
  }

  private Outcome readAndWrite(FeedFile file, FeedContract contract, Table ods, Table quarantine, String feedId,
      OffsetDateTime landedAt, MessageDigest digest, long fileBytes) {
    Schema schema = ods.schema();
    int[] contractToTable = new int[contract.columns().size()];
    for (int c = 0; c < contractToTable.length; c++) {
      contractToTable[c] = position(schema, contract.columns().get(c).name());
    }
    int[] lineage = {position(schema, FeedTables.FEED_ID), position(schema, FeedTables.SOURCE_FILE),
        position(schema, FeedTables.ROW_NUMBER), position(schema, FeedTables.LANDED_AT)};
    ValueConverter converter = new ValueConverter(contract);
    BlockingQueue<RecordBatch> queue = new ArrayBlockingQueue<>(workers * 2);
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "landing-worker");
      t.setDaemon(true);
      return t;
    });
    List<Future<LandingWorker.Result>> futures = new ArrayList<>();
    String sourceFile = file.name();
    for (int w = 0; w < workers; w++) {
      futures.add(pool.submit(new LandingWorker(queue, converter, ods, quarantine, w, feedId, sourceFile, landedAt,
          contractToTable, lineage)));
    }
    Outcome outcome = new Outcome();
    Throwable failure = null;
    long[] rows = {0};
    try (FeedReader reader = open(file, contract, digest)) {
      outcome.encoding = reader.encoding();
      reader.read(batch -> {
        int size = batch.size(); // before the hand-over: once queued, a worker may finish and release it
        while (!queue.offer(batch, 200, TimeUnit.MILLISECONDS)) {
          for (Future<LandingWorker.Result> f : futures) {
            if (f.isDone()) {
              throw new WorkerStopped();
            }
          }
        }
        rows[0] += size;
        progress.progress(reader.bytesRead(), fileBytes, rows[0]);
      });
      outcome.blankLines = reader.blankLines();
      outcome.missingColumns = reader.missingColumns();
    } catch (WorkerStopped stopped) {
      failure = null; // the worker's own exception is reported below
    } catch (IOException e) {
      failure = new UncheckedIOException("reading " + VisibleText.value(file.name()) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (RuntimeException e) {
      failure = e;
    }
    // Tell every worker to finish; a worker that already stopped leaves room in the queue for the others.
    for (int w = 0; w < workers; w++) {
      try {
        while (!queue.offer(LandingWorker.END, 200, TimeUnit.MILLISECONDS)) {
          if (futures.stream().allMatch(Future::isDone)) {
            break;
          }
          if (failure != null) {
            queue.clear();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<LandingWorker.Result> results = new ArrayList<>();
    for (Future<LandingWorker.Result> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure == null ? e : failure;
      }
    }
    pool.shutdownNow();
    for (LandingWorker.Result r : results) {
      outcome.odsFiles.addAll(r.odsFiles());
      outcome.quarantineFiles.addAll(r.quarantineFiles());
      outcome.landed += r.landed();
      outcome.quarantined += r.quarantined();
      r.byRule().forEach((k, v) -> outcome.byRule.merge(k, v, Long::sum));
    }
    if (failure != null) {
      deleteQuietly(ods, outcome.odsFiles);
      deleteQuietly(quarantine, outcome.quarantineFiles);
      if (failure instanceof RuntimeException re) {
        throw re;
      }
      if (failure instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("landing failed", failure);
    }
    return outcome;
  }

  private static final class WorkerStopped extends RuntimeException {
    WorkerStopped() {
      super(null, null, false, false);
    }
  }

  private static FeedReader open(FeedFile file, FeedContract contract, MessageDigest digest) throws IOException {
    return switch (contract.format()) {
      case CSV -> new CsvFeedReader(file, contract, digest);
      case JSONL -> new JsonLinesFeedReader(file, contract, digest);
      case PARQUET -> new ParquetFeedReader(file, contract);
      case XLSX -> new XlsxFeedReader(file, contract);
    };
  }

  private static int position(Schema schema, String name) {
    List<NestedField> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("column " + name + " is missing from " + schema);
  }

  /** Appends the files in one commit that is refused if a snapshot already carries {@code key = value}. */
  static long commitOnce(Table table, String key, String value, List<DataFile> files, Map<String, String> summary) {
    return commitOnce(table, new OnceOnlyOperations(((HasTableOperations) table).operations(), key, value), files,
        summary);
  }

  private static long commitOnce(Table table, OnceOnlyOperations guard, List<DataFile> files,
      Map<String, String> summary) {
    Table guarded = new BaseTable(guard, table.name());
    AppendFiles append = guarded.newAppend();
    files.forEach(append::appendFile);
    summary.forEach(append::set);
    append.commit();
    return guarded.currentSnapshot().snapshotId();
  }

  /** A replacing commit: its snapshot and what it replaced. */
  private record Replacing(long snapshotId, LandingResult.Replaced replaced) {}

  /** How often a replacement plans again when other commits removed the files it planned to remove. */
  private static final int REPLAN_ROUNDS = 5;

  /**
   * Commits the feed's files and removes the replaced feed's rows in the same Iceberg commit (an overwrite): files
   * holding only its rows are removed, files shared with other feeds are written again without them. Every attempt
   * Iceberg makes validates that the files to remove are still in the table (a concurrent compaction or replacement
   * removed them: the plan is made again on the table as it is then, and the feed found replaced, or the same file
   * landed, ends it); the guard refuses any attempt whose base has the same feed or a snapshot that replaced this one.
   */
  private Replacing commitReplacing(Table ods, TableIdentifier odsId, OnceOnlyOperations guard, List<DataFile> files,
      Replaces correction, Map<String, String> summary, FeedReplacement.Plan first, FeedKey key) {
    String replaces = correction.feedId();
    FeedReplacement.Plan plan = first;
    for (int round = 1; ; round++) {
      List<DataFile> rewritten = new ArrayList<>();
      try {
        for (FeedReplacement.Mixed m : plan.mixed()) {
          rewritten.add(io.dataops.lakehouse.maintenance.DataFileRewriter.rewrite(ods, List.of(m.file()),
              row -> !replaces.equals(row.getField(FeedTables.FEED_ID)), m.kept(), "rewritten"));
        }
        Map<String, String> withReplaced = new HashMap<>(summary);
        withReplaced.put(FeedTables.SUMMARY_ROWS_REPLACED, String.valueOf(plan.rows()));
        if (!rewritten.isEmpty()) {
          withReplaced.put(FeedTables.SUMMARY_REWRITTEN_FILES, describe(rewritten));
        }
        Table guarded = new BaseTable(guard, ods.name());
        // validateNoConflictingDeletes also fails an attempt whose files to delete are no longer in its base.
        OverwriteFiles overwrite = guarded.newOverwrite().validateFromSnapshot(plan.baseSnapshotId())
            .validateNoConflictingDeletes();
        plan.whole().forEach(overwrite::deleteFile);
        plan.mixed().forEach(m -> overwrite.deleteFile(m.file()));
        rewritten.forEach(overwrite::addFile);
        files.forEach(overwrite::addFile);
        withReplaced.forEach(overwrite::set);
        io.dataops.core.CommitPoint.reached("replacing");
        overwrite.commit();
        return new Replacing(guarded.currentSnapshot().snapshotId(),
            new LandingResult.Replaced(replaces, plan.rows(), rewritten.size()));
      } catch (ValidationException changed) {
        deleteQuietly(ods, rewritten);
        if (round == REPLAN_ROUNDS) {
          throw new IllegalStateException("the rows of feed " + replaces + " of " + odsId + " kept moving under "
              + REPLAN_ROUNDS + " attempts to replace them (table maintenance at the same time?): nothing landed; "
              + "land the file again", changed);
        }
        TableMetadata now = ((HasTableOperations) ods).operations().refresh();
        Long same = OnceOnlyOperations.find(now, FeedTables.SUMMARY_FEED_KEY, key.value());
        if (same != null) {
          throw new OnceOnlyOperations.AlreadyCommitted(same);
        }
        ods.refresh();
        plan = FeedReplacement.plan(ods, replaces);
        if (plan.rows() == 0) {
          throw FeedReplacement.notThere(ods, odsId, correction, ledger());
        }
      } catch (OnceOnlyOperations.AlreadyReplaced e) {
        deleteQuietly(ods, rewritten);
        ods.refresh();
        throw FeedReplacement.notThere(ods, odsId, correction, ledger());
      } catch (RuntimeException | Error e) {
        deleteQuietly(ods, rewritten);
        throw e;
      }
    }
  }

  /**
   * Marks the replaced feed's quarantined rows as no longer open: a property of the quarantine table (its rows, raw
   * lines of a department's file, stay as they are for the record). Setting it again is harmless.
   */
  private static void markReplaced(Table quarantine, String replaced, String by) {
    if (!by.equals(FeedTables.replacedBy(quarantine.properties(), replaced))) {
      quarantine.updateProperties().set(FeedTables.PROP_REPLACED_FEED_PREFIX + replaced, by).commit();
    }
  }

  private static long commitQuarantine(Table quarantine, String feedId, List<DataFile> files) {
    try {
      return commitOnce(quarantine, FeedTables.SUMMARY_FEED_ID, feedId, files,
          Map.of(FeedTables.SUMMARY_FEED_ID, feedId));
    } catch (OnceOnlyOperations.AlreadyCommitted e) {
      return e.snapshotId; // a concurrent recovery appended them first
    }
  }

  /**
   * Appends the quarantine files of any feed whose ods commit succeeded but whose quarantine commit did not happen
   * (the process died in between). The files were written before the ods commit, which lists them. Likewise marks
   * the feed a replacement replaced, if its process died before the mark (or landed before marks were made).
   */
  private Repaired completeQuarantineCommits(TableIdentifier odsId, Table ods, Table quarantine) {
    List<String> feeds = new ArrayList<>();
    long rows = 0;
    long lastSnapshot = 0;
    for (Snapshot s : ods.snapshots()) {
      String listed = s.summary().get(FeedTables.SUMMARY_QUARANTINE_FILES);
      String feedId = s.summary().get(FeedTables.SUMMARY_FEED_ID);
      String replaced = s.summary().get(FeedTables.SUMMARY_REPLACES);
      if (feedId != null && replaced != null && FeedTables.replacedBy(quarantine.properties(), replaced) == null) {
        markReplaced(quarantine, replaced, feedId);
        quarantine.refresh();
        if (listed == null || OnceOnlyOperations.find(((HasTableOperations) quarantine).operations().current(),
            FeedTables.SUMMARY_FEED_ID, feedId) != null) {
          quarantineDoneInLedger(odsId, feedId); // nothing else of this feed is left to do
        }
      }
      if (listed == null || feedId == null) {
        continue;
      }
      if (OnceOnlyOperations.find(((HasTableOperations) quarantine).operations().current(),
          FeedTables.SUMMARY_FEED_ID, feedId) != null) {
        continue;
      }
      // Its quarantine snapshot may have been expired by table maintenance: the ledger remembers the commit.
      if (ledger().quarantineCommitted(odsId, feedId)) {
        continue;
      }
      List<DataFile> files = parseFiles(listed);
      try {
        lastSnapshot = commitOnce(quarantine, FeedTables.SUMMARY_FEED_ID, feedId, files,
            Map.of(FeedTables.SUMMARY_FEED_ID, feedId));
        feeds.add(feedId);
        rows += files.stream().mapToLong(DataFile::recordCount).sum();
        quarantineDoneInLedger(odsId, feedId);
      } catch (OnceOnlyOperations.AlreadyCommitted e) {
        // a concurrent landing repaired it first
      }
      quarantine.refresh();
    }
    return feeds.isEmpty() ? null : new Repaired(lastSnapshot, rows, feeds);
  }

  private static String describe(List<DataFile> files) {
    ArrayNode array = JSON.createArrayNode();
    for (DataFile f : files) {
      array.addObject().put("path", f.location()).put("records", f.recordCount()).put("size", f.fileSizeInBytes());
    }
    return array.toString();
  }

  private static List<DataFile> parseFiles(String json) {
    try {
      List<DataFile> files = new ArrayList<>();
      for (JsonNode n : JSON.readTree(json)) {
        files.add(DataFiles.builder(PartitionSpec.unpartitioned())
            .withPath(n.get("path").asText())
            .withRecordCount(n.get("records").asLong())
            .withFileSizeInBytes(n.get("size").asLong())
            .withFormat(FileFormat.PARQUET)
            .build());
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("a landing snapshot lists its quarantine files in a form that cannot be read", e);
    }
  }

  static void deleteQuietly(Table table, List<DataFile> files) {
    for (DataFile f : files) {
      try {
        table.io().deleteFile(f.location());
      } catch (RuntimeException ignored) {
        // an orphan: never committed, so never visible; table maintenance removes it
      }
    }
  }

  private LandingResult duplicate(TableIdentifier odsId, Table ods, TableIdentifier quarantineId, Table quarantine,
      long earlier, String sha, long fileBytes, FeedContract contract, long started, CommitReport commit,
      Repaired repaired) {
    return new LandingResult(odsId.toString(), null, null, 0, 0, 0, earlier, quarantineId.toString(), null, Map.of(),
        sha, fileBytes, contract.format().spelling(), null, List.of(), 0, (System.nanoTime() - started) / 1e9, commit,
        repaired, null, null, replacedSince(odsId, ods, quarantine, earlier));
  }

  /**
   * Whether the feed of snapshot {@code earlier} was replaced since (a department sending the old file again after
   * its correction): the quarantine table's mark, else a replacing snapshot whose mark a crash left undone.
   */
  private LandingResult.ReplacedFeed replacedSince(TableIdentifier odsId, Table ods, Table quarantine, long earlier) {
    ods.refresh();
    quarantine.refresh();
    Snapshot s = ods.snapshot(earlier);
    String feedId = s != null && s.summary() != null ? s.summary().get(FeedTables.SUMMARY_FEED_ID)
        : ledger().feedOf(odsId, earlier);
    if (feedId == null) {
      return null;
    }
    String by = FeedTables.replacedBy(quarantine.properties(), feedId);
    for (Snapshot later : ods.snapshots()) {
      if (by == null && later.summary() != null && feedId.equals(later.summary().get(FeedTables.SUMMARY_REPLACES))) {
        by = later.summary().get(FeedTables.SUMMARY_FEED_ID);
      }
    }
    return by == null ? null : new LandingResult.ReplacedFeed(feedId, by);
  }

  static MessageDigest newSha256() {
    return DigestAlgorithm.SHA256.newDigest();
  }

  public static String sha256(Path file) {
    return sha256(FeedFile.local(file));
  }

  /** The SHA-256 of a feed's bytes (a local file or an object): the key that lands a content once. */
  public static String sha256(FeedFile file) {
    try (InputStream in = file.openStream()) {
      return Digests.hex(DigestAlgorithm.SHA256, in);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + VisibleText.value(file.location()) + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
