package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.ChildJvm;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.registry.ProductVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.dataops.products.publish.ProductTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code mode: incremental} on both engines: appends with runs between, and nothing new. */
class IncrementalRunTest extends EnginesFixture {
  static final String TABLE = "ods.public_security__citizens";

  static String pipeline(String name, String mode) {
    return """
        name: %s
        scenario: 社区服务人口结构分析
        owner: futian-operator
        inputs:
          - table: ods.public_security__citizens
            as: citizens
            columns: [id_card, name, gender, birth_date, district_code]
        transform: |
          SELECT id_card AS person_key, name, gender, birth_date, district_code FROM citizens
        policy:
          # one context for the incremental and the full product: their rows are compared
          person_key: {pseudonymize: hmac-sha256, key: default, length: 20, context: citizens}
          name: remove
          birth_date: remove
        privacy: {quasiIdentifiers: [gender, district_code], k: 30}
        product: %s
        mode: %s
        """.formatted(name, name, mode);
  }

  private long land(long rows, long seed) throws Exception {
    return landSample(SampleDataset.CITIZENS, rows, 5000, seed).snapshotId();
  }

  PipelineRunResult run(String engine, BoundPipeline p) {
    return engine.equals("flink") ? onFlink(p, 2) : onSpringBatch(p);
  }

  /**
   * kill -9 at each commit point of an incremental run, with new rows landed before the next run: the next runs lose
   * no input row and double none (their product equals the full run's over the same snapshot).
   */
  @ParameterizedTest
  @CsvSource({"spring-batch,staged", "spring-batch,published", "flink,staged", "flink,published"})
  void aRunKilledAtACommitPointLosesAndDoublesNoRow(String engine, String point) throws Exception {
    land(300, 1);
    Path file = write("inc.yaml", pipeline("citizens-inc", "incremental"));
    PipelineRunResult v1 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    long s2 = land(200, 2);
    Path marker = dir.resolve("paused");
    List<String> command = ChildJvm.command(IncrementalChild.class,
        List.of("-Xmx768m", "-Ddataops.test.pause-at=" + point, "-Ddataops.test.pause-marker=" + marker),
        List.of(dir.resolve("home").toString(), file.toString(), dir.resolve("child-work").toString(),
            keysFile.toString(), engine));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    boolean held = Files.exists(marker);
    child.destroyForcibly(); // SIGKILL at the commit point (and before any assertion: none is left paused)
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(held).as(Files.readString(dir.resolve("child.log"))).isTrue();
    assertThat(registry().list("citizens-inc")).as("the killed run recorded nothing").hasSize(1);
    long current = lakehouse.load(ProductTables.id("citizens-inc")).currentSnapshot().snapshotId();
    assertThat(current == v1.snapshotId()).as("made current by the killed run").isEqualTo(point.equals("staged"));

    long s3 = land(150, 3);
    PipelineRunResult next = run(engine, bind(pipeline("citizens-inc", "incremental")));
    PipelineRunResult last = run(engine, bind(pipeline("citizens-inc", "incremental")));
    if (point.equals("published")) {
      // the killed run's commit is finished (recorded as it was: up to s2), then the next run reads s2..s3
      assertThat(version(next).lineage().inputs()).isEqualTo(Map.of(TABLE, s2));
      assertThat(next.rowsIn()).isEqualTo(200);
      assertThat(version(last).lineage().inputsFrom()).isEqualTo(Map.of(TABLE, s2));
      assertThat(last.rowsIn()).isEqualTo(150);
    } else {
      // the staged snapshot never became current: the next run reads everything after v1
      assertThat(next.rowsIn()).isEqualTo(350);
      assertThat(last.recognized()).isTrue();
    }
    assertThat(version(last).lineage().inputs()).isEqualTo(Map.of(TABLE, s3));
    PipelineRunResult full = run(engine, bind(pipeline("citizens-full", "full")));
    assertThat(rows(last)).as("no row lost, none doubled").isEqualTo(rows(full));
    assertThat(full.rowsIn()).isEqualTo(650);
  }

  static final String VISITS = """
      columns:
        - {name: visit_id, type: long}
        - {name: street, type: string}
        - {name: topic, type: string}
      """;

  private long visits(int first, String... streets) throws Exception {
    StringBuilder csv = new StringBuilder("visit_id,street,topic\n");
    for (String s : streets) {
      csv.append(first++).append(',').append(s).append(",低保\n");
    }
    return land("street-office", "visits", VISITS, csv.toString()).snapshotId();
  }

  static String visitsPipeline(String name, String mode) {
    return """
        name: %s
        scenario: 社区服务
        owner: futian-operator
        inputs:
          - table: ods.street_office__visits
            as: visits
            columns: [visit_id, street, topic]
        privacy:
          quasiIdentifiers: [street]
          k: 3
          exempt: {visit_id: "a visit's number, known only inside the street office"}
        product: %s
        mode: %s
        """.formatted(name, name, mode);
  }

  /** A class under k is held back, never in the product, and published by the run that lifts it, once. */
  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void aClassUnderKIsHeldBackAndReleasedByTheRunThatLiftsIt(String engine) throws Exception {
    visits(1, "A", "A", "A", "B");
    PipelineRunResult v1 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(streets(v1)).isEqualTo(Map.of("A", 3));
    assertThat(v1.privacy()).containsEntry("heldNow", 1).containsEntry("heldBack", 1).containsEntry("released", 0);
    assertThat(v1.rowsSuppressed()).isEqualTo(1);

    visits(5, "B", "C", "C");
    PipelineRunResult v2 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.rowsOut()).as("B and C are still under k").isZero();
    assertThat(streets(v2)).isEqualTo(Map.of("A", 3));
    assertThat(v2.privacy()).containsEntry("heldNow", 3).containsEntry("heldBack", 4).containsEntry("released", 0);

    visits(8, "B", "C", "D");
    PipelineRunResult v3 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(streets(v3)).as("B and C lifted: their held rows published with the new ones, D held")
        .isEqualTo(Map.of("A", 3, "B", 3, "C", 3));
    assertThat(v3.rowsOut()).isEqualTo(6);
    assertThat(v3.privacy()).containsEntry("heldNow", 1).containsEntry("heldBack", 1).containsEntry("released", 4)
        .containsEntry("k", 3);
    assertThat(v3.privacy().get("recordsSuppressed")).as("k over the whole product").isEqualTo(1);

    PipelineRunResult full = run(engine, bind(visitsPipeline("visits-full", "full")));
    assertThat(rows(v3)).as("the full run's product, minus the held rows it suppresses").isEqualTo(rows(full));
  }

  private static final io.dataops.core.audit.Actor OPERATOR = new io.dataops.core.audit.Actor("olivia",
      "futian-operator", java.util.Set.of("operator"));
  private static final io.dataops.core.audit.Actor AUTHORITY = new io.dataops.core.audit.Actor("alice",
      "futian-data-bureau", java.util.Set.of("authority"));

  private io.dataops.products.destroy.Destroyer.Result destroy(String product, int version) {
    return new io.dataops.products.destroy.Destroyer(lakehouse, registry(), io.dataops.core.audit.AuditSink.NONE,
        dir.resolve("archive"), dir.resolve("certificates")).destroy(product, version, AUTHORITY);
  }

  /** The files of the product's state folder (held-back rows, class counts), by name. */
  private List<String> state(String product) throws Exception {
    String folder = io.dataops.pipelines.plan.ProductClasses.stateFolder(lakehouse, product);
    Path path = folder.startsWith("file:") ? Path.of(java.net.URI.create(folder)) : Path.of(folder);
    if (!Files.exists(path)) {
      return List.of();
    }
    try (var files = Files.list(path)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** The state files a version's snapshot names (what the next run continues from). */
  private List<String> stateOf(PipelineRunResult r) {
    Map<String, String> summary = lakehouse.load(ProductTables.id(r.product())).snapshot(r.snapshotId()).summary();
    return java.util.stream.Stream.of(io.dataops.pipelines.plan.ProductClasses.SUMMARY_HELD,
            io.dataops.pipelines.plan.ProductClasses.SUMMARY_CLASSES).map(summary::get)
        .map(l -> l.substring(l.lastIndexOf('/') + 1)).sorted().toList();
  }

  /**
   * Found by a probe: the rows a destroyed version held back (derived from personal data, kept out of the product by
   * k-anonymity) and its class counts outlived its destruction in {@code .dataops-state/}. Destroying every version
   * now removes them, the certificate lists them and the post-check proves them gone; the next run starts anew from
   * the inputs' beginning and says so.
   */
  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void destroyingEveryVersionRemovesItsHeldRowsAndTheNextRunStartsAnew(String engine) throws Exception {
    visits(1, "A", "A", "A", "B");
    PipelineRunResult v1 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(v1.privacy()).containsEntry("heldBack", 1);
    assertThat(state("visits-inc")).hasSize(2).isEqualTo(stateOf(v1));
    new io.dataops.products.lifecycle.Lifecycle(lakehouse, registry(), io.dataops.core.audit.AuditSink.NONE)
        .submit("visits-inc", 1, OPERATOR);
    new io.dataops.products.lifecycle.Lifecycle(lakehouse, registry(), io.dataops.core.audit.AuditSink.NONE)
        .reject("visits-inc", 1, AUTHORITY, "withdrawn by the street office");

    var certificate = destroy("visits-inc", 1).certificate();

    assertThat(state("visits-inc")).as("the held row and the class counts are gone").isEmpty();
    assertThat(certificate.files()).filteredOn(f -> !f.kind().equals("data"))
        .extracting(f -> f.kind() + " " + f.disposition())
        .containsExactlyInAnyOrder("held-rows remove", "class-counts remove");
    assertThat(certificate.postCheck().passed()).isTrue();
    assertThat(certificate.postCheck().checks()).anySatisfy(c -> assertThat(c)
        .startsWith("the held-back rows and class counts of the version (2 files").endsWith(": passed"));

    visits(5, "B", "B");
    PipelineRunResult v2 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.rowsIn()).as("read from the beginning, as a full run").isEqualTo(6);
    assertThat(version(v2).lineage().inputsFrom()).isEmpty();
    assertThat(streets(v2)).isEqualTo(Map.of("A", 3, "B", 3));
    assertThat(v2.warnings()).anySatisfy(w -> assertThat(w).contains("has no earlier version left to continue from")
        .contains("started anew"));
    PipelineRunResult full = run(engine, bind(visitsPipeline("visits-full", "full")));
    assertThat(rows(v2)).isEqualTo(rows(full));
  }

  /**
   * Destroying an older version removes the state its snapshot names, not the live version's: the next run continues
   * from the live version's held rows and counts.
   */
  @org.junit.jupiter.api.Test
  void destroyingAnOlderVersionRemovesItsStateAndTheNextRunContinuesFromTheLiveOne() throws Exception {
    var lifecycle = new io.dataops.products.lifecycle.Lifecycle(lakehouse, registry(),
        io.dataops.core.audit.AuditSink.NONE);
    visits(1, "A", "A", "A", "B");
    PipelineRunResult v1 = onSpringBatch(bind(visitsPipeline("visits-inc", "incremental")));
    visits(5, "B", "C", "C");
    PipelineRunResult v2 = onSpringBatch(bind(visitsPipeline("visits-inc", "incremental")));
    for (int v : List.of(1, 2)) {
      lifecycle.submit("visits-inc", v, OPERATOR);
      lifecycle.approve("visits-inc", v, AUTHORITY, null);
      lifecycle.publish("visits-inc", v, OPERATOR, io.dataops.products.lifecycle.Lifecycle.PUBLIC_INTEREST, null,
          "open licence");
    }
    new io.dataops.products.seal.Sealer(lakehouse, registry(), io.dataops.core.audit.AuditSink.NONE,
        dir.resolve("archive")).seal("visits-inc", 1, AUTHORITY);
    assertThat(state("visits-inc")).hasSize(4);

    var certificate = destroy("visits-inc", 1).certificate();

    assertThat(certificate.postCheck().passed()).isTrue();
    assertThat(state("visits-inc")).as("v1's state gone, v2's kept").isEqualTo(stateOf(v2));
    visits(8, "B", "C", "D");
    PipelineRunResult v3 = onSpringBatch(bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(v3.rowsIn()).as("only what was appended").isEqualTo(3);
    assertThat(v3.privacy()).containsEntry("released", 4).containsEntry("heldBack", 1);
    assertThat(v3.warnings()).noneSatisfy(w -> assertThat(w).contains("started anew"));
    assertThat(streets(v3)).isEqualTo(Map.of("A", 3, "B", 3, "C", 3));
  }

  /**
   * A state file the current version names, gone (removed outside the platform): the next run is refused naming it,
   * not read as empty (an internal error before: the file was opened and not found).
   */
  @org.junit.jupiter.api.Test
  void anIncrementalRunWhoseSavedStateIsGoneIsRefusedNamingIt() throws Exception {
    visits(1, "A", "A", "A", "B");
    PipelineRunResult v1 = onSpringBatch(bind(visitsPipeline("visits-inc", "incremental")));
    String folder = io.dataops.pipelines.plan.ProductClasses.stateFolder(lakehouse, "visits-inc");
    Path path = folder.startsWith("file:") ? Path.of(java.net.URI.create(folder)) : Path.of(folder);
    String classes = stateOf(v1).stream().filter(n -> n.startsWith("classes-")).findFirst().orElseThrow();
    Files.delete(path.resolve(classes));
    visits(5, "B", "B");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> onSpringBatch(bind(visitsPipeline("visits-inc",
        "incremental")))).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageContaining("the class counts of product visits-inc that its current version names (" + classes
            + ") are gone");
    assertThat(registry().list("visits-inc")).hasSize(1);
  }

  /**
   * The held-back rows file the current version names, gone: found at the publish, after the run wrote its product
   * files. The run is refused naming it, on either engine, and leaves neither those files (the product's rows) nor
   * its scratch folder: before, Spring Batch kept both and its job, and Flink the files.
   */
  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void anIncrementalRunWhoseHeldRowsAreGoneLeavesNoFiles(String engine) throws Exception {
    visits(1, "A", "A", "A", "B");
    PipelineRunResult v1 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    String folder = io.dataops.pipelines.plan.ProductClasses.stateFolder(lakehouse, "visits-inc");
    Path path = folder.startsWith("file:") ? Path.of(java.net.URI.create(folder)) : Path.of(folder);
    String held = stateOf(v1).stream().filter(n -> !n.startsWith("classes-")).findFirst().orElseThrow();
    Files.delete(path.resolve(held));
    List<Path> before = productFiles();
    visits(5, "B", "B");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(engine, bind(visitsPipeline("visits-inc",
        "incremental")))).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageContaining("the held-back rows of product visits-inc that its current version names (" + held
            + ") are gone");
    assertThat(registry().list("visits-inc")).hasSize(1);
    assertThat(productFiles()).as("the refused run's product files are removed").isEqualTo(before);
    try (var left = Files.walk(dir.resolve("work"))) {
      assertThat(left.filter(f -> f.getFileName().toString().startsWith("pipeline-"))).as("its folder").isEmpty();
    }
  }

  /** The Parquet files under the product table's folder, whatever attempt folder they are in. */
  private List<Path> productFiles() throws Exception {
    Path table = Path.of(java.net.URI.create(lakehouse.load(ProductTables.id("visits-inc")).location()
        .replaceFirst("^file:/+", "file:///")));
    try (var files = Files.walk(table)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  /**
   * Rows a full run without privacy published were judged by no class counts: an incremental run with privacy cannot
   * add to them.
   */
  @org.junit.jupiter.api.Test
  void anIncrementalRunWithPrivacyRefusesAProductMadeWithoutPrivacy() throws Exception {
    visits(1, "A", "A", "A", "B");
    String withoutPrivacy = visitsPipeline("visits", "full").replaceAll("(?s)privacy:.*?(?=product:)", "");
    PipelineRunResult full = onSpringBatch(bind(withoutPrivacy));
    visits(5, "B", "B");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> onSpringBatch(bind(visitsPipeline("visits",
        "incremental")))).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageContaining("the current version of product visits was made without the class counts");
    assertThat(registry().list("visits")).singleElement().extracting(ProductVersion::snapshotId)
        .isEqualTo(full.snapshotId());
    // the refused run's folder (its leak filter hashes raw values) is removed: nothing resumes a refusal
    try (var left = Files.walk(dir.resolve("work"))) {
      assertThat(left.filter(f -> f.getFileName().toString().startsWith("pipeline-"))).isEmpty();
    }
  }

  /**
   * A full run with privacy saves what an incremental run keeps: the product's class counts, the k, and its
   * suppressed rows as the held rows. The same file switched to mode incremental reads only what was appended after
   * the full run's snapshot and releases the held rows its rows lift: the product equals a full run's over the same
   * snapshot. (Before, "made without the class counts" ended incremental runs of the product for good.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void anIncrementalRunContinuesFromAFullRunWithPrivacy(String engine) throws Exception {
    long s1 = visits(1, "A", "A", "A", "B");
    PipelineRunResult v1 = run(engine, bind(visitsPipeline("visits", "full")));
    assertThat(streets(v1)).isEqualTo(Map.of("A", 3));
    assertThat(v1.rowsSuppressed()).isEqualTo(1);
    assertThat(stateOf(v1)).as("its held rows and class counts").hasSize(2).isEqualTo(state("visits"));
    assertThat(lakehouse.load(ProductTables.id("visits")).snapshot(v1.snapshotId()).summary())
        .containsEntry(io.dataops.pipelines.plan.ProductClasses.SUMMARY_K, "3");

    long s2 = visits(5, "B", "B");
    PipelineRunResult v2 = run(engine, bind(visitsPipeline("visits", "incremental")));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.rowsIn()).as("only what was appended after the full run's snapshot").isEqualTo(2);
    assertThat(version(v2).lineage().inputsFrom()).isEqualTo(Map.of("ods.street_office__visits", s1));
    assertThat(version(v2).lineage().inputs()).isEqualTo(Map.of("ods.street_office__visits", s2));
    assertThat(v2.privacy()).containsEntry("heldNow", 0).containsEntry("released", 1).containsEntry("heldBack", 0);
    assertThat(streets(v2)).isEqualTo(Map.of("A", 3, "B", 3));

    PipelineRunResult full = run(engine, bind(visitsPipeline("visits-full", "full")));
    assertThat(rows(v2)).as("a full run's product over the same snapshot, as a multiset").isEqualTo(rows(full));
  }

  /** Destroying a full version removes the state its snapshot names, as an incremental version's. */
  @org.junit.jupiter.api.Test
  void destroyingAFullVersionRemovesTheStateItSaved() throws Exception {
    visits(1, "A", "A", "A", "B");
    run("spring-batch", bind(visitsPipeline("visits", "full")));
    assertThat(state("visits")).hasSize(2);
    var lifecycle = new io.dataops.products.lifecycle.Lifecycle(lakehouse, registry(),
        io.dataops.core.audit.AuditSink.NONE);
    lifecycle.submit("visits", 1, OPERATOR);
    lifecycle.reject("visits", 1, AUTHORITY, "withdrawn by the street office");

    var certificate = destroy("visits", 1).certificate();

    assertThat(state("visits")).as("the suppressed rows kept and the class counts are gone").isEmpty();
    assertThat(certificate.files()).filteredOn(f -> !f.kind().equals("data"))
        .extracting(f -> f.kind() + " " + f.disposition())
        .containsExactlyInAnyOrder("held-rows remove", "class-counts remove");
    assertThat(certificate.postCheck().passed()).isTrue();
  }

  /**
   * A change of k refused in mode incremental is made by a full rebuild, after which incremental runs go on from it
   * (before, the rebuilt product was refused for good: "made without the class counts").
   */
  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void aFullRebuildAfterARefusedKChangeLetsIncrementalRunsGoOn(String engine) throws Exception {
    visits(1, "A", "A", "A", "B", "B");
    run(engine, bind(visitsPipeline("visits", "incremental")));
    visits(6, "C");
    String k2 = visitsPipeline("visits", "incremental").replace("k: 3", "k: 2");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(engine, bind(k2)))
        .isInstanceOf(io.dataops.core.BadInputException.class).hasMessageContaining("run the pipeline in mode full");

    PipelineRunResult rebuilt = run(engine, bind(k2.replace("mode: incremental", "mode: full")));
    assertThat(streets(rebuilt)).as("C under k = 2, suppressed").isEqualTo(Map.of("A", 3, "B", 2));

    visits(7, "C");
    PipelineRunResult next = run(engine, bind(k2));
    assertThat(next.version()).isEqualTo(3);
    assertThat(next.rowsIn()).isEqualTo(1);
    assertThat(next.privacy()).containsEntry("released", 1).containsEntry("heldBack", 0).containsEntry("k", 2);
    PipelineRunResult full = run(engine, bind(visitsPipeline("visits-full", "full").replace("k: 3", "k: 2")));
    assertThat(rows(next)).isEqualTo(rows(full));
  }

  /**
   * An incremental run cannot change the k the product's classes were judged with: a smaller one would publish the
   * rows held back at the larger (here B's two), a larger one leaves published classes below it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void anIncrementalRunKeepsTheKOfTheProduct(String engine) throws Exception {
    visits(1, "A", "A", "A", "B", "B");
    PipelineRunResult v1 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(streets(v1)).isEqualTo(Map.of("A", 3));
    visits(6, "C");
    for (String k : List.of("k: 2", "k: 4")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(engine, bind(visitsPipeline("visits-inc",
          "incremental").replace("k: 3", k)))).isInstanceOf(io.dataops.core.BadInputException.class)
          .hasMessageContaining("the product visits-inc was published with k = 3, and this pipeline declares " + k
              .replace(":", " =") + ": an incremental run keeps the k of the product's classes");
    }
    assertThat(registry().list("visits-inc")).hasSize(1);
    PipelineRunResult v2 = run(engine, bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(streets(v2)).as("B still held back at k = 3").isEqualTo(Map.of("A", 3));
  }

  private java.util.Set<Object> personKeys(PipelineRunResult r) {
    java.util.Set<Object> out = new java.util.HashSet<>();
    rows(r).keySet().forEach(row -> out.add(row.get(0)));
    return out;
  }

  /**
   * Found by a probe: every product pseudonymizing with one key and no context gave a person one pseudonym, and two
   * products, each k-anonymous alone, joined on it re-identified people. The default context is the product's name:
   * two products share no pseudonym, and each version of one product gives a person the pseudonym the last gave.
   */
  @org.junit.jupiter.api.Test
  void twoProductsShareNoPseudonymAndAProductsVersionsKeepTheirs() throws Exception {
    land(2000, 1);
    java.util.function.Function<String, String> noContext = product -> pipeline(product, "full")
        .replace(", context: citizens", "");
    PipelineRunResult a1 = onSpringBatch(bind(noContext.apply("pseudonyms-a")));
    PipelineRunResult b1 = onSpringBatch(bind(noContext.apply("pseudonyms-b")));
    assertThat(personKeys(a1)).isNotEmpty().doesNotContainAnyElementsOf(personKeys(b1));
    assertThat(lakehouse.load(ProductTables.id("pseudonyms-a")).snapshot(a1.snapshotId()).summary())
        .containsEntry("dataops.pseudonym-context", "product")
        .containsEntry("dataops.pseudonym-contexts", "{\"person_key\":\"pseudonyms-a\"}");

    land(1000, 2);
    PipelineRunResult a2 = onSpringBatch(bind(noContext.apply("pseudonyms-a")));
    assertThat(a2.version()).isEqualTo(2);
    assertThat(personKeys(a2)).as("classes only grow: every person of v1 is in v2, under the same pseudonym")
        .containsAll(personKeys(a1)).hasSizeGreaterThan(personKeys(a1).size());
    assertThat(a2.warnings()).noneMatch(w -> w.contains("context"));
  }

  /**
   * An incremental run whose {@code context:} changed is refused before it reads a row (its rows would carry other
   * pseudonyms than the version's earlier rows); a run in mode full, which rebuilds every row, may change it.
   */
  @org.junit.jupiter.api.Test
  void anIncrementalRunWithAChangedPseudonymContextIsRefusedAndAFullRunMayChangeIt() throws Exception {
    land(2000, 1);
    onSpringBatch(bind(pipeline("contexts", "incremental")));
    land(1000, 2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bind(pipeline("contexts", "incremental")
        .replace("context: citizens", "context: others")))
        .isInstanceOf(io.dataops.pipelines.definition.PipelineException.class)
        .hasMessageContaining("column 'person_key' of incremental product contexts: its earlier versions "
            + "pseudonymized it in context 'citizens', this pipeline in context 'others'");
    assertThat(registry().list("contexts")).hasSize(1);

    PipelineRunResult rebuilt = onSpringBatch(bind(pipeline("contexts", "full")
        .replace("context: citizens", "context: others")));
    assertThat(rebuilt.version()).isEqualTo(2);
    assertThat(rebuilt.inputsFrom()).as("every row, in the new context").isNullOrEmpty();
  }

  /**
   * Before, an incremental run after the key was rotated (same name, other bytes) added rows with other pseudonyms to
   * the version's earlier rows. Each version records its columns' key fingerprints, on both engines; the run is
   * refused before it reads a row, and a run in mode full, which rebuilds every row under the new key, may go on.
   */
  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void anIncrementalRunWithARotatedKeyIsRefusedAndAFullRunMayRotateIt(String engine) throws Exception {
    land(2000, 1);
    PipelineRunResult v1 = run(engine, bind(pipeline("rotated", "incremental")));
    String before = keys.fingerprint("default");
    assertThat(lakehouse.load(ProductTables.id("rotated")).snapshot(v1.snapshotId()).summary())
        .containsEntry("dataops.key-fingerprints", "{\"person_key\":\"" + before + "\"}");
    land(1000, 2);
    String rotated = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    keys.with("default", rotated);
    Files.writeString(keysFile, "default = " + rotated + "\nfpe = " + FPE_KEY + "\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bind(pipeline("rotated", "incremental")))
        .isInstanceOf(io.dataops.pipelines.definition.PipelineException.class)
        .hasMessageContaining("column 'person_key' of incremental product rotated: its earlier versions "
            + "pseudonymized it under the key of fingerprint " + before + ", this pipeline under key 'default' of "
            + "fingerprint " + keys.fingerprint("default") + ": the key changed")
        .hasMessageNotContaining(rotated).hasMessageNotContaining(DEFAULT_KEY);
    assertThat(registry().list("rotated")).hasSize(1);

    PipelineRunResult rebuilt = run(engine, bind(pipeline("rotated", "full")));
    assertThat(rebuilt.version()).isEqualTo(2);
    assertThat(personKeys(rebuilt)).as("every row, under the new key").doesNotContainAnyElementsOf(personKeys(v1));
    assertThat(bind(pipeline("rotated", "incremental")).definition().incremental())
        .as("the next incremental run follows the full version's key").isTrue();
  }

  /** Visits of street A from {@code first} on, one per topic given. */
  private long visitsOnTopics(int first, String... topics) throws Exception {
    StringBuilder csv = new StringBuilder("visit_id,street,topic\n");
    for (String t : topics) {
      csv.append(first++).append(",A,").append(t).append('\n');
    }
    return land("street-office", "visits", VISITS, csv.toString()).snapshotId();
  }

  /**
   * Found by a probe: a column the measure found rare in the first feed (an undeclared quasi-identifier) and no longer
   * in the grown input made the unchanged pipeline unrunnable ("made with other quasi-identifiers"). The product keeps
   * its saved quasi-identifiers: the column is still counted, and the run goes on.
   */
  @org.junit.jupiter.api.Test
  @SuppressWarnings("unchecked")
  void aColumnNoLongerRareStaysAQuasiIdentifierOfTheIncrementalProduct() throws Exception {
    visitsOnTopics(1, "低保", "低保", "就业");
    PipelineRunResult v1 = onSpringBatch(bind(visitsPipeline("visits-inc", "incremental")));
    assertThat((List<Object>) version(v1).lineage().privacy().get("quasiIdentifiers")).containsExactly("street", "topic");
    assertThat(v1.rowsOut()).as("(A, 低保) and (A, 就业) are under k").isZero();

    visitsOnTopics(4, "低保", "就业", "就业");
    BoundPipeline grown = bind(visitsPipeline("visits-inc", "incremental"));
    assertThat(grown.privacy().added()).containsKey("topic");
    PipelineRunResult v2 = onSpringBatch(grown);

    assertThat(v2.version()).isEqualTo(2);
    assertThat((List<Object>) version(v2).lineage().privacy().get("quasiIdentifiers")).containsExactly("street", "topic");
    assertThat(v2.rowsOut()).as("both classes reach k over the whole product").isEqualTo(6);
    assertThat(v2.privacy()).containsEntry("released", 3).containsEntry("heldBack", 0);
  }

  /** A column the measure newly finds rare: the published classes were not judged by it, so the run is refused. */
  @org.junit.jupiter.api.Test
  void aColumnNewlyRareIsRefusedNamingIt() throws Exception {
    visitsOnTopics(1, "低保", "低保", "低保");
    PipelineRunResult v1 = onSpringBatch(bind(visitsPipeline("visits-inc", "incremental")));
    assertThat(v1.rowsOut()).isEqualTo(3);

    visitsOnTopics(4, "低保", "低保", "就业");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> onSpringBatch(bind(visitsPipeline("visits-inc",
        "incremental")))).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageContaining("the product visits-inc was made without quasi-identifier topic, which this run counts")
        .hasMessageContaining("run the pipeline in mode full");
    assertThat(registry().list("visits-inc")).hasSize(1);
  }

  private Map<Object, Integer> streets(PipelineRunResult r) {
    Map<Object, Integer> out = new java.util.TreeMap<>();
    rows(r).forEach((row, n) -> out.merge(row.get(1), n, Integer::sum));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void threeAppendsWithRunsBetweenAddUpToTheFullRunsProduct(String engine) throws Exception {
    long s1 = land(400, 1);
    PipelineRunResult v1 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.rowsIn()).isEqualTo(400);
    assertThat(version(v1).lineage().inputs()).isEqualTo(Map.of(TABLE, s1));
    assertThat(version(v1).lineage().inputsFrom()).as("the first run reads from the beginning").isEmpty();

    long s2 = land(250, 2);
    PipelineRunResult v2 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.rowsIn()).as("only the appended rows are read").isEqualTo(250);
    assertThat(v1.privacy().get("heldBack")).as("classes below k held back").isNotEqualTo(0L);
    assertThat(((Number) v2.privacy().get("released")).longValue()).as("and released as they grow").isPositive();
    assertThat(version(v2).lineage().inputsFrom()).isEqualTo(Map.of(TABLE, s1));
    assertThat(version(v2).lineage().inputs()).isEqualTo(Map.of(TABLE, s2));

    long s3 = land(300, 3);
    PipelineRunResult v3 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(v3.rowsIn()).isEqualTo(300);
    assertThat(version(v3).lineage().inputsFrom()).isEqualTo(Map.of(TABLE, s2));
    assertThat(version(v3).lineage().inputs()).isEqualTo(Map.of(TABLE, s3));
    assertThat(rows(v3).values().stream().mapToInt(Integer::intValue).sum()).as("published = all rows - held")
        .isEqualTo(950 - ((Number) v3.privacy().get("heldBack")).intValue());

    PipelineRunResult full = run(engine, bind(pipeline("citizens-full", "full")));
    assertThat(full.rowsIn()).isEqualTo(950);
    assertThat(rows(v3)).as("the increments' product, as a multiset").isEqualTo(rows(full));

    PipelineRunResult again = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(again.recognized()).isTrue();
    assertThat(again.version()).isEqualTo(3);
    assertThat(again.snapshotId()).isEqualTo(v3.snapshotId());
    List<ProductVersion> versions = registry().list("citizens-inc");
    assertThat(versions).as("nothing new makes no version").hasSize(3);
  }
}
