package io.dataops.platform.demo;

import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingZone;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.table.TableBrowser;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.plan.Executors;
import io.dataops.products.publish.EngineComparison;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.pipeline.PipelineRuns;
import io.dataops.platform.intake.BucketIntake;
import io.dataops.platform.intake.FeedIntake;
import io.dataops.platform.intake.RegisteredContracts;
import io.dataops.platform.intake.RegisteredSuites;
import io.dataops.quality.feedback.Feedback;
import io.dataops.quality.feedback.Scorecard;
import io.dataops.quality.run.QualityReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.dataops.governance.audit.Verification;
import io.dataops.platform.session.Session;

/**
 * The whole lifecycle on generated sample data, as far as the platform goes today: three departments' feeds in
 * three formats are generated into the landing zone, their contracts and the citizens quality suite registered,
 * the feeds landed and checked; one feed is sent again (recognised as a duplicate); a later feed with defects shows
 * the quarantine, failing rules, failing rows and tickets in the department's outbox; a fixed feed verifies the
 * tickets; a shrunken feed raises an anomaly although no fixed rule fails. Then two operator pipelines (left in the
 * home's {@code pipelines/} folder) make desensitized products: population by sub-district from the citizen registry,
 * and enterprise employment joining human resources' contributions with market regulation's register; each passes
 * k-anonymity, the leak check and its quality gate before its draft version is published. Each run reads under a
 * grant for its scenario the operator applied for and the authority and every owning department approved; a partner
 * receives the market product, and the authority takes the month's statement, runs supervision and evaluates.
 */
public final class Demo {
  static final long SEED = 20261128L;
  static final long CITIZENS = 5_000;
  static final long ENTERPRISES = 600;
  static final long CONTRIBUTIONS = 8_000;

  private Demo() {}

  /** One step of the demo: what was generated, what the landing reported, and the feed's quality run if any. */
  public record Step(String step, String department, String dataset, String file, GenerateResult generated,
                     LandingResult landing, QualityReport quality, Feedback.Delivery feedback) {}

  /** A product version a demo pipeline made, and the pipeline file (under the home, for the user to edit). */
  public record ProductRun(String pipelineFile, PipelineRunResult run) {}

  /**
   * @param cast the people who acted (user, role, organization)
   * @param lifecycle each move of the products' versions, who made it, and the refusals on the way
   * @param certificate the destruction certificate of the version destroyed at the end
   * @param audit the auditor's verification of the audit trail
   * @param governance the grants applied for and approved, the delivery, the statement, supervision and evaluation
   * @param statement the month's statement (CSV); {@code evaluation} the month's evaluation page
   * @param engineCheck the first pipeline run again on the build's other engine, publishing nothing, compared with the
   *     version the default engine made (null when the build has one engine)
   */
  public record Report(String home, List<String> cast, List<String> contracts, List<String> suites, List<Step> steps,
                       List<ProductRun> products, List<String> lifecycle, List<Map<String, Object>> versions,
                       String certificate, String certificateHtml, Verification audit,
                       List<TableBrowser.TableSummary> tables, List<Scorecard> scorecards, List<String> governance,
                       String statement, String evaluation, EngineComparison.Outcome engineCheck) {}

  /** The demo's pipelines (with their quality suites), copied to the home's pipelines/ folder. */
  static final List<String> PIPELINE_FILES = List.of("population-by-street.yaml", "population-by-street.suite.yaml",
      "enterprise-employment.yaml", "enterprise-employment.suite.yaml");
  static final List<String> PIPELINES = List.of("population-by-street.yaml", "enterprise-employment.yaml");

  /**
   * Human resources' checks: every contribution names a well-formed person and employer. Not that they are in the
   * citizens and enterprise registers: a department's suite reads only what the department may read, and those are
   * other departments' tables.
   */
  static final String CONTRIBUTIONS_SUITE = """
      name: human-resources.social-insurance
      expectations:
        - type: expect_column_values_to_be_valid_prc_id_card
          kwargs: {column: id_card}
        - type: expect_column_values_to_be_valid_unified_social_credit_code
          kwargs: {column: credit_code}
        - type: expect_column_values_to_match_strftime_format
          kwargs: {column: contribution_month, strftime_format: '%Y-%m'}
        - type: expect_column_pair_values_a_to_be_greater_than_b
          kwargs: {column_A: pension_employer, column_B: pension_personal}
      """;

  /** The public-security department's checks on every citizens feed (Great Expectations 1.x suite format). */
  static final String CITIZENS_SUITE = """
      name: public-security.citizens
      meta: {owner: public-security, notes: "checked on every feed of the citizen registry"}
      expectations:
        - type: expect_table_row_count_to_be_between
          kwargs: {min_value: 1}
        - type: expect_column_values_to_be_unique
          kwargs: {column: record_id}
        - type: expect_column_values_to_be_valid_prc_id_card
          kwargs: {column: id_card}
        - type: expect_column_values_to_be_valid_prc_mobile
          kwargs: {column: phone, mostly: 0.99}
          severity: warning
        - type: expect_column_values_to_be_in_set
          kwargs: {column: gender, value_set: [M, F]}
        - type: expect_column_values_to_be_between
          kwargs: {column: monthly_income, min_value: 0, max_value: 1000000}
        - type: expect_column_values_to_match_regex
          kwargs: {column: district_code, regex: '^440304\\d{6}$'}
        - type: expect_column_values_to_not_be_null
          kwargs: {column: address, mostly: 0.95}
        - type: expect_metric_to_not_be_anomalous
          kwargs: {metric: Size, strategy: relative_rate_of_change, max_rate_decrease: 0.5, max_rate_increase: 3.0}
          severity: warning
      """;

  public static Report run(PlatformConfig config, int workers, ProgressListener progress, Session admin) {
    // The other engine's run comes after the feeds are landed: its loading overlaps with them.
    Executors.factories().forEach(io.dataops.pipelines.plan.PipelineExecutor.Factory::warmUp);
    Cast cast = Cast.assemble(config, admin);
    Session police = cast.as(Cast.POLICE, "land");
    Session market = cast.as(Cast.MARKET, "land");
    Session hr = cast.as(Cast.HUMAN_RESOURCES, "land");
    Map<String, Session> departments = Map.of("public-security", police, "market-regulation", market,
        "human-resources", hr);
    // With the warehouse in a bucket the feeds are generated in a private scratch folder outside the home and put
    // into the landing bucket (no data file under the home); else in the home's landing/ folder.
    Path zone = config.lakehouse().onObjectStorage() ? scratchZone() : config.landingZone();
    ContractRegistry contracts = new ContractRegistry(config.contracts());
    List<Step> steps = new ArrayList<>();
    List<String> registered = new ArrayList<>();
    List<String> suites = new ArrayList<>();
    try (Lakehouse lakehouse = Lakehouse.open(config.lakehouse())) {
      Path suiteFile = zone.resolve("public-security").resolve("citizens.suite.yaml");
      try {
        OwnerOnly.directories(suiteFile.getParent());
        OwnerOnly.writeString(suiteFile, CITIZENS_SUITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the demo suite", e);
      }
      var suite = RegisteredSuites.register(config, "public-security", "citizens", suiteFile, police.audit());
      suites.add(suite.suite().name() + " -> public-security/citizens");
      Path contributionsSuite = zone.resolve("human-resources").resolve("social-insurance.suite.yaml");
      try {
        OwnerOnly.directories(contributionsSuite.getParent());
        OwnerOnly.writeString(contributionsSuite, CONTRIBUTIONS_SUITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the demo suite", e);
      }
      var hrSuite = RegisteredSuites.register(config, "human-resources", "social-insurance", contributionsSuite,
          hr.audit());
      suites.add(hrSuite.suite().name() + " -> human-resources/social-insurance");
      FeedIntake landing = new FeedIntake(config, lakehouse, workers);
      BucketIntake bucket = config.lakehouse().onObjectStorage() ? new BucketIntake(landing,
          new LandingZone(config.lakehouse().objectStore(), config.landingBucket()), config) : null;
      Feed citizens = new Feed(SampleDataset.CITIZENS, FeedFormat.CSV, Charset.forName("GBK"), "citizens-2026-10.csv",
          CITIZENS, 0, 0);
      Feed enterprises = new Feed(SampleDataset.ENTERPRISES, FeedFormat.XLSX, StandardCharsets.UTF_8,
          "enterprises-2026-10.xlsx", ENTERPRISES, 0, 0);
      Feed contributions = new Feed(SampleDataset.SOCIAL_INSURANCE, FeedFormat.JSONL, StandardCharsets.UTF_8,
          "social-insurance-2026-10.jsonl", CONTRIBUTIONS, 0, 0);
      for (Feed feed : List.of(citizens, enterprises, contributions)) {
        GenerateResult g = feed.generate(zone);
        Session department = departments.get(feed.dataset.department());
        var reg = RegisteredContracts.register(config, feed.dataset.department(), feed.dataset.dataset(),
            Path.of(g.contractFile()), department.audit());
        registered.add(reg.department() + "/" + reg.dataset());
        steps.add(land("land the first " + feed.dataset.dataset() + " feed (" + feed.format.spelling() + ") as "
            + department.principal().name(), landing.audit(department.audit()), reg, g, bucket));
      }
      var citizenContract = contracts.find("public-security", "citizens").orElseThrow();
      landing.audit(police.audit());
      steps.add(land("send the same citizens file again: recognised, nothing landed", landing, citizenContract,
          citizens.generate(zone), bucket));
      Feed defective = new Feed(SampleDataset.CITIZENS, FeedFormat.CSV, Charset.forName("GBK"),
          "citizens-2026-11.csv", 1_000, CITIZENS, 0.08);
      steps.add(land("a later citizens feed with defects: bad rows quarantined, quality rules fail, tickets opened",
          landing, citizenContract, defective.generate(zone), bucket));
      Feed fixed = new Feed(SampleDataset.CITIZENS, FeedFormat.CSV, Charset.forName("GBK"), "citizens-2026-12.csv",
          1_200, CITIZENS + 1_000, 0);
      steps.add(land("the department fixes its data: the next feed passes, its tickets are verified", landing,
          citizenContract, fixed.generate(zone), bucket));
      Feed shrunk = new Feed(SampleDataset.CITIZENS, FeedFormat.CSV, Charset.forName("GBK"), "citizens-2027-01.csv",
          400, CITIZENS + 2_200, 0);
      steps.add(land("a clean but shrunken feed: no fixed rule fails, the anomaly check does", landing,
          citizenContract, shrunk.generate(zone), bucket));
      List<ProductRun> products = new ArrayList<>();
      Session operator = cast.as(Cast.OPERATOR, "pipeline run");
      PipelineRuns runs = new PipelineRuns(config, lakehouse, workers).as(operator.actor(), operator.audit());
      GovernanceScenes governance = new GovernanceScenes(config, lakehouse, cast);
      EngineComparison.Outcome engineCheck = null;
      for (String name : PIPELINES) {
        Path file = pipelineFiles(config).resolve(name);
        governance.grantFor(file); // each run reads under its scenario's grant
        BoundPipeline pipeline = runs.validate(file);
        products.add(new ProductRun(file.toString(), runs.run(pipeline, Executors.defaultEngine(), rows -> { })));
        if (engineCheck == null) {
          engineCheck = sameOnOtherEngine(runs, pipeline, products.get(0).run());
        }
      }
      LifecycleScenes lifecycle = new LifecycleScenes(config, lakehouse, cast);
      lifecycle.release(products.get(0).run(), io.dataops.products.lifecycle.Lifecycle.PUBLIC_INTEREST, null,
          "CC BY 4.0, attribution to 福田区政务服务数据管理局");
      lifecycle.release(products.get(1).run(), io.dataops.products.lifecycle.Lifecycle.MARKET, "2000.00",
          "深圳数据交易所 standard data licence, no re-identification");
      lifecycle.anotherOperatorIsRefused(products.get(1).run());
      lifecycle.partnerReads(products.get(1).run());
      governance.deliver(products.get(1).run());
      // A later citizens feed: the operator makes version 2 of the population product, which replaces version 1.
      Feed later = new Feed(SampleDataset.CITIZENS, FeedFormat.CSV, Charset.forName("GBK"), "citizens-2027-02.csv",
          500, CITIZENS + 2_600, 0);
      steps.add(land("a new citizens feed, for version 2 of the population product", landing, citizenContract,
          later.generate(zone), bucket));
      Path population = pipelineFiles(config).resolve(PIPELINES.get(0));
      PipelineRunResult v2 = runs.run(runs.validate(population), Executors.defaultEngine(), rows -> { });
      products.add(new ProductRun(population.toString(), v2));
      lifecycle.release(v2, io.dataops.products.lifecycle.Lifecycle.PUBLIC_INTEREST, null,
          "CC BY 4.0, attribution to 福田区政务服务数据管理局");
      LifecycleScenes.EndOfLife end = lifecycle.sealAndDestroy(products.get(0).run().product());
      GovernanceScenes.Month month = governance.closeTheMonth();
      Verification audit = lifecycle.auditorVerifies();
      return new Report(config.home().toString(), Cast.describe(), registered, suites, steps, products,
          lifecycle.log(), lifecycle.versions(), end.certificate(), end.certificateHtml(), audit,
          new TableBrowser(lakehouse).list(), Scorecard.all(landing.tickets()), governance.log(), month.statementCsv(),
          month.evaluationHtml(), engineCheck);
    } finally {
      if (config.lakehouse().onObjectStorage()) {
        removeScratch(zone);
      }
    }
  }

  /** The scratch folder of a bucket demo: the feeds' contracts and suites (registered copies are in the home). */
  private static void removeScratch(Path zone) {
    try (var walk = Files.walk(zone)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a scratch folder under the system's temp: left to it
    }
  }

  /**
   * The pipeline run again on the build's next engine (Flink, at parallelism 2) from the same snapshots, publishing
   * nothing, and compared with the version just made; a different product fails the demo.
   */
  private static EngineComparison.Outcome sameOnOtherEngine(PipelineRuns runs, BoundPipeline pipeline,
      PipelineRunResult reference) {
    String other = Executors.engines().stream().filter(e -> !e.equals(reference.engine())).findFirst().orElse(null);
    if (other == null) {
      return null;
    }
    EngineComparison.Outcome outcome = runs.compare(pipeline, reference, other, 2);
    if (!outcome.matched()) {
      throw new IllegalStateException("the engines disagree: " + outcome.describe());
    }
    return outcome;
  }

  /** Writes the demo's pipeline files into the home unless they are there already (the user may have edited them). */
  private static Path pipelineFiles(PlatformConfig config) {
    Path dir = config.pipelines();
    try {
      OwnerOnly.directories(dir);
      for (String name : PIPELINE_FILES) {
        Path target = dir.resolve(name);
        if (!Files.exists(target)) {
          try (var in = Demo.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
              throw new IllegalStateException("the demo pipeline " + name + " is missing from the build");
            }
            OwnerOnly.copy(in, target);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo pipelines to " + dir, e);
    }
    return dir;
  }

  /**
   * Lands a generated feed: from its file, or with the warehouse in a bucket as a department would send it — put into
   * the landing zone ({@code landing/<department>/<dataset>/}, the local copy removed) and taken from there as
   * {@code land --from-bucket} does, which moves it to {@code landed/}.
   */
  private static Step land(String what, FeedIntake intake, ContractRegistry.Registered contract, GenerateResult g,
      BucketIntake bucket) {
    Path file = Path.of(g.file());
    if (bucket != null) {
      String object = bucket.zone().put(contract.department(), contract.dataset(), file);
      try {
        Files.delete(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the demo feed's local copy " + file, e);
      }
      List<BucketIntake.Outcome> outcomes = bucket.take(contract.department(), contract.dataset());
      BucketIntake.Outcome o = outcomes.stream().filter(x -> x.object().equals(object)).findFirst()
          .orElseThrow(() -> new IllegalStateException("the demo feed " + object + " was not taken in"));
      if (!o.landed()) {
        throw new IllegalStateException("the demo feed " + object + " was rejected: " + o.reason());
      }
      return new Step(what, contract.department(), contract.dataset(), object, g, o.result().landing(),
          o.result().quality(), o.result().feedback());
    }
    FeedIntake.Result r = intake.take(new LandingRequest(contract.department(), contract.dataset(), file,
        contract.contract(), contract.sha256()), ProgressListener.NONE);
    return new Step(what, contract.department(), contract.dataset(), file.toString(), g, r.landing(), r.quality(),
        r.feedback());
  }

  private static Path scratchZone() {
    try {
      Path dir = Files.createTempDirectory("dataops-demo-feeds-",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OwnerOnly.FOLDER));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a scratch folder for the demo's feeds", e);
    }
  }

  private record Feed(SampleDataset dataset, FeedFormat format, Charset encoding, String fileName, long rows,
                      long offset, double defectRate) {
    GenerateResult generate(Path zone) {
      Path out = zone.resolve(dataset.department()).resolve(fileName);
      return SampleGenerator.generate(new GenerateRequest(dataset, rows, out, format, encoding, defectRate, SEED,
          offset, CITIZENS, ENTERPRISES, false));
    }
  }
}
