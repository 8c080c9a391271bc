package io.dataops.products.destroy;

import java.util.List;
import java.util.Map;

/**
 * What a destruction will remove, fixed before the first byte is removed and saved in the registry, so an
 * interrupted destruction completes with exactly the same plan.
 *
 * @param files every file of the version: {@code remove} when no live version needs it, else {@code keep} with the
 *     versions that share it
 * @param metadata the snapshot's own metadata files (its manifest list and manifests)
 * @param tableSchemaJson, tableProperties, tableLocation what the table is recreated with when no live version is left
 * @param approvedBy the authority who sealed (or rejected) the version
 */
public record DestructionPlan(
    String product,
    int version,
    String table,
    long snapshotId,
    String tag,
    String algorithm,
    String merkleRoot,
    String fromState,
    List<PlannedFile> files,
    List<String> metadata,
    String archive,
    boolean recreateTable,
    String tableSchemaJson,
    String tableSpecJson,
    Map<String, String> tableProperties,
    String tableLocation,
    String approvedBy,
    String orderedBy,
    String orderedByOrganization) {

  public static final String REMOVE = "remove";
  public static final String KEEP = "keep";

  public record PlannedFile(String name, String location, String kind, long size, String digest, String disposition,
      List<Integer> sharedWith) {}

  public List<PlannedFile> removed() {
    return files.stream().filter(f -> REMOVE.equals(f.disposition())).toList();
  }
}
