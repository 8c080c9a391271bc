package io.dataops.products.seal;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code dataops product verify} found: files whose digest or size differs from the record, recorded files that
 * are gone, and files present that were never recorded. Names are the files' names inside the table's folder; those
 * of the archive copy start with {@code archive/}.
 *
 * @param merkleRoot the root recomputed from the recorded files' digests (null when nothing was recomputed)
 */
public record VerifyReport(boolean ok, List<String> changed, List<String> missing, List<String> added, int checked,
    String merkleRoot) {

  public VerifyReport {
    changed = List.copyOf(changed);
    missing = List.copyOf(missing);
    added = List.copyOf(added);
  }

  /** Both reports in one (the warehouse and the archive copy). */
  public VerifyReport and(VerifyReport other) {
    List<String> c = new ArrayList<>(changed);
    c.addAll(other.changed);
    List<String> m = new ArrayList<>(missing);
    m.addAll(other.missing);
    List<String> a = new ArrayList<>(added);
    a.addAll(other.added);
    return new VerifyReport(ok && other.ok, c, m, a, checked + other.checked, merkleRoot);
  }
}
