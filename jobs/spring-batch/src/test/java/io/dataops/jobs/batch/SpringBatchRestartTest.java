package io.dataops.jobs.batch;

import io.dataops.pipelines.plan.RunPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.testing.Tables;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.publish.ProductTables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs killed, failed or racing at the engine's commit points, then restarted: the same product and verdicts as a
 * clean run.
 */
class SpringBatchRestartTest extends SpringBatchFixture {
  private Map<String, Object> leakCheckOf(PipelineRunResult r) {
    return registry().byRunKey(r.runKey()).orElseThrow().lineage().leakCheck();
  }

  /**
   * Tests of the run's own scratch files only (spilled candidates, saved decisions): the warehouse's storage and the
   * catalog's database change nothing they test, so the s3-postgres execution (the root pom) leaves them out.
   */
  static final String LOCAL_SCRATCH = "local-scratch";
  static final String FILTER_BYTES = io.dataops.pipelines.privacy.LeakFilter.MEMORY_LIMIT_PROPERTY;
  static final String IN_MEMORY = io.dataops.pipelines.privacy.LeakCheck.CANDIDATES_IN_MEMORY_PROPERTY;

  @Test
  @Tag(LOCAL_SCRATCH)
  void candidatesBeyondMemorySpillAndTheVerdictStaysExact() throws Exception {
    // A filter of one 512-bit block says yes to most values: thousands of chance hits. In memory, DuckDB joins their
    // texts to the raw columns; past 64 they spill and are settled by their hashes. Same verdict, same counts.
    PipelineRunResult inMemory = withProperties(Map.of(FILTER_BYTES, "64"),
        () -> executor(RunSettings.defaults()).run(bind(ID_REGIONS)));
    PipelineRunResult spilled = withProperties(Map.of(FILTER_BYTES, "64", IN_MEMORY, "64"), () -> executor(
        RunSettings.defaults()).run(bind(ID_REGIONS.replace("product: id-regions", "product: id-regions-spilled"))));
    Map<String, Object> leak = leakCheckOf(spilled);
    assertThat(((Number) leak.get("candidatesConfirmed")).longValue()).as(leak.toString()).isGreaterThan(1000);
    assertThat(leak.get("passed")).as("nothing leaks: every candidate was a chance hit").isEqualTo(true);
    assertThat(leak).as("the same verdict and counts as in memory").isEqualTo(leakCheckOf(inMemory));
    assertThat(dir.resolve("work").resolve("pipeline-" + spilled.runKey().substring(0, 16))).as("the run's folder, "
        + "spilled candidates with it, is gone").doesNotExist();

    // A real leak of every row among the chance hits: the exact count.
    assertThatThrownBy(() -> withProperties(Map.of(FILTER_BYTES, "64", IN_MEMORY, "64"),
        () -> executor(RunSettings.defaults()).run(bindWithoutLimits(ID_DISPLAY))))
        .isInstanceOf(LeakCheckTasklet.LeakDetected.class)
        .hasMessage("leak check failed, nothing was published: id_card: 3000 values give back a raw ID or bank card "
            + "number through its check character (give those columns a policy that hides the value)");
    try (var left = java.nio.file.Files.walk(dir.resolve("work"))) {
      assertThat(left.filter(f -> f.getParent().getFileName().toString().equals(
          io.dataops.pipelines.privacy.LeakCheck.SPILL_FOLDER))).as("a failed check leaves no spilled run").isEmpty();
    }
  }

  @Test
  void aJobKilledWhileItsLeakCheckHeldSpilledCandidatesResumesWithTheSameVerdict() throws Exception {
    // The child's filter is crowded and it holds 64 candidates in memory: by the kill, in the middle of the write
    // step (where each value is tested as it is written), runs of candidates lie in the run's folder. The resumed
    // process deletes them and tests every value again: the same counts as a run that was not killed.
    Path pipeline = write("id-regions.yaml", ID_REGIONS);
    killInWriteStep(pipeline, 10, "-D" + FILTER_BYTES + "=64", "-D" + IN_MEMORY + "=64");
    List<Path> stale;
    try (var files = java.nio.file.Files.walk(dir.resolve("work"))) {
      stale = files.filter(f -> f.getParent().getFileName().toString().equals(
          io.dataops.pipelines.privacy.LeakCheck.SPILL_FOLDER)).toList();
    }
    assertThat(stale).as("the killed process left spilled candidates").isNotEmpty();
    for (Path run : stale) {
      assertThat(java.nio.file.Files.getPosixFilePermissions(run)).isEqualTo(io.dataops.core.files.OwnerOnly.FILE);
    }

    Map<String, String> crowded = Map.of(FILTER_BYTES, "64", IN_MEMORY, "64");
    PipelineRunResult resumed = withProperties(crowded,
        () -> executor(SpringBatchChild.SETTINGS).run(bind(ID_REGIONS)));
    assertThat(resumed.restarted()).isTrue();
    PipelineRunResult reference = withProperties(crowded, () -> executor(SpringBatchChild.SETTINGS).run(bind(
        ID_REGIONS.replace("product: id-regions", "product: id-regions-reference"))));
    assertThat(leakCheckOf(resumed)).isEqualTo(leakCheckOf(reference));
    assertThat(((Number) leakCheckOf(resumed).get("candidatesConfirmed")).longValue()).isGreaterThan(1000);
    assertThat(stale).allSatisfy(f -> assertThat(f).doesNotExist());
    try (var files = java.nio.file.Files.walk(dir.resolve("work"))) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("leak-read-back")))
          .as("the killed attempt's files, copied from object storage to be read back, are gone").isEmpty();
    }
  }

  @Test
  @Tag("local-scratch") // the lock is in the run's local folder: the storage and database change nothing here
  void aSecondProcessAskingForARunAnotherHasJustBegunIsRefusedAndTheFirstFinishes() throws Exception {
    // Two commands at once each found no job and started one: the second failed as an internal error of Spring
    // Batch's, having written its pid over the first's as the run's owner. The child is held where it has decided to
    // run but started no job yet; the run's lock refuses the parent, and the child then finishes undisturbed.
    Path pipeline = write("profile.yaml", PROFILE);
    try (HeldChild child = HeldChild.start(childCommand(pipeline), childEnvironment(), dir.resolve("child.log"),
        List.of(HeldChild.Point.of(SpringBatchExecutor.class, "runOwned", 1)))) {
      child.awaitHeld(java.time.Duration.ofSeconds(120));
      assertThatThrownBy(() -> executor(SpringBatchChild.SETTINGS).run(bind(PROFILE)))
          .isInstanceOf(io.dataops.core.BadInputException.class)
          .hasMessageMatching("this run is already going on in process \\d+; wait for it to end \\(.*\\)");
      assertThat(stepExecutions("pipeline.citizens-profile")).as("no job of the parent's").isEmpty();
      child.release();
      assertThat(child.exitValue(java.time.Duration.ofSeconds(120))).isZero();
    }
    PipelineRunResult after = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE));
    assertThat(after.recognized()).as("the child's run, done").isTrue();
    assertThat(lakehouse.load(ProductTables.id("citizens-profile")).snapshots()).hasSize(1);
  }

  @Test
  void aJobKilledWhileBothBranchesOfItsSplitRunResumesWithACleanRunsProductAndReports() throws Exception {
    // The child is held in the middle of both branches' work: the privacy classes at their 1000th row of 3000, the
    // leak filter as it writes its part into the cache of input snapshots' filters (aside, not yet moved in). Then
    // SIGKILL: neither step completed, and the cache holds only what no run loads.
    Path pipeline = write("profile.yaml", PROFILE);
    try (HeldChild child = HeldChild.start(childCommand(pipeline), childEnvironment(), dir.resolve("child.log"),
        List.of(HeldChild.Point.of(io.dataops.pipelines.privacy.AnonymityCheck.class, "add", 1000),
            HeldChild.Point.of(io.dataops.pipelines.privacy.LeakFilter.class, "writeTo", 1)))) {
      assertThat(child.awaitHeld(java.time.Duration.ofSeconds(120))).as("each in a thread of the split")
          .allSatisfy(t -> assertThat(t).startsWith("pipeline-branch-")).doesNotHaveDuplicates();
      child.kill();
    }
    assertThat(stepExecutions("pipeline.citizens-profile")).as("both branches were in progress")
        .containsExactlyInAnyOrder("prepare COMPLETED", "privacy-classes STARTED", "leak-filter STARTED");
    assertThat(lakehouse.load(ProductTables.id("citizens-profile")).currentSnapshot()).as("nothing published").isNull();
    Path cache = dir.resolve("work/leak-filters/ods.public_security__citizens");
    assertThat(files(cache)).as("the part being saved, under a name no run loads").singleElement()
        .satisfies(f -> assertThat(f.getFileName().toString()).endsWith(".tmp"));

    PipelineRunResult resumed = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE));
    assertThat(resumed.restarted()).isTrue();
    assertThat(resumed.stepSeconds().keySet()).as("both branches run again")
        .containsExactly("privacy-classes", "leak-filter", "write-product", "leak-check", "publish");
    List<Path> entries = files(cache);
    assertThat(entries).as("the filter built again and saved whole; the killed process's part removed").singleElement()
        .satisfies(f -> assertThat(f.getFileName().toString()).endsWith(".bin"));
    byte[] rebuilt = java.nio.file.Files.readAllBytes(entries.get(0));
    java.nio.file.Files.delete(entries.get(0)); // the reference builds its own from the raw values
    PipelineRunResult reference = executor(SpringBatchChild.SETTINGS).run(bind(reference(PROFILE)));
    assertThat(java.nio.file.Files.readAllBytes(entries.get(0))).as("bit for bit a clean run's filter")
        .isEqualTo(rebuilt);
    assertSameProfileProduct(resumed, reference);
  }

  @Test
  @Tag(LOCAL_SCRATCH)
  void savedDecisionAndFilterTornByAPowerFailureAreRefusedAndComputedAgain() throws Exception {
    // The child completes both branches and is killed in the write step. Then its privacy decision and leak filter
    // are overwritten with zeros of their length, as a power failure can leave files moved in before their blocks
    // reached the disk (a filter whose bits came back as zeros would pass every value). The restart refuses both by
    // their digests and computes them again: a clean run's rows, report and leak check.
    Path pipeline = write("profile.yaml", PROFILE);
    killInWriteStep(pipeline, 2);
    assertThat(stepExecutions("pipeline.citizens-profile")).containsExactlyInAnyOrder("prepare COMPLETED",
        "privacy-classes COMPLETED", "leak-filter COMPLETED", "write-product STARTED");
    Path runFolder = dir.resolve("work/pipeline-" + RunPlan.of(bind(PROFILE), keys, SpringBatchExecutor.ENGINE,
        lakehouse).runKey().substring(0, 16));
    for (String saved : List.of("verdict.bin", "leak-filter.bin")) {
      Path f = runFolder.resolve(saved);
      java.nio.file.Files.write(f, new byte[(int) java.nio.file.Files.size(f)]);
    }

    PipelineRunResult resumed = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE));
    assertThat(resumed.restarted()).isTrue();
    assertThat(resumed.stepSeconds().keySet()).as("the completed branches are not steps of this attempt")
        .containsExactly("write-product", "leak-check", "publish");
    PipelineRunResult reference = executor(SpringBatchChild.SETTINGS).run(bind(reference(PROFILE)));
    assertSameProfileProduct(resumed, reference);
  }

  /**
   * The resumed run of {@link #PROFILE} gave what a clean run of it under another product name gave: the same privacy
   * report (classes, suppressed rows), counts, leak check and rows.
   */
  /**
   * {@link #PROFILE} as another product with the same pseudonyms (its context named: the default is the product's
   * name), whose rows a resumed run's must equal.
   */
  private static String reference(String profile) {
    return profile.replace("product: citizens-profile", "product: citizens-profile-reference")
        .replace("length: 20}", "length: 20, context: citizens-profile}");
  }

  private void assertSameProfileProduct(PipelineRunResult resumed, PipelineRunResult reference) throws Exception {
    assertThat(resumed.privacy()).as("classes, suppressed count").isEqualTo(reference.privacy());
    assertThat(resumed.rowsIn()).isEqualTo(reference.rowsIn()).isEqualTo(3000);
    assertThat(resumed.rowsOut()).isEqualTo(reference.rowsOut());
    assertThat(resumed.rowsSuppressed()).isEqualTo(reference.rowsSuppressed()).isPositive();
    assertThat(leakCheckOf(resumed)).isEqualTo(leakCheckOf(reference)).containsEntry("passed", true);
    assertThat(sorted(Tables.rows(lakehouse.load(ProductTables.id("citizens-profile")))))
        .isEqualTo(sorted(Tables.rows(lakehouse.load(ProductTables.id("citizens-profile-reference")))));
  }

  @Test
  void aJobKilledWhileItsLeakCheckReadsBackResumesWithTheSameCountsAndLeavesNothingBehind() throws Exception {
    // A crowded filter and 256 candidates in memory: every product value is a chance hit, and they spill. A first
    // child is killed in the middle of the write step; a second resumes it, writes the rest, and is killed in the
    // leak check as it starts reading back the first one's files (copied into the run's folder from object storage)
    // with its own candidates spilled. The restart here gives a clean run's counts and leaves nothing behind.
    Path pipeline = write("id-regions.yaml", ID_REGIONS);
    List<String> crowdedChild = childCommand(pipeline, "-D" + FILTER_BYTES + "=64", "-D" + IN_MEMORY + "=256");
    try (HeldChild child = HeldChild.start(crowdedChild, childEnvironment(), dir.resolve("child-1.log"),
        List.of(HeldChild.Point.of(ProductFileWriter.class, "write", 10)))) {
      child.awaitHeld(java.time.Duration.ofSeconds(120));
      child.kill();
    }
    try (HeldChild child = HeldChild.start(crowdedChild, childEnvironment(), dir.resolve("child-2.log"),
        List.of(HeldChild.Point.of(LeakCheckTasklet.class, "list", 1)))) { // the read-back's file list
      child.awaitHeld(java.time.Duration.ofSeconds(120));
      child.kill();
    }
    assertThat(stepExecutions("pipeline.id-regions")).as("the second killed in the leak check, after its write")
        .containsExactlyInAnyOrder("prepare COMPLETED", "privacy-classes COMPLETED", "leak-filter COMPLETED",
            "write-product FAILED", "write-product COMPLETED", "leak-check STARTED");
    assertThat(lakehouse.load(ProductTables.id("id-regions")).currentSnapshot()).as("nothing published").isNull();
    Path runFolder = dir.resolve("work/pipeline-" + RunPlan.of(bind(ID_REGIONS), keys, SpringBatchExecutor.ENGINE,
        lakehouse).runKey().substring(0, 16));
    List<Path> stale = new java.util.ArrayList<>(files(runFolder.resolve(
        io.dataops.pipelines.privacy.LeakCheck.SPILL_FOLDER)));
    assertThat(stale).as("the killed process's spilled candidates").isNotEmpty();
    List<Path> copies = files(runFolder.resolve("leak-read-back"));
    assertThat(copies.isEmpty()).as("copies of the first one's files, when they are objects")
        .isEqualTo(!lakehouse.config().onObjectStorage());
    stale.addAll(copies);

    Map<String, String> crowded = Map.of(FILTER_BYTES, "64", IN_MEMORY, "256");
    PipelineRunResult resumed = withProperties(crowded,
        () -> executor(SpringBatchChild.SETTINGS).run(bind(ID_REGIONS)));
    assertThat(resumed.restarted()).isTrue();
    assertThat(resumed.stepSeconds().keySet()).containsExactly("leak-check", "publish");
    PipelineRunResult reference = withProperties(crowded, () -> executor(SpringBatchChild.SETTINGS).run(bind(
        ID_REGIONS.replace("product: id-regions", "product: id-regions-reference"))));
    assertThat(leakCheckOf(resumed)).as("every file read back, every candidate confirmed")
        .isEqualTo(leakCheckOf(reference)).containsEntry("passed", true);
    assertThat(((Number) leakCheckOf(resumed).get("candidatesConfirmed")).longValue()).isGreaterThan(1000);
    assertThat(resumed.rowsIn()).isEqualTo(reference.rowsIn()).isEqualTo(3000);
    assertThat(resumed.rowsOut()).isEqualTo(reference.rowsOut());
    assertThat(sorted(Tables.rows(lakehouse.load(ProductTables.id("id-regions")))))
        .as("no row lost, none twice").isEqualTo(sorted(Tables.rows(lakehouse.load(
            ProductTables.id("id-regions-reference")))));
    assertThat(stale).allSatisfy(f -> assertThat(f).doesNotExist());
    assertThat(runFolder).as("the run's folder, read-back copies and spilled candidates with it").doesNotExist();
    try (var left = java.nio.file.Files.walk(dir.resolve("work"))) {
      assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.equals("leak-read-back")
          || n.equals(io.dataops.pipelines.privacy.LeakCheck.SPILL_FOLDER))).isEmpty();
    }
  }

  @Test
  @Tag(LOCAL_SCRATCH)
  void twoProcessesSpillingTheirCandidatesAtOnceEachGetTheVerdictOfARunAlone() throws Exception {
    // Two operators' pipelines on the same snapshot, in two processes at once, each with a crowded filter and two
    // candidates in memory, sharing the cache of the snapshot's leak filter. Both are held as their leak checks start,
    // each with its spilled candidates beside the other's under the same work folder, then let go together: each
    // must confirm exactly its own candidates.
    Map<String, Path> pipelines = new java.util.LinkedHashMap<>();
    for (String name : List.of("id-regions-a", "id-regions-b")) {
      pipelines.put(name, write(name + ".yaml", ID_REGIONS.replace("name: id-regions", "name: " + name)
          .replace("product: id-regions", "product: " + name)));
    }
    List<HeldChild> children = new java.util.ArrayList<>();
    try {
      for (var p : pipelines.entrySet()) {
        children.add(HeldChild.start(childCommand(p.getValue(), "-D" + FILTER_BYTES + "=64", "-D" + IN_MEMORY + "=64"),
            childEnvironment(), dir.resolve(p.getKey() + ".log"),
            List.of(HeldChild.Point.of(io.dataops.pipelines.privacy.LeakCheck.class, "spilled", 1))));
      }
      for (HeldChild child : children) {
        child.awaitHeld(java.time.Duration.ofSeconds(180));
      }
      List<Path> work;
      try (var all = java.nio.file.Files.walk(dir.resolve("work"))) {
        work = all.toList();
      }
      try (var spilled = work.stream()) {
        assertThat(spilled.filter(f -> f.getParent().getFileName().toString().equals(
            io.dataops.pipelines.privacy.LeakCheck.SPILL_FOLDER)).map(f -> f.getParent().getParent()).distinct())
            .as("both runs hold spilled candidates at once, each in its own folder: " + work).hasSize(2);
      }
      children.forEach(HeldChild::release);
      int i = 0;
      for (String name : pipelines.keySet()) {
        assertThat(children.get(i++).exitValue(java.time.Duration.ofSeconds(180))).as(name).isZero();
      }
    } finally {
      for (HeldChild child : children) {
        child.close();
      }
    }

    PipelineRunResult alone = withProperties(Map.of(FILTER_BYTES, "64", IN_MEMORY, "64"), () -> executor(
        SpringBatchChild.SETTINGS).run(bind(ID_REGIONS.replace("product: id-regions", "product: id-regions-alone"))));
    Map<String, Object> expected = leakCheckOf(alone);
    assertThat(((Number) expected.get("candidatesConfirmed")).longValue()).as("they spilled").isGreaterThan(1000);
    for (String name : pipelines.keySet()) {
      assertThat(registry().list(name)).as(name).singleElement()
          .satisfies(v -> assertThat(v.lineage().leakCheck()).as(name).isEqualTo(expected));
      assertThat(sorted(Tables.rows(lakehouse.load(ProductTables.id(name))))).as(name + ": the rows of a run alone")
          .isEqualTo(sorted(Tables.rows(lakehouse.load(ProductTables.id("id-regions-alone")))));
    }
    try (var left = java.nio.file.Files.walk(dir.resolve("work"))) {
      assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("pipeline-")
          || n.equals(io.dataops.pipelines.privacy.LeakCheck.SPILL_FOLDER))).as("no run folder left").isEmpty();
    }
  }

  /**
   * Runs {@code pipeline} in a child JVM and SIGKILLs it as its writer is handed its {@code chunk}-th chunk (of 100
   * rows): in the middle of the write step.
   */
  private void killInWriteStep(Path pipeline, int chunk, String... jvmOptions) throws Exception {
    try (HeldChild child = HeldChild.start(childCommand(pipeline, jvmOptions), childEnvironment(),
        dir.resolve("child.log"), List.of(HeldChild.Point.of(ProductFileWriter.class, "write", chunk)))) {
      child.awaitHeld(java.time.Duration.ofSeconds(120));
      child.kill();
    }
  }

  /** {@link SpringBatchChild} running {@code pipeline} (a {@link HeldChild} holds it where a test kills it). */
  private List<String> childCommand(Path pipeline, String... jvmOptions) {
    return io.dataops.core.testing.ChildJvm.command(SpringBatchChild.class, List.of(jvmOptions),
        List.of(dir.resolve("home").toString(), pipeline.toString(), dir.resolve("work").toString()));
  }

  private Map<String, String> childEnvironment() {
    return io.dataops.lakehouse.testing.TestStorage.childEnvironment(lakehouse.config());
  }

  /** The files in a folder (none when it does not exist). */
  private static List<Path> files(Path folder) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(folder)) {
      return List.of();
    }
    try (var files = java.nio.file.Files.list(folder)) {
      return files.toList();
    }
  }

  @Test
  void aJobKilledWhileWritingResumesAndGivesTheSameProduct() throws Exception {
    Path pipeline = write("profile.yaml", PROFILE);
    killInWriteStep(pipeline, 10);
    assertThat(lakehouse.load(ProductTables.id("citizens-profile")).currentSnapshot()).as("nothing published").isNull();

    PipelineRunResult resumed = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE));
    assertThat(resumed.restarted()).isTrue();
    PipelineRunResult reference = executor(SpringBatchChild.SETTINGS).run(bind(reference(PROFILE)));
    assertThat(resumed.rowsIn()).isEqualTo(reference.rowsIn()).isEqualTo(3000);
    assertThat(resumed.rowsOut()).isEqualTo(reference.rowsOut());
    // The files the killed process wrote were read back and tested: as many values as a run that was not killed.
    Object checked = registry().byRunKey(resumed.runKey())
        .orElseThrow().lineage().leakCheck().get("valuesChecked");
    Object checkedByReference = registry()
        .byRunKey(reference.runKey()).orElseThrow().lineage().leakCheck().get("valuesChecked");
    assertThat(((Number) checked).longValue()).isPositive().isEqualTo(((Number) checkedByReference).longValue());
    assertThat(sorted(Tables.rows(lakehouse.load(ProductTables.id("citizens-profile")))))
        .as("no row lost, none twice").isEqualTo(sorted(Tables.rows(lakehouse.load(
            ProductTables.id("citizens-profile-reference")))));
    // the suppressed rows kept as the version's held rows (for an incremental run to continue from): none lost or
    // kept twice across the kill, as the product's rows
    assertThat(heldRows("citizens-profile")).hasSize((int) resumed.rowsSuppressed())
        .isEqualTo(heldRows("citizens-profile-reference"));
  }

  /** The rows of the held file the product's current snapshot names, as sorted texts. */
  private List<String> heldRows(String product) throws Exception {
    var table = lakehouse.load(ProductTables.id(product));
    String held = table.currentSnapshot().summary().get(io.dataops.pipelines.plan.ProductClasses.SUMMARY_HELD);
    assertThat(held).as("the held rows of " + product).isNotNull();
    List<String> out = new java.util.ArrayList<>();
    try (var rows = org.apache.iceberg.parquet.Parquet.read(table.io().newInputFile(held)).project(table.schema())
        .createReaderFunc(s -> org.apache.iceberg.data.parquet.GenericParquetReaders.buildReader(table.schema(), s))
        .<Record>build()) {
      rows.forEach(r -> out.add(r.toString()));
    }
    return out.stream().sorted().toList();
  }

  @Test
  void aKilledRunNoCommandCanMakeAgainIsRemovedWithItsJobWhenAnotherRunOfItsProductPublishes() throws Exception {
    // Its folder holds the leak filter's hashes of raw values; its key pinned a snapshot the file no longer gets
    // ("latest" has moved on), so nothing would ever resume it: it stayed for good.
    Path pipeline = write("profile.yaml", PROFILE);
    killInWriteStep(pipeline, 2);
    Path killed = dir.resolve("work/pipeline-" + RunPlan.of(bind(PROFILE), keys, SpringBatchExecutor.ENGINE,
        lakehouse).runKey().substring(0, 16));
    assertThat(killed.resolve("leak-filter.bin")).as("the killed run's filter").exists();

    executor(SpringBatchChild.SETTINGS).run(bind(ID_REGIONS));
    assertThat(killed).as("another product's run leaves it").isDirectory();

    landSample(io.dataops.lakehouse.sample.SampleDataset.CITIZENS, 100, 3000, 2);
    PipelineRunResult next = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE));
    assertThat(next.restarted()).as("a new input snapshot: another run").isFalse();
    assertThat(killed).as("the killed run's folder").doesNotExist();
    assertThat(repositoryRows("SELECT JOB_INSTANCE_ID FROM BATCH_JOB_INSTANCE WHERE JOB_NAME = ?",
        "pipeline.citizens-profile")).as("the killed run's job is forgotten, the published one's kept").hasSize(1);
    try (var left = java.nio.file.Files.list(dir.resolve("work"))) {
      assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("pipeline-")))
          .as("no run's folder is left").isEmpty();
    }
  }

  @Test
  void aFailedRunThatCanStillPublishKeepsItsFolderThroughOtherRunsOfItsProductAndResumes() throws Exception {
    RunSettings small = new RunSettings("256MB", 2, 1 << 20, 500, 1000);
    BoundPipeline p = bind(PROFILE);
    Path runFolder = dir.resolve("work/pipeline-" + RunPlan.of(p, keys, SpringBatchExecutor.ENGINE, lakehouse).runKey()
        .substring(0, 16));
    Path blocker = runFolder.resolve("verdict.bin");
    java.nio.file.Files.createDirectories(blocker);
    java.nio.file.Files.writeString(blocker.resolve("in the way"), "x");
    assertThatThrownBy(() -> executor(small).run(p)).isInstanceOf(IllegalStateException.class);

    // Another file of the same product on the same snapshots publishes: the failed run's key is still the profile
    // file's, and its folder stays for the same command to resume.
    executor(small).run(bind(PROFILE + "# another file of the same product\n"));
    assertThat(runFolder.resolve("leak-filter.bin")).as("the failed run's folder").exists();

    java.nio.file.Files.delete(blocker.resolve("in the way"));
    java.nio.file.Files.delete(blocker);
    PipelineRunResult resumed = executor(small).run(bind(PROFILE));
    assertThat(resumed.restarted()).isTrue();
    assertThat(resumed.version()).isEqualTo(2);
    assertThat(runFolder).doesNotExist();
  }

  @Test
  void whenThePrivacyClassesFailTheRestartRunsThemAndNotTheLeakFilterThatCompleted() throws Exception {
    aBranchFailsAndOnlyItRunsAgain("verdict.bin", "privacy-classes", "leak-filter");
  }

  @Test
  void whenTheLeakFilterFailsTheRestartRunsItAndNotThePrivacyClassesThatCompleted() throws Exception {
    aBranchFailsAndOnlyItRunsAgain("leak-filter.bin", "leak-filter", "privacy-classes");
  }

  /**
   * The privacy classes and the leak filter run at once (a split): one fails (a folder where it saves its result) while
   * the other completes; the restart runs the failed one only, and the product is a clean run's.
   */
  private void aBranchFailsAndOnlyItRunsAgain(String blockedFile, String failing, String completing) throws Exception {
    RunSettings small = new RunSettings("256MB", 2, 1 << 20, 500, 1000);
    BoundPipeline p = bind(PROFILE);
    Path runFolder = dir.resolve("work/pipeline-" + RunPlan.of(p, keys, SpringBatchExecutor.ENGINE, lakehouse).runKey()
        .substring(0, 16));
    Path blocker = runFolder.resolve(blockedFile);
    java.nio.file.Files.createDirectories(blocker);
    java.nio.file.Files.writeString(blocker.resolve("in the way"), "x");
    assertThatThrownBy(() -> executor(small).run(p)).isInstanceOf(IllegalStateException.class)
        .hasMessage("pipeline citizens-profile failed (FAILED); run the same command again to resume it")
        .as("the failed step's exception, the cause as before the split").hasStackTraceContaining(blockedFile);
    assertThat(stepExecutions("pipeline.citizens-profile")).as("both branches ran")
        .containsExactlyInAnyOrder("prepare COMPLETED", failing + " FAILED", completing + " COMPLETED");
    assertThat(lakehouse.load(ProductTables.id("citizens-profile")).currentSnapshot()).as("nothing published").isNull();

    java.nio.file.Files.delete(blocker.resolve("in the way"));
    java.nio.file.Files.delete(blocker);
    PipelineRunResult resumed = executor(small).run(bind(PROFILE));
    assertThat(resumed.restarted()).isTrue();
    assertThat(resumed.stepSeconds().keySet()).as("this attempt's steps, in their order")
        .containsExactly(failing, "write-product", "leak-check", "publish");
    assertThat(stepExecutions("pipeline.citizens-profile")).as("the completed branch is not run again")
        .containsExactlyInAnyOrder("prepare COMPLETED", failing + " FAILED", completing + " COMPLETED",
            failing + " COMPLETED", "write-product COMPLETED", "leak-check COMPLETED", "publish COMPLETED");

    PipelineRunResult reference = executor(small).run(bind(reference(PROFILE)));
    assertThat(reference.stepSeconds().keySet()).as("every step, in the order of RunStep, the split's two included")
        .containsExactly("prepare", "privacy-classes", "leak-filter", "write-product", "leak-check", "publish");
    assertThat(resumed.privacy()).isEqualTo(reference.privacy());
    assertThat(resumed.rowsOut()).isEqualTo(reference.rowsOut());
    assertThat(resumed.leakCheck()).isEqualTo(reference.leakCheck()).isEqualTo("passed");
    assertThat(sorted(Tables.rows(lakehouse.load(ProductTables.id("citizens-profile")))))
        .isEqualTo(sorted(Tables.rows(lakehouse.load(ProductTables.id("citizens-profile-reference")))));
    // The split's threads end with their branches: none is left after the runs.
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("pipeline-branch-")) {
        t.join(10_000);
        assertThat(t.isAlive()).as(t.getName()).isFalse();
      }
    }
  }

  /** "step STATUS" of each step execution of a job, from the job repository. */
  private List<String> stepExecutions(String job) throws Exception {
    return repositoryRows("SELECT s.step_name, s.status FROM batch_step_execution s JOIN batch_job_execution e "
        + "ON e.job_execution_id = s.job_execution_id JOIN batch_job_instance i "
        + "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = ? ORDER BY s.step_execution_id", job);
  }

  private static List<String> sorted(List<Record> rows) {
    return rows.stream().map(Record::toString).sorted().toList();
  }
}
