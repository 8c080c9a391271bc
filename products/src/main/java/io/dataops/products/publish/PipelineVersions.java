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
        .summary("dataops.pipeline", p.definition().name())
        .summary("dataops.pipeline-sha256", p.definition().sha256())
        .summary("dataops.engine", engine)
        .summary("dataops.inputs", p.inputSnapshots().toString())
        .lineage(lineage)
        .actor(actor);
    if (p.qualitySuite() != null) {
      publish.qualitySuite(p.qualitySuite(), earlierVerdict);
    }
    return publish;
  }

  /** The run's result from the version it made (or found, when the run was recognized). */
  public static PipelineRunResult result(ProductVersion v, BoundPipeline p, String engine, boolean recognized,
      boolean restarted, double seconds, Map<String, Double> stepSeconds) {
    Map<String, Object> privacy = null;
    Lineage l = v.lineage();
    if (l.privacy() != null) {
      privacy = new LinkedHashMap<>();
      for (String key : List.of("k", "l", "maxRisk", "avgRisk", "quasiIdentifiers", "added", "exempted", "classes",
          "classesSuppressed", "smallestClass", "recordsSuppressed")) {
        privacy.put(key, l.privacy().get(key));
      }
    }
    List<String> warnings = new ArrayList<>(p.warnings());
    return new PipelineRunResult(v.product(), v.version(), v.state().label(), engine, v.table(), v.snapshotId(),
        l.inputs(), l.rowsIn(), l.rowsOut(), l.rowsSuppressed(), privacy,
        Boolean.TRUE.equals(l.leakCheck().get("passed")) ? "passed" : "failed", l.quality(), l.unfitValues(),
        recognized, restarted, l.runKey(), seconds, stepSeconds, warnings);
  }
}
