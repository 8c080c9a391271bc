package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.table.TableBrowser;
import io.dataops.lakehouse.testing.Tables;
import io.dataops.core.testing.ChildJvm;
import io.dataops.core.testing.LockWaits;
import io.dataops.products.destroy.DestructionCertificate;
import io.dataops.products.destroy.DestructionPlan;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.publish.PublishVersion;
import io.dataops.products.publish.QualityGate;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.Verifier;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DestroyTest extends ProductFixture {
  private Lifecycle lifecycle;

  @BeforeEach
  void modules() {
    lifecycle = new Lifecycle(lakehouse, registry, audit);
  }

  private Destroyer destroyer() {
    return new Destroyer(lakehouse, registry, audit, archiveRoot(), certificates());
  }

  private void release(int n) {
    lifecycle.submit(PRODUCT, n, OPERATOR);
    lifecycle.approve(PRODUCT, n, AUTHORITY, null);
    lifecycle.publish(PRODUCT, n, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open licence");
  }

  private void seal(int n) {
    new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, n, AUTHORITY);
  }

  private static Path local(String location) {
    return Path.of(location.replaceFirst("^file:/+", "/"));
  }

  /** Every file under the home (the warehouse, the archive). */
  private Set<String> storage() throws Exception {
    try (Stream<Path> walk = Files.walk(dir.resolve("home"))) {
      Set<String> out = new HashSet<>();
      walk.filter(Files::isRegularFile).forEach(p -> out.add(p.toString()));
      return out;
    }
  }

  /** File paths named by any entry (added, existing or deleted) of any manifest of the table. */
  private Set<String> namedInManifests(Table table) throws Exception {
    Set<String> out = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      for (ManifestFile m : s.allManifests(table.io())) {
        try (InputStream in = table.io().newInputFile(m.path()).newStream();
             DataFileStream<GenericRecord> entries = new DataFileStream<>(in, new GenericDatumReader<>())) {
          for (GenericRecord e : entries) {
            out.add(local(((GenericRecord) e.get("data_file")).get("file_path").toString()).toString());
          }
        }
      }
    }
    return out;
  }

  private static List<String> streets(Table table) {
    return Tables.rows(table).stream().map(r -> (String) r.getField("street")).sorted().toList();
  }

  @Test
  void aSealedVersionIsGoneWhileTheNewerVersionReadsCorrectly() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 30));
    release(1);
    ProductVersion v2 = publish(false, dataFile(100, 140));
    release(2);
    seal(1);
    List<VersionFile> v1Files = registry.files(PRODUCT, 1);
    List<String> v2Rows = streets(table());
    assertThat(namedInManifests(table())).as("v2's snapshot records v1's files as deleted")
        .contains(local(v1Files.get(0).location()).toString());

    Destroyer.Result result = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    assertThat(version(1).state()).isEqualTo(VersionState.DESTROYED);
    Table table = table();
    Set<String> storage = storage();
    for (VersionFile f : v1Files) {
      assertThat(storage).doesNotContain(local(f.location()).toString());
    }
    assertThat(Files.exists(archiveRoot().resolve("street-stats/v1"))).isFalse();
    assertThat(table.snapshot(v1.snapshotId())).isNull();
    assertThat(table.refs()).doesNotContainKey("v1").containsKey("v2");
    assertThatThrownBy(() -> new TableBrowser(lakehouse).show(tableId(), v1.snapshotId(), 10))
        .hasMessageContaining("no snapshot");
    assertThatThrownBy(() -> new TableBrowser(lakehouse).show(tableId(), null, "v1", 10))
        .hasMessageContaining("no tag v1");
    Set<String> named = namedInManifests(table);
    for (VersionFile f : v1Files) {
      assertThat(named).as("no manifest names a removed file").doesNotContain(local(f.location()).toString());
    }
    // No metadata file on disk names the destroyed snapshot.
    try (Stream<Path> meta = Files.list(local(table.location() + "/metadata"))) {
      for (Path p : meta.filter(p -> p.toString().endsWith(".metadata.json")).toList()) {
        assertThat(Files.readString(p)).doesNotContain("\"snapshot-id\":" + v1.snapshotId())
            .doesNotContain("\"snapshot-id\" : " + v1.snapshotId());
      }
    }
    // v2 still reads exactly its rows, through its tag and as the current version, and verifies.
    assertThat(streets(table)).isEqualTo(v2Rows);
    assertThat(new TableBrowser(lakehouse).show(tableId(), null, "v2", 100).rows()).hasSize(41);
    ProductVersion v2now = version(2);
    assertThat(v2now.snapshotId()).as("v2's metadata was rewritten").isNotEqualTo(v2.snapshotId());
    assertThat(table.refs().get("v2").snapshotId()).isEqualTo(v2now.snapshotId());
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 2).ok()).isTrue();

    DestructionCertificate c = result.certificate();
    assertThat(c.postCheck().passed()).isTrue();
    assertThat(c.postCheck().checks()).allSatisfy(x -> assertThat(x).endsWith(": passed"));
    assertThat(c.files()).hasSize(1).allSatisfy(f -> assertThat(f.disposition()).isEqualTo(DestructionPlan.REMOVE));
    assertThat(c.approvedBy()).isEqualTo("alice");
    assertThat(c.rewrittenVersions()).hasSize(1);
    assertThat(Path.of(result.json())).isRegularFile().hasFileName("street-stats-v1-destruction.json");
    assertThat(Files.readString(Path.of(result.html()))).contains("数据销毁证明").contains(v1Files.get(0).digest());
    assertThat(result.certificateDigest()).isEqualTo(io.dataops.core.digest.Digests.hex(
        io.dataops.core.digest.DigestAlgorithm.SM3, Path.of(result.json())));
    assertThat(events).filteredOn(e -> e.action().equals("product.destroy"))
        .singleElement().satisfies(e -> assertThat(e.details()).containsEntry("certificateDigest",
            result.certificateDigest()));
    assertThatThrownBy(() -> destroyer().destroy(PRODUCT, 1, AUTHORITY)).hasMessageContaining("destroyed");
  }

  @Test
  void filesSharedWithALiveVersionStayAndThatVersionStillReadsCorrectly() throws Exception {
    String a = dataFile(1, 20);
    publish(false, a);
    release(1);
    String b = dataFile(21, 30);
    publish(true, b); // v2 = v1's file + a new one
    release(2);
    assertThat(streets(table())).hasSize(30);
    seal(1);
    Destroyer.Result r = destroyer().destroy(PRODUCT, 1, AUTHORITY);
    assertThat(r.certificate().files()).singleElement().satisfies(f -> {
      assertThat(f.disposition()).isEqualTo(DestructionPlan.KEEP);
      assertThat(f.sharedWith()).containsExactly(2);
    });
    assertThat(Files.exists(local(a))).as("shared with v2").isTrue();
    assertThat(streets(table())).hasSize(30);
    assertThat(new TableBrowser(lakehouse).show(tableId(), null, "v2", 100).rows()).hasSize(30);
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 2).ok()).isTrue();
    assertThat(table().refs()).doesNotContainKey("v1");
    assertThat(Files.exists(archiveRoot().resolve("street-stats/v1"))).isFalse();
  }

  /**
   * Found by a probe: a seal killed while it copied left its scratch folder (a whole copy of the version's files)
   * beside the archive; a second seal and the destruction left it, and the post-check passed.
   */
  @Test
  void theCopyAKilledSealLeftIsRemovedWithTheArchive() throws Exception {
    publish(false, dataFile(1, 30));
    release(1);
    seal(1);
    Path left = archiveRoot().resolve("street-stats/.v1.partial-4242/data");
    Files.createDirectories(left);
    Files.copy(local(registry.files(PRODUCT, 1).get(0).location()), left.resolve("copy.parquet"));

    Destroyer.Result result = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    assertThat(archiveRoot().resolve("street-stats/.v1.partial-4242")).doesNotExist();
    assertThat(result.certificate().postCheck().passed()).isTrue();
  }

  /**
   * Found by a probe: the rows the product's quality gate failed on a destroyed version (with the product's values)
   * stayed in quality.row_failures; the certificate said nothing of them.
   */
  @Test
  void theQualityFailuresOfTheDestroyedVersionsSnapshotGoWithIt() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 30));
    release(1);
    publish(false, dataFile(100, 140));
    release(2);
    seal(1);
    org.apache.iceberg.Schema schema = new org.apache.iceberg.Schema(
        org.apache.iceberg.types.Types.NestedField.required(1, "table_name",
            org.apache.iceberg.types.Types.StringType.get()),
        org.apache.iceberg.types.Types.NestedField.optional(2, "snapshot_id",
            org.apache.iceberg.types.Types.LongType.get()),
        org.apache.iceberg.types.Types.NestedField.optional(3, "value",
            org.apache.iceberg.types.Types.StringType.get()));
    Table failures = lakehouse.createOrLoad(org.apache.iceberg.catalog.TableIdentifier.of("quality", "row_failures"),
        schema, java.util.Map.of());
    String gone = failures(failures, tableId().toString(), v1.snapshotId(), "12458.0", "21509.0");
    String kept = failures(failures, tableId().toString(), version(2).snapshotId(), "9000.0");

    Destroyer.Result result = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    List<String> left = new java.util.ArrayList<>();
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(lakehouse.load(
        org.apache.iceberg.catalog.TableIdentifier.of("quality", "row_failures"))).build()) {
      rows.forEach(r -> left.add((String) r.getField("value")));
    }
    assertThat(left).containsExactly("9000.0");
    assertThat(failures.io().newInputFile(gone).exists()).as("the file is removed, not only unreferenced").isFalse();
    assertThat(failures.io().newInputFile(kept).exists()).isTrue();
    assertThat(result.certificate().postCheck().checks()).anySatisfy(c -> assertThat(c)
        .startsWith("no failing row of snapshot " + v1.snapshotId()).endsWith(": passed"));
  }

  /**
   * Found by a probe: a destruction killed after the commit that unreferenced the failing rows' files and before it
   * deleted them left those files (the product's values) on disk, and its re-run's post-check, counting rows, passed.
   * The commit now says which files it unreferences, the re-run deletes them, and the post-check reads the files the
   * table does not name.
   */
  @Test
  void aDestructionKilledAfterItsQualityFailuresCommitDeletesTheirFilesWhenRunAgain() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 30));
    release(1);
    publish(false, dataFile(100, 140));
    release(2);
    seal(1);
    Table failures = lakehouse.createOrLoad(org.apache.iceberg.catalog.TableIdentifier.of("quality", "row_failures"),
        failuresSchema(), java.util.Map.of());
    String gone = failures(failures, tableId().toString(), v1.snapshotId(), "12458.0", "21509.0");
    String kept = failures(failures, tableId().toString(), version(2).snapshotId(), "9000.0");
    Path marker = dir.resolve("marker");
    Process child = new ProcessBuilder(ChildJvm.command(DestroyChild.class, List.of(),
        List.of(dir.resolve("home").toString(), PRODUCT, "1", "quality-failures-unreferenced", marker.toString())))
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(marker).as("the child reached the point (see child.log)").exists();
    } finally {
      child.destroyForcibly(); // SIGKILL
      child.waitFor(60, TimeUnit.SECONDS);
    }
    failures.refresh();
    assertThat(Files.exists(local(gone))).as("unreferenced, not deleted yet").isTrue();
    // A copy no commit names (as a destruction before the fix left them): the post-check finds its rows.
    Path copy = local(gone).resolveSibling("left-by-an-older-destruction.parquet");
    Files.copy(local(gone), copy);

    assertThatThrownBy(() -> destroyer().destroy(PRODUCT, 1, AUTHORITY))
        .hasMessageContaining("no file of quality.row_failures its current snapshot does not name holds a failing row"
            + " of snapshot " + v1.snapshotId() + " (1 such files read): FAILED");
    assertThat(Files.exists(local(gone))).as("the re-run deleted what the killed one unreferenced").isFalse();
    assertThat(version(1).state()).isEqualTo(VersionState.DESTROYING);

    Files.delete(copy);
    Destroyer.Result result = destroyer().destroy(PRODUCT, 1, AUTHORITY);
    assertThat(result.certificate().postCheck().passed()).isTrue();
    assertThat(Files.exists(local(kept))).isTrue();
    assertThat(namedInManifests(lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.of("quality",
        "row_failures")))).as("no manifest keeps the removed file's entry (its column bounds are values)")
        .doesNotContain(local(gone).toString());
  }

  /**
   * Found by a probe: the metrics quality runs computed on a destroyed version's snapshot (the mean, extremes and
   * quantiles of its columns, written by `quality run --table product.*` and by the pipeline's quality gate) stayed in
   * quality.metrics; the certificate said nothing of them.
   */
  @Test
  void theMetricsComputedOnTheDestroyedVersionsSnapshotGoWithIt() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 30));
    release(1);
    publish(false, dataFile(100, 140));
    release(2);
    seal(1);
    Table metrics = lakehouse.createOrLoad(METRICS, metricsSchema(), java.util.Map.of());
    String gone = metrics(metrics, "run-of-v1", v1.snapshotId(), 12458.0, 21509.0);
    String kept = metrics(metrics, "run-of-v2", version(2).snapshotId(), 9000.0);
    assertThat(metricValues()).containsExactlyInAnyOrder(12458.0, 21509.0, 9000.0);

    Destroyer.Result result = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    assertThat(metricValues()).containsExactly(9000.0);
    assertThat(Files.exists(local(gone))).as("the file is removed, not only unreferenced").isFalse();
    assertThat(Files.exists(local(kept))).isTrue();
    assertThat(namedInManifests(lakehouse.load(METRICS))).doesNotContain(local(gone).toString());
    assertThat(result.certificate().qualityRowsRemoved()).contains(
        new DestructionPlan.QualityRows("quality.metrics", 2, List.of("run-of-v1")));
    assertThat(Files.readString(Path.of(result.html()))).contains("quality.metrics").contains("run-of-v1");
    assertThat(result.certificate().postCheck().checks()).anySatisfy(c -> assertThat(c)
        .startsWith("no metric of snapshot " + v1.snapshotId() + " is left in quality.metrics").endsWith(": passed"))
        .anySatisfy(c -> assertThat(c).startsWith("no file of quality.metrics its current snapshot does not name"
            + " holds a metric of snapshot " + v1.snapshotId()).endsWith(": passed"));
  }

  /** A destruction killed right after the commit that unreferenced the metrics' files deletes them when run again. */
  @Test
  void aDestructionKilledAfterItsMetricsCommitDeletesTheirFilesWhenRunAgain() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 30));
    release(1);
    publish(false, dataFile(100, 140));
    release(2);
    seal(1);
    Table metrics = lakehouse.createOrLoad(METRICS, metricsSchema(), java.util.Map.of());
    String gone = metrics(metrics, "run-of-v1", v1.snapshotId(), 12458.0, 21509.0);
    String kept = metrics(metrics, "run-of-v2", version(2).snapshotId(), 9000.0);
    Path marker = dir.resolve("marker");
    Process child = new ProcessBuilder(ChildJvm.command(DestroyChild.class, List.of(),
        List.of(dir.resolve("home").toString(), PRODUCT, "1", "quality-metrics-unreferenced", marker.toString())))
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(marker).as("the child reached the point (see child.log)").exists();
    } finally {
      child.destroyForcibly(); // SIGKILL
      child.waitFor(60, TimeUnit.SECONDS);
    }
    assertThat(metricValues()).as("the commit was made").containsExactly(9000.0);
    assertThat(Files.exists(local(gone))).as("unreferenced, not deleted yet").isTrue();
    assertThat(version(1).state()).isEqualTo(VersionState.DESTROYING);

    Destroyer.Result result = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    assertThat(result.certificate().postCheck().passed()).isTrue();
    assertThat(version(1).state()).isEqualTo(VersionState.DESTROYED);
    assertThat(Files.exists(local(gone))).as("the re-run deleted what the killed one unreferenced").isFalse();
    assertThat(Files.exists(local(kept))).isTrue();
    assertThat(namedInManifests(lakehouse.load(METRICS))).as("no manifest keeps the removed file's entry (its column"
        + " bounds are values)").doesNotContain(local(gone).toString());
    assertThat(result.certificate().qualityRowsRemoved()).as("as planned before the kill").contains(
        new DestructionPlan.QualityRows("quality.metrics", 2, List.of("run-of-v1")));
  }

  /**
   * Destroying v1 rewrites the metadata of v2 (whose snapshot named v1's files as deleted): v2 gets a new snapshot, and
   * the rows quality runs had recorded on its first one (its quality gate's) no longer named its snapshot, so v2's own
   * destruction would have left them. The rewritten snapshot records the snapshots the version had before.
   */
  @Test
  void theQualityRowsOfTheSnapshotAVersionHadBeforeARewriteGoWithIt() throws Exception {
    publish(false, dataFile(1, 30));
    release(1);
    ProductVersion v2 = publish(false, dataFile(100, 140));
    release(2);
    publish(false, dataFile(200, 210));
    release(3);
    Table metrics = lakehouse.createOrLoad(METRICS, metricsSchema(), java.util.Map.of());
    String gate = metrics(metrics, "gate-of-v2", v2.snapshotId(), 120.5);
    seal(1);
    destroyer().destroy(PRODUCT, 1, AUTHORITY);
    long rewritten = version(2).snapshotId();
    assertThat(rewritten).as("v2's metadata was rewritten").isNotEqualTo(v2.snapshotId());
    String later = metrics(metrics, "run-on-v2", rewritten, 99.0);
    metrics(metrics, "run-on-v3", version(3).snapshotId(), 7.0);
    seal(2);

    Destroyer.Result result = destroyer().destroy(PRODUCT, 2, AUTHORITY);

    assertThat(metricValues()).containsExactly(7.0);
    assertThat(Files.exists(local(gate))).isFalse();
    assertThat(Files.exists(local(later))).isFalse();
    assertThat(result.certificate().qualityRowsRemoved()).contains(
        new DestructionPlan.QualityRows("quality.metrics", 2, List.of("gate-of-v2", "run-on-v2")));
    assertThat(result.certificate().postCheck().checks()).contains("no metric of snapshots " + rewritten + ", "
        + v2.snapshotId() + " is left in quality.metrics: passed");
  }

  private static final org.apache.iceberg.catalog.TableIdentifier METRICS =
      org.apache.iceberg.catalog.TableIdentifier.of("quality", "metrics");

  /** The columns of quality.metrics a destruction reads (the quality engine's table has these and more). */
  private static org.apache.iceberg.Schema metricsSchema() {
    return new org.apache.iceberg.Schema(
        org.apache.iceberg.types.Types.NestedField.required(1, "run_id",
            org.apache.iceberg.types.Types.StringType.get()),
        org.apache.iceberg.types.Types.NestedField.required(2, "table_name",
            org.apache.iceberg.types.Types.StringType.get()),
        org.apache.iceberg.types.Types.NestedField.optional(3, "snapshot_id",
            org.apache.iceberg.types.Types.LongType.get()),
        org.apache.iceberg.types.Types.NestedField.required(4, "name",
            org.apache.iceberg.types.Types.StringType.get()),
        org.apache.iceberg.types.Types.NestedField.required(5, "value",
            org.apache.iceberg.types.Types.DoubleType.get()));
  }

  /** One quality run's metrics of the product table's snapshot, in a file of their own as the quality engine writes. */
  private String metrics(Table t, String runId, long snapshot, double... values) throws Exception {
    var files = org.apache.iceberg.io.OutputFileFactory.builderFor(t, 0, System.nanoTime())
        .format(org.apache.iceberg.FileFormat.PARQUET).build();
    org.apache.iceberg.io.DataWriter<Record> writer = new org.apache.iceberg.data.GenericAppenderFactory(t.schema())
        .newDataWriter(files.newOutputFile(), org.apache.iceberg.FileFormat.PARQUET, null);
    try (writer) {
      for (double v : values) {
        org.apache.iceberg.data.GenericRecord r = org.apache.iceberg.data.GenericRecord.create(t.schema());
        r.setField("run_id", runId);
        r.setField("table_name", tableId().toString());
        r.setField("snapshot_id", snapshot);
        r.setField("name", "Mean");
        r.setField("value", v);
        writer.write(r);
      }
    }
    t.newAppend().appendFile(writer.toDataFile()).commit();
    return writer.toDataFile().location();
  }

  private List<Double> metricValues() throws Exception {
    List<Double> out = new java.util.ArrayList<>();
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(lakehouse.load(METRICS)).build()) {
      rows.forEach(r -> out.add((Double) r.getField("value")));
    }
    return out;
  }

  /**
   * Found by a probe: a pipeline reading the product (an input may be product.*) caches the leak filter of the
   * version's snapshot (the bits answer "was this value in it?") and its group measures in the executors' work folder;
   * they outlived the destruction until a run of a pipeline reading the table, or table maintain, pruned them.
   */
  @Test
  void theLeakFiltersAndGroupMeasuresCachedForTheDestroyedSnapshotGoWithIt() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 30));
    release(1);
    ProductVersion v2 = publish(true, dataFile(100, 140)); // v1's file and one more: v2's snapshot stays
    release(2);
    seal(1);
    Path work = dir.resolve("work");
    var cache = io.dataops.pipelines.privacy.LeakFilterCache.in(work);
    io.dataops.pipelines.privacy.LeakFilter filter = new io.dataops.pipelines.privacy.LeakFilter(30, 1 << 16);
    for (int i = 1; i <= 30; i++) {
      filter.add("street-" + i);
    }
    var destroyed = new io.dataops.pipelines.privacy.LeakFilterCache.Key(tableId().toString(), v1.snapshotId(), null,
        List.of(registry.files(PRODUCT, 1).get(0).location()), java.util.Map.of("street", "string"), 30, 1 << 16,
        "code");
    var live = new io.dataops.pipelines.privacy.LeakFilterCache.Key(tableId().toString(), v2.snapshotId(), null,
        List.of(registry.files(PRODUCT, 2).get(0).location()), java.util.Map.of("street", "string"), 30, 1 << 16,
        "code");
    cache.save(destroyed, filter);
    cache.save(live, filter);

    Destroyer.Result result = destroyer().caches(work).destroy(PRODUCT, 1, AUTHORITY);

    assertThat(cache.load(destroyed)).isEmpty();
    assertThat(cache.load(live)).as("the live version's entry stays").isPresent();
    try (Stream<Path> left = Files.list(work.resolve("leak-filters").resolve(tableId().toString()))) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(v1.snapshotId() + "-"));
    }
    assertThat(result.certificate().postCheck().checks()).anySatisfy(c -> assertThat(c)
        .startsWith("no leak filter or group measure of snapshot " + v1.snapshotId()).endsWith(": passed"));
  }

  private static org.apache.iceberg.Schema failuresSchema() {
    return new org.apache.iceberg.Schema(
        org.apache.iceberg.types.Types.NestedField.required(1, "table_name",
            org.apache.iceberg.types.Types.StringType.get()),
        org.apache.iceberg.types.Types.NestedField.optional(2, "snapshot_id",
            org.apache.iceberg.types.Types.LongType.get()),
        org.apache.iceberg.types.Types.NestedField.optional(3, "value",
            org.apache.iceberg.types.Types.StringType.get()));
  }

  private static String failures(Table t, String table, long snapshot, String... values) throws Exception {
    var files = org.apache.iceberg.io.OutputFileFactory.builderFor(t, 0, System.nanoTime())
        .format(org.apache.iceberg.FileFormat.PARQUET).build();
    org.apache.iceberg.io.DataWriter<Record> writer = new org.apache.iceberg.data.GenericAppenderFactory(t.schema())
        .newDataWriter(files.newOutputFile(), org.apache.iceberg.FileFormat.PARQUET, null);
    try (writer) {
      for (String v : values) {
        org.apache.iceberg.data.GenericRecord r = org.apache.iceberg.data.GenericRecord.create(t.schema());
        r.setField("table_name", table);
        r.setField("snapshot_id", snapshot);
        r.setField("value", v);
        writer.write(r);
      }
    }
    t.newAppend().appendFile(writer.toDataFile()).commit();
    return writer.toDataFile().location();
  }

  @Test
  void destroyingTheOnlyVersionLeavesAnEmptyTableAndNoFile() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 30));
    lifecycle.submit(PRODUCT, 1, OPERATOR);
    lifecycle.reject(PRODUCT, 1, AUTHORITY, "not fit for release");
    String location = table().location();
    Destroyer.Result r = destroyer().destroy(PRODUCT, 1, AUTHORITY);
    assertThat(r.certificate().fromState()).isEqualTo("rejected");
    // Found by a probe: a version never sealed had no archive copy, yet the certificate named one removed and a
    // passed check that it was gone.
    assertThat(r.certificate().archiveRemoved()).isNull();
    assertThat(r.certificate().postCheck().checks()).noneMatch(c -> c.contains("archive"));
    assertThat(r.certificate().postCheck().passed()).isTrue();
    assertThat(Files.readString(Path.of(r.html()))).contains("none: the version was never sealed")
        .doesNotContain("/archive/");
    Table table = table();
    assertThat(table.currentSnapshot()).isNull();
    assertThat(table.snapshots()).isEmpty();
    try (Stream<Path> walk = Files.walk(local(location))) {
      assertThat(walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".metadata.json")))
          .as("no data file, manifest or manifest list").isEmpty();
    }
    try (Stream<Path> meta = Files.list(local(location + "/metadata"))) {
      assertThat(meta.toList()).singleElement().satisfies(p -> assertThat(Files.readString(p))
          .doesNotContain(String.valueOf(v1.snapshotId())));
    }
  }

  @Test
  void aVersionPublishedWhileAnotherIsDestroyedWaitsAndSharesNoRemovedFile() throws Exception {
    // Without the product's lock the incremental publish below appended to v2 while v2 was being destroyed: v3 shared
    // v2's file, which the destruction then removed (its post-check failed on v3, broken for good).
    String a = dataFile(1, 30);
    publish(false, a);
    release(1);
    String c = dataFile(51, 60);
    publish(false, c);
    lifecycle.submit(PRODUCT, 2, OPERATOR);
    lifecycle.reject(PRODUCT, 2, AUTHORITY, "not fit for release");
    CountDownLatch planned = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    CompletableFuture<Destroyer.Result> destroyed = CompletableFuture.supplyAsync(() -> destroyer().onStep(step -> {
      if (step.equals("planned")) { // the plan removes c: no live version shares it
        planned.countDown();
        try {
          goOn.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    }).destroy(PRODUCT, 2, AUTHORITY));
    assertThat(planned.await(1, TimeUnit.MINUTES)).isTrue();

    String b = dataFile(31, 40);
    CompletableFuture<ProductVersion> appended = new CompletableFuture<>();
    Thread publishing = new Thread(() -> { // an incremental run: its version holds the current one's files and its own
      try {
        appended.complete(publisher(QualityGate.NONE).newVersion(PRODUCT, "incremental").append(List.of(b))
            .lineage(lineage("incremental", 10)).actor(OPERATOR).commit());
      } catch (RuntimeException e) {
        appended.completeExceptionally(e);
      }
    });
    publishing.start();
    LockWaits.untilWaiting(publishing, appended);
    assertThat(appended.isDone()).as("the publish waits for the destruction").isFalse();
    goOn.countDown();

    assertThat(destroyed.get(2, TimeUnit.MINUTES).certificate().postCheck().passed()).isTrue();
    ProductVersion v3 = appended.get(2, TimeUnit.MINUTES);
    assertThat(Files.exists(local(c))).isFalse();
    assertThat(registry.files(PRODUCT, v3.version())).extracting(f -> local(f.location()).toString())
        .containsExactlyInAnyOrder(local(a).toString(), local(b).toString());
    assertThat(streets(table())).as("v3 is v1's rows and its own").hasSize(40);
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, v3.version()).ok()).isTrue();
  }

  @Test
  void aKilledDestructionCompletesWhenRunAgain() throws Exception {
    for (String step : List.of("planned", "unreferenced", "metadata-rewritten", "expired")) {
      int base = registry.list(PRODUCT).size();
      publish(false, dataFile(1, 30));
      release(base + 1);
      publish(false, dataFile(31, 60));
      release(base + 2);
      seal(base + 1);
      Path marker = dir.resolve("marker-" + step);
      Process child = new ProcessBuilder(ChildJvm.command(DestroyChild.class, List.of(),
          List.of(dir.resolve("home").toString(), PRODUCT, String.valueOf(base + 1), step, marker.toString())))
          .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + step + ".log").toFile()).start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(marker).as("the child reached " + step + " (see child-" + step + ".log)").exists();
      } finally {
        child.destroyForcibly(); // SIGKILL
        child.waitFor(60, TimeUnit.SECONDS);
      }
      assertThat(version(base + 1).state()).as("killed after " + step).isEqualTo(VersionState.DESTROYING);
      assertThat(registry.destruction(PRODUCT, base + 1).orElseThrow().finishedAt()).isNull();
      assertThat(certificates().resolve("street-stats-v" + (base + 1) + "-destruction.json")).doesNotExist();

      Destroyer.Result r = destroyer().destroy(PRODUCT, base + 1, AUTHORITY);
      assertThat(r.certificate().postCheck().passed()).isTrue();
      assertThat(version(base + 1).state()).isEqualTo(VersionState.DESTROYED);
      assertThat(streets(table())).hasSize(30);
      assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, base + 2).ok()).isTrue();
    }
  }

  @Test
  void aStagedSnapshotThatFailsItsGateLeavesNoReadableRowsAndNoFiles() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 10));
    String bad = dataFile(500, 520);
    var failing = publisher((table, snapshot, suite) -> new io.dataops.products.publish.QualityGate.Verdict(
        "suite.yaml", false, 1, List.of("expect_column_values_to_not_be_null(street): 3 unexpected of 21"),
        List.of(), "run-1"));
    var update = failing.newVersion(PRODUCT, "failing-run").replaceWith(List.of(bad))
        .lineage(lineage("failing-run", 21)).qualitySuite(dir.resolve("suite.yaml"), null);
    assertThatThrownBy(update::commit).hasMessageContaining("quality gate failed, nothing was published");
    Table table = table();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(v1.snapshotId());
    assertThat(table.snapshots()).as("the staged snapshot is gone").hasSize(1);
    assertThat(Files.exists(local(bad))).as("its data file is removed").isFalse();
    assertThat(new TableBrowser(lakehouse).history(tableId())).hasSize(1);
    assertThat(registry.list(PRODUCT)).hasSize(1);
    // A retry of the same run cannot publish what is gone: it must write its files again.
    assertThatThrownBy(update::commit).isInstanceOf(PublishVersion.RunFilesGone.class)
        .hasMessageEndingWith("nothing was published; run the same command again to run it anew");
  }

  @Test
  void aBranchOnTheVersionIsRemovedWithItAndDoesNotKeepItsRowsReadable() throws Exception {
    ProductVersion v1 = publish(false, dataFile(1, 20));
    release(1);
    publish(false, dataFile(21, 30));
    release(2);
    table().manageSnapshots().createBranch("someones-copy", v1.snapshotId()).commit();
    seal(1);
    Destroyer.Result r = destroyer().destroy(PRODUCT, 1, AUTHORITY);
    assertThat(r.certificate().postCheck().passed()).isTrue();
    assertThat(table().refs()).doesNotContainKeys("someones-copy", "v1");
    assertThat(Files.exists(local(registry.files(PRODUCT, 1).get(0).location()))).isFalse();
    assertThat(streets(table())).hasSize(10);
  }

  @Test
  void aDeleteFileOnlyTheDestroyedVersionNeedsIsRemovedAndTheVersionSharingItsDataStillReadsAllItsRows()
      throws Exception {
    String a = dataFile(1, 10);
    publish(false, a);
    // Version 2 is version 1's file with its first row deleted, merge-on-read: a position delete file.
    Table table = table();
    var appenders = new org.apache.iceberg.data.GenericAppenderFactory(table.schema(), table.spec());
    var out = org.apache.iceberg.encryption.EncryptedFiles.plainAsEncryptedOutput(
        table.io().newOutputFile(table.location() + "/data/deletes-of-v2.parquet"));
    org.apache.iceberg.deletes.PositionDeleteWriter<Record> w = appenders.newPosDeleteWriter(out,
        org.apache.iceberg.FileFormat.PARQUET, null);
    try (w) {
      w.write(org.apache.iceberg.deletes.PositionDelete.<Record>create().set(a, 0L, null));
    }
    org.apache.iceberg.DeleteFile deletes = w.toDeleteFile();
    table.newRowDelta().addDeletes(deletes).commit();
    publish(true); // version 2: what the table holds now (the file and its deletes)
    assertThat(registry.files(PRODUCT, 2)).extracting(VersionFile::kind).containsExactlyInAnyOrder("data",
        "position-deletes");
    assertThat(streets(table())).hasSize(9);
    lifecycle.submit(PRODUCT, 2, OPERATOR);
    lifecycle.reject(PRODUCT, 2, AUTHORITY, "the deletion must be a new pipeline run");
    Destroyer.Result r = destroyer().destroy(PRODUCT, 2, AUTHORITY);
    assertThat(r.certificate().files()).extracting(DestructionPlan.PlannedFile::kind, DestructionPlan.PlannedFile::disposition)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("data", DestructionPlan.KEEP),
            org.assertj.core.groups.Tuple.tuple("position-deletes", DestructionPlan.REMOVE));
    assertThat(Files.exists(local(deletes.location()))).isFalse();
    assertThat(Files.exists(local(a))).isTrue();
    assertThat(streets(table())).as("version 1, current again, reads all its rows").hasSize(10);
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 1).ok()).isTrue();
  }
}
