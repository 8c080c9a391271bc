package io.dataops.pipelines.plan;

import io.dataops.core.digest.Digests;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.desensitize.KeyRing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two runs the same run, on any engine: the pipeline file's SHA-256, the pinned input snapshots, the
 * fingerprints of the keys its policies use, and the engine. The same identity is recognized (its version returned,
 * nothing runs) or resumed; any change is a new run.
 *
 * @param inputs {@code table@snapshot} of each input, in the pipeline's order, comma-separated
 * @param keys key id → fingerprint (never the key), sorted
 */
public record RunIdentity(String pipeline, String pipelineSha256, String inputs, Map<String, String> keys,
    String engine) {

  public RunIdentity {
    keys = java.util.Collections.unmodifiableMap(new TreeMap<>(keys));
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
    return new RunIdentity(p.definition().name(), p.definition().sha256(), inputs.toString(), fingerprints, engine);
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
    return m;
  }

  /**
   * The run key: SHA-256 of the job name and the identifying values. Runs recorded before the plan existed have the
   * same key (the Spring Batch executor computed it from the same values in the same order).
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
    return m;
  }
}
