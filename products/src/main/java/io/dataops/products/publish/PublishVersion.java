package io.dataops.products.publish;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Lineage;
import io.dataops.products.registry.VersionContent;
import io.dataops.products.registry.VersionFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.ParquetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish of one product version, built up and then committed once (like Iceberg's {@code PendingUpdate}):
 * name the files a run wrote, the schema change, the lineage and the quality suite; {@link #apply()} shows the version
 * it would make without writing anything; {@link #commit()} does it — write, audit, publish:
 * <ol>
 *   <li>stage a snapshot of the product table holding the schema change and the run's files (not current: readers
 *       still see the previous version);</li>
 *   <li>let the quality gate validate that staged snapshot; if a rule of severity error fails, the staged snapshot
 *       and every file of it are removed (unchecked rows never stay readable) and {@link QualityGateFailed} is
 *       thrown;</li>
 *   <li>make it current by a fast-forward;</li>
 *   <li>digest every file (the version's content: a Merkle root), record the draft version with its lineage and
 *       files in the registry, and tag the snapshot {@code v<number>}.</li>
 * </ol>
 * Idempotent by the run key: a commit interrupted at any point and called again finds its staged or published
 * snapshot (by the run key in the snapshot summary), its recorded version, its tag, and completes what is missing.
 * Both executors publish through this class.
 */
public final class PublishVersion {
  /** The snapshot summary property that names the run which made a snapshot. */
  public static final String SUMMARY_RUN_KEY = "dataops.run-key";
  private static final Logger LOG = LoggerFactory.getLogger(PublishVersion.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final QualityGate gate;
  private final PublishCheck check;
  private final AuditSink audit;
  private final DigestAlgorithm algorithm;
  private final String product;
  private final TableIdentifier tableId;
  private final String runKey;
  private final List<String> files = new ArrayList<>();
  private final Map<String, String> summary = new LinkedHashMap<>();
  private boolean append;
  private Long after;
  private boolean checkAfter;
  private SchemaChange schemaChange = (update, current) -> update;
  private Path suite;
  private Map<String, Object> earlierVerdict;
  private Lineage lineage;
  private Actor actor = Actor.SYSTEM;
  private QualityGate.Verdict verdict;
  private boolean discarded;

  PublishVersion(Lakehouse lakehouse, ProductRegistry registry, QualityGate gate, AuditSink audit,
      DigestAlgorithm algorithm, String product, String runKey, PublishCheck check) {
    this.check = check;
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.gate = gate;
    this.audit = audit;
    this.algorithm = algorithm;
    this.product = product;
    this.tableId = ProductTables.id(product);
    this.runKey = Objects.requireNonNull(runKey, "runKey");
  }

  /** The version holds exactly these files (the previous version's rows are replaced). */
  public PublishVersion replaceWith(List<String> dataFiles) {
    files.clear();
    files.addAll(dataFiles);
    append = false;
    return this;
  }

  /** The version holds the previous version's files and these (an incremental run): files are shared. */
  public PublishVersion append(List<String> dataFiles) {
    files.clear();
    files.addAll(dataFiles);
    append = true;
    return this;
  }

  /**
   * Commits only on top of this snapshot of the product (null: the table has none yet): an incremental run's rows are
   * added to the version it started from, never to one another run made meanwhile.
   */
  public PublishVersion after(Long snapshotId) {
    this.after = snapshotId;
    this.checkAfter = true;
    return this;
  }

  /** A change to the table's schema, given the schema it changes. */
  @FunctionalInterface
  public interface SchemaChange {
    UpdateSchema change(UpdateSchema update, Schema current);
  }

  /** The change to the table's schema this version brings (committed with its rows). */
  public PublishVersion evolveSchema(SchemaChange change) {
    this.schemaChange = change;
    return this;
  }

  /** A property of the version's snapshot (pipeline name, engine, input snapshots). */
  public PublishVersion summary(String key, String value) {
    summary.put(key, value);
    return this;
  }

  /**
   * The suite that gates the version; {@code earlierVerdict} is the verdict an earlier attempt of the same run
   * recorded before it was interrupted (used when that attempt had already published).
   */
  public PublishVersion qualitySuite(Path suite, Map<String, Object> earlierVerdict) {
    this.suite = suite;
    this.earlierVerdict = earlierVerdict;
    return this;
  }

  /** How the version was made; its quality verdict is filled in by the commit. */
  public PublishVersion lineage(Lineage lineage) {
    this.lineage = lineage;
    return this;
  }

  public PublishVersion actor(Actor actor) {
    this.actor = actor;
    return this;
  }

  /** The gate's verdict of this commit (null before it ran, or when no suite gates the product). */
  public QualityGate.Verdict verdict() {
    return verdict;
  }

  /**
   * Whether the commit refused the run after staging it and removed its snapshot and files: such a run cannot be
   * resumed (found by a probe: a run refused for another organization's product name left its scratch folder for
   * good, since only a resumable run needs it).
   */
  public boolean discarded() {
    return discarded;
  }

  /** What the commit would make, without writing anything. */
  public record Preview(String product, int version, boolean alreadyRecorded, String table, String schemaJson,
      int files, long bytes, long records, boolean append) {}

  public Preview apply() {
    Table table = lakehouse.load(tableId);
    var existing = registry.byRunKey(runKey);
    Schema schema = schemaChange.change(table.updateSchema(), table.schema()).apply();
    long bytes = 0;
    long records = 0;
    MetricsConfig metrics = MetricsConfig.forTable(table);
    for (String f : files) {
      InputFile in = table.io().newInputFile(f);
      bytes += in.getLength();
      records += ParquetUtil.fileMetrics(in, metrics).recordCount();
    }
    int next = existing.map(ProductVersion::version).orElseGet(() -> registry.list(product).stream()
        .mapToInt(ProductVersion::version).max().orElse(0) + 1);
    return new Preview(product, next, existing.isPresent(), tableId.toString(),
        org.apache.iceberg.SchemaParser.toJson(schema), files.size(), bytes, records, append);
  }

  /**
   * Publishes the version, holding the product's lock ({@link ProductRegistry#exclusive}): two runs of one product
   * finishing together publish one after the other, in the order they took the lock.
   */
  public ProductVersion commit() {
    Objects.requireNonNull(lineage, "lineage");
    try (var held = registry.exclusive(product, "publishing a version of product " + product)) {
      return commitHolding();
    }
  }

  private ProductVersion commitHolding() {
    Table table = lakehouse.load(tableId);
    Snapshot mine = find(table);
    if (mine == null || !isPublished(table, mine.snapshotId())) {
      requireAfter(table);
      if (mine == null || !Objects.equals(mine.parentId(), currentId(table))) {
        requireFiles(table);
        stage(table);
        table = lakehouse.load(tableId);
        mine = find(table);
        io.dataops.core.CommitPoint.reached("staged");
      }
      if (suite != null) {
        verdict = gate.check(tableId, mine.snapshotId(), suite);
        if (!verdict.passed()) {
          discard(table, mine);
          audit.record(new AuditEvent("product.gate", List.of("product:" + product, "table:" + tableId),
              AuditEvent.REFUSED, Map.of("suite", verdict.suite(), "errors", verdict.errors().size(),
                  "qualityRun", String.valueOf(verdict.runId()))));
          throw new QualityGateFailed(verdict);
        }
      }
      try {
        check.beforePublish(product);
        registry.claimForVersion(product, lineage.pipeline(), lineage.owner());
      } catch (RuntimeException refused) {
        discard(table, mine);
        throw refused;
      }
      requireAfter(table);
      table.manageSnapshots().cherrypick(mine.snapshotId()).commit(); // a fast-forward: its parent is current
      table = lakehouse.load(tableId);
      io.dataops.core.CommitPoint.reached("published");
    }
    long snapshotId = mine.snapshotId();
    ProductVersion recorded = registry.byRunKey(runKey).orElse(null);
    if (recorded == null) {
      List<VersionFile> versionFiles = VersionContent.files(table, snapshotId, algorithm);
      ProductVersion draft = new ProductVersion(product, 0, null, tableId.toString(), snapshotId, null,
          VersionContent.content(table, table.snapshot(snapshotId), versionFiles, algorithm), withQuality(lineage),
          null, null, null);
      recorded = registry.record(draft, versionFiles, actor, audit, numbered -> AuditEvent.ok("product.version",
          List.of("product:" + product + "@" + numbered.version(), "snapshot:" + snapshotId), auditDetails(numbered)));
    }
    tag(table, recorded);
    return recorded;
  }

  private Map<String, Object> auditDetails(ProductVersion v) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("runKey", runKey);
    d.put("inputs", v.lineage().inputs());
    d.put("rowsOut", v.lineage().rowsOut());
    d.put("merkleRoot", v.content().merkleRoot());
    d.put("algorithm", v.content().algorithm());
    return d;
  }

  private Lineage withQuality(Lineage l) {
    Map<String, Object> quality;
    if (suite == null) {
      quality = null;
    } else if (verdict != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.convertValue(verdict, Map.class);
      quality = m;
    } else if (earlierVerdict != null) {
      quality = earlierVerdict;
    } else {
      quality = Map.of("suite", suite.getFileName().toString(), "note", "checked by the attempt that published");
    }
    return new Lineage(l.pipeline(), l.pipelineSha256(), l.scenario(), l.owner(), l.engine(), l.runKey(), l.inputs(),
        l.policies(), l.privacy(), l.leakCheck(), quality, l.rowsIn(), l.rowsOut(), l.rowsSuppressed(),
        l.unfitValues(), l.inputsFrom());
  }

  /** Tags the version's snapshot {@code v<number>} (once; a tag already there must name the same snapshot). */
  private void tag(Table table, ProductVersion v) {
    SnapshotRef ref = table.refs().get(v.tag());
    if (ref == null) {
      table.manageSnapshots().createTag(v.tag(), v.snapshotId()).commit();
    } else if (ref.snapshotId() != v.snapshotId()) {
      throw new IllegalStateException(tableId + ": the tag " + v.tag() + " names snapshot " + ref.snapshotId()
          + ", but " + v.label() + " is snapshot " + v.snapshotId());
    }
  }

  private void requireAfter(Table table) {
    if (checkAfter && !Objects.equals(currentId(table), after)) {
      throw new BadInputException("product " + product + " changed while this run went on (its current snapshot is "
          + currentId(table) + ", the run started from " + after + "): run the pipeline again");
    }
  }

  /** The run's files must still be there to be staged (a run whose staged snapshot failed its gate lost them). */
  private void requireFiles(Table table) {
    for (String f : files) {
      if (!table.io().newInputFile(f).exists()) {
        throw new RunFilesGone(product, f);
      }
    }
  }

  /** Commits the run's files as a staged snapshot (with any schema change), not yet current. */
  private void stage(Table table) {
    Transaction tx = table.newTransaction();
    // a schema update in a transaction cannot be re-applied when Iceberg retries its commit: only one that changes
    // something is made (the product's lock keeps other publishes out; this keeps the usual case retryable)
    if (!schemaChange.change(table.updateSchema(), table.schema()).apply().sameSchema(table.schema())) {
      schemaChange.change(tx.updateSchema(), tx.table().schema()).commit();
    }
    MetricsConfig metrics = MetricsConfig.forTable(table);
    SnapshotUpdate<?> update;
    if (append) {
      AppendFiles a = tx.newAppend();
      for (String f : files) {
        a.appendFile(dataFile(table, f, metrics));
      }
      update = a;
    } else {
      OverwriteFiles overwrite = tx.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue());
      for (String f : files) {
        overwrite.addFile(dataFile(table, f, metrics));
      }
      update = overwrite;
    }
    update.set(SUMMARY_RUN_KEY, runKey);
    summary.forEach(update::set);
    update.stageOnly();
    update.commit();
    tx.commitTransaction();
  }

  private static DataFile dataFile(Table table, String f, MetricsConfig metrics) {
    InputFile in = table.io().newInputFile(f);
    return DataFiles.builder(table.spec()).withPath(f).withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(in.getLength()).withMetrics(ParquetUtil.fileMetrics(in, metrics)).build();
  }

  /**
   * Removes a staged snapshot that failed its gate, and every file only it had: its data files, its manifests and
   * manifest list. Its rows are then readable nowhere.
   */
  private void discard(Table table, Snapshot staged) {
    discarded = true;
    table.expireSnapshots().expireSnapshotId(staged.snapshotId()).cleanExpiredFiles(true).commit();
    // Iceberg removes what no snapshot left reaches; make sure of the run's own files (they were only ever staged).
    for (String f : files) {
      try {
        if (table.io().newInputFile(f).exists()) {
          table.io().deleteFile(f);
        }
      } catch (RuntimeException e) {
        LOG.warn("could not remove {} of a discarded staged snapshot", f, e);
      }
    }
  }

  /** The newest snapshot this run committed or staged, or null. */
  private Snapshot find(Table table) {
    Snapshot found = null;
    for (Snapshot s : table.snapshots()) {
      if (runKey.equals(s.summary().get(SUMMARY_RUN_KEY))
          && (found == null || s.sequenceNumber() > found.sequenceNumber())) {
        found = s;
      }
    }
    return found;
  }

  private static Long currentId(Table table) {
    return table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
  }

  private static boolean isPublished(Table table, long snapshotId) {
    return table.currentSnapshot() != null
        && org.apache.iceberg.util.SnapshotUtil.isAncestorOf(table, table.currentSnapshot().snapshotId(), snapshotId);
  }

  /** A failing error rule stops the version: nothing is published, and what was staged is removed. */
  public static final class QualityGateFailed extends BadInputException {
    private final transient QualityGate.Verdict verdict;

    QualityGateFailed(QualityGate.Verdict v) {
      super("quality gate failed, nothing was published: suite " + v.suite() + ": " + v.errors().size()
          + " of " + v.evaluated() + " rules of severity error failed: " + String.join("; ", v.errors())
          + (v.runId() == null ? "" : " (row-level failures: quality run " + v.runId() + ")"));
      this.verdict = v;
    }

    public QualityGate.Verdict verdict() {
      return verdict;
    }
  }

  /**
   * The files a run wrote are gone before it published them: its staged snapshot failed the quality gate and was
   * removed with them, or destroying the product's last live version removed every file in the table's folder, those
   * of runs still going on too (they wait for the product's lock meanwhile). The run must start over; the same command
   * does.
   */
  public static final class RunFilesGone extends BadInputException {
    RunFilesGone(String product, String file) {
      super("the files this run wrote for product " + product + " were removed before it could publish them ("
          + file.substring(file.lastIndexOf('/') + 1) + "; a failed quality gate removes them, and so does destroying"
          + " the product's last live version): nothing was published; run the same command again to run it anew");
    }
  }
}
