package io.dataops.products;

import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.publish.PublishVersion;
import io.dataops.products.publish.QualityGate;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Lineage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real embedded lakehouse and registry with a product table {@code product.street_stats}, whose versions are
 * published through {@link PublishVersion} from Parquet files the test writes (rows: street, residents).
 */
public abstract class ProductFixture {
  public static final String PRODUCT = "street-stats";
  public static final String OWNER = "futian-data-operator";
  public static final Schema SCHEMA = new Schema(
      Types.NestedField.optional(1, "street", Types.StringType.get()),
      Types.NestedField.optional(2, "residents", Types.LongType.get()));

  public static final Actor OPERATOR = new Actor("olivia", OWNER, Set.of("operator"));
  public static final Actor OTHER_OPERATOR = new Actor("oscar", "other-operator", Set.of("operator"));
  public static final Actor AUTHORITY = new Actor("alice", "futian-data-bureau", Set.of("authority"));
  public static final Actor AUDITOR = new Actor("audrey", "futian-audit", Set.of("auditor"));
  public static final Actor PARTNER = new Actor("paul", "shenzhen-partner", Set.of("partner"));
  public static final Actor DEPARTMENT = new Actor("dora", "futian-public-security", Set.of("department"));
  public static final Actor ADMIN = new Actor("adam", "platform", Set.of("admin"));

  @TempDir protected Path dir;
  protected Lakehouse lakehouse;
  protected ProductRegistry registry;
  protected final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
  protected final AuditSink audit = events::add;
  private int runs;

  @BeforeEach
  void openLakehouse() {
    lakehouse = Lakehouse.open(lakehouseConfig(dir.resolve("home")));
    LakehouseConfig config = lakehouse.config();
    registry = new ProductRegistry(config.catalogUri(), config.catalogUser(), config.catalogPassword());
    lakehouse.createOrLoad(ProductTables.id(PRODUCT), SCHEMA, Map.of(ProductTables.PROP_PRODUCT, PRODUCT));
  }

  @AfterEach
  void closeLakehouse() {
    lakehouse.close();
  }

  /** Where the fixture's lakehouse is: the test profile's storage (local, or S3 with -Ddataops.test.storage=s3). */
  protected LakehouseConfig lakehouseConfig(Path home) {
    return io.dataops.lakehouse.testing.TestStorage.embedded(home);
  }

  protected Path archiveRoot() {
    return dir.resolve("home/archive");
  }

  protected Path certificates() {
    return dir.resolve("home/certificates");
  }

  protected Table table() {
    return lakehouse.load(ProductTables.id(PRODUCT));
  }

  protected TableIdentifier tableId() {
    return ProductTables.id(PRODUCT);
  }

  /** Writes one Parquet data file into the table's folder with rows street-{from..to}. */
  protected String dataFile(int from, int to) {
    return dataFile(PRODUCT, from, to);
  }

  protected String dataFile(String product, int from, int to) {
    Table table = lakehouse.createOrLoad(ProductTables.id(product), SCHEMA,
        Map.of(ProductTables.PROP_PRODUCT, product));
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET)
        .build();
    GenericAppenderFactory appenders = new GenericAppenderFactory(table.schema());
    appenders.setAll(table.properties());
    DataWriter<org.apache.iceberg.data.Record> w = appenders.newDataWriter(files.newOutputFile(), FileFormat.PARQUET,
        null);
    try (w) {
      for (int i = from; i <= to; i++) {
        GenericRecord r = GenericRecord.create(table.schema());
        r.setField("street", "street-" + i);
        r.setField("residents", (long) i * 10);
        w.write(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toDataFile().location();
  }

  protected ProductPublisher publisher(QualityGate gate) {
    return new ProductPublisher(lakehouse, registry, gate, audit, DigestAlgorithm.SM3);
  }

  protected Lineage lineage(String runKey, long rows) {
    return new Lineage("street-stats-pipeline", "0".repeat(64), "community services", OWNER, "spring-batch", runKey,
        Map.of("ods.public_security__citizens", 42L), Map.of("street", "keep", "residents", "keep"),
        Map.of("k", 5), Map.of("passed", true), null, rows, rows, 0, Map.of());
  }

  /** Publishes a new draft version holding exactly these files (or, with {@code append}, the last ones too). */
  protected ProductVersion publish(boolean append, String... files) {
    return publish(PRODUCT, append, files);
  }

  protected ProductVersion publish(String product, boolean append, String... files) {
    String runKey = "run-" + (++runs) + "-" + System.nanoTime();
    PublishVersion p = publisher(QualityGate.NONE).newVersion(product, runKey)
        .lineage(lineage(runKey, 10)).actor(OPERATOR);
    if (append) {
      p.append(List.of(files));
    } else {
      p.replaceWith(List.of(files));
    }
    return p.commit();
  }

  /**
   * Publishes {@code runs} different runs of the product from as many threads at once (each its own publisher over the
   * same lakehouse and registry, as processes have) and checks they published one after the other: every run has its
   * version, numbered in the order of their snapshots, each snapshot's parent the version before it.
   */
  protected void runsPublishingAtOnceFollowOneAnother(int runs) throws Exception {
    int before = registry.list(PRODUCT).size();
    List<String> files = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      files.add(dataFile(i * 10 + 1, i * 10 + 10));
    }
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
    try {
      List<java.util.concurrent.Future<ProductVersion>> published = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String runKey = "racing-" + i + "-" + System.nanoTime();
        String file = files.get(i);
        published.add(pool.submit(() -> {
          PublishVersion p = publisher(QualityGate.NONE).newVersion(PRODUCT, runKey).replaceWith(List.of(file))
              .evolveSchema((u, current) -> current.findField("note") == null
                  ? u.addColumn("note", Types.StringType.get()) : u)
              .lineage(lineage(runKey, 10)).actor(OPERATOR);
          start.await();
          return p.commit();
        }));
      }
      for (var f : published) {
        f.get(2, java.util.concurrent.TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    List<ProductVersion> versions = registry.list(PRODUCT).stream()
        .sorted(java.util.Comparator.comparingInt(ProductVersion::version)).toList();
    org.assertj.core.api.Assertions.assertThat(versions).hasSize(before + runs);
    Table table = table();
    for (int i = before; i < versions.size(); i++) {
      ProductVersion v = versions.get(i);
      org.assertj.core.api.Assertions.assertThat(v.version()).isEqualTo(i + 1);
      org.assertj.core.api.Assertions.assertThat(table.snapshot(v.snapshotId()).parentId())
          .as("version %d follows version %d", v.version(), v.version() - 1)
          .isEqualTo(i == 0 ? null : versions.get(i - 1).snapshotId());
      org.assertj.core.api.Assertions.assertThat(table.refs().get(v.tag()).snapshotId()).isEqualTo(v.snapshotId());
    }
    org.assertj.core.api.Assertions.assertThat(table.currentSnapshot().snapshotId())
        .isEqualTo(versions.get(versions.size() - 1).snapshotId());
  }

  /**
   * Two organizations' first versions of their own products under one new pipeline name, recorded from two threads at
   * once (found by a probe: both passed the name check made before the run): one is recorded and the other refused,
   * naming the organization whose name it is; that organization's next run under the name is refused again, and the
   * owner's goes on.
   */
  protected void firstRunsOfOnePipelineNameByTwoOrganizations() throws Exception {
    String pipeline = "new-name-" + System.nanoTime();
    List<Actor> makers = List.of(OPERATOR, OTHER_OPERATOR);
    List<PublishVersion> runs = new ArrayList<>();
    for (Actor maker : makers) {
      String product = "stats-of-" + maker.organization();
      runs.add(publisher(QualityGate.NONE).newVersion(product, "first-" + maker.organization())
          .replaceWith(List.of(dataFile(product, 1, 10)))
          .lineage(lineageOf(pipeline, maker, "first-" + maker.organization())).actor(maker));
    }
    Race race = commitAtOnce(runs);
    org.assertj.core.api.Assertions.assertThat(race.recorded()).as("one first version").hasSize(1);
    String winner = race.recorded().get(0).lineage().owner();
    Actor loser = makers.stream().filter(a -> !a.organization().equals(winner)).findFirst().orElseThrow();
    org.assertj.core.api.Assertions.assertThat(race.refused()).singleElement()
        .isInstanceOf(io.dataops.core.AccessDeniedException.class).extracting(Throwable::getMessage).asString()
        .startsWith("pipeline name " + pipeline + " is " + winner + "'s");
    org.assertj.core.api.Assertions.assertThat(registry.list("stats-of-" + loser.organization())).isEmpty();
    org.assertj.core.api.Assertions.assertThat(lakehouse.load(ProductTables.id("stats-of-" + loser.organization()))
        .currentSnapshot()).as("refused before its rows became the table's").isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> publisher(QualityGate.NONE)
            .newVersion("stats-of-" + loser.organization(), "again").replaceWith(List.of(
                dataFile("stats-of-" + loser.organization(), 11, 20)))
            .lineage(lineageOf(pipeline, loser, "again")).actor(loser).commit())
        .isInstanceOf(io.dataops.core.AccessDeniedException.class);
    Actor owner = makers.stream().filter(a -> a.organization().equals(winner)).findFirst().orElseThrow();
    org.assertj.core.api.Assertions.assertThat(publisher(QualityGate.NONE)
        .newVersion("stats-of-" + winner, "second").replaceWith(List.of(dataFile("stats-of-" + winner, 11, 20)))
        .lineage(lineageOf(pipeline, owner, "second")).actor(owner).commit().version()).isEqualTo(2);
  }

  /**
   * Two organizations' first runs of one new product name, from two threads at once (found by a probe: the loser was
   * refused only when its version was recorded, after its rows had become the table's current snapshot, which the
   * winner's operator then read and which blocked the version's destruction for good): one version is recorded, the
   * other run is refused before it changes the table, and its data file is removed.
   */
  protected void firstRunsOfOneProductByTwoOrganizations() throws Exception {
    String product = "contested-" + System.nanoTime();
    List<Actor> makers = List.of(OPERATOR, OTHER_OPERATOR);
    Map<String, String> fileOf = new java.util.HashMap<>();
    List<PublishVersion> runs = new ArrayList<>();
    int from = 1;
    for (Actor maker : makers) {
      String file = dataFile(product, from, from + 9);
      from += 10;
      fileOf.put(maker.organization(), file);
      runs.add(publisher(QualityGate.NONE).newVersion(product, "first-" + maker.organization())
          .replaceWith(List.of(file)).lineage(lineageOf("pipeline-of-" + maker.organization(), maker,
              "first-" + maker.organization())).actor(maker));
    }
    Race race = commitAtOnce(runs);
    org.assertj.core.api.Assertions.assertThat(race.recorded()).as("one first version").hasSize(1);
    ProductVersion recorded = race.recorded().get(0);
    org.assertj.core.api.Assertions.assertThat(race.refused()).singleElement()
        .isInstanceOf(io.dataops.core.AccessDeniedException.class).extracting(Throwable::getMessage).asString()
        .startsWith("product " + product + " belongs to " + recorded.lineage().owner());
    Table table = lakehouse.load(ProductTables.id(product));
    org.assertj.core.api.Assertions.assertThat(table.currentSnapshot().snapshotId())
        .as("the table's current snapshot is the version's").isEqualTo(recorded.snapshotId());
    org.assertj.core.api.Assertions.assertThat(table.snapshots()).as("the refused run's snapshot is gone").hasSize(1);
    String loser = makers.stream().map(Actor::organization).filter(o -> !o.equals(recorded.lineage().owner()))
        .findFirst().orElseThrow();
    org.assertj.core.api.Assertions.assertThat(table.io().newInputFile(fileOf.get(loser)).exists())
        .as("the refused run's file").isFalse();
  }

  /**
   * A rejection committed while an approval of a version holding the rejected version's rows is under way: the approve
   * has read the versions and checked them, and waits to move (found by review: the look for rejected rows was a read
   * of its own before the move, so a rejection committed between the two was not seen). The reject stops inside its
   * transaction (where it records its audit event) until the approve {@code waits} on it or is done, then commits;
   * the approve is refused and the version stays submitted.
   */
  protected void aRejectionCommittedWhileAnApproveWaitsIsSeen(java.util.function.Predicate<Thread> waits)
      throws Exception {
    io.dataops.products.lifecycle.Lifecycle lifecycle = new io.dataops.products.lifecycle.Lifecycle(lakehouse,
        registry, audit);
    int v1 = publish(false, dataFile(1, 5)).version();
    lifecycle.submit(PRODUCT, v1, OPERATOR);
    lifecycle.approve(PRODUCT, v1, AUTHORITY, null);
    int v2 = publish(true, dataFile(6, 8)).version();
    int v3 = publish(true, dataFile(9, 9)).version();
    lifecycle.submit(PRODUCT, v2, OPERATOR);
    lifecycle.submit(PRODUCT, v3, OPERATOR);
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
    AuditSink holding = event -> {
      if (event.action().equals("product.reject")) {
        inside.countDown();
        try {
          commit.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      audit.record(event);
    };
    java.util.concurrent.FutureTask<ProductVersion> reject = new java.util.concurrent.FutureTask<>(() ->
        new io.dataops.products.lifecycle.Lifecycle(lakehouse, registry, holding).reject(PRODUCT, v2, AUTHORITY,
            "street names must be generalized"));
    java.util.concurrent.FutureTask<ProductVersion> approve = new java.util.concurrent.FutureTask<>(() ->
        lifecycle.approve(PRODUCT, v3, AUTHORITY, null));
    Thread rejecting = new Thread(reject, "reject");
    Thread approving = new Thread(approve, "approve");
    rejecting.start();
    try {
      org.assertj.core.api.Assertions.assertThat(inside.await(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      approving.start();
      long until = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
      while (!approve.isDone() && !waits.test(approving) && System.nanoTime() < until) {
        Thread.sleep(20);
      }
    } finally {
      commit.countDown();
    }
    org.assertj.core.api.Assertions.assertThat(reject.get(1, java.util.concurrent.TimeUnit.MINUTES).state())
        .isEqualTo(io.dataops.products.registry.VersionState.REJECTED);
    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> approve.get(1,
        java.util.concurrent.TimeUnit.MINUTES));
    org.assertj.core.api.Assertions.assertThat(refused).as("the approve, committed after the rejection")
        .isInstanceOf(java.util.concurrent.ExecutionException.class).cause()
        .isInstanceOf(io.dataops.core.StateRefusedException.class)
        .hasMessageStartingWith("approve of " + version(v3).label() + " refused: it holds rows of v" + v2
            + ", which was rejected (1 file of v" + v2 + " that no approved version before it holds");
    org.assertj.core.api.Assertions.assertThat(version(v3).state())
        .isEqualTo(io.dataops.products.registry.VersionState.SUBMITTED);
  }

  /** What publishes from several threads at once came to: the versions recorded, and what the others threw. */
  private record Race(List<ProductVersion> recorded, List<Throwable> refused) {}

  /** Commits each publish from a thread of its own, all released at once (as processes finishing together). */
  private static Race commitAtOnce(List<PublishVersion> runs) throws Exception {
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs.size());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs.size());
    try {
      List<java.util.concurrent.Future<ProductVersion>> futures = new ArrayList<>();
      for (PublishVersion p : runs) {
        futures.add(pool.submit(() -> {
          start.await();
          return p.commit();
        }));
      }
      List<ProductVersion> recorded = new ArrayList<>();
      List<Throwable> refused = new ArrayList<>();
      for (var f : futures) {
        try {
          recorded.add(f.get(2, java.util.concurrent.TimeUnit.MINUTES));
        } catch (java.util.concurrent.ExecutionException e) {
          refused.add(e.getCause());
        }
      }
      return new Race(recorded, refused);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Lineage lineageOf(String pipeline, Actor maker, String runKey) {
    return new Lineage(pipeline, "0".repeat(64), "community services", maker.organization(), "spring-batch", runKey,
        Map.of("ods.public_security__citizens", 42L), Map.of("street", "keep", "residents", "keep"),
        Map.of("k", 5), Map.of("passed", true), null, 10, 10, 0, Map.of());
  }

  /** A sink whose every record fails, as a full platform database's does. */
  protected static final AuditSink FULL = event -> {
    throw new IllegalStateException("cannot record audit event " + event.action() + ": database or disk is full");
  };

  /** A new version of {@code files}, submitted, approved and published for partners (public interest). */
  protected ProductVersion publishedForPartners(String... files) {
    ProductVersion v = publish(false, files);
    io.dataops.products.lifecycle.Lifecycle lifecycle = new io.dataops.products.lifecycle.Lifecycle(lakehouse,
        registry, audit);
    lifecycle.submit(PRODUCT, v.version(), OPERATOR);
    lifecycle.approve(PRODUCT, v.version(), AUTHORITY, null);
    return lifecycle.publish(PRODUCT, v.version(), OPERATOR, io.dataops.products.lifecycle.Lifecycle.PUBLIC_INTEREST,
        null, "CC BY 4.0");
  }

  protected ProductVersion version(int v) {
    return registry.find(PRODUCT, v).orElseThrow();
  }
}
