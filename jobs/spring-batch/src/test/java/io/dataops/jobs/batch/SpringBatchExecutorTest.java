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
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.pipelines.privacy.LeakDetectedException;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.pipelines.testing.PipelineFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SpringBatchExecutorTest extends PipelineFixture {
  static final String PROFILE = """
      name: citizens-profile
      scenario: 社区服务人口结构分析
      owner: futian-operator
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, name, phone, gender, birth_date, address, district_code, monthly_income]
      transform: |
        SELECT id_card AS person_key, name, phone, gender, birth_date, address, district_code, monthly_income
        FROM citizens
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        name: remove
        phone: {mask: mobile, keepFirst: 3, keepLast: 0}
        birth_date: {generalize: year}
        address: {generalize: address, level: street}
        monthly_income: {generalize: buckets, boundaries: [0, 3000, 6000, 10000, 20000]}
      privacy: {quasiIdentifiers: [birth_date, gender, district_code], k: 3}
      product: citizens-profile
      """;

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
  static final String LEAKY_VISITS = """
      name: visit-notes
      scenario: 窗口服务分析
      owner: futian-operator
      inputs:
        - {table: ods.street_office__visits, as: visits, columns: [visit_id, visitor, visitor_id_card, note]}
      policy:
        visitor: remove
        visitor_id_card: {pseudonymize: hmac-sha256, key: default, length: 16}
      product: visit-notes
      """;

  @BeforeEach
  void landData() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
  }

  BoundPipeline bind(String yaml) {
    return new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(yaml, "p.yaml"), dir);
  }

  /** The executor as the platform uses it: through the engine-neutral interface, with the plan of a pipeline. */
  record Engine(PipelineExecutor executor, SpringBatchExecutorTest test) {
    PipelineRunResult run(BoundPipeline p) {
      return executor.run(RunPlan.of(p, test.keys, executor.engine(), test.lakehouse), RunControl.of(Actor.SYSTEM));
    }
  }

  Engine executor(RunSettings settings) {
    String url = lakehouse.config().catalogUri();
    return through(new SpringBatchExecutor(lakehouse, new BatchInfrastructure(url, lakehouse.config().catalogUser(), lakehouse.config().catalogPassword()),
        ProductPublisher.ungated(lakehouse, registry()), keys, dir.resolve("work"), settings));
  }

  /** The registry in the lakehouse's catalog database (with its credentials on PostgreSQL). */
  ProductRegistry registry() {
    return new ProductRegistry(lakehouse.config().catalogUri(), lakehouse.config().catalogUser(), lakehouse.config().catalogPassword());
  }

  Engine through(PipelineExecutor executor) {
    return new Engine(executor, this);
  }

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

  /** The statuses of a job's executions, oldest first, from the job repository in the platform database. */
  private List<String> jobExecutions(String job) throws Exception {
    return repositoryRows("SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i "
        + "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = ? ORDER BY e.job_execution_id", job);
  }

  /** Each row's columns joined by a space, of a query of the job repository given the job's name. */
  private List<String> repositoryRows(String sql, String job) throws Exception {
    var config = lakehouse.config();
    try (var c = io.dataops.core.db.PlatformDatabase.connect(config.catalogUri(),
            io.dataops.core.db.PlatformDatabase.prepare(config.catalogUri(), config.catalogUser(),
                config.catalogPassword()));
        var s = c.prepareStatement(sql)) {
      s.setString(1, job);
      List<String> out = new java.util.ArrayList<>();
      try (var r = s.executeQuery()) {
        int columns = r.getMetaData().getColumnCount();
        while (r.next()) {
          StringBuilder row = new StringBuilder(r.getString(1));
          for (int i = 2; i <= columns; i++) {
            row.append(' ').append(r.getString(i));
          }
          out.add(row.toString());
        }
      }
      return out;
    }
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
        "  visitor: remove\n  note: remove\n"));
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

  private Map<String, Object> leakCheckOf(PipelineRunResult r) {
    return registry().byRunKey(r.runKey()).orElseThrow().lineage().leakCheck();
  }

  /** Every row's ID number masked but for its region: 3000 rows out, nothing that equals or rebuilds a raw value. */
  static final String ID_REGIONS = """
      name: id-regions
      scenario: test
      owner: op
      inputs:
        - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender, district_code]}
      policy:
        id_card: {mask: custom, keepFirst: 6}
      privacy: {quasiIdentifiers: [gender, district_code], k: 2}
      product: id-regions
      """;

  /**
   * Tests of the run's own scratch files only (spilled candidates, saved decisions): the warehouse's storage and the
   * catalog's database change nothing they test, so the s3-postgres execution (the root pom) leaves them out.
   */
  static final String LOCAL_SCRATCH = "local-scratch";
  static final String FILTER_BYTES = io.dataops.pipelines.privacy.LeakFilter.MEMORY_LIMIT_PROPERTY;
  static final String IN_MEMORY = io.dataops.pipelines.privacy.LeakCheck.CANDIDATES_IN_MEMORY_PROPERTY;

  /** Runs {@code body} with system properties set (the leak check's test knobs), then puts them back. */
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
    PipelineRunResult reference = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE.replace(
        "product: citizens-profile", "product: citizens-profile-reference")));
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
    PipelineRunResult reference = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE.replace(
        "product: citizens-profile", "product: citizens-profile-reference")));
    assertSameProfileProduct(resumed, reference);
  }

  /**
   * The resumed run of {@link #PROFILE} gave what a clean run of it under another product name gave: the same privacy
   * report (classes, suppressed rows), counts, leak check and rows.
   */
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
    PipelineRunResult reference = executor(SpringBatchChild.SETTINGS).run(bind(PROFILE.replace(
        "product: citizens-profile", "product: citizens-profile-reference")));
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

    PipelineRunResult reference = executor(small).run(bind(PROFILE.replace("product: citizens-profile",
        "product: citizens-profile-reference")));
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
        .hasMessageContaining("table ods.statistics__population is not covered by the run's grant 9");
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
