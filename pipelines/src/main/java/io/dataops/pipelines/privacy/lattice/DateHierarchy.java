package io.dataops.pipelines.privacy.lattice;

import java.util.List;

/**
 * Dates coarsened along day → month → quarter → year → 5 years → decade → *, starting where the policy leaves them
 * (a kept date at day, {@code generalize: month} at month, {@code generalize: year} at year). Level-0 texts are ISO
 * dates ("2024-03-05", a timestamp's first ten characters), months ("2024-03") or years ("2024"); a text of another
 * shape becomes {@code *} above level 0.
 */
public record DateHierarchy(int start) implements Hierarchy {
  /** The units, finest first. */
  static final List<String> UNITS = List.of("day", "month", "quarter", "year", "5 years", "decade");
  public static final int DAY = 0;
  public static final int MONTH = 1;
  public static final int YEAR = 3;

  public DateHierarchy {
    if (start < DAY || start > YEAR) {
      throw new IllegalArgumentException("a date hierarchy starts at day, month or year");
    }
  }

  @Override
  public int height() {
    return UNITS.size() - start + 1;
  }

  @Override
  public String coarser(String value, int level) {
    int unit = start + level;
    int year;
    int month = 0;
    try {
      year = Integer.parseInt(value.substring(0, 4));
      if (start < YEAR) {
        month = Integer.parseInt(value.substring(5, 7));
      }
    } catch (RuntimeException e) {
      return TOP;
    }
    return switch (unit) {
      case 1 -> String.format("%04d-%02d", year, month);
      case 2 -> String.format("%04d-Q%d", year, (month - 1) / 3 + 1);
      case 3 -> String.format("%04d", year);
      case 4 -> Math.floorDiv(year, 5) * 5 + "-" + (Math.floorDiv(year, 5) * 5 + 4);
      case 5 -> Math.floorDiv(year, 10) * 10 + "-" + (Math.floorDiv(year, 10) * 10 + 9);
      default -> TOP;
    };
  }

  @Override
  public String levelName(int level) {
    return level >= height() - 1 ? TOP : UNITS.get(start + level);
  }
}
