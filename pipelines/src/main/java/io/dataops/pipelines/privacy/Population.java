package io.dataops.pipelines.privacy;

import java.util.function.Consumer;

/**
 * The population a journalist attacker matches a product against (ARX's population table): one row per person, each
 * seen as the product would group it. {@link AnonymityCheck} counts its people per class once the classes' form is
 * known (after the generalization search has chosen its levels).
 */
public interface Population {
  /** The table's name, for the report. */
  String table();

  /** The snapshot read, for the report and the lineage. */
  long snapshotId();

  /**
   * Hands each person's quasi-identifier tuple to {@code sink}, as the product would group it: each column's policy
   * applied, generalized to {@code levels} (null: not generalized). The tuple array may be reused between calls.
   */
  void forEach(int[] levels, Consumer<Object[]> sink);
}
