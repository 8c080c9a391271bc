package io.dataops.pipelines.run;

import java.util.Map;

/**
 * One version of a data product as a pipeline run made it, with its lineage: the exact input snapshots, the pipeline
 * file's hash, every column's policy, the privacy report and the leak check. Created as a draft; the product registry
 * (a later module) takes it through approval, publication, sealing and destruction.
 *
 * @param quality the quality gate's verdict on the product (null when the pipeline names no suite)
 * @param runKey what makes two runs the same run: pipeline file hash, input snapshots, key fingerprints, engine
 */
public record ProductVersion(
    String product,
    int version,
    String state,
    String table,
    long snapshotId,
    String pipeline,
    String pipelineSha256,
    String scenario,
    String owner,
    String engine,
    String runKey,
    Map<String, Long> inputs,
    Map<String, String> policies,
    Map<String, Object> privacy,
    Map<String, Object> leakCheck,
    Map<String, Object> quality,
    long rowsIn,
    long rowsOut,
    long rowsSuppressed,
    Map<String, Long> unfitValues,
    String createdAt) {
  public static final String DRAFT = "draft";
}
