package io.dataops.pipelines.plan;

import io.dataops.core.digest.Digests;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PseudonymContexts;
import io.dataops.pipelines.desensitize.KeyRing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two runs the same run, on any engine: the pipeline file's SHA-256, the pinned input snapshots, the
 * fingerprints of the keys its policies use, the engine, and the context given to the pseudonymizations the file
 * names none for. The same identity is recognized (its version returned, nothing runs) or resumed; any change is a
 * new run.
 *
 * @param inputs {@code table@snapshot} of each input, in the pipeline's order, comma-separated
 * @param keys key id → fingerprint (never the key), sorted
 * @param pseudonymContext the default context the run's pseudonymizations that name none use ({@code
 *     PseudonymContexts}): the product's name, or the empty context a product made before that default keeps. Not in
 *     the file, so the same file on the same inputs may pseudonymize in either (before it was in the key, a run in
 *     the other context was taken for the one that made a version, and made nothing). Null when no pseudonymization
 *     is without a context or it is the empty one (every run key before the default was made in it, and stays so)
 */
public record RunIdentity(String pipeline, String pipelineSha256, String inputs, Map<String, String> keys,
    String engine, String pseudonymContext) {

  public RunIdentity {
    keys = java.util.Collections.unmodifiableMap(new TreeMap<>(keys));
    pseudonymContext = pseudonymContext == null || pseudonymContext.isEmpty() ? null : pseudonymContext;
  }

  /** An identity without a default pseudonym context. */
  public RunIdentity(String pipeline, String pipelineSha256, String inputs, Map<String, String> keys, String engine) {
    this(pipeline, pipelineSha256, inputs, keys, engine, null);
  }

  public static RunIdentity of(BoundPipeline p, KeyRing keyRing, String engine) {
    Map<String, String> fingerprints = new TreeMap<>();
    for (var c : p.columns()) {
      String keyId = c.policy().keyId();
      if (keyId != null) {
        fingerprints.put(keyId, keyRing.fingerprint(keyId));
      }
    }
    return of(p, fingerprints, engine, null);
  }

  /**
   * @param from for an incremental run, each input table → the snapshot it reads from (exclusive; absent: from the
   *     beginning), which makes {@code inputs} {@code table@from..to}; null for a full run ({@code table@to})
   */
  static RunIdentity of(BoundPipeline p, Map<String, String> fingerprints, String engine, Map<String, Long> from) {
    StringBuilder inputs = new StringBuilder();
    p.inputs().forEach(in -> {
      inputs.append(inputs.length() == 0 ? "" : ",").append(in.table()).append('@');
      if (from != null) {
        Long start = from.get(in.table().toString());
        inputs.append(start == null ? "" : start.toString()).append("..");
      }
      inputs.append(in.snapshotId());
    });
    return new RunIdentity(p.definition().name(), p.definition().sha256(), inputs.toString(), fingerprints, engine,
        PseudonymContexts.chosen(p));
  }

  /**
   * This identity as a run made before the default context entered run keys knew it (a run committed by such a
   * version and finished after the upgrade is found by it).
   */
  RunIdentity withoutContext() {
    return new RunIdentity(pipeline, pipelineSha256, inputs, keys, engine, null);
  }

  /** The job's name: {@code pipeline.<name>}. */
  public String jobName() {
    return "pipeline." + pipeline;
  }

  /** The identifying values by name, as a job engine records them (sorted by name). */
  public Map<String, String> identifying() {
    Map<String, String> m = new TreeMap<>();
    m.put("engine", engine);
    m.put("inputs", inputs);
    m.put("keys", keys.toString());
    m.put("pipeline.sha256", pipelineSha256);
    if (pseudonymContext != null) {
      m.put("pseudonym.context", pseudonymContext);
    }
    return m;
  }

  /**
   * The run key: SHA-256 of the job name and the identifying values. Runs recorded before the plan existed have the
   * same key (the Spring Batch executor computed it from the same values in the same order), and so do runs without a
   * default pseudonym context recorded before it entered the key.
   */
  public String runKey() {
    return Digests.sha256(jobName() + "|" + identifying());
  }

  /** The identifying values in the order they were first written (for messages and job parameters). */
  public Map<String, String> asParameters() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("pipeline.sha256", pipelineSha256);
    m.put("inputs", inputs);
    m.put("keys", keys.toString());
    m.put("engine", engine);
    if (pseudonymContext != null) {
      m.put("pseudonym.context", pseudonymContext);
    }
    return m;
  }
}
