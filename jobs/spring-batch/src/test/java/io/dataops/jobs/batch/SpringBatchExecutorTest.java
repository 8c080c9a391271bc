package io.dataops.jobs.batch;

import io.dataops.core.audit.Actor;
import io.dataops.core.db.DatabaseLock;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.ReadGrant;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.testing.Tables;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.pipelines.privacy.LeakDetectedException;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SpringBatchExecutorTest extends SpringBatchFixture {
  /** A note column nobody declared personal (and too mixed for detection) that repeats visitors' names and numbers. */
  static final String VISITS_CONTRACT = """
      columns:
        - {name: visit_id, type: long}
        - {name: visitor, type: string, personal: name}
        - {name: visitor_id_card, type: string, personal: id_card}
        - {name: note, type: string}
      """;
  static final String VISITS = """
      visit_id,visitor,visitor_id_card,note
      1,张三丰,440304198503071231,咨询低保政策
      2,李四光,11010519491231002X,张三丰
      3,王五,440304198503071231,户籍迁入办理
      4,赵六,440304198503071231,居住证续签
      5,钱七,440304198503071231,身份证号11010519491231002X已核验
      """;

  /**
   * Privacy is required (the pseudonym is personal-derived): the visits in tens make one class of all of them, and
   * the note, which would make each visit a class of one, is exempted, so the run keeps every row and the leak check,
   * these tests' point, sees every note.
   */
  static final String NOTE_EXEMPT = "  exempt: {note: \"kept whole for the leak check, which must see every note\"}\n";
  static final String LEAKY_VISITS = """
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
      %s\
      product: visit-notes
      """.formatted(NOTE_EXEMPT);

  /**
   * Tests on a lakehouse of their own (a new PostgreSQL database, local files): the profile's storage and database
   * are not theirs, so the s3-postgres execution (the root pom), which would run them exactly as the default one does,
   * leaves them out.
   */
  static final String OWN_STORAGE = "own-storage";

  /** The fixture's lakehouse on a new PostgreSQL database holding 2,000 citizens; its JDBC URL. */
  private String onPostgres() throws Exception {
    String url = io.dataops.core.testing.PostgresServer.newDatabase("batch_" + System.nanoTime());
    lakehouse.close();
    lakehouse = io.dataops.lakehouse.catalog.Lakehouse.open(new io.dataops.lakehouse.catalog.LakehouseConfig(url,
        "postgres", "", dir.resolve("pg-warehouse").toUri().toString(), java.util.Map.of()));
    landSample(SampleDataset.CITIZENS, 2000, 2000, 2);
    return url;
  }

  @Test
  @Tag(OWN_STORAGE)
  void onPostgresARunGoingOnOnAnotherHostIsRefusedThoughThisHostsWorkFolderIsFree() throws Exception {
    // Two hosts sharing PostgreSQL and S3 keep their own work folders: the file lock alone let both start the run,
    // and the second failed as an internal error of Spring Batch's job repository.
    String url = onPostgres();
    RunSettings small = new RunSettings("256MB", 2, 1 << 20, 300, 800);
    ProductRegistry versions = new ProductRegistry(url, "postgres", "");
    Engine here = through(new SpringBatchExecutor(lakehouse, new BatchInfrastructure(url, "postgres", ""),
        ProductPublisher.ungated(lakehouse, versions), keys, dir.resolve("this-host-work"), small));
    String runKey = RunPlan.of(bind(PROFILE), keys, "spring-batch", lakehouse).runKey();
    try (DatabaseLock otherHost = DatabaseLock.tryTake(url, io.dataops.core.db.PlatformDatabase.prepare(url,
        "postgres", ""), "pipeline run " + runKey).orElseThrow()) {
      assertThatThrownBy(() -> here.run(bind(PROFILE))).isInstanceOf(io.dataops.core.BadInputException.class)
          .hasMessageMatching("this run is already going on in process " + ProcessHandle.current().pid()
              + " on host \\S+; wait for it to end \\(the same command then reports its product version\\)");
      assertThat(versions.list("citizens-profile")).isEmpty();
    }
    PipelineRunResult after = here.run(bind(PROFILE));
    assertThat(after.version()).as("the lock went with the other host's session").isEqualTo(1);
    assertThat(after.restarted()).as("no job of the refused attempt to resume").isFalse();
  }

  @Test
  @Tag(OWN_STORAGE)
  void onPostgresTheJobRepositoryAndVersionsLiveInThePlatformDatabase() throws Exception {
    String url = onPostgres();
    RunSettings small = new RunSettings("256MB", 2, 1 << 20, 300, 800);
    ProductRegistry versions = new ProductRegistry(url, "postgres", "");
    Engine executor = through(new SpringBatchExecutor(lakehouse, new BatchInfrastructure(url, "postgres", ""),
        ProductPublisher.ungated(lakehouse, versions), keys, dir.resolve("pg-work"), small));
    PipelineRunResult first = executor.run(bind(PROFILE));
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.rowsIn()).isEqualTo(2000);
    assertThat(first.leakCheck()).isEqualTo("passed");
    assertThat((long) Tables.rows(lakehouse.load(ProductTables.id("citizens-profile"))).size()).isEqualTo(first.rowsOut());
    PipelineRunResult again = through(new SpringBatchExecutor(lakehouse, new BatchInfrastructure(url, "postgres", ""),
        ProductPublisher.ungated(lakehouse, versions), keys, dir.resolve("pg-work"), small)).run(bind(PROFILE));
    assertThat(again.recognized()).isTrue();
    assertThat(again.snapshotId()).isEqualTo(first.snapshotId());
    assertThat(versions.list("citizens-profile")).singleElement().satisfies(v -> {
      assertThat(v.snapshotId()).isEqualTo(first.snapshotId());
      assertThat(v.lineage().inputs()).containsOnlyKeys("ods.public_security__citizens");
    });
    try (var c = java.sql.DriverManager.getConnection(url, "postgres", "");
        var r = c.createStatement().executeQuery("SELECT count(*) FROM batch_step_execution")) {
      r.next();
      assertThat(r.getInt(1)).as("prepare, privacy classes, leak filter, write, leak check, publish").isEqualTo(6);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPipelineRunsAsAJobIntoOneProductCommitWithItsLineage() {
    RunSettings small = new RunSettings("256MB", 2, 1 << 20, 500, 1000);
    PipelineRunResult r = executor(small).run(bind(PROFILE));
    assertThat(r.product()).isEqualTo("citizens-profile");
    assertThat(r.version()).isEqualTo(1);
    assertThat(r.state()).isEqualTo("draft");
    assertThat(r.engine()).isEqualTo("spring-batch");
    assertThat(r.rowsIn()).isEqualTo(3000);
    assertThat(r.rowsOut() + r.rowsSuppressed()).isEqualTo(3000);
    assertThat(r.rowsSuppressed()).as("small classes of (birth year, gender, district, phone segment, street)")
        .isPositive();
    assertThat(r.leakCheck()).isEqualTo("passed");
    assertThat(r.privacy()).containsEntry("k", 3);
    assertThat((Double) r.privacy().get("maxRisk")).isLessThanOrEqualTo(1 / 3.0);
    assertThat((List<Object>) r.privacy().get("quasiIdentifiers")).contains((Object) "birth_date", "gender", "district_code", "phone",
        "address");
    assertThat(r.recognized()).isFalse();

    Table product = lakehouse.load(ProductTables.id("citizens-profile"));
    assertThat(product.snapshots()).as("one commit").hasSize(1);
    assertThat(product.refs().get("v1").snapshotId()).as("the version is tagged").isEqualTo(r.snapshotId());
    assertThat(product.currentSnapshot().snapshotId()).isEqualTo(r.snapshotId());
    assertThat(product.currentSnapshot().summary()).containsEntry("dataops.run-key", r.runKey());
    assertThat(product.schema().findField("name")).as("removed").isNull();
    assertThat(product.schema().findField("person_key").doc()).startsWith("pseudonymize hmac-sha256");
    List<Record> rows = Tables.rows(product);
    assertThat(rows).hasSize((int) r.rowsOut());
    assertThat(rows).allSatisfy(row -> {
      assertThat((String) row.getField("person_key")).hasSize(20).matches("[a-z2-7]+");
      assertThat((String) row.getField("phone")).matches("1\\d\\d\\*{8}");
      assertThat((String) row.getField("address")).endsWith("街道");
    });
    assertThat(r.inputs()).containsOnlyKeys("ods.public_security__citizens");

    PipelineRunResult again = executor(small).run(bind(PROFILE));
    assertThat(again.recognized()).as("same file, same snapshot, same keys").isTrue();
    assertThat(again.version()).isEqualTo(1);
    assertThat(lakehouse.load(ProductTables.id("citizens-profile")).snapshots()).hasSize(1);
  }

  /** Visits 1..n, landed in that order: a product keeping {@code visit_id} shows the order it wrote its rows in. */
  private static String visits(int n) {
    StringBuilder csv = new StringBuilder("visit_id,visitor,visitor_id_card,note\n");
    for (int i = 1; i <= n; i++) {
      csv.append(i).append(",访客").append(i).append(",440304198503071231,").append(i % 7 == 0 ? "复核" : "咨询")
          .append('\n');
    }
    return csv.toString();
  }

  private static String visitIds(String name, String select) {
    return """
        name: %s
        scenario: 窗口服务分析
        owner: futian-operator
        inputs:
          - {table: ods.street_office__visits, as: visits, columns: [visit_id, visitor, visitor_id_card, note]}
        %s
        product: %s
        """.formatted(name, select, name);
  }

  /** The product's visit ids as a reader gets them (its files in the order the run wrote them, rows in file order). */
  private List<Long> visitIdsAsWritten(String product) {
    return Tables.rows(lakehouse.load(ProductTables.id(product))).stream()
        .map(r -> ((Number) r.getField("visit_id")).longValue()).toList();
  }

  /** How many neighbours are in ascending order: about half for a random order, all for the input's. */
  private static double ascendingShare(List<Long> ids) {
    long up = 0;
    for (int i = 1; i < ids.size(); i++) {
      up += ids.get(i) > ids.get(i - 1) ? 1 : 0;
    }
    return up / (double) (ids.size() - 1);
  }

  @Test
  void productRowsKeepNeitherTheInputsOrderNorAnOrderByRawValuesAndTwoProductsAreNotAlignedByPosition() throws Exception {
    // Found by a probe: a product kept its input's row order, so two products of one input (each k-anonymous alone)
    // could be joined row by row on position; and an aggregate's rows came sorted by their raw values.
    land("street-office", "visits", VISITS_CONTRACT, visits(2000));
    RunSettings small = new RunSettings("256MB", 2, 1 << 20, 300, 700);
    String keepIds = "policy:\n  visitor: remove\n  visitor_id_card: remove";
    executor(small).run(bind(visitIds("visits-a", keepIds)));
    executor(small).run(bind(visitIds("visits-b", keepIds)));
    List<Long> a = visitIdsAsWritten("visits-a");
    List<Long> b = visitIdsAsWritten("visits-b");
    assertThat(a).as("every visit once").hasSize(2000).doesNotHaveDuplicates();
    assertThat(new java.util.HashSet<>(b)).isEqualTo(new java.util.HashSet<>(a));
    assertThat(ascendingShare(a)).as("not the input's order").isBetween(0.4, 0.6);
    long samePlace = java.util.stream.IntStream.range(0, a.size()).filter(i -> a.get(i).equals(b.get(i))).count();
    assertThat(samePlace).as("two products of one input do not line up row by row").isLessThan(20);

    String aggregate = "transform: SELECT visit_id, count(*) AS visits FROM visits GROUP BY visit_id";
    executor(small).run(bind(visitIds("visits-grouped", aggregate)));
    List<Long> grouped = visitIdsAsWritten("visits-grouped");
    assertThat(grouped).hasSize(2000).doesNotHaveDuplicates();
    assertThat(ascendingShare(grouped)).as("not sorted by the grouped raw values").isBetween(0.4, 0.6);
  }

  @Test
  void aNewFeedMakesVersionTwoWhichReplacesTheRowsInOneCommit() throws Exception {
    RunSettings s = RunSettings.defaults();
    PipelineRunResult v1 = executor(s).run(bind(PROFILE));
    landSample(SampleDataset.CITIZENS, 1000, 4000, 2);
    PipelineRunResult v2 = executor(s).run(bind(PROFILE));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.rowsIn()).isEqualTo(4000);
    Table product = lakehouse.load(ProductTables.id("citizens-profile"));
    assertThat(product.snapshots()).hasSize(2);
    assertThat(Tables.rows(product)).hasSize((int) v2.rowsOut());
    assertThat(registry().list("citizens-profile"))
        .extracting(ProductVersion::version, ProductVersion::snapshotId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, v1.snapshotId()),
            org.assertj.core.groups.Tuple.tuple(2, v2.snapshotId()));
  }

  @Test
  void anEngineErrorNeverCarriesTheValueItFailedOn() throws Exception {
    land("street-office", "callers", """
        columns:
          - {name: caller, type: string, personal: name}
          - {name: phone, type: string, personal: mobile}
        """, """
        caller,phone
        张三丰,13812345678
        """);
    BoundPipeline p = bind("""
        name: caller-numbers
        scenario: test
        owner: op
        inputs:
          - {table: ods.street_office__callers, as: callers, columns: [caller, phone]}
        transform: SELECT CAST(phone AS INTEGER) AS n, CAST(caller AS INTEGER) AS c FROM callers
        policy: {n: suppress, c: suppress}
        privacy: {quasiIdentifiers: [n, c], k: 2}
        product: caller-numbers
        """);
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> executor(RunSettings.defaults()).run(p));
    assertThat(failure).isNotNull();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("张三丰").doesNotContain("13812345678");
    }
    assertThat(failure).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageStartingWith("pipeline caller-numbers failed on its input data, nothing was published: "
            + "Conversion Error:");
  }

  @Test
  void aDataErrorInTheTransformIsBadInputAndItsRunIsNotResumed() throws Exception {
    // The case: it binds (DuckDB checks types on empty tables), then fails on an ID ending in X.
    String casting = """
        name: id-numbers
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        transform: SELECT CAST(id_card AS BIGINT) AS n, gender FROM citizens
        policy: {n: suppress}
        privacy: {quasiIdentifiers: [gender], k: 5}
        product: id-numbers
        """;
    List<String> ids = Tables.rows(lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.parse(
        "ods.public_security__citizens"))).stream().map(r -> (String) r.getField("id_card")).toList();
    assertThat(ids).anySatisfy(id -> assertThat(id).endsWith("X"));
    String reason = "pipeline id-numbers failed on its input data, nothing was published: Conversion Error: Could not "
        + "convert string '…' to INT64 when casting from source column id_card (change the transform or the data: "
        + "this run will not be resumed)";
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(bind(casting)))
        .isInstanceOf(io.dataops.core.BadInputException.class).hasMessage(reason).hasNoCause();
    assertThat(jobExecutions("pipeline.id-numbers")).as("marked failed for good, not left to resume")
        .containsExactly("ABANDONED");
    assertThat(runFolders()).as("nothing resumes from the run's folder (the leak filter's hashes): removed").isEmpty();

    Throwable retry = org.assertj.core.api.Assertions.catchThrowable(() -> executor(RunSettings.defaults())
        .run(bind(casting)));
    assertThat(retry).isInstanceOf(io.dataops.core.BadInputException.class).hasMessage(reason);
    assertThat(jobExecutions("pipeline.id-numbers")).as("the retry ran nothing").containsExactly("ABANDONED");
    assertThat(retry.getMessage()).doesNotContainPattern("\\d{6}");
    assertThat(lakehouse.load(ProductTables.id("id-numbers")).currentSnapshot()).as("nothing published").isNull();

    PipelineRunResult fixed = executor(RunSettings.defaults()).run(bind(casting.replace("CAST(id_card AS BIGINT)",
        "char_length(id_card)")));
    assertThat(fixed.version()).as("the changed pipeline is a new run").isEqualTo(1);
    assertThat(fixed.rowsOut()).isEqualTo(3000);
  }

  @Test
  void aRunRefusedAtItsPublishLeavesNoFolderAndIsNotResumed() throws Exception {
    String ours = """
        name: regions-ours
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        transform: SELECT gender, count(*) AS people FROM citizens GROUP BY gender
        policy: {gender: keep, people: keep}
        product: regions
        """;
    PipelineRunResult first = executor(RunSettings.defaults()).run(bind(ours));
    long current = lakehouse.load(ProductTables.id("regions")).currentSnapshot().snapshotId();
    // Another organization's pipeline of the same name and product (the command line refuses it before the run; two
    // organizations' first runs at once reach the publish): refused there, its staged snapshot removed.
    String theirs = ours.replace("owner: op", "owner: rival");
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThatThrownBy(() -> executor(RunSettings.defaults()).run(bind(theirs))).as("attempt " + attempt)
          .isInstanceOf(io.dataops.core.AccessDeniedException.class).hasMessageContaining("belongs to op");
      assertThat(runFolders()).as("attempt " + attempt + ": the run's folder is removed").isEmpty();
      assertThat(jobExecutions("pipeline.regions-ours")).as("attempt " + attempt + ": forgotten, not resumed")
          .containsExactly("COMPLETED");
    }
    assertThat(lakehouse.load(ProductTables.id("regions")).currentSnapshot().snapshotId()).isEqualTo(current);
    assertThat(registry().list("regions")).singleElement().satisfies(v -> assertThat(v.version())
        .isEqualTo(first.version()));
  }

  /** The Parquet files under a table's location, in a bucket (SpringBatchOnS3Test) or a local folder. */
  private static List<String> parquetFilesUnder(Table table) throws java.io.IOException {
    List<String> found = new java.util.ArrayList<>();
    if (table.io() instanceof org.apache.iceberg.io.SupportsPrefixOperations prefixes) {
      prefixes.listPrefix(table.location()).forEach(f -> found.add(f.location()));
    } else {
      String location = table.location().startsWith("file:") ? java.net.URI.create(table.location()).getPath()
          : table.location();
      if (java.nio.file.Files.exists(Path.of(location))) {
        try (var files = java.nio.file.Files.walk(Path.of(location))) {
          files.forEach(f -> found.add(f.toString()));
        }
      }
    }
    return found.stream().filter(f -> f.endsWith(".parquet")).toList();
  }

  /** The run folders ({@code pipeline-<run key>}) left in the executor's work folder. */
  private List<String> runFolders() throws java.io.IOException {
    java.nio.file.Path work = dir.resolve("work");
    if (!java.nio.file.Files.isDirectory(work)) {
      return List.of();
    }
    try (var list = java.nio.file.Files.list(work)) {
      return list.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("pipeline-")).toList();
    }
  }

  /** The statuses of a job's executions, oldest first, from the job repository in the platform database. */
  private List<String> jobExecutions(String job) throws Exception {
    return repositoryRows("SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i "
        + "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = ? ORDER BY e.job_execution_id", job);
  }

  @Test
  void aLeakFailsTheRunAndPublishesNothing() throws Exception {
    land("street-office", "visits", VISITS_CONTRACT, VISITS);
    BoundPipeline p = bind(LEAKY_VISITS);
    assertThat(p.inputs().get(0).personal()).containsOnlyKeys("visitor", "visitor_id_card");
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(p))
        .isInstanceOf(LeakDetectedException.class)
        .hasMessage("leak check failed, nothing was published: note: 1 values equal raw personal data; note: 1 values "
            + "contain an ID or mobile number (give those columns a policy that hides the value)");
    Table product = lakehouse.load(ProductTables.id("visit-notes"));
    assertThat(product.currentSnapshot()).isNull();
    // Found by a probe: the written files stayed in the product's folder, raw values and all.
    assertThat(parquetFilesUnder(product)).as("no product file left").isEmpty();
    assertThat(parquetFilesUnder(lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.parse(
        "ods.street_office__visits")))).as("the listing sees a table's files where it has some").isNotEmpty();
    assertThat(runFolders()).as("no run folder left").isEmpty();
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(p)).as("run again: the same leak, not a resume")
        .isInstanceOf(LeakDetectedException.class).hasMessageContaining("note: 1 values equal raw personal data");
    assertThat(jobExecutions("pipeline.visit-notes")).as("each attempt forgotten").isEmpty();
  }

  @Test
  void anInputOfTwoFilesIsReadForTheLeakFilterInTwoPartsAndALeakOfEitherIsFound() throws Exception {
    // Two feeds, two data files: the filter step reads them at once (LeakFilterTasklet.rawFilter), one part each.
    // A note equal to a visitor of the first feed and one equal to a visitor of the second are both found.
    land("street-office", "visits", VISITS_CONTRACT, VISITS);
    land("street-office", "visits", VISITS_CONTRACT,
        "visit_id,visitor,visitor_id_card,note\n6,孙八,440304198503071248,x\n7,周九,440304198503071256,孙八\n");
    Table visits = lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.parse("ods.street_office__visits"));
    try (var tasks = visits.newScan().planFiles()) {
      assertThat(tasks).hasSize(2);
    }
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(bind(LEAKY_VISITS)))
        .isInstanceOf(LeakDetectedException.class)
        .hasMessage("leak check failed, nothing was published: note: 2 values equal raw personal data; note: 1 values "
            + "contain an ID or mobile number (give those columns a policy that hides the value)");
  }

  @Test
  void anotherPipelineOnTheSameSnapshotTakesTheLeakFilterFromTheCacheAndStillFindsALeak() throws Exception {
    land("street-office", "visits", VISITS_CONTRACT, VISITS);
    // Each pipeline its own product, so its own job: every run builds its leak filter (a restart would reuse its own).
    java.util.function.Function<String, BoundPipeline> named = name -> bind(LEAKY_VISITS.replace("visit-notes", name));
    BoundPipeline safe = bind(LEAKY_VISITS.replace("visit-notes", "visit-ids").replace("  visitor: remove\n",
        "  visitor: remove\n  note: remove\n").replace(NOTE_EXEMPT, ""));
    assertThat(executor(RunSettings.defaults()).run(safe).rowsOut()).isEqualTo(5);
    Path folder = dir.resolve("work/leak-filters/ods.street_office__visits");
    List<Path> cached;
    try (var files = java.nio.file.Files.list(folder)) {
      cached = files.toList();
    }
    assertThat(cached).hasSize(1);
    Path entry = cached.get(0);
    long snapshot = safe.inputs().get(0).snapshotId();
    assertThat(entry.getFileName().toString()).startsWith(snapshot + "-").endsWith(".bin");
    assertThat(java.nio.file.Files.getPosixFilePermissions(entry)).isEqualTo(io.dataops.core.files.OwnerOnly.FILE);
    assertThat(java.nio.file.Files.getPosixFilePermissions(folder)).isEqualTo(io.dataops.core.files.OwnerOnly.FOLDER);
    byte[] bytes = java.nio.file.Files.readAllBytes(entry);
    String latin1 = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    for (String raw : List.of("张三丰", "李四光", "440304198503071231", "11010519491231002X")) {
      assertThat(latin1).as("no raw value in the cache").doesNotContain(
          new String(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    Object inode = java.nio.file.Files.readAttributes(entry, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

    // A leaky pipeline on the same snapshot and personal columns: its leak is found with the cached filter, which is
    // used as it is (a filter built again would be written aside and moved over it: another file).
    String leak = "leak check failed, nothing was published: note: 1 values equal raw personal data; note: 1 values "
        + "contain an ID or mobile number (give those columns a policy that hides the value)";
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(named.apply("visit-notes"))).hasMessage(leak);
    assertThat(java.nio.file.Files.readAttributes(entry, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .isEqualTo(inode);
    assertThat(java.nio.file.Files.readAllBytes(entry)).isEqualTo(bytes);

    // An altered entry fails its digest: the filter is built again from the raw values (bit for bit the first one),
    // and the leak is still found.
    byte[] altered = bytes.clone();
    altered[altered.length / 2] ^= 1;
    java.nio.file.Files.write(entry, altered);
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(named.apply("visit-notes-2"))).hasMessage(leak);
    assertThat(java.nio.file.Files.readAllBytes(entry)).isEqualTo(bytes);

    // The snapshot expires (a later feed replaced it): its entry goes with it.
    land("street-office", "visits", VISITS_CONTRACT, "visit_id,visitor,visitor_id_card,note\n6,孙八,440304198503071231,x\n");
    Table visits = lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.parse("ods.street_office__visits"));
    visits.expireSnapshots().expireSnapshotId(snapshot).commit();
    assertThat(io.dataops.pipelines.privacy.LeakFilterCache.in(dir.resolve("work")).prune(lakehouse, null)).isEqualTo(1);
    assertThat(entry).doesNotExist();
  }

  @Test
  void aRawBirthDateIsConfirmedAmongTheDistinctRawDates() throws Exception {
    // A date column not declared personal that holds the visitors' birth dates: the product's dates equal raw ones.
    // Dates are not text, so the leak check confirms them by reading the input's distinct birth dates back; every
    // product row counts, the repeated date twice.
    land("street-office", "births", """
        columns:
          - {name: visit_id, type: long}
          - {name: born, type: date, personal: birth_date}
          - {name: day, type: date}
        """, """
        visit_id,born,day
        1,1985-03-07,1985-03-07
        2,1949-12-31,1949-12-31
        3,1985-03-07,1985-03-07
        4,1990-01-01,2024-05-06
        """);
    BoundPipeline p = bind("""
        name: visit-days
        scenario: 窗口服务分析
        owner: futian-operator
        inputs:
          - {table: ods.street_office__births, as: births, columns: [visit_id, born, day]}
        policy:
          born: remove
        product: visit-days
        """);
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(p))
        .isInstanceOf(LeakCheckTasklet.LeakDetected.class)
        .hasMessage("leak check failed, nothing was published: day: 3 values equal raw personal data (give those "
            + "columns a policy that hides the value)");
  }

  @Test
  void anIdNumberRebuiltThroughItsCheckCharacterFailsTheLeakCheckEvenWhereNoLimitStoppedIt() throws Exception {
    // The pipeline: 17 of 18 characters kept, exempted. Validation refuses it under the platform's limits;
    // bound here without limits, the run's own leak check must still stop it.
    assertThatThrownBy(() -> bind(ID_DISPLAY)).hasMessageContaining("the limit for id_card");
    BoundPipeline unlimited = bindWithoutLimits(ID_DISPLAY);
    assertThatThrownBy(() -> executor(RunSettings.defaults()).run(unlimited))
        .isInstanceOf(LeakCheckTasklet.LeakDetected.class)
        .hasMessage("leak check failed, nothing was published: id_card: 3000 values give back a raw ID or bank card "
            + "number through its check character (give those columns a policy that hides the value)");
    assertThat(lakehouse.load(ProductTables.id("id-display")).currentSnapshot()).as("nothing published").isNull();
    assertThat(registry().list("id-display")).isEmpty();
  }

  /** Three residents on two streets of one sub-district; a population of 11 in three sub-districts' streets. */
  void landResidentsAndPopulation() throws Exception {
    land("civil-affairs", "residents", """
        columns:
          - {name: person, type: string, personal: other}
          - {name: street_code, type: string}
        """, "person,street_code\nP1,440304001001\nP2,440304001001\nP3,440304001002\n");
    land("statistics", "population", """
        columns:
          - {name: street_code, type: string}
        """, "street_code\n" + "440304001001\n".repeat(4) + "440304001003\n".repeat(2)
        + "440304002001\n".repeat(5));
  }

  static final String RESIDENTS_BY_STREET = """
      name: residents-by-street
      scenario: test
      owner: op
      inputs:
        - {table: ods.civil_affairs__residents, as: residents, columns: [person, street_code]}
      transform: SELECT person AS person_key, street_code FROM residents
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
      privacy:
        quasiIdentifiers: [street_code]
        k: 2
        optimize: true
        personKey: person_key
        hierarchies: {street_code: region}
        population: ods.statistics__population
      product: residents-by-street
      """;

  @Test
  @SuppressWarnings("unchecked")
  void theJournalistRiskIsCountedAgainstThePopulationGeneralizedAsTheProduct() throws Exception {
    landResidentsAndPopulation();
    // k=2 over people: the street alone leaves P3 by himself (a third of the people, over the 5% limit); its
    // 9-digit sub-district holds all three. In the population that sub-district holds 6 people (4 + 2).
    PipelineRunResult r = executor(RunSettings.defaults()).run(bind(RESIDENTS_BY_STREET));
    assertThat(r.rowsOut()).isEqualTo(3);
    assertThat(((java.util.Map<String, Object>) r.privacy().get("generalization")).get("levels"))
        .isEqualTo(java.util.Map.of("street_code", 1));
    assertThat(r.privacy()).containsEntry("riskThreshold", 0.2).containsEntry("recordsAtRisk", 3)
        .containsEntry("shareAtRisk", 1.0); // prosecutor: 1/3 each
    java.util.Map<String, Object> j = (java.util.Map<String, Object>) r.privacy().get("journalist");
    assertThat(j).containsEntry("table", "ods.statistics__population").containsEntry("people", 11)
        .containsEntry("maxRisk", 1 / 6.0).containsEntry("avgRisk", 1 / 6.0).containsEntry("recordsAtRisk", 0)
        .containsEntry("classesShortOfPopulation", 0);
    assertThat(((Number) j.get("snapshotId")).longValue())
        .isEqualTo(lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.parse("ods.statistics__population"))
            .currentSnapshot().snapshotId());
  }

  @Test
  @SuppressWarnings("unchecked")
  void thePopulationIsReadUnderTheRunsGrantLikeAnInput() throws Exception {
    // Found by reading the run plan: the population table (a granted resource like any input) was read whole, its
    // every row, whatever row filter the grant set on it.
    landResidentsAndPopulation();
    BoundPipeline p = bind(RESIDENTS_BY_STREET);
    ReadGrant residents = new ReadGrant(9, "ods.civil_affairs__residents", List.of("person", "street_code"), null);
    PipelineExecutor engine = executor(RunSettings.defaults()).executor();
    PipelineRunResult r = engine.run(RunPlan.of(p, keys, engine.engine(), lakehouse, List.of(residents,
        new ReadGrant(9, "ods.statistics__population", List.of("street_code"), "street_code LIKE '440304001%'"))),
        RunControl.of(Actor.SYSTEM));
    java.util.Map<String, Object> j = (java.util.Map<String, Object>) r.privacy().get("journalist");
    assertThat(j).as("only sub-district 440304001's 6 people are granted").containsEntry("people", 6)
        .containsEntry("maxRisk", 1 / 6.0);

    assertThatThrownBy(() -> RunPlan.of(p, keys, engine.engine(), lakehouse, List.of(residents)))
        .isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageContaining("table ods.statistics__population is not covered by the run's grant 9")
        // at the file's line of the population, as the file's other refusals (before: neither file nor line)
        .isInstanceOf(io.dataops.pipelines.definition.PipelineException.class)
        .hasMessageStartingWith(p.definition().source() + ":" + p.definition().privacy().populationLine() + ": ");
  }

  /** Nine people with salaries 1000..9000: street 001 earns 1-3k, street 002 7-9k, sub-district 002's street 4-6k. */
  void landSalaries() throws Exception {
    land("human-resources", "salaries", """
        columns:
          - {name: person, type: string, personal: other}
          - {name: street_code, type: string}
          - {name: salary, type: long}
        """, "person,street_code,salary\n"
        + "P1,440304001001,1000\nP2,440304001001,2000\nP3,440304001001,3000\n"
        + "P7,440304001002,7000\nP8,440304001002,8000\nP9,440304001002,9000\n"
        + "P4,440304002001,4000\nP5,440304002001,5000\nP6,440304002001,6000\n");
  }

  static String salaries(String name, String privacyExtra) {
    return """
        name: %s
        scenario: test
        owner: op
        inputs:
          - {table: ods.human_resources__salaries, as: s, columns: [person, street_code, salary]}
        transform: SELECT person AS person_key, street_code, salary FROM s
        policy:
          person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        privacy:
          quasiIdentifiers: [street_code]
          k: 2
          tCloseness: {column: salary, t: 0.3, distance: ordered}
        %s
        product: %s
        """.formatted(name, privacyExtra.indent(2).stripTrailing(), name);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aStreetWhoseSalariesAreFarFromTheTableIsSuppressedOrGeneralizedUntilTCloseHolds() throws Exception {
    landSalaries();
    // Suppression only: streets 001 (1-3k) and 002 (7-9k) are each .375 from the table (cumulative shares over the
    // nine salaries, / 8), above t; 4-6k is 14/72 from it.
    PipelineRunResult suppressed = executor(RunSettings.defaults()).run(bind(salaries("salaries-suppressed", "")));
    assertThat(suppressed.rowsOut()).isEqualTo(3);
    assertThat(suppressed.rowsSuppressed()).isEqualTo(6);
    Map<String, Object> tc = (Map<String, Object>) suppressed.privacy().get("tCloseness");
    assertThat(tc).containsEntry("column", "salary").containsEntry("distance", "ordered").containsEntry("t", 0.3)
        .containsEntry("classesAbove", 2);
    assertThat((Double) tc.get("maxDistance")).isCloseTo(14 / 72.0, within(1e-12));
    assertThat(Tables.rows(lakehouse.load(ProductTables.id("salaries-suppressed"))))
        .extracting(r -> r.getField("street_code")).containsOnly("440304002001");
    // the version's lineage keeps it
    ProductRegistry registry = registry();
    Map<String, Object> lineage = registry.find("salaries-suppressed", suppressed.version()).orElseThrow()
        .lineage().privacy();
    assertThat((Map<String, Object>) lineage.get("tCloseness")).containsEntry("classesAbove", 2);

    // The search instead merges streets 001 and 002 into sub-district 440304001 (1-3k and 7-9k: 14/144 from the
    // table) and suppresses no one.
    PipelineRunResult generalized = executor(RunSettings.defaults()).run(bind(salaries("salaries-generalized", """
        optimize: true
        suppressionLimit: 0
        personKey: person_key
        hierarchies: {street_code: region}""")));
    assertThat(generalized.rowsOut()).isEqualTo(9);
    assertThat(generalized.rowsSuppressed()).isZero();
    assertThat(((Map<String, Object>) generalized.privacy().get("generalization")).get("levels"))
        .isEqualTo(Map.of("street_code", 1));
    tc = (Map<String, Object>) generalized.privacy().get("tCloseness");
    assertThat((Double) tc.get("maxDistance")).isCloseTo(14 / 72.0, within(1e-12));
    assertThat(tc).containsEntry("classesAbove", 0);
  }
}
