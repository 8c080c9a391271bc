package io.dataops.pipelines.privacy.lattice;

import java.util.ArrayList;
import java.util.List;

/**
 * Administrative division codes (6, 9 or 12 digits) cut to fewer significant digits and padded with zeros to their
 * width: 12 → 9 → 6 (county) → 4 (city) → 2 (province) → *, from where the policy leaves them. A text that is not
 * a division code becomes {@code *} above level 0.
 *
 * @param digits the significant digits at each level below the top, the first being the column's own
 */
public record RegionHierarchy(List<Integer> digits) implements Hierarchy {
  static final List<Integer> LADDER = List.of(12, 9, 6, 4, 2);

  public RegionHierarchy {
    digits = List.copyOf(digits);
    for (int i = 1; i < digits.size(); i++) {
      if (digits.get(i) >= digits.get(i - 1)) {
        throw new IllegalArgumentException("region levels keep fewer digits as they rise");
      }
    }
  }

  /** From codes of {@code significant} digits up (12 for codes as they are). */
  public static RegionHierarchy from(int significant) {
    List<Integer> d = new ArrayList<>();
    d.add(significant);
    LADDER.stream().filter(x -> x < significant).forEach(d::add);
    return new RegionHierarchy(d);
  }

  @Override
  public int height() {
    return digits.size() + 1;
  }

  @Override
  public String coarser(String value, int level) {
    int n = value.length();
    if (n != 6 && n != 9 && n != 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return TOP;
    }
    int keep = Math.min(digits.get(level), n);
    return value.substring(0, keep) + "0".repeat(n - keep);
  }

  @Override
  public String levelName(int level) {
    return level >= height() - 1 ? TOP : digits.get(level) + " digits";
  }
}
