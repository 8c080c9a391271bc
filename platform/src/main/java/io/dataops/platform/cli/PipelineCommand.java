package io.dataops.platform.cli;

import io.dataops.pipelines.plan.Executors;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.GrantServices;
import io.dataops.platform.pipeline.PipelineRuns;
import io.dataops.platform.product.ProductServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Operators' pipelines: granted data → transform → desensitize → privacy and quality checks → product.",
    subcommands = {PipelineCommand.Validate.class, PipelineCommand.Run.class, PipelineCommand.Privacy.class})
final class PipelineCommand {

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a pipeline file against the lakehouse without running it: tables, columns, types, SQL, "
          + "a policy for every column carrying personal data, policies that fit their columns, the quality suite.")
  static final class Validate implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Option(names = "--engine", paramLabel = "ENGINE",
        description = "Also check what this engine must run as every engine does (e.g. flink).") String engine;

    Validate(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      if (engine != null) {
        PipelineRuns.checkEngine(engine);
      }
      try (Lakehouse lh = cli.lakehouse(config)) {
        PipelineRuns runs = new PipelineRuns(config, lh, LandCommand.workers()).as(cli.session().actor(), cli.audit())
            .readsChecked(Quality.reads(cli, config, lh));
        BoundPipeline p = engine == null ? runs.validate(file) : runs.validate(file, engine);
        ownPipeline(cli, config, p);
        // The same refusal a run meets (exit 2), when no live grant of the caller's organization covers it.
        var grant = GrantServices.authorize(GrantServices.enforcement(config, cli.audit()), p,
            cli.session().actor(), "pipeline validate");
        cli.print(common, GrantServices.withGrant(json(p), grant), text(p) + GrantServices.text(grant));
      }
      return 0;
    }

    private Map<String, Object> json(BoundPipeline p) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", file.toString());
      m.put("valid", true);
      if (engine != null) {
        m.put("engine", engine);
      }
      m.put("pipeline", p.definition().name());
      m.put("product", p.definition().product());
      m.put("scenario", p.definition().scenario());
      m.put("owner", p.definition().owner());
      m.put("inputs", p.inputSnapshots());
      List<Map<String, Object>> columns = new ArrayList<>();
      for (BoundColumn c : p.columns()) {
        Map<String, Object> col = new LinkedHashMap<>();
        col.put("name", c.name());
        col.put("type", c.sqlType().toString());
        col.put("policy", c.policy().describe());
        col.put("outputType", c.inProduct() ? c.outputType().toString() : null);
        col.put("personalSources", c.personalSources());
        col.put("derivedFromPersonal", c.derivedFromPersonal());
        columns.add(col);
      }
      m.put("columns", columns);
      if (p.privacy() != null) {
        Map<String, Object> privacy = new LinkedHashMap<>();
        privacy.put("k", p.privacy().k());
        privacy.put("l", p.privacy().l());
        privacy.put("quasiIdentifiers", p.privacy().quasiIdentifiers());
        privacy.put("added", p.privacy().added());
        m.put("privacy", privacy);
      }
      m.put("qualitySuite", p.qualitySuite() == null ? null : p.qualitySuite().toString());
      m.put("warnings", p.warnings());
      return m;
    }

    private String text(BoundPipeline p) {
      StringBuilder s = new StringBuilder(String.format("%s: valid — pipeline %s makes product %s%n", file,
          p.definition().name(), p.definition().product()));
      p.inputs().forEach(in -> s.append(String.format("  input  %s as %s @ snapshot %d%n", in.table(), in.alias(),
          in.snapshotId())));
      for (BoundColumn c : p.columns()) {
        String personal = c.personalSources().isEmpty() ? "" : "  personal: " + String.join(", ", c.personalSources());
        s.append(String.format("  column %-22s %-14s %s%s%n", c.name(), c.sqlType(), c.policy().describe(), personal));
      }
      if (p.privacy() != null) {
        s.append(String.format("  privacy: k=%d%s over %s%n", p.privacy().k(),
            p.privacy().l() == null ? "" : ", l=" + p.privacy().l(), p.privacy().quasiIdentifiers()));
        p.privacy().added().forEach((c, why) -> s.append(String.format("    %s counts as a quasi-identifier: %s%n",
            c, why)));
      }
      if (p.qualitySuite() != null) {
        s.append("  quality gate: ").append(p.qualitySuite()).append('\n');
      }
      p.warnings().forEach(w -> s.append("  warning: ").append(w).append('\n'));
      return s.toString();
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a pipeline into product.<name> as a new draft version (one commit; restartable: the same "
          + "command after a failure or kill resumes it; after success it is recognized and nothing runs).")
  static final class Run implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Option(names = "--engine", paramLabel = "ENGINE",
        description = "The engine to run on: one this build has (default: the first, spring-batch).") String engine;
    @Option(names = "--parallelism", paramLabel = "N",
        description = "Parallel tasks of the engine (flink; default 2).") Integer parallelism;

    Run(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      cli.know("file", file.toString());
      if (engine == null) {
        engine = Executors.defaultEngine();
      }
      cli.know("engine", engine);
      PipelineRuns.checkEngine(engine);
      if (parallelism != null && (parallelism < 1 || parallelism > 256)) {
        throw new io.dataops.core.BadInputException("--parallelism is a whole number from 1 to 256, not "
            + parallelism);
      }
      PlatformConfig config = cli.config(common);
      PipelineRunResult r;
      try (Lakehouse lh = cli.lakehouse(config)) {
        PipelineRuns runs = new PipelineRuns(config, lh, LandCommand.workers())
            .as(cli.session().actor(), cli.audit()).readsChecked(Quality.reads(cli, config, lh));
        BoundPipeline p = runs.validate(file);
        ownPipeline(cli, config, p);
        cli.know("pipeline", p.definition().name());
        cli.know("product", p.definition().product());
        cli.know("inputs", p.inputSnapshots());
        long total = runs.inputRows(p);
        ProgressListener progress = Progress.on(cli.err, p.definition().name());
        try {
          r = runs.run(p, engine, parallelism, rows -> progress.progress(Math.min(rows, total), total, rows),
              verdict -> cli.know("quality", verdict));
        } finally {
          Progress.finish(progress);
        }
      }
      cli.print(common, r, describe(r, file.toString()));
      return 0;
    }
  }

  @Command(name = "privacy", mixinStandardHelpOptions = true,
      description = "The privacy check a run would make, writing no product: classes, risks and, with "
          + "privacy.optimize, the generalization chosen, its information loss and the other minimal ones (frontier).")
  static final class Privacy implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "FILE") Path file;

    Privacy(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      cli.know("file", file.toString());
      PlatformConfig config = cli.config(common);
      io.dataops.pipelines.privacy.PrivacyReport r;
      BoundPipeline p;
      try (Lakehouse lh = cli.lakehouse(config)) {
        PipelineRuns runs = new PipelineRuns(config, lh, LandCommand.workers()).as(cli.session().actor(), cli.audit())
            .readsChecked(Quality.reads(cli, config, lh));
        p = runs.validate(file);
        ownPipeline(cli, config, p);
        cli.know("pipeline", p.definition().name());
        cli.know("inputs", p.inputSnapshots());
        r = runs.privacy(p, Executors.defaultEngine());
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> json = new LinkedHashMap<>(new com.fasterxml.jackson.databind.ObjectMapper()
          .convertValue(r, Map.class));
      json.remove("spilledBytes");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("file", file.toString());
      out.put("pipeline", p.definition().name());
      out.put("inputs", p.inputSnapshots());
      out.put("privacy", json);
      cli.print(common, out, privacyText(r, file.toString()));
      return 0;
    }
  }

  static String privacyText(io.dataops.pipelines.privacy.PrivacyReport r, String file) {
    StringBuilder s = new StringBuilder(String.format("%s: the privacy check a run would make (nothing written)%n",
        file));
    s.append(String.format("  k=%d%s over %s%n", r.k(), r.l() == null ? "" : ", l=" + r.l() + " of " + r.sensitive(),
        r.quasiIdentifiers()));
    s.append(String.format("  records: %,d in, %,d kept, %,d suppressed; %,d classes (%,d suppressed), smallest kept "
        + "%,d%n", r.recordsIn(), r.recordsOut(), r.recordsSuppressed(), r.classes(), r.classesSuppressed(),
        r.smallestClass()));
    s.append(String.format("  re-identification risk (prosecutor): highest %.4f, average %.4f%n", r.maxRisk(),
        r.avgRisk()));
    @SuppressWarnings("unchecked")
    Map<String, Object> report = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(r, Map.class);
    s.append(risks(report).replace("\n    ", "\n  ").replaceFirst("^    ", "  "));
    if (r.generalization() != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> g = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(r.generalization(),
          Map.class);
      s.append(generalization(g).replace("\n    ", "\n  ").replaceFirst("^    ", "  "));
    }
    return s.toString();
  }

  /** An operator validates and runs the pipelines its own organization owns. */
  static void ownPipeline(Cli cli, PlatformConfig config, BoundPipeline p) {
    ownPipeline(cli, config, p.definition());
  }

  /**
   * The caller's organization owns the pipeline, its product (when there is one) is that owner's, and so is its name
   * (no other organization's pipeline of that name made a version).
   */
  static void ownPipeline(Cli cli, PlatformConfig config, PipelineDefinition p) {
    cli.session().requireOrganization(p.owner(), "pipeline " + p.name(), List.of("pipeline:" + p.name()));
    try {
      var registry = ProductServices.registry(config);
      registry.checkOwner(p.product(), p.owner());
      registry.checkPipelineName(p.name(), p.owner());
    } catch (io.dataops.core.AccessDeniedException e) {
      cli.session().refuse(e, List.of("pipeline:" + p.name(), "product:" + p.product()));
      throw e;
    }
  }

  /** The run as the operator reads it: version, lineage, counts, privacy report, leak check, quality gate. */
  static String describe(PipelineRunResult r, String file) {
    if (r.madeByAnotherFile()) {
      // Not this file's version: its lineage (leak check, privacy, gate) is the other file's, shown by product show.
      String sha = r.madeBy().get("pipelineSha256");
      StringBuilder s = new StringBuilder(String.format("product %s: nothing was appended to the inputs of %s since "
          + "version %d (%s), which another pipeline file made (pipeline %s, sha256 %s): nothing ran, no version "
          + "made; this file's policies and checks apply to the rows appended from now on (see: dataops product show "
          + "%s %d)%n", r.product(), file, r.version(), r.state(), r.madeBy().get("pipeline"),
          sha == null ? "not recorded" : sha.substring(0, Math.min(12, sha.length())), r.product(), r.version()));
      r.inputs().forEach((t, id) -> s.append(String.format("  input %s: nothing appended after snapshot %d%n", t,
          id)));
      r.warnings().forEach(w -> s.append("  warning: ").append(w).append('\n'));
      return s.toString();
    }
    StringBuilder s = new StringBuilder(String.format("product %s version %d (%s) from %s on %s%s in %.1f s%n",
        r.product(), r.version(), r.state(), file, r.engine(),
        r.recognized() ? " — this run was done before (same file, input snapshots and keys): nothing ran"
            : r.restarted() ? " — resumed an interrupted run" : "", r.seconds()));
    s.append(String.format("  table %s @ snapshot %d%n", r.table(), r.snapshotId()));
    r.inputs().forEach((t, id) -> s.append(String.format("  input %s %s%n", t, r.readOf(t, id))));
    s.append(String.format("  rows: %,d in, %,d out, %,d suppressed%n", r.rowsIn(), r.rowsOut(), r.rowsSuppressed()));
    Map<String, Object> pv = r.privacy();
    if (pv != null) {
      s.append(String.format("  privacy: k=%s%s over %s%n", pv.get("k"), pv.get("l") == null ? "" : ", l=" + pv.get("l"),
          pv.get("quasiIdentifiers")));
      s.append(String.format("    re-identification risk (prosecutor): highest %.4f, average %.4f%n",
          ((Number) pv.get("maxRisk")).doubleValue(), ((Number) pv.get("avgRisk")).doubleValue()));
      s.append(risks(pv));
      s.append(String.format("    %s classes, %s below k suppressed (%s records); smallest class kept: %s%n",
          pv.get("classes"), pv.get("classesSuppressed"), pv.get("recordsSuppressed"), pv.get("smallestClass")));
      if (pv.containsKey("heldBack")) {
        s.append(String.format("    incremental: %s rows of this run held back (their class is below k over the whole"
            + " product), %s earlier held rows released, %s held back in all%n", pv.get("heldNow"), pv.get("released"),
            pv.get("heldBack")));
      }
      if (pv.get("added") instanceof Map<?, ?> added && !added.isEmpty()) {
        added.forEach((c, why) -> s.append(String.format("    %s counted as a quasi-identifier: %s%n", c, why)));
      }
      if (pv.get("generalization") instanceof Map<?, ?> g) {
        s.append(generalization(g));
      }
    }
    s.append("  leak check: ").append(r.leakCheck()).append('\n');
    if (r.quality() != null) {
      Object passed = r.quality().get("passed");
      s.append(String.format("  quality gate: %s (suite %s, %s rules)%n", Boolean.TRUE.equals(passed) ? "passed"
          : passed == null ? "checked" : "failed", r.quality().get("suite"), r.quality().get("evaluated")));
      if (r.quality().get("warnings") instanceof List<?> w && !w.isEmpty()) {
        w.forEach(x -> s.append("    warning: ").append(x).append('\n'));
      }
    }
    if (r.unfitValues() != null && !r.unfitValues().isEmpty()) {
      s.append("  values a policy could not apply to (suppressed): ").append(r.unfitValues()).append('\n');
    }
    r.warnings().forEach(w -> s.append("  warning: ").append(w).append('\n'));
    return s.toString();
  }

  /**
   * t-closeness's highest distance, the records above the risk threshold, and the journalist risk against the
   * population when there is one.
   */
  static String risks(Map<?, ?> pv) {
    StringBuilder s = new StringBuilder();
    if (pv.get("tCloseness") instanceof Map<?, ?> tc) {
      s.append(String.format("    t-closeness of %s (%s distance): highest distance of a kept class %.4f, t=%s; %s "
              + "classes farther than t suppressed%n", tc.get("column"), tc.get("distance"),
          ((Number) tc.get("maxDistance")).doubleValue(), tc.get("t"), tc.get("classesAbove")));
    }
    if (pv.get("discernibility") instanceof Number d && pv.get("generalization") == null) {
      s.append(String.format("    discernibility %,d (the sum of kept classes' records squared, suppressed records "
          + "× all records)%n", d.longValue()));
    }
    if (pv.get("riskThreshold") instanceof Number t) {
      s.append(String.format("    records above risk %.4f (prosecutor): %s (%.2f%% of those kept)%n", t.doubleValue(),
          pv.get("recordsAtRisk"), 100 * ((Number) pv.get("shareAtRisk")).doubleValue()));
    }
    if (pv.get("journalist") instanceof Map<?, ?> j) {
      s.append(String.format("    re-identification risk (journalist, against %s @ %s, %s people): highest %.4f, "
              + "average %.4f; above the threshold: %s (%.2f%%)%n", j.get("table"), j.get("snapshotId"),
          j.get("people"), ((Number) j.get("maxRisk")).doubleValue(), ((Number) j.get("avgRisk")).doubleValue(),
          j.get("recordsAtRisk"), 100 * ((Number) j.get("shareAtRisk")).doubleValue()));
      if (((Number) j.get("classesShortOfPopulation")).longValue() > 0) {
        s.append(String.format("    warning: %s classes hold more people in the product than in the population "
            + "(sized by the product's count)%n", j.get("classesShortOfPopulation")));
      }
    }
    return s.toString();
  }

  /** The generalization search's outcome in words: the chosen levels, the loss, what was suppressed, the frontier. */
  static String generalization(Map<?, ?> g) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("    generalization chosen (least information loss meeting the model%s): %s%n",
        Boolean.TRUE.equals(g.get("meetsLimit")) ? "" : " — none met it within the suppression limit: the top applied",
        g.get("levelNames")));
    s.append(String.format("    information loss %.4f (%s); per column %s%n", ((Number) g.get("loss")).doubleValue(),
        g.get("metric"), rounded(g.get("lossByColumn"))));
    long people = ((Number) g.get("people")).longValue();
    s.append(String.format("    suppressed: %s (limit %.1f%%), classes counted by %s; discernibility %s; marketer "
            + "risk %.4f%n", people > 0 ? g.get("peopleSuppressed") + " of " + people + " people" : "see rows above",
        100 * ((Number) g.get("suppressionLimit")).doubleValue(), g.get("counted"), g.get("discernibility"),
        ((Number) g.get("marketerRisk")).doubleValue()));
    if (g.get("cellsByColumn") instanceof Map<?, ?> cells && !cells.isEmpty()) {
      s.append("    cells per column:");
      cells.forEach((c, levels) -> {
        StringBuilder l = new StringBuilder();
        ((Map<?, ?>) levels).forEach((level, share) -> l.append(l.length() == 0 ? "" : ", ").append(level)
            .append(String.format(" %.1f%%", 100 * ((Number) share).doubleValue())));
        s.append(' ').append(c).append(" {").append(l).append('}');
      });
      s.append('\n');
    }
    s.append(String.format("    lattice: %s nodes, %s counted%n", g.get("latticeNodes"), g.get("nodesEvaluated")));
    if (g.get("frontier") instanceof List<?> f && !f.isEmpty()) {
      s.append("    other minimal generalizations (frontier):\n");
      f.stream().limit(5).forEach(a -> {
        Map<?, ?> m = (Map<?, ?>) a;
        s.append(String.format("      %s loss %.4f, suppressed %.2f%%%n", m.get("levels"),
            ((Number) m.get("loss")).doubleValue(), 100 * ((Number) m.get("suppressedShare")).doubleValue()));
      });
    }
    return s.toString();
  }

  private static Map<Object, String> rounded(Object byColumn) {
    Map<Object, String> out = new LinkedHashMap<>();
    if (byColumn instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(k, String.format("%.3f", ((Number) v).doubleValue())));
    }
    return out;
  }
}
