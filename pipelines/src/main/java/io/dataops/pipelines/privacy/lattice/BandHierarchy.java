package io.dataops.pipelines.privacy.lattice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers in bands of growing width, each width a multiple of the one below so that bands nest. Level 0 is the
 * value as the policy leaves it: an exact number ({@code widths[0]} null), a bucket "[3000,4000)" or an age band
 * "30-39"; level i (1 ≤ i < top) is the band of width {@code widths[i]} holding the band's lower end, written in the
 * style of level 0 ("[0,20000)" or "20-39"). A level-0 text that holds no number ("<0", ">=20000") becomes {@code *}
 * above level 0.
 *
 * @param ageStyle bands written "low-high" (age bands, whole numbers), else "[low,high)"
 */
public record BandHierarchy(List<BigDecimal> widths, boolean ageStyle) implements Hierarchy {
  public BandHierarchy {
    widths = new ArrayList<>(widths); // nulls allowed at 0: List.copyOf refuses them
    for (int i = 1; i < widths.size(); i++) {
      BigDecimal w = widths.get(i);
      BigDecimal below = widths.get(i - 1);
      if (w == null || w.signum() <= 0) {
        throw new IllegalArgumentException("band widths must be positive");
      }
      if (below != null && (w.compareTo(below) <= 0 || w.remainder(below).signum() != 0)) {
        throw new IllegalArgumentException("each band width must be a larger multiple of the one below (" + w
            .toPlainString() + " after " + below.toPlainString() + "), so that bands nest");
      }
    }
    widths = java.util.Collections.unmodifiableList(widths);
  }

  /** Bands doubling {@code times} times from {@code base} (null: exact values, then {@code first}). */
  public static BandHierarchy doubling(BigDecimal base, BigDecimal first, int times, boolean ageStyle) {
    List<BigDecimal> w = new ArrayList<>();
    w.add(base);
    BigDecimal next = base == null ? first : base.add(base);
    for (int i = 0; i < times; i++) {
      w.add(next);
      next = next.add(next);
    }
    return new BandHierarchy(w, ageStyle);
  }

  @Override
  public int height() {
    return widths.size() + 1;
  }

  @Override
  public String coarser(String value, int level) {
    BigDecimal low = lowEnd(value);
    if (low == null) {
      return TOP;
    }
    BigDecimal w = widths.get(level);
    BigDecimal from = low.divide(w, 0, RoundingMode.FLOOR).multiply(w);
    if (ageStyle) {
      return from.stripTrailingZeros().toPlainString() + "-" + from.add(w).subtract(BigDecimal.ONE)
          .stripTrailingZeros().toPlainString();
    }
    return "[" + from.stripTrailingZeros().toPlainString() + "," + from.add(w).stripTrailingZeros().toPlainString()
        + ")";
  }

  private static BigDecimal lowEnd(String v) {
    try {
      if (v.startsWith("[")) {
        return new BigDecimal(v.substring(1, v.indexOf(',')));
      }
      int dash = v.indexOf('-', 1);
      return new BigDecimal(dash > 0 ? v.substring(0, dash) : v);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public String levelName(int level) {
    if (level >= height() - 1) {
      return TOP;
    }
    BigDecimal w = widths.get(level);
    return w == null ? "value" : "width " + w.stripTrailingZeros().toPlainString();
  }
}
