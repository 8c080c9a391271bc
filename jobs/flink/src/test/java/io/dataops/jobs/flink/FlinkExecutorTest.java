package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.testing.LockWaits;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.publish.PublishVersion;
import io.dataops.products.registry.ProductRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.dataops.core.files.ProcessLock;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineException;
import io.dataops.pipelines.plan.Executors;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.privacy.LeakDetectedException;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.publish.ProductTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlinkExecutorTest extends EnginesFixture {
  @BeforeEach
  void landData() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
  }

  @Test
  void aPipelineGivesTheSameProductOnFlinkAsOnSpringBatch() {
    BoundPipeline p = bind(PROFILE);
    PipelineRunResult reference = onSpringBatch(p);
    PipelineRunResult flink = onFlink(p, 2);
    assertThat(flink.rowsSuppressed()).isPositive();
    assertSameOutcome(reference, flink);
  }

  @Test
  void aRunAnotherHolderIsRunningIsRefusedWithoutRunning() throws Exception {
    // Two commands at once both ran: the second failed on its publish commit as an internal error, its files left.
    BoundPipeline p = bind(PROFILE);
    PipelineExecutor e = executor("flink", Map.of());
    RunPlan plan = RunPlan.of(p, keys, e.engine(), lakehouse);
    Path lockFile = dir.resolve("work").resolve("flink-" + plan.runKey().substring(0, 16) + ".lock");
    Files.createDirectories(lockFile.getParent());
    try (ProcessLock held = ProcessLock.tryTake(lockFile).orElseThrow()) {
      assertThatThrownBy(() -> e.run(plan, RunControl.of(Actor.SYSTEM))).isInstanceOf(BadInputException.class)
          .hasMessage("this run is already going on in process " + ProcessHandle.current().pid() + "; wait for it"
              + " to end (the same command then reports its product version)");
    }
    assertThat(registry().list("citizens-profile")).isEmpty();
    assertThat(lakehouse.exists(ProductTables.id("citizens-profile"))).as("nothing made").isFalse();
  }

  @Test
  void aKilledRunsStatesAndLockAreRemovedWhenAnotherRunOfItsProductPublishes() throws Exception {
    // Killed at its publish, the run left its scratch states (the leak filter's hashes of raw values among them) and
    // its lock; its key pinned a snapshot the file no longer gets, so no attempt of it would remove them.
    Path file = write("profile.yaml", PROFILE);
    Path marker = dir.resolve("paused");
    List<String> command = io.dataops.core.testing.ChildJvm.command(IncrementalChild.class,
        List.of("-Xmx768m", "-Ddataops.test.pause-at=staged", "-Ddataops.test.pause-marker=" + marker),
        List.of(dir.resolve("home").toString(), file.toString(), dir.resolve("work").toString(), keysFile.toString(),
            "flink"));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    boolean held = Files.exists(marker);
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(held).as(Files.readString(dir.resolve("child.log"))).isTrue();
    String killed = RunPlan.of(bind(PROFILE), keys, "flink", lakehouse).runKey().substring(0, 16);
    Path lock = dir.resolve("work/flink-" + killed + ".lock");
    assertThat(scratchLeft()).as("the killed run's states").isNotEmpty();
    assertThat(lock).exists();

    onFlink(bind(PROFILE.replace("product: citizens-profile", "product: citizens-profile-other")), 2);
    assertThat(scratchLeft()).as("another product's run leaves them").isNotEmpty();

    landSample(SampleDataset.CITIZENS, 100, 3000, 2);
    PipelineRunResult next = onFlink(bind(PROFILE), 2);
    assertThat(next.runKey()).doesNotStartWith(killed);
    assertThat(scratchLeft()).as("the killed run's states").isEmpty();
    assertThat(dir.resolve("work")).as("its lock").isDirectoryNotContaining("glob:**.lock");
  }

  @Test
  void aRunWhoseFilesADestructionRemovedBeforeItsPublishStartsAnewWithTheSameCommandOnEitherEngine() throws Exception {
    // Destroying a product's last live version removes every file of its table, those of a run writing meanwhile
    // too: the run waits at its publish for the destruction (the product's lock), exits as bad input, and the same
    // command runs it anew (Spring Batch restarted its failing publish step forever before).
    for (String engine : List.of("spring-batch", "flink")) {
      String product = engine + "-profile";
      String pipeline = PROFILE.replace("product: citizens-profile", "product: " + product);
      run(engine, bind(pipeline), Map.of());
      ProductRegistry registry = registry();
      Actor authority = new Actor("alice", "futian-data-bureau", java.util.Set.of("authority"));
      Lifecycle lifecycle = new Lifecycle(lakehouse, registry, AuditSink.NONE);
      lifecycle.submit(product, 1, new Actor("olivia", "futian-operator", java.util.Set.of("operator")));
      lifecycle.reject(product, 1, authority, "withdrawn by the source department");
      CountDownLatch planned = new CountDownLatch(1);
      CountDownLatch goOn = new CountDownLatch(1);
      CompletableFuture<Destroyer.Result> destroyed = CompletableFuture.supplyAsync(() -> new Destroyer(lakehouse,
          registry, AuditSink.NONE, dir.resolve("archive"), dir.resolve("certificates")).onStep(step -> {
            if (step.equals("planned")) {
              planned.countDown();
              try {
                goOn.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            }
          }).destroy(product, 1, authority));
      assertThat(planned.await(2, TimeUnit.MINUTES)).isTrue();

      BoundPipeline edited = bind(pipeline + "# edited: another run of the same product\n");
      CompletableFuture<PipelineRunResult> running = new CompletableFuture<>();
      Thread run = new Thread(() -> {
        try {
          running.complete(run(engine, edited, Map.of()));
        } catch (RuntimeException e) {
          running.completeExceptionally(e);
        }
      });
      run.start();
      LockWaits.untilWaiting(run, running);
      assertThat(running.isDone()).as("%s: the run waits at its publish for the destruction", engine).isFalse();
      goOn.countDown();
      assertThat(destroyed.get(2, TimeUnit.MINUTES).certificate().postCheck().passed()).isTrue();
      assertThatThrownBy(() -> running.get(2, TimeUnit.MINUTES)).cause()
          .isInstanceOf(PublishVersion.RunFilesGone.class)
          .hasMessageContaining("were removed before it could publish them")
          .hasMessageEndingWith("nothing was published; run the same command again to run it anew");
      assertThat(lakehouse.load(ProductTables.id(product)).currentSnapshot()).isNull();

      PipelineRunResult again = run(engine, edited, Map.of());
      assertThat(again.recognized()).isFalse();
      assertThat(again.restarted()).as("%s: run anew, not resumed", engine).isFalse();
      assertThat(again.version()).isEqualTo(2);
      assertThat(rows(again).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) again.rowsOut());
    }
    assertThat(scratchLeft()).isEmpty();
  }

  @Test
  void parallelismOneAndTwoGiveTheSameProductAndAFinishedRunIsRecognized() {
    BoundPipeline p = bind(PROFILE);
    PipelineRunResult one = onFlink(p, 1);
    assertThat(one.recognized()).isFalse();
    assertThat(one.stepSeconds()).containsKeys("privacy-classes+leak-filter", "write-product", "leak-check",
        "publish");
    PipelineRunResult again = onFlink(p, 2);
    assertThat(again.recognized()).as("same file, snapshots, keys and engine: nothing runs").isTrue();
    assertThat(again.version()).isEqualTo(one.version());
    assertThat(again.snapshotId()).isEqualTo(one.snapshotId());
    assertThat(registry().list("citizens-profile")).hasSize(1);

    // The same pipeline at parallelism 2, as another run (another file hash): the same rows.
    BoundPipeline changed = bind(PROFILE + "# run again at parallelism 2\n");
    PipelineRunResult two = onFlink(changed, 2);
    assertThat(two.recognized()).isFalse();
    assertThat(two.version()).isEqualTo(one.version() + 1);
    assertThat(rows(two)).isEqualTo(rows(one));
    assertThat(two.privacy()).isEqualTo(one.privacy());
    Table product = lakehouse.load(ProductTables.id("citizens-profile"));
    assertThat(product.snapshots()).as("one visible change per version").hasSize(2);
    assertThat(product.currentSnapshot().summary()).containsEntry("dataops.engine", "flink")
        .containsEntry("dataops.run-key", two.runKey());
    assertThat(version(two).lineage().engine()).isEqualTo("flink");
    assertThat(scratchLeft()).as("the run's scratch states are removed").isEmpty();
    assertThat(dir.resolve("work")).as("the runs' locks are removed").isDirectoryNotContaining("glob:**.lock");
  }

  @Test
  void aLeakIsFoundOnFlinkAsOnSpringBatchAndNothingIsPublishedOrLeftBehind() throws Exception {
    land("street-office", "visits", """
        columns:
          - {name: visit_id, type: long}
          - {name: visitor, type: string, personal: name}
          - {name: visitor_id_card, type: string, personal: id_card}
          - {name: note, type: string}
        """, """
        visit_id,visitor,visitor_id_card,note
        1,张三丰,440304198503071231,咨询低保政策
        2,李四光,11010519491231002X,张三丰
        3,王五,440304198503071231,户籍迁入办理
        4,赵六,440304198503071231,居住证续签
        5,钱七,440304198503071231,身份证号11010519491231002X已核验
        """);
    // Privacy is required (the pseudonym is personal-derived): the visits in tens make one class of all five, and
    // the note, which would make each visit a class of one, is exempted, so every row is kept for the leak check.
    BoundPipeline p = bind("""
        name: visit-notes
        scenario: 窗口服务分析
        owner: futian-operator
        inputs:
          - {table: ods.street_office__visits, as: visits, columns: [visit_id, visitor, visitor_id_card, note]}
        policy:
          visitor: remove
          visitor_id_card: {pseudonymize: hmac-sha256, key: default, length: 16}
          visit_id: {generalize: buckets, width: 10}
        privacy:
          quasiIdentifiers: [visit_id]
          k: 2
          exempt: {note: "kept whole for the leak check, which must see every note"}
        product: visit-notes
        """);
    String message = "leak check failed, nothing was published: note: 1 values equal raw personal data; note: 1 "
        + "values contain an ID or mobile number (give those columns a policy that hides the value)";
    // Both engines raise the one exception the platform records as a failed leak check (supervision alerts on it).
    assertThatThrownBy(() -> onSpringBatch(p)).isInstanceOf(LeakDetectedException.class).hasMessage(message);
    Table product = lakehouse.load(ProductTables.id("visit-notes"));
    List<String> before = dataFiles(product);
    assertThatThrownBy(() -> onFlink(p, 2)).isInstanceOf(LeakDetectedException.class).hasMessage(message);
    assertThat(product.currentSnapshot()).isNull();
    assertThat(dataFiles(product)).as("the Flink attempt's files are removed").isEqualTo(before);
    assertThat(dir.resolve("work")).as("so is the refused run's lock").isDirectoryNotContaining("glob:**.lock");

    // An ID number kept but for its check character: caught by rebuilding it, on both engines alike.
    BoundPipeline unlimited = bindWithoutLimits(ID_DISPLAY);
    String rebuiltMessage = "leak check failed, nothing was published: id_card: 3000 values give back a raw ID or "
        + "bank card number through its check character (give those columns a policy that hides the value)";
    assertThatThrownBy(() -> onSpringBatch(unlimited)).hasMessage(rebuiltMessage);
    assertThatThrownBy(() -> onFlink(unlimited, 2)).isInstanceOf(LeakDetectedException.class)
        .hasMessage(rebuiltMessage);
    assertThat(registry().list("id-display")).isEmpty();
  }

  /**
   * Privacy whose every quasi-identifier is exempted counts all rows as one class: Flink built "SELECT  FROM ..." for
   * the privacy pass and failed on its SQL, where Spring Batch ran it (privacy is required for such products now).
   */
  @Test
  void privacyWithEveryQuasiIdentifierExemptedRunsOnBothEngines() throws Exception {
    BoundPipeline p = bind("""
        name: genders
        scenario: test
        owner: futian-operator
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        policy:
          id_card: {pseudonymize: hmac-sha256, key: default, length: 16}
        privacy:
          k: 5
          exempt: {id_card: "a pseudonym links a person's rows, it does not tell who they are"}
        product: genders
        """);
    assertThat(p.privacy().quasiIdentifiers()).isEmpty();
    PipelineRunResult reference = onSpringBatch(p);
    PipelineRunResult flink = onFlink(p, 2);
    assertThat(flink.rowsOut()).isEqualTo(3000);
    assertSameOutcome(reference, flink);
  }

  @Test
  void candidatesBeyondMemorySpillOnBothEnginesAndGiveTheSameExactVerdict() throws Exception {
    // Every row's ID masked but for its region: nothing leaks, but a crowded filter makes thousands of chance hits,
    // which spill past 64 in memory (in each write task and in the client's merge) and are cleared by their hashes.
    BoundPipeline regions = bind(ID_REGIONS);
    PipelineRunResult reference = withProperties(CROWDED_LEAK_CHECK, () -> onSpringBatch(regions));
    PipelineRunResult flink = withProperties(CROWDED_LEAK_CHECK, () -> onFlink(regions, 2));
    assertSameOutcome(reference, flink);
    assertThat(((Number) version(flink).lineage().leakCheck().get("candidatesConfirmed")).longValue())
        .isGreaterThan(1000);
    assertThat(flink.leakCheck()).isEqualTo("passed");
    assertThat(scratchLeft()).as("the run's scratch states are removed").isEmpty();

    // A real leak of every row among them: the exact count on both engines.
    BoundPipeline unlimited = bindWithoutLimits(ID_DISPLAY);
    String rebuiltMessage = "leak check failed, nothing was published: id_card: 3000 values give back a raw ID or "
        + "bank card number through its check character (give those columns a policy that hides the value)";
    assertThatThrownBy(() -> withProperties(CROWDED_LEAK_CHECK, () -> onSpringBatch(unlimited))).hasMessage(rebuiltMessage);
    assertThatThrownBy(() -> withProperties(CROWDED_LEAK_CHECK, () -> onFlink(unlimited, 2)))
        .isInstanceOf(LeakDetectedException.class).hasMessage(rebuiltMessage);
  }

  @Test
  void aTransformFailingOnItsDataIsBadInputOnBothEnginesAndNamesNoValue() throws Exception {
    BoundPipeline p = bind("""
        name: bad-cast
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [gender]}
        transform: SELECT CAST(gender AS INTEGER) AS n, gender FROM citizens
        product: bad-cast
        """);
    assertThatThrownBy(() -> onSpringBatch(p)).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> onFlink(p, 2)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("pipeline bad-cast failed on its input data, nothing was published: Conversion Error: "
            + "a text is not a plain number to cast to INTEGER")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("[\\u4e00-\\u9fff]{2,}"));
    assertThat(registry().list("bad-cast")).isEmpty();
  }

  @Test
  void whatFlinkCannotRunAlikeIsRefusedAtValidationWithItsLine() {
    String yaml = """
        name: refused
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [gender, monthly_income, _landed_at]}
        transform: |
          SELECT gender,
                 CAST(CAST(monthly_income AS DOUBLE) AS VARCHAR) AS income_text
          FROM citizens
        product: refused
        """;
    BoundPipeline p = bind(yaml);
    assertThatThrownBy(() -> Executors.factory("flink").validate(p)).isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("p.yaml:8: transform: a DOUBLE turned into text is written differently by the engines");
    Executors.factory("spring-batch").validate(p); // the reference engine runs it
    BoundPipeline zone = bind(yaml.replace("CAST(CAST(monthly_income AS DOUBLE) AS VARCHAR) AS income_text",
        "year(_landed_at) AS landed_year"));
    assertThatThrownBy(() -> Executors.factory("flink").validate(zone)).isInstanceOf(PipelineException.class)
        .hasMessageContaining("p.yaml:8: transform: a date part of a TIMESTAMP WITH TIME ZONE depends on the session "
            + "time zone");
    assertThatThrownBy(() -> onFlink(p, 1)).isInstanceOf(PipelineException.class);
  }

  @Test
  void tasksReadTheirKeysFromConfigurationAndRefuseOtherKeys() throws Exception {
    BoundPipeline p = bind(PROFILE);
    assertThatThrownBy(() -> run("flink", p, Map.of("keys.file", dir.resolve("none.properties").toString())))
        .isInstanceOf(BadInputException.class).hasMessageContaining("none.properties named by keys.file does not exist");
    Path other = io.dataops.core.files.OwnerOnly.writeString(dir.resolve("other-keys.properties"), "default = " + "ab".repeat(32) + "\n");
    assertThatThrownBy(() -> run("flink", p, Map.of("keys.file", other.toString())))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("the key 'default' here has fingerprint")
        .hasMessageContaining("every task must read the same keys")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ab".repeat(16)));
    assertThat(registry().list("citizens-profile")).isEmpty();
  }

  private List<String> dataFiles(Table product) throws Exception {
    Path data = Path.of(java.net.URI.create(product.location() + "/data"));
    if (!Files.exists(data)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(data)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  private List<Path> scratchLeft() {
    Path runs = Path.of(java.net.URI.create(lakehouse.config().warehouse().replaceFirst("^file:/(?!/)", "file:///")
        + "/.dataops-runs"));
    if (!Files.exists(runs)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(runs)) {
      return all.filter(Files::isRegularFile).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
