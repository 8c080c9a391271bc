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
 * @param qualityRows the rows quality runs recorded on the version's snapshot (failing rows, metrics of its columns),
 *     per table of the quality zone; null in a plan saved before they were planned
 * @param earlierSnapshots the snapshots the version had before the destruction of another version rewrote its
 *     metadata (quality runs recorded rows on them); null in a plan saved before they were planned
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
    String orderedByOrganization,
    List<QualityRows> qualityRows,
    List<Long> earlierSnapshots) {

  public static final String REMOVE = "remove";
  public static final String KEEP = "keep";

  public record PlannedFile(String name, String location, String kind, long size, String digest, String disposition,
      List<Integer> sharedWith) {}

  /**
   * The rows of one quality table that name the version's snapshot: how many, and the quality runs that wrote them
   * (the rows hold the product's values, or figures computed from them, so they go with the version).
   */
  public record QualityRows(String table, long rows, List<String> runs) {}

  /** The snapshots whose quality rows go with the version: its own and those it had before a rewrite. */
  public List<Long> qualitySnapshots() {
    List<Long> all = new java.util.ArrayList<>(List.of(snapshotId));
    if (earlierSnapshots != null) {
      all.addAll(earlierSnapshots);
    }
    return all;
  }

  public List<PlannedFile> removed() {
    return files.stream().filter(f -> REMOVE.equals(f.disposition())).toList();
  }
}
