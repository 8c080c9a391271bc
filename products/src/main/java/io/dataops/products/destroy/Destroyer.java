package io.dataops.products.destroy;

import io.dataops.lakehouse.storage.ReadThroughCache;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.QualityTables;
import io.dataops.lakehouse.maintenance.RowRemoval;
import io.dataops.lakehouse.storage.Documents;
import io.dataops.pipelines.plan.ProductClasses;
import io.dataops.products.delivery.DeliveredCopies;
import io.dataops.products.delivery.DeliveredCopy;
import io.dataops.products.delivery.Delivery;
import io.dataops.products.destroy.DestructionCertificate.CopiesOutside;
import io.dataops.products.destroy.DestructionPlan.PlannedFile;
import io.dataops.products.lifecycle.IllegalMoveException;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.lifecycle.Move;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductRegistry.DestructionRecord;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.TransitionRecord;
import io.dataops.products.registry.VersionContent;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.ArchiveStore;
import io.dataops.products.seal.LocalArchive;
import io.dataops.products.seal.VerifyReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destroys a product version (销毁): removes every byte only that version needs and proves it.
 *
 * <ol>
 *   <li>Plan: the version's files, each to remove unless a live version shares it (then kept, and that version
 *       still reads correctly); its snapshot's manifest list and manifests; its archive copy. The plan is saved and
 *       the version moves to {@code destroying} before anything is removed.</li>
 *   <li>Unreference: remove its tag; if it is the table's current snapshot, make the newest live version current
 *       (or, with no live version left, drop the table with its files and create it again empty).</li>
 *   <li>Rewrite the metadata of live versions that still name its files (the snapshot that replaced it records them
 *       as deleted, with their column bounds): their manifests are rewritten to hold live entries only.</li>
 *   <li>Expire every snapshot no tag or branch holds (staged snapshots of failed gates, older metadata), with the
 *       files only they reached; remove what remains of the plan; drop older metadata files naming it.</li>
 *   <li>Remove the archive copy, the version's held-back rows and class counts (an incremental product's state),
 *       the leak filters and group measures cached for its snapshot, and what quality runs recorded on it: the rows
 *       its quality gate failed and the metrics of its columns.</li>
 *   <li>Post-check: list storage and prove that no removed file, no manifest naming one, no snapshot and no metadata
 *       file naming the snapshot, no archive copy and no quality row of the snapshot remains; time travel to it
 *       fails; kept files are intact.</li>
 *   <li>Write the certificate (JSON and HTML), with the copies partners took away before (every delivery of the
 *       version the audit trail records: not removed by a destruction on the platform); send each organization
 *       that received the version a notice to delete them; then mark the version destroyed and audit the
 *       certificate's digest.</li>
 * </ol>
 * Each step can be repeated: a destruction interrupted at any point completes when run again, and the version is
 * reported destroyed only after the post-check passed. A notice sent again replaces the one sent before (one
 * document per organization and version) and is audited once.
 */
public final class Destroyer {
  private static final Logger LOG = LoggerFactory.getLogger(Destroyer.class);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final AuditSink audit;
  private final ArchiveStore archives;
  private final Documents certificates;
  private Consumer<String> onStep = step -> { };
  private Path work;
  private DeliveredCopies delivered = DeliveredCopies.NOT_LOOKED_UP;
  private Documents outbox;

  /** @param certificates where certificates go: the home's certificates/, or a prefix of the warehouse's bucket */
  public Destroyer(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit, ArchiveStore archives,
      Documents certificates) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.audit = audit;
    this.archives = archives;
    this.certificates = certificates;
  }

  /** Archives in a local folder. */
  public Destroyer(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit, Path archiveRoot,
      Path certificates) {
    this(lakehouse, registry, audit, new LocalArchive(archiveRoot), Documents.local(certificates));
  }

  /**
   * The executors' work folder, where pipeline runs and validations cache leak filters and group measures by input
   * snapshot: a pipeline reading the product keys them by its versions' snapshots, and a destroyed version's entries
   * go with it (null: none to look at).
   */
  public Destroyer caches(Path workRoot) {
    this.work = workRoot;
    return this;
  }

  /**
   * Where the version's deliveries are recorded, and the outboxes ({@code outbox/<organization>/}) the notices to
   * the organizations that received it go to (null: none sent; the certificate says so).
   */
  public Destroyer copiesOutside(DeliveredCopies deliveries, Documents outboxes) {
    this.delivered = deliveries;
    this.outbox = outboxes;
    return this;
  }

  /** Told the name of each step when it is done (progress; the kill test stops the process there). */
  public Destroyer onStep(Consumer<String> listener) {
    this.onStep = listener;
    return this;
  }

  /** The certificate and where its two forms were written (files, or {@code s3://} objects). */
  public record Result(DestructionCertificate certificate, String json, String html, String certificateDigest) {}

  /**
   * Destroys the version, holding the product's lock ({@link ProductRegistry#exclusive}): no version that could share
   * the files it removes is published meanwhile, and no publish's staged snapshot is expired by it.
   */
  public Result destroy(String product, int version, Actor actor) {
    try (var held = registry.exclusive(product, "destroying version " + version + " of product " + product)) {
      return destroyHolding(product, version, actor);
    }
  }

  private Result destroyHolding(String product, int version, Actor actor) {
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    ProductVersion v = lifecycle.version(product, version);
    if (v.state() == VersionState.DESTROYED) {
      Lifecycle.check(Move.DESTROY, v, actor); // a refusal naming the role, or: it was destroyed
    }
    DestructionPlan plan;
    String startedAt;
    if (v.state() == VersionState.DESTROYING) {
      Lifecycle.check(Move.DESTROYED, v, actor);
      DestructionRecord d = registry.destruction(product, version).orElseThrow(() -> new IllegalStateException(
          v.label() + " is destroying but its plan is not recorded"));
      plan = read(d.plan());
      startedAt = d.startedAt();
    } else {
      Lifecycle.check(Move.DESTROY, v, actor);
      startedAt = OffsetDateTime.now(ZoneOffset.UTC).toString();
      DestructionPlan fresh = plan(v, actor);
      registry.startDestruction(new DestructionRecord(product, version, write(fresh), startedAt, actor.user(),
          fresh.approvedBy(), null, null, null));
      DestructionRecord d = registry.destruction(product, version).orElseThrow();
      plan = read(d.plan()); // an earlier interrupted attempt's plan wins
      startedAt = d.startedAt();
      // The URLs handed out stop working as the version leaves delivery, as a seal's do (Sealer): removed under the
      // hand-out lock with the move, not only at the end of a destruction that may be interrupted before it.
      try (var handouts = registry.handouts(product, version, "destroying " + v.label())) {
        Delivery.removeObjects(lakehouse, product, version);
        if (!registry.move(product, version, v.state(), VersionState.DESTROYING, actor, Move.DESTROY.role(), null,
            null, audit, AuditEvent.ok("product.destroy.start", List.of("product:" + product + "@" + version,
                "snapshot:" + v.snapshotId()), Map.of("remove", plan.removed().size(),
                "keep", plan.files().size() - plan.removed().size())))) {
          throw new IllegalMoveException(Move.DESTROY, lifecycle.version(product, version));
        }
      }
    }
    onStep.accept("planned");

    List<String> rewritten = new ArrayList<>();
    TableIdentifier id = TableIdentifier.parse(plan.table());
    if (plan.recreateTable()) {
      recreateEmpty(id, plan);
      onStep.accept("table-recreated");
    } else {
      Table table = lakehouse.load(id);
      unreference(table, plan, actor);
      onStep.accept("unreferenced");
      rewritten.addAll(rewriteLiveVersions(id, plan, actor));
      onStep.accept("metadata-rewritten");
      expire(id, plan);
      onStep.accept("expired");
    }
    removeArchive(plan);
    removeState(plan);
    removeCachedMeasures(plan);
    // Again, although the move removed them: a hand-out refused after the move removes the object it wrote, and one
    // killed between its refusal and that removal leaves it; the post-check below fails on any that is left.
    Delivery.removeObjects(lakehouse, plan.product(), plan.version());
    removeQualityRows(ROW_FAILURES, plan, "quality-failures-unreferenced");
    removeQualityRows(METRICS, plan, "quality-metrics-unreferenced");
    removeQualityRows(ANALYZER_STATES, plan, "quality-states-unreferenced");
    onStep.accept("archive-removed");
    // DuckDB's local copies of an s3:// warehouse's files (the read-through cache) go with the files.
    ReadThroughCache.forget(lakehouse.io(),
        plan.removed().stream().map(PlannedFile::location).toList());
    DestructionCertificate.PostCheck check = postCheck(id, plan);
    if (!check.passed()) {
      throw new IllegalStateException("the destruction of " + v.label() + " is not complete: "
          + check.checks().stream().filter(c -> !c.endsWith(": passed")).findFirst().orElse("post-check failed")
          + "; run the command again");
    }
    onStep.accept("checked");
    String finishedAt = OffsetDateTime.now(ZoneOffset.UTC).toString();
    CopiesOutside outside = outsideCopies(plan);
    Set<String> stillUsed = metadataInUse(lakehouse.load(id));
    List<String> metadataRemoved = plan.metadata().stream()
        .filter(m -> !stillUsed.contains(VersionContent.normalize(m))).toList();
    DestructionCertificate certificate = new DestructionCertificate(certificateId(plan), product, version,
        plan.table(), plan.snapshotId(), plan.tag(), plan.algorithm(), plan.merkleRoot(), plan.fromState(),
        plan.files(), metadataRemoved, rewritten, sealed(plan) ? plan.archive() : null,
        plan.qualityRows() == null ? List.of() : plan.qualityRows(), plan.approvedBy(), plan.orderedBy(),
        plan.orderedByOrganization(), startedAt, finishedAt, check, outside);
    Result result = writeCertificate(certificate, DigestAlgorithm.of(plan.algorithm()));
    registry.finishDestruction(product, version, result.json(), result.certificateDigest());
    // Before the version is marked destroyed: a destruction stopped here sends them when run again, never after.
    sendNotices(result, outside);
    onStep.accept("notified");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("certificate", result.json());
    details.put("certificateDigest", result.certificateDigest());
    details.put("algorithm", plan.algorithm());
    details.put("filesRemoved", plan.removed().size());
    details.put("filesKept", plan.files().size() - plan.removed().size());
    details.put("copiesOutside", outside.deliveries().size());
    details.put("organizationsNotified", outside.organizationsNotified());
    if (!registry.move(product, version, VersionState.DESTROYING, VersionState.DESTROYED, actor,
        Move.DESTROYED.role(), null, null, audit, AuditEvent.ok("product.destroy", List.of("product:" + product
            + "@" + version, "snapshot:" + plan.snapshotId(), "certificate:"
            + result.json().substring(result.json().lastIndexOf('/') + 1)), details))) {
      throw new IllegalMoveException(Move.DESTROYED, lifecycle.version(product, version));
    }
    onStep.accept("destroyed");
    return result;
  }

  // ---- plan ----

  private DestructionPlan plan(ProductVersion v, Actor actor) {
    TableIdentifier id = TableIdentifier.parse(v.table());
    Table table = lakehouse.load(id);
    DigestAlgorithm algorithm = v.content() == null ? DigestAlgorithm.SM3 : DigestAlgorithm.of(v.content().algorithm());
    List<VersionFile> files = registry.files(v.product(), v.version());
    if (files.isEmpty() && table.snapshot(v.snapshotId()) != null) {
      files = VersionContent.files(table, v.snapshotId(), algorithm); // a version recorded before file lists
    }
    // Which live versions need which of these files.
    Map<String, List<Integer>> neededBy = new HashMap<>();
    List<ProductVersion> live = liveOthers(v);
    for (ProductVersion other : live) {
      for (String location : filesOf(table, other)) {
        neededBy.computeIfAbsent(location, k -> new ArrayList<>()).add(other.version());
      }
    }
    // Files other refs (branches, tags that are not versions) hold are kept too.
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      long sid = ref.getValue().snapshotId();
      boolean versionRef = ref.getKey().equals(v.tag()) || live.stream().anyMatch(o -> o.snapshotId() == sid);
      if (!versionRef && sid != v.snapshotId()) {
        for (VersionFile f : VersionContent.files(table, sid, algorithm)) {
          neededBy.computeIfAbsent(f.location(), k -> new ArrayList<>());
        }
      }
    }
    List<PlannedFile> planned = new ArrayList<>();
    for (VersionFile f : files) {
      List<Integer> sharers = neededBy.get(f.location());
      planned.add(new PlannedFile(f.name(), f.location(), f.kind(), f.size(), f.digest(),
          sharers == null ? DestructionPlan.REMOVE : DestructionPlan.KEEP, sharers == null ? List.of() : sharers));
    }
    boolean current = table.currentSnapshot() != null && table.currentSnapshot().snapshotId() == v.snapshotId();
    boolean recreate = current && live.stream().noneMatch(o -> table.snapshot(o.snapshotId()) != null);
    planned.addAll(planState(table, v, live, recreate, algorithm));
    List<String> metadata = new ArrayList<>();
    Snapshot s = table.snapshot(v.snapshotId());
    if (s != null) {
      metadata.add(s.manifestListLocation());
      for (ManifestFile m : s.allManifests(table.io())) {
        if (m.snapshotId() != null && m.snapshotId() == s.snapshotId()) {
          metadata.add(m.path()); // written by this snapshot; older manifests belong to its ancestors
        }
      }
    }
    String approvedBy = registry.history(v.product(), v.version()).stream()
        .filter(t -> VersionState.SEALED.label().equals(t.to()) || VersionState.REJECTED.label().equals(t.to()))
        .reduce((a, b) -> b).map(TransitionRecord::actor).orElse(actor.user());
    return new DestructionPlan(v.product(), v.version(), v.table(), v.snapshotId(), v.tag(), algorithm.label(),
        v.content() == null ? VersionContent.merkleRoot(files, algorithm) : v.content().merkleRoot(),
        v.state().label(), planned, metadata, archiveOf(v),
        recreate, SchemaParser.toJson(table.schema()), PartitionSpecParser.toJson(table.spec()),
        new LinkedHashMap<>(table.properties()), table.location(), approvedBy, actor.user(), actor.organization(),
        planQualityRows(v.table(), snapshotsOf(table, v.snapshotId())), earlierSnapshots(table, v.snapshotId()));
  }

  /** Kinds of the files of an incremental product's state ({@code .dataops-state/<product>/}), beside its table. */
  static final String HELD_ROWS = "held-rows";
  static final String CLASS_COUNTS = "class-counts";

  /**
   * The state of an incremental product with privacy that goes with the version: the rows held back after it (rows
   * derived from personal data, kept out of the product by k-anonymity, for the next run) and the class counts, both
   * named by its snapshot. A live version's snapshot names its own (never the same files), so they stay with it; with
   * no live version left every file of the state folder goes — what the table no longer has, no run continues from
   * (the next run reads its inputs from the beginning).
   */
  private List<PlannedFile> planState(Table table, ProductVersion v, List<ProductVersion> live, boolean recreate,
      DigestAlgorithm algorithm) {
    String folder = ProductClasses.stateFolder(lakehouse, v.product());
    Set<String> locations = new java.util.LinkedHashSet<>();
    Snapshot s = table.snapshot(v.snapshotId());
    if (s != null) {
      for (String key : List.of(ProductClasses.SUMMARY_HELD, ProductClasses.SUMMARY_CLASSES)) {
        String location = s.summary().get(key);
        if (location != null && lakehouse.io().newInputFile(location).exists()) {
          locations.add(VersionContent.normalize(location));
        }
      }
    }
    if (recreate) {
      listFiles(lakehouse.io(), folder).forEach(l -> locations.add(VersionContent.normalize(l)));
    }
    Map<String, List<Integer>> neededBy = new HashMap<>();
    for (ProductVersion other : live) {
      Snapshot o = table.snapshot(other.snapshotId());
      if (o != null) {
        for (String key : List.of(ProductClasses.SUMMARY_HELD, ProductClasses.SUMMARY_CLASSES)) {
          if (o.summary().get(key) != null) {
            neededBy.computeIfAbsent(VersionContent.normalize(o.summary().get(key)), k -> new ArrayList<>())
                .add(other.version());
          }
        }
      }
    }
    List<PlannedFile> out = new ArrayList<>();
    for (String location : locations) {
      String name = location.substring(location.lastIndexOf('/') + 1);
      List<Integer> sharers = neededBy.get(VersionContent.normalize(location));
      out.add(new PlannedFile(".dataops-state/" + v.product() + "/" + name, location,
          name.startsWith("held-") ? HELD_ROWS : CLASS_COUNTS, lakehouse.io().newInputFile(location).getLength(),
          VersionContent.digest(lakehouse.io(), location, algorithm),
          sharers == null ? DestructionPlan.REMOVE : DestructionPlan.KEEP, sharers == null ? List.of() : sharers));
    }
    return out;
  }

  private static boolean isState(PlannedFile f) {
    return HELD_ROWS.equals(f.kind()) || CLASS_COUNTS.equals(f.kind());
  }

  /** Removes the version's held-back rows and class counts (the table's own files go with the table's steps). */
  private void removeState(DestructionPlan plan) {
    plan.removed().stream().filter(Destroyer::isState).forEach(f -> deleteIfExists(lakehouse.io(), f.location()));
  }

  /** The cached leak filters and group measures of the table's snapshots that are gone (the version's with them). */
  private void removeCachedMeasures(DestructionPlan plan) {
    if (work == null) {
      return;
    }
    try {
      io.dataops.pipelines.privacy.LeakFilterCache.in(work).prune(lakehouse, List.of(plan.table()));
      io.dataops.pipelines.privacy.SmallestGroupsCache.in(work).prune(lakehouse, List.of(plan.table()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the cached measures of " + plan.table(), e);
    }
  }

  /** Entries of the two caches keyed by the version's snapshot ({@code <table>/<snapshot>-<digest>.bin}). */
  private long cachedMeasuresLeft(DestructionPlan plan) {
    long left = 0;
    for (String cache : List.of("leak-filters", "group-measures")) {
      Path folder = work.resolve(cache).resolve(plan.table());
      if (Files.isDirectory(folder)) {
        try (var files = Files.list(folder)) {
          left += files.filter(f -> f.getFileName().toString().startsWith(plan.snapshotId() + "-")).count();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + folder, e);
        }
      }
    }
    return left;
  }

  /**
   * Whether the version was sealed, so had an archive copy: a version never sealed (rejected, or destroyed while
   * submitted) had none, and its certificate says so rather than that one was removed (found by a probe).
   */
  private boolean sealed(DestructionPlan plan) {
    return registry.seal(plan.product(), plan.version()).isPresent();
  }

  /** Where the version's archive copy is: as its seal recorded it, else where a seal would put it. */
  private String archiveOf(ProductVersion v) {
    return registry.seal(v.product(), v.version()).map(ProductRegistry.SealRecord::archive)
        .orElseGet(() -> archives.locationOf(v.product(), v.version()));
  }

  private List<ProductVersion> liveOthers(ProductVersion v) {
    return registry.list(v.product()).stream()
        .filter(o -> o.version() != v.version() && o.state().live()).toList();
  }

  /** The locations a live version needs: its recorded files, or its snapshot's when none were recorded. */
  private List<String> filesOf(Table table, ProductVersion v) {
    List<VersionFile> recorded = registry.files(v.product(), v.version());
    if (!recorded.isEmpty()) {
      return recorded.stream().map(VersionFile::location).toList();
    }
    if (table.snapshot(v.snapshotId()) == null) {
      return List.of();
    }
    return VersionContent.files(table, v.snapshotId(), DigestAlgorithm.SHA256).stream().map(VersionFile::location)
        .toList();
  }

  // ---- steps ----

  /** Removes the version's tag and moves the main branch off its snapshot. */
  private void unreference(Table table, DestructionPlan plan, Actor actor) {
    // The version's tag, and any other tag or branch that holds exactly its snapshot: a ref kept on it would keep its
    // rows readable (main is moved below instead).
    var manage = table.manageSnapshots();
    boolean removed = false;
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      if (ref.getValue().snapshotId() == plan.snapshotId() && !ref.getKey().equals(SnapshotRef.MAIN_BRANCH)) {
        if (ref.getValue().isTag()) {
          manage.removeTag(ref.getKey());
        } else {
          manage.removeBranch(ref.getKey());
        }
        removed = true;
      }
    }
    if (removed) {
      manage.commit();
    }
    table.refresh();
    if (table.currentSnapshot() != null && table.currentSnapshot().snapshotId() == plan.snapshotId()) {
      ProductVersion newest = registry.list(plan.product()).stream()
          .filter(o -> o.version() != plan.version() && o.state().live() && table.snapshot(o.snapshotId()) != null)
          .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no live version to make current"));
      table.manageSnapshots().setCurrentSnapshot(newest.snapshotId()).commit();
    }
    // Older metadata files keep the history; from now on only the newest is kept (and the destruction removes the
    // older ones that name the version).
    table.updateProperties().set(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true")
        .set(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "1").commit();
  }

  /**
   * Live versions whose snapshot's manifests still name a removed file (as a deleted entry, with its column bounds)
   * get manifests of live entries only: a new snapshot with the same files, their tag and the registry moved to it.
   */
  private List<String> rewriteLiveVersions(TableIdentifier id, DestructionPlan plan, Actor actor) {
    Set<String> removed = new HashSet<>();
    plan.removed().forEach(f -> removed.add(VersionContent.normalize(f.location())));
    List<String> rewritten = new ArrayList<>();
    for (ProductVersion other : registry.list(plan.product())) {
      if (other.version() == plan.version() || !other.state().live()) {
        continue;
      }
      Table table = lakehouse.load(id);
      Snapshot s = table.snapshot(other.snapshotId());
      if (s == null || namedFiles(table, s, removed).isEmpty()) {
        continue;
      }
      // Iceberg rewrites manifests on the main branch only: point it at the version for the rewrite (a pipeline
      // publishing meanwhile finds the branch moved and stages again), then put it back.
      long head = table.currentSnapshot().snapshotId();
      if (head != s.snapshotId()) {
        table.manageSnapshots().setCurrentSnapshot(s.snapshotId()).commit();
      }
      table.rewriteManifests().rewriteIf(m -> true).clusterBy(f -> "all")
          .set(io.dataops.lakehouse.maintenance.SameRows.REWRITTEN_FOR, "destruction of " + plan.tag())
          .set(REWRITTEN_FROM, snapshotsOf(table, s.snapshotId()).stream().map(String::valueOf)
              .collect(java.util.stream.Collectors.joining(",")))
          .commit();
      table.refresh();
      long clean = table.currentSnapshot().snapshotId();
      var manage = table.manageSnapshots();
      if (table.refs().containsKey(other.tag())) {
        manage.replaceTag(other.tag(), clean);
      } else {
        manage.createTag(other.tag(), clean);
      }
      manage.setCurrentSnapshot(head == s.snapshotId() ? clean : head);
      manage.commit();
      registry.moveSnapshot(other.product(), other.version(), s.snapshotId(), clean, actor,
          "metadata rewritten: the destruction of v" + plan.version() + " removed entries naming its files");
      rewritten.add(other.tag() + ": snapshot " + s.snapshotId() + " -> " + clean);
    }
    return rewritten;
  }

  /**
   * Expires every snapshot no ref holds (Iceberg removes the files only they reached), then removes whatever of the
   * plan is left and the older metadata files that name the version's snapshot.
   */
  private void expire(TableIdentifier id, DestructionPlan plan) {
    Table table = lakehouse.load(id);
    Set<Long> held = new HashSet<>();
    table.refs().values().forEach(r -> held.add(r.snapshotId()));
    List<Long> unheld = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      if (!held.contains(s.snapshotId())) {
        unheld.add(s.snapshotId());
      }
    }
    if (!unheld.isEmpty()) {
      var expire = table.expireSnapshots().cleanExpiredFiles(true);
      unheld.forEach(expire::expireSnapshotId);
      expire.commit();
    }
    FileIO io = table.io();
    for (PlannedFile f : plan.removed()) {
      deleteIfExists(io, f.location());
    }
    table.refresh();
    Set<String> used = metadataInUse(table);
    for (String m : plan.metadata()) {
      if (!used.contains(VersionContent.normalize(m))) {
        deleteIfExists(io, m);
      }
    }
    String current = ((org.apache.iceberg.HasTableOperations) table).operations().current().metadataFileLocation();
    for (String location : listFiles(io, table.location() + "/metadata")) {
      if (location.endsWith(".metadata.json") && !location.equals(current)
          && mentionsSnapshot(io, location, plan.snapshotId())) {
        deleteIfExists(io, location);
      }
    }
  }

  /** No live version left: drop the table with every file under its folder and create it again, empty. */
  private void recreateEmpty(TableIdentifier id, DestructionPlan plan) {
    if (lakehouse.exists(id)) {
      Table table = lakehouse.load(id);
      if (table.snapshots().iterator().hasNext() || !table.location().equals(plan.tableLocation())) {
        lakehouse.catalog().dropTable(id, true);
      }
    }
    if (!lakehouse.exists(id)) {
      FileIO io = lakehouse.io();
      for (String location : listFiles(io, plan.tableLocation())) {
        deleteIfExists(io, location);
      }
      Schema schema = SchemaParser.fromJson(plan.tableSchemaJson());
      PartitionSpec spec = PartitionSpecParser.fromJson(schema, plan.tableSpecJson());
      Map<String, String> props = new LinkedHashMap<>(plan.tableProperties());
      lakehouse.catalog().buildTable(id, schema).withPartitionSpec(spec).withLocation(plan.tableLocation())
          .withProperties(props).create();
    }
  }

  private void removeArchive(DestructionPlan plan) {
    try {
      ArchiveStore.holding(plan.archive(), lakehouse).remove(plan.archive());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the archive copy " + plan.archive(), e);
    }
  }

  /** The quality engine's table of failing rows. */
  static final TableIdentifier ROW_FAILURES = QualityTables.ROW_FAILURES;
  /** The quality engine's table of metrics (figures computed from the columns of the snapshot a run read). */
  static final TableIdentifier METRICS = QualityTables.METRICS;
  /**
   * The quality engine's analyzer states of single-feed runs (sketches and value sets of the columns): a run with
   * {@code --feed} on a product table keeps them for its snapshot.
   */
  static final TableIdentifier ANALYZER_STATES = QualityTables.ANALYZER_STATES;
  /** The quality tables whose rows name the snapshot they were recorded on ({@code table_name}, {@code snapshot_id}). */
  private static final List<TableIdentifier> QUALITY_TABLES = List.of(ROW_FAILURES, METRICS, ANALYZER_STATES);

  /** What a row of a quality table is, as the post-check names it. */
  private static String rowOf(TableIdentifier quality) {
    return quality.equals(METRICS) ? "metric" : quality.equals(ANALYZER_STATES) ? "analyzer state" : "failing row";
  }

  /**
   * Summary property of a snapshot made by rewriting a live version's manifests: the snapshots that version had
   * before (newest first), which quality runs may have recorded rows on.
   */
  static final String REWRITTEN_FROM = "dataops.rewritten-from";

  /** The snapshots a version had before destructions of other versions rewrote its metadata (newest first). */
  private static List<Long> earlierSnapshots(Table table, long snapshotId) {
    Snapshot s = table.snapshot(snapshotId);
    if (s == null) {
      return List.of();
    }
    String from = s.summary().get(REWRITTEN_FROM);
    if (from != null) {
      return java.util.Arrays.stream(from.split(",")).map(Long::valueOf).toList();
    }
    // rewritten before the chain was recorded: the snapshot it was rewritten from is its parent
    return s.summary().containsKey(io.dataops.lakehouse.maintenance.SameRows.REWRITTEN_FOR) && s.parentId() != null
        ? List.of(s.parentId()) : List.of();
  }

  private static List<Long> snapshotsOf(Table table, long snapshotId) {
    List<Long> all = new ArrayList<>(List.of(snapshotId));
    all.addAll(earlierSnapshots(table, snapshotId));
    return all;
  }

  private static org.apache.iceberg.expressions.Expression rowsOf(String table, List<Long> snapshots) {
    return org.apache.iceberg.expressions.Expressions.and(
        org.apache.iceberg.expressions.Expressions.equal("table_name", table),
        org.apache.iceberg.expressions.Expressions.in("snapshot_id", snapshots.toArray()));
  }

  private static org.apache.iceberg.expressions.Expression rowsOf(DestructionPlan plan) {
    return rowsOf(plan.table(), plan.qualitySnapshots());
  }

  /** The version's snapshot as the post-check names it, with those it had before a rewrite. */
  private static String snapshotsNamed(DestructionPlan plan) {
    List<Long> all = plan.qualitySnapshots();
    return all.size() == 1 ? "snapshot " + all.get(0) : "snapshots " + all.stream().map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** The rows each quality table holds of the version's snapshot, and the runs that wrote them (for the certificate). */
  private List<DestructionPlan.QualityRows> planQualityRows(String table, List<Long> snapshots) {
    List<DestructionPlan.QualityRows> out = new ArrayList<>();
    for (TableIdentifier quality : QUALITY_TABLES) {
      if (!lakehouse.exists(quality)) {
        continue;
      }
      Table t = lakehouse.load(quality);
      boolean named = t.schema().findField("run_id") != null;
      long rows = 0;
      Set<String> runs = new TreeSet<>();
      try (var it = org.apache.iceberg.data.IcebergGenerics.read(t).where(rowsOf(table, snapshots)).build()) {
        for (org.apache.iceberg.data.Record r : it) {
          rows++;
          if (named && r.getField("run_id") != null) {
            runs.add(r.getField("run_id").toString());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + quality, e);
      }
      if (rows > 0) {
        out.add(new DestructionPlan.QualityRows(quality.toString(), rows, List.copyOf(runs)));
      }
    }
    return out;
  }

  /**
   * The rows quality runs recorded on this version's snapshot in {@code quality}: the rows the product's quality gate
   * failed, with their values, in {@code quality.row_failures}, and the metrics of its columns (means, extremes,
   * quantiles: figures of the product's values) in {@code quality.metrics} (found by probes: both outlived the
   * destruction). Each quality run writes files of its own, so such a file is removed whole ({@link RowRemoval}: a
   * file that also holds other rows, which none is written to, is written again without them). The commit that
   * unreferences the files is itself the record of what is to be deleted: its manifests name them as deleted entries
   * until the manifests are rewritten and the older snapshots expired, which deletes them — so a destruction killed
   * between that commit and the deletion is finished by its re-run (which finds no row left to remove) or by any
   * later destruction. {@code step} is told once the commit is made.
   */
  private void removeQualityRows(TableIdentifier quality, DestructionPlan plan, String step) {
    if (!lakehouse.exists(quality)) {
      return;
    }
    Table rowsTable = lakehouse.load(quality);
    if (rowsTable.currentSnapshot() == null) {
      return;
    }
    List<String> removed = RowRemoval.remove(rowsTable, rowsOf(plan), "destroy").files();
    onStep.accept(step);
    rowsTable.refresh();
    // The commit that unreferenced the files keeps them, with their column bounds (values), as deleted entries of
    // its manifests, and expiry removes only what the snapshots it expires deleted: the manifests are written again
    // without those entries, so that the expiry of that commit removes the files. A re-run after a kill (which finds
    // no row left to remove) or any later destruction does the same for a commit it finds.
    if (rowsTable.currentSnapshot().allManifests(rowsTable.io()).stream().anyMatch(ManifestFile::hasDeletedFiles)) {
      rowsTable.rewriteManifests().rewriteIf(m -> true).clusterBy(f -> "all").commit();
      rowsTable.refresh();
    }
    rowsTable.expireSnapshots().expireOlderThan(rowsTable.currentSnapshot().timestampMillis()).retainLast(1).commit();
    removed.forEach(l -> deleteIfExists(rowsTable.io(), l)); // gone with the expiry already, unless a commit came between
  }

  /**
   * Rows of this version's snapshot in files of a quality table that its current snapshot does not name (a
   * destruction stopped between its commit and the deletion left them): the files are read, not the table.
   */
  private long rowsLeftInFiles(Table rowsTable, TableIdentifier quality, DestructionPlan plan, List<String> read) {
    Set<String> named = new HashSet<>();
    try (var current = rowsTable.newScan().planFiles()) {
      current.forEach(t -> named.add(VersionContent.normalize(t.file().location())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of " + quality, e);
    }
    org.apache.iceberg.expressions.Evaluator matches = new org.apache.iceberg.expressions.Evaluator(
        rowsTable.schema().asStruct(), rowsOf(plan));
    long found = 0;
    for (String location : listFiles(rowsTable.io(), rowsTable.location() + "/data")) {
      if (!location.endsWith(".parquet") || named.contains(VersionContent.normalize(location))) {
        continue;
      }
      read.add(location);
      try (var rows = org.apache.iceberg.parquet.Parquet.read(rowsTable.io().newInputFile(location))
          .project(rowsTable.schema()).createReaderFunc(fileSchema ->
              org.apache.iceberg.data.parquet.GenericParquetReaders.buildReader(rowsTable.schema(), fileSchema))
          .<org.apache.iceberg.data.Record>build()) {
        for (org.apache.iceberg.data.Record r : rows) {
          if (matches.eval(r)) {
            found++;
          }
        }
      } catch (IOException | RuntimeException e) {
        // a file a quality run is still writing (not a Parquet file yet): never one a destruction unreferenced
        LOG.debug("skipped {} in the post-check: {}", location, e.toString());
      }
    }
    return found;
  }

  // ---- post-check ----

  private DestructionCertificate.PostCheck postCheck(TableIdentifier id, DestructionPlan plan) {
    List<String> checks = new ArrayList<>();
    boolean passed = true;
    Table table = lakehouse.load(id);
    FileIO io = table.io();
    Set<String> removedLocations = new HashSet<>();
    Set<String> removedNames = new HashSet<>();
    plan.removed().forEach(f -> {
      removedLocations.add(VersionContent.normalize(f.location()));
      removedNames.add(f.name());
    });

    passed &= record(checks, "snapshot " + plan.snapshotId() + " is no longer in " + plan.table(),
        table.snapshot(plan.snapshotId()) == null);
    boolean timeTravelFails;
    try {
      table.newScan().useSnapshot(plan.snapshotId()).planFiles().close();
      timeTravelFails = false;
    } catch (RuntimeException | IOException e) {
      timeTravelFails = true;
    }
    passed &= record(checks, "time travel to snapshot " + plan.snapshotId() + " fails", timeTravelFails);
    passed &= record(checks, "tag " + plan.tag() + " is gone", !table.refs().containsKey(plan.tag()));

    List<String> listing = listFiles(io, plan.tableLocation());
    long found = listing.stream().filter(l -> removedLocations.contains(VersionContent.normalize(l))
        || removedNames.contains(VersionContent.nameOf(plan.tableLocation(), l))).count();
    passed &= record(checks, "the listing of " + plan.tableLocation() + " (" + listing.size() + " files) holds none of"
        + " the " + removedLocations.size() + " removed files", found == 0);
    long existing = removedLocations.stream().filter(l -> io.newInputFile(l).exists()).count();
    passed &= record(checks, "none of the removed files can be opened", existing == 0);
    Set<String> used = metadataInUse(table);
    List<String> ownMetadata = plan.metadata().stream().filter(l -> !used.contains(VersionContent.normalize(l)))
        .toList();
    long metaLeft = ownMetadata.stream().filter(l -> io.newInputFile(l).exists()).count();
    passed &= record(checks, "the snapshot's own manifest list and manifests are gone (" + ownMetadata.size()
        + "; " + (plan.metadata().size() - ownMetadata.size()) + " manifests shared with live versions kept)",
        metaLeft == 0);

    Set<String> stillNamed = new TreeSet<>();
    for (Snapshot s : table.snapshots()) {
      stillNamed.addAll(namedFiles(table, s, removedLocations));
    }
    passed &= record(checks, "no manifest of a remaining snapshot names a removed file", stillNamed.isEmpty());
    long metadataNaming = listing.stream().filter(l -> l.endsWith(".metadata.json"))
        .filter(l -> mentionsSnapshot(io, l, plan.snapshotId())).count();
    passed &= record(checks, "no metadata file names snapshot " + plan.snapshotId(), metadataNaming == 0);

    if (lakehouse.config().onObjectStorage()) {
      // Said as far as it was looked: another user's or host's cache is out of this process's reach; each drops its
      // copies of removed files at its next use (ReadThroughCache.sweep), which the certificate says (a probe found
      // the check "passed" while another user's cache held the version's file).
      passed &= record(checks, "no local copy of a removed file is left in this process's read-through cache ("
          + ReadThroughCache.of(io.properties()).dir() + "); other users' and hosts' caches drop theirs at their next "
          + "use", ReadThroughCache.copiesLeft(io,
              plan.removed().stream().map(PlannedFile::location).toList()) == 0);
    }
    if (lakehouse.config().onObjectStorage() && io instanceof SupportsPrefixOperations prefixes) {
      String deliveries = Delivery.prefixOf(lakehouse.config().warehouse(), plan.product(), plan.version());
      passed &= record(checks, "no delivery of the version is left under " + deliveries,
          !prefixes.listPrefix(deliveries).iterator().hasNext());
    }
    List<PlannedFile> state = plan.removed().stream().filter(Destroyer::isState).toList();
    if (!state.isEmpty()) {
      long stateLeft = state.stream().filter(f -> io.newInputFile(f.location()).exists()).count();
      passed &= record(checks, "the held-back rows and class counts of the version (" + state.size() + " files of "
          + ".dataops-state/" + plan.product() + "/) are gone", stateLeft == 0);
    }
    if (work != null) {
      passed &= record(checks, "no leak filter or group measure of snapshot " + plan.snapshotId() + " is cached",
          cachedMeasuresLeft(plan) == 0);
    }
    List<String> archiveListing = ArchiveStore.holding(plan.archive(), lakehouse).left(plan.archive());
    if (sealed(plan)) {
      passed &= record(checks, "the archive copy " + plan.archive() + " is gone", archiveListing.isEmpty());
    } else if (!archiveListing.isEmpty()) {
      // Never sealed, so no archive copy to claim gone; files there are a seal's that did not finish.
      passed &= record(checks, "nothing is left at the archive location " + plan.archive() + " of the never sealed "
          + "version", false);
    }
    for (TableIdentifier quality : QUALITY_TABLES) {
      if (!lakehouse.exists(quality)) {
        continue;
      }
      long left = 0;
      try (var rows = org.apache.iceberg.data.IcebergGenerics.read(lakehouse.load(quality)).where(rowsOf(plan))
          .build()) {
        for (var ignored : rows) {
          left++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + quality, e);
      }
      passed &= record(checks, "no " + rowOf(quality) + " of " + snapshotsNamed(plan) + " is left in " + quality,
          left == 0);
      List<String> read = new ArrayList<>();
      long inFiles = rowsLeftInFiles(lakehouse.load(quality), quality, plan, read);
      passed &= record(checks, "no file of " + quality + " its current snapshot does not name holds a "
          + rowOf(quality) + " of " + snapshotsNamed(plan) + " (" + read.size() + " such files read)",
          inFiles == 0);
    }

    DigestAlgorithm algorithm = DigestAlgorithm.of(plan.algorithm());
    for (PlannedFile f : plan.files()) {
      if (DestructionPlan.KEEP.equals(f.disposition())) {
        boolean intact = io.newInputFile(f.location()).exists()
            && VersionContent.digest(io, f.location(), algorithm).equals(f.digest());
        passed &= record(checks, "kept file " + f.name() + " (shared with v" + f.sharedWith() + ") is intact",
            intact);
      }
    }
    for (ProductVersion other : registry.list(plan.product())) {
      if (other.version() != plan.version() && other.state().live() && other.content() != null) {
        VerifyReport r = new io.dataops.products.seal.Verifier(lakehouse, registry).verify(other.product(),
            other.version());
        passed &= record(checks, other.label() + " still verifies", r.ok());
      }
    }
    return new DestructionCertificate.PostCheck(passed, listing.size() + archiveListing.size(), checks);
  }

  /** Manifest lists and manifests the table's remaining snapshots read. */
  private static Set<String> metadataInUse(Table table) {
    Set<String> used = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      used.add(VersionContent.normalize(s.manifestListLocation()));
      for (ManifestFile m : s.allManifests(table.io())) {
        used.add(VersionContent.normalize(m.path()));
      }
    }
    return used;
  }

  private static boolean record(List<String> checks, String check, boolean ok) {
    checks.add(check + ": " + (ok ? "passed" : "FAILED"));
    return ok;
  }

  /** The locations among {@code names} that any entry (added, existing or deleted) of the snapshot's manifests names. */
  private static Set<String> namedFiles(Table table, Snapshot s, Set<String> names) {
    Set<String> out = new TreeSet<>();
    for (ManifestFile m : s.allManifests(table.io())) {
      try (InputStream in = table.io().newInputFile(m.path()).newStream();
           DataFileStream<GenericRecord> entries = new DataFileStream<>(in, new GenericDatumReader<>())) {
        for (GenericRecord entry : entries) {
          Object path = ((GenericRecord) entry.get("data_file")).get("file_path");
          if (path != null && names.contains(VersionContent.normalize(path.toString()))) {
            out.add(path.toString());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read manifest " + m.path(), e);
      }
    }
    return out;
  }

  private static boolean mentionsSnapshot(FileIO io, String metadataLocation, long snapshotId) {
    try (InputStream in = io.newInputFile(metadataLocation).newStream()) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return text.contains("\"snapshot-id\" : " + snapshotId) || text.contains("\"snapshot-id\":" + snapshotId);
    } catch (IOException | org.apache.iceberg.exceptions.NotFoundException e) {
      return false;
    }
  }

  /** Every file under a location, through the FileIO (object storage lists prefixes; a local folder is walked). */
  static List<String> listFiles(FileIO io, String location) {
    List<String> out = new ArrayList<>();
    if (io instanceof SupportsPrefixOperations prefixes) {
      try {
        for (FileInfo f : prefixes.listPrefix(location)) {
          out.add(f.location());
        }
        return out;
      } catch (RuntimeException e) {
        if (!location.startsWith("file:") && !location.startsWith("/")) {
          throw e;
        }
      }
    }
    Path root = location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
    for (String p : listLocal(root)) {
      out.add(location.startsWith("file:") ? Path.of(p).toUri().toString().replace("file:///", "file:/") : p);
    }
    return out;
  }

  private static List<String> listLocal(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(Path::toString).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static void deleteIfExists(FileIO io, String location) {
    try {
      if (io.newInputFile(location).exists()) {
        io.deleteFile(location);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not remove {}", location, e);
    }
  }

  // ---- copies outside the platform ----

  /** Notices to the organizations that received a destroyed version: {@code outbox/<organization>/notices/}. */
  public static final String NOTICE_ACTION = "product.destroy.notice";

  private CopiesOutside outsideCopies(DestructionPlan plan) {
    String source = delivered.source();
    if (source == null) {
      return new CopiesOutside("the deliveries of this version were not looked up: this certificate does not say "
          + "whether copies of it left the platform", null, List.of(), List.of());
    }
    Map<Long, DeliveredCopy> bySeq = new java.util.TreeMap<>();
    delivered.of(plan.product(), plan.version()).forEach(c -> bySeq.putIfAbsent(c.auditSeq(), c));
    List<DeliveredCopy> copies = List.copyOf(bySeq.values());
    if (copies.isEmpty()) {
      return new CopiesOutside("no delivery of this version was made: " + source + " record none, so no copy of it "
          + "left the platform", source, List.of(), List.of());
    }
    List<String> organizations = copies.stream().map(DeliveredCopy::organization).distinct().sorted().toList();
    StringBuilder statement = new StringBuilder().append(copies.size())
        .append(copies.size() == 1 ? " delivery" : " deliveries").append(" of this version to ")
        .append(organizations.size()).append(organizations.size() == 1 ? " organization" : " organizations")
        .append(" left the platform (").append(String.join(", ", organizations)).append("): those copies are outside "
            + "the platform and are NOT removed by this destruction. ");
    statement.append(outbox == null ? "No notice was sent to their holders."
        : "Each organization was sent a notice (outbox/<organization>/notices/) asking it to delete them.");
    if (copies.stream().anyMatch(c -> "presigned-url".equals(c.via()))) {
      statement.append(" The objects behind presigned URLs, in the platform's bucket, are removed; a copy fetched "
          + "through a URL before is not.");
    }
    return new CopiesOutside(statement.toString(), source, copies, outbox == null ? List.of() : organizations);
  }

  /**
   * One notice per organization that received the version, written under the same name each time (a re-run replaces
   * it) and audited once ({@link AuditSink#recordUnlessHeld}): the version was destroyed, its copies are listed, and
   * the organization is asked to delete them.
   */
  private void sendNotices(Result result, CopiesOutside outside) {
    DestructionCertificate c = result.certificate();
    String object = "product:" + c.product() + "@" + c.version();
    for (String org : outside.organizationsNotified()) {
      List<DeliveredCopy> theirs = outside.deliveries().stream().filter(d -> d.organization().equals(org)).toList();
      String date = c.finishedAt().substring(0, 10);
      Map<String, Object> notice = new LinkedHashMap<>();
      notice.put("notice", "destruction");
      notice.put("to", org);
      notice.put("product", c.product());
      notice.put("version", c.version());
      notice.put("tag", c.tag());
      notice.put("destroyedAt", c.finishedAt());
      notice.put("certificate", c.certificateId());
      notice.put("certificateDigest", result.certificateDigest());
      notice.put("algorithm", c.algorithm());
      notice.put("message", "数据产品 " + c.product() + " " + c.tag() + " 已于 " + date + " 销毁（销毁证明 "
          + c.certificateId() + "）。贵单位此前获得的副本（见下表）不在平台上，未被销毁：请删除这些副本及由其产生的"
          + "全部副本。 Product " + c.product() + " " + c.tag() + " was destroyed on " + date + " (certificate "
          + c.certificateId() + "). The copies your organization received (listed below) are outside the platform "
          + "and were not destroyed: please delete them and every copy made from them.");
      notice.put("deliveries", theirs);
      String location;
      try {
        location = outbox.resolve(org, "notices").write(c.product() + "-v" + c.version() + "-destroyed.json",
            JSON.writeValueAsBytes(notice));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot deliver the destruction notice to " + org + "'s outbox", e);
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("organization", org);
      details.put("deliveries", theirs.size());
      details.put("certificate", c.certificateId());
      details.put("notice", location);
      audit.recordUnlessHeld(AuditEvent.ok(NOTICE_ACTION, List.of(object, "organization:" + org), details), object,
          "organization", org);
    }
  }

  // ---- certificate ----

  private static String certificateId(DestructionPlan plan) {
    return "DC-" + plan.product() + "-v" + plan.version() + "-" + Long.toHexString(plan.snapshotId());
  }

  private Result writeCertificate(DestructionCertificate c, DigestAlgorithm algorithm) {
    try {
      String base = c.product() + "-v" + c.version() + "-destruction";
      byte[] bytes = JSON.writeValueAsBytes(c);
      String json = certificates.write(base + ".json", bytes);
      String digest = Digests.hex(algorithm, bytes);
      String html = certificates.writeString(base + ".html", CertificatePage.render(c, algorithm.label(), digest));
      return new Result(c, json, html, digest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the destruction certificate under " + certificates, e);
    }
  }

  private static String write(DestructionPlan plan) {
    try {
      return JSON.writeValueAsString(plan);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DestructionPlan read(String json) {
    try {
      return JSON.readValue(json, DestructionPlan.class);
    } catch (IOException e) {
      throw new IllegalStateException("the recorded destruction plan is not valid JSON", e);
    }
  }
}
