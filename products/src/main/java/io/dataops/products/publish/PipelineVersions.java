package io.dataops.products.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.audit.Actor;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.PrivacyReport;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Lineage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.dataops.pipelines.plan.Increment;
import io.dataops.pipelines.plan.ProductClasses;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.plan.RunPlan;

/**
 * What every executor records about a pipeline run and how it publishes it, so that no engine has its own version of
 * it: the version's lineage (policies as described, the privacy report with the exempted quasi-identifiers, the leak
 * check's summary, counts), the publish (the run's files replacing the previous version's, the schema evolved, the
 * snapshot summary, the quality suite), and the run's result as the command line prints it.
 */
public final class PipelineVersions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineVersions() {}

  /** The lineage of the version a run makes (the gate's verdict is added by the publish). */
  public static Lineage lineage(BoundPipeline p, String engine, String runKey, PrivacyReport privacy,
      LeakCheck.Result leak, long rowsIn, long rowsOut, long rowsSuppressed, Map<String, Long> unfitValues) {
    Map<String, String> policies = new LinkedHashMap<>();
    for (BoundColumn c : p.columns()) {
      policies.put(c.name(), c.policy().describe());
    }
    return new Lineage(p.definition().name(), p.definition().sha256(), p.definition().scenario(),
        p.definition().owner(), engine, runKey, p.inputSnapshots(), policies, privacyRecord(p, privacy),
        leakSummary(leak), null, rowsIn, rowsOut, rowsSuppressed, unfitValues);
  }

  /**
   * The lineage of the version a run of {@code plan} makes: as above, and for an incremental run the snapshots each
   * input was read from (exclusive) beside those it was read up to.
   */
  public static Lineage lineage(RunPlan plan, String engine, PrivacyReport privacy, LeakCheck.Result leak,
      long rowsIn, long rowsOut, long rowsSuppressed, Map<String, Long> unfitValues) {
    Lineage l = lineage(plan.pipeline(), engine, plan.runKey(), privacy, leak, rowsIn, rowsOut, rowsSuppressed,
        unfitValues);
    if (!plan.incremental()) {
      return l;
    }
    return new Lineage(l.pipeline(), l.pipelineSha256(), l.scenario(), l.owner(), l.engine(), l.runKey(), l.inputs(),
        l.policies(), l.privacy(), l.leakCheck(), l.quality(), l.rowsIn(), l.rowsOut(), l.rowsSuppressed(),
        l.unfitValues(), plan.inputsFrom());
  }

  /**
   * The lineage of an incremental run with privacy: as above, with the rows the held-back rule kept out of the product
   * and released into it ({@link HeldRows}): {@code rowsOut} counts the rows this version adds, {@code rowsSuppressed}
   * the increment's rows held back; the privacy report (over the whole product's classes) says how many rows were
   * held back by this run ({@code heldNow}), are held back after it ({@code heldBack}) and were released
   * ({@code released}).
   */
  public static Lineage lineage(RunPlan plan, String engine, PrivacyReport privacy, LeakCheck.Result leak,
      long rowsIn, long rowsWritten, Map<String, Long> unfitValues, HeldRows.Split split) {
    Lineage l = lineage(plan, engine, privacy, leak, rowsIn, rowsWritten - split.heldNow() + split.released(),
        split.heldNow(), unfitValues);
    Map<String, Object> report = new LinkedHashMap<>(l.privacy());
    report.put("heldNow", split.heldNow());
    report.put("heldBack", split.heldTotal());
    report.put("released", split.released());
    return new Lineage(l.pipeline(), l.pipelineSha256(), l.scenario(), l.owner(), l.engine(), l.runKey(), l.inputs(),
        l.policies(), report, l.leakCheck(), l.quality(), l.rowsIn(), l.rowsOut(), l.rowsSuppressed(),
        l.unfitValues(), l.inputsFrom());
  }

  /**
   * After the version is recorded: removes the engine's files the split replaced, and — when an interrupted attempt of
   * the same run had committed its own — the files, held rows and class counts this attempt wrote in vain.
   */
  public static void removeUnused(Lakehouse lakehouse, ProductVersion v, ProductClasses.Judged judged,
      HeldRows.Split split) {
    org.apache.iceberg.Table table = lakehouse.load(ProductTables.id(v.product()));
    org.apache.iceberg.Snapshot s = table.snapshot(v.snapshotId());
    java.util.Set<String> used = new java.util.HashSet<>();
    s.addedDataFiles(table.io()).forEach(f -> used.add(f.location()));
    used.add(s.summary().get(ProductClasses.SUMMARY_HELD));
    used.add(s.summary().get(ProductClasses.SUMMARY_CLASSES));
    List<String> unused = new ArrayList<>(split.replaced());
    if (!used.contains(judged.location())) {
      unused.add(judged.location());
    }
    split.written().stream().filter(f -> !used.contains(f)).forEach(unused::add);
    for (String f : unused) {
      try {
        table.io().deleteFile(f);
      } catch (RuntimeException ignored) {
        // an orphan at worst
      }
    }
  }

  /**
   * The plan an executor runs: the given one, unless the product's current snapshot was committed by an incremental
   * run that was killed before it recorded its version — then that run again (same run key), whose publish finds its
   * commit and records it. New input waits for the next run.
   */
  public static RunPlan finishInterrupted(ProductPublisher publisher, RunPlan plan,
      io.dataops.lakehouse.catalog.Lakehouse lakehouse) {
    Increment inc = plan.increment();
    if (inc == null || !inc.baseIncremental() || inc.baseRunKey() == null
        || publisher.registry().byRunKey(inc.baseRunKey()).isPresent()) {
      return plan;
    }
    return plan.redoBase(lakehouse);
  }

  /**
   * An incremental run with nothing appended since the product's current version makes no version: the current one
   * is the result — as a recognized run when this pipeline file made it, and otherwise as another file's version
   * ({@link PipelineRunResult#madeBy()}): nothing ran and nothing was made, and this file's policies and checks apply
   * to the rows appended from now on (README: a changed file applies to them). Before, another file's version was
   * given as this run's, "done before (same file ...)", and a scheduler recorded this file as having made it.
   */
  public static Optional<PipelineRunResult> nothingNew(ProductPublisher publisher, RunPlan plan, String engine,
      double seconds) {
    if (!plan.nothingNew() || plan.increment().baseRunKey() == null) {
      return Optional.empty();
    }
    return publisher.registry().byRunKey(plan.increment().baseRunKey()).map(v -> {
      Lineage made = v.lineage();
      if (plan.pipeline().definition().sha256().equals(made.pipelineSha256())) {
        return result(v, plan.pipeline(), engine, true, false, seconds, Map.of());
      }
      Map<String, String> madeBy = new LinkedHashMap<>();
      madeBy.put("pipeline", made.pipeline());
      madeBy.put("pipelineSha256", made.pipelineSha256());
      return result(v, plan.pipeline(), engine, false, false, seconds, Map.of()).asMadeBy(madeBy,
          plan.pipeline().warnings());
    });
  }

  /**
   * The publish of a run's files: a full run's replace the previous version's rows; an incremental run's are added to
   * them, on the condition that the product is still at the version the run started from, and the snapshot records
   * what the run read from so that the next run starts there ({@link Increment}).
   */
  public static PublishVersion publish(ProductPublisher publisher, RunPlan plan, String engine, List<String> files,
      Lineage lineage, Actor actor, Map<String, Object> earlierVerdict) {
    return publish(publisher, plan, engine, files, lineage, actor, earlierVerdict, null, null);
  }

  /**
   * As above, for a run with privacy: the version's snapshot also names the product's class counts ({@code judged})
   * and the rows held back after it ({@code split}; a full run's are its suppressed rows), so that the rows, the counts
   * and the held rows become the version together, in one commit.
   */
  public static PublishVersion publish(ProductPublisher publisher, RunPlan plan, String engine, List<String> files,
      Lineage lineage, Actor actor, Map<String, Object> earlierVerdict, ProductClasses.Judged judged,
      HeldRows.Split split) {
    PublishVersion publish = publish(publisher, plan.pipeline(), engine, plan.runKey(), files, lineage, actor,
        earlierVerdict);
    publish.summary(io.dataops.pipelines.definition.PseudonymContexts.SUMMARY_KEYS,
        io.dataops.pipelines.definition.PseudonymContexts.keys(plan.pipeline(), plan.identity().keys()));
    if (plan.incremental()) {
      publish.append(split == null ? files : split.publish()).after(plan.increment().baseSnapshot())
          .summary(Increment.SUMMARY_MODE, "incremental")
          .summary(Increment.SUMMARY_FROM, Increment.format(plan.inputsFrom()));
    }
    // in mode full too: the state an incremental run of the same product continues from (HeldRows.suppressed)
    if (judged != null) {
      publish.summary(ProductClasses.SUMMARY_CLASSES, judged.location())
          .summary(ProductClasses.SUMMARY_K, String.valueOf(plan.pipeline().privacy().k()));
    }
    if (split != null && split.held() != null) {
      publish.summary(ProductClasses.SUMMARY_HELD, split.held());
    }
    return publish;
  }

  /** The privacy report as the version keeps it, with the quasi-identifiers the operator exempted and why. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> privacyRecord(BoundPipeline p, PrivacyReport privacy) {
    if (privacy == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>(JSON.convertValue(privacy, Map.class));
    m.put("exempted", p.privacy().exempted());
    return m;
  }

  /** The leak check's outcome as the version keeps it (counts per column, never a value). */
  public static Map<String, Object> leakSummary(LeakCheck.Result r) {
    // A run resumed at its publish step across an upgrade read a result saved without rebuildable.
    return Map.of("passed", r.passed(), "equalToRaw", r.equalToRaw(), "identifierShaped", r.identifierShaped(),
        "rebuildable", r.rebuildable() == null ? Map.of() : r.rebuildable(), "rawValues", r.rawValues(),
        "candidatesConfirmed", r.candidates(), "valuesChecked", r.valuesChecked());
  }

  /**
   * The publish of a run's files as the product's next version, ready to commit: they replace the previous version's
   * rows, the table's schema follows the pipeline's columns, the snapshot names the pipeline, engine and inputs, and
   * the pipeline's suite gates it ({@code earlierVerdict}: what an interrupted attempt of the same run recorded).
   */
  public static PublishVersion publish(ProductPublisher publisher, BoundPipeline p, String engine, String runKey,
      List<String> files, Lineage lineage, Actor actor, Map<String, Object> earlierVerdict) {
    PublishVersion publish = publisher.newVersion(p.definition().product(), runKey)
        .replaceWith(files)
        .evolveSchema((update, current) -> ProductTables.evolve(update, current, p))
        .summary(Increment.SUMMARY_PIPELINE, p.definition().name())
        .summary(Increment.SUMMARY_SHA256, p.definition().sha256())
        .summary(Increment.SUMMARY_ENGINE, engine)
        .summary(Increment.SUMMARY_INPUTS, p.inputSnapshots().toString())
        .summary(io.dataops.pipelines.definition.PseudonymContexts.SUMMARY,
            io.dataops.pipelines.definition.PseudonymContexts.scheme(p))
        .summary(io.dataops.pipelines.definition.PseudonymContexts.SUMMARY_CONTEXTS,
            io.dataops.pipelines.definition.PseudonymContexts.contexts(p))
        .summary(io.dataops.pipelines.definition.ProductShape.SUMMARY,
            io.dataops.pipelines.definition.ProductShape.of(p))
        .lineage(lineage)
        .actor(actor);
    if (p.qualitySuite() != null) {
      publish.qualitySuite(p.qualitySuite(), earlierVerdict);
    }
    return publish;
  }

  /**
   * The run's result from the version it made (or found, when the run was recognized). A recognized run whose version
   * was destroyed (or is being destroyed) is refused: a run key makes one version (the registry holds it unique, and
   * Spring Batch keeps its job complete), and the same run again would make the destroyed rows anew without anyone
   * deciding it (before, it printed that version with "nothing ran" and exit 0, as if it were there).
   */
  public static PipelineRunResult result(ProductVersion v, BoundPipeline p, String engine, boolean recognized,
      boolean restarted, double seconds, Map<String, Double> stepSeconds) {
    if (recognized && v.state() == io.dataops.products.registry.VersionState.DESTROYED) {
      throw new io.dataops.core.BadInputException("this run (same pipeline file, input snapshots, keys and engine) "
          + "made " + v.label() + ", which was destroyed; a destroyed version is not made again: to make a new "
          + "version, run the pipeline over newly landed input or change the pipeline (see: dataops product show "
          + v.product() + " " + v.version() + ")");
    }
    if (recognized && v.state() == io.dataops.products.registry.VersionState.DESTROYING) {
      throw new io.dataops.core.BadInputException("this run (same pipeline file, input snapshots, keys and engine) "
          + "made " + v.label() + ", which is being destroyed (an interrupted destruction completes with: dataops "
          + "product destroy " + v.product() + " " + v.version() + "); a destroyed version is not made again");
    }
    Map<String, Object> privacy = null;
    Lineage l = v.lineage();
    if (l.privacy() != null) {
      privacy = new LinkedHashMap<>();
      for (String key : List.of("k", "l", "maxRisk", "avgRisk", "quasiIdentifiers", "added", "exempted", "classes",
          "classesSuppressed", "smallestClass", "recordsSuppressed")) {
        privacy.put(key, l.privacy().get(key));
      }
      // incremental runs' held-back rule; the generalization search's chosen node, loss and frontier
      for (String key : List.of("heldNow", "heldBack", "released", "generalization", "riskThreshold", "recordsAtRisk",
          "shareAtRisk", "journalist", "discernibility", "tCloseness")) {
        if (l.privacy().containsKey(key)) {
          privacy.put(key, l.privacy().get(key));
        }
      }
    }
    List<String> warnings = new ArrayList<>(p.warnings());
    if (!recognized && l.incremental() && l.inputsFrom().isEmpty() && v.version() > 1) {
      // Only a destruction of every earlier version empties the table (their held rows and class counts with it).
      warnings.add("product " + v.product() + " has no earlier version left to continue from (they were destroyed, "
          + "with any rows they held back): this incremental run started anew, reading its inputs from the beginning "
          + "as a full run does");
    }
    return new PipelineRunResult(v.product(), v.version(), v.state().label(), engine, v.table(), v.snapshotId(),
        l.inputs(), l.rowsIn(), l.rowsOut(), l.rowsSuppressed(), privacy,
        Boolean.TRUE.equals(l.leakCheck().get("passed")) ? "passed" : "failed", l.quality(), l.unfitValues(),
        recognized, restarted, l.runKey(), seconds, stepSeconds, warnings, l.inputsFrom());
  }
}
