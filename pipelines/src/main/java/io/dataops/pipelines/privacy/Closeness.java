package io.dataops.pipelines.privacy;

import io.dataops.lakehouse.types.ValueType;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * t-closeness (Li, Li and Venkatasubramanian, ICDE 2007, as ARX implements it): in every kept equivalence class the
 * distribution of the sensitive column lies within earth mover's distance {@code t} of its distribution over the whole
 * table (the rows the privacy check sees). Equal distance treats the values as categories (half the L1 distance);
 * ordered distance moves mass along the values' order (numbers and dates), normalized by the distinct values − 1.
 * Null sensitive values are in no distribution.
 */
public record Closeness(String column, double t, Distance distance) implements Serializable {
  /** The key of a null sensitive value (never the key of a value). */
  public static final long NONE = Long.MIN_VALUE;

  /** ARX's ground distances: every two values 1 apart, or the distance of their ranks / (values − 1). */
  public enum Distance {
    EQUAL, ORDERED;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Distance of(String word) {
      for (Distance d : values()) {
        if (d.word().equals(word)) {
          return d;
        }
      }
      throw new IllegalArgumentException("distance is equal (categories) or ordered (numbers, dates), not '" + word
          + "'");
    }
  }

  /**
   * What the check found: the highest distance of a kept class (0 when none is kept), and the classes suppressed
   * because theirs was above t.
   */
  public record Result(String column, String distance, double t, double maxDistance, long classesAbove) {}

  public Closeness {
    if (!(t > 0 && t <= 1)) {
      throw new IllegalArgumentException("t is above 0 and at most 1 (an earth mover's distance), not " + t);
    }
  }

  /**
   * The key a sensitive value is counted under ({@link #NONE} for null): equal distance, a 64-bit hash of its text
   * (odd, so never {@code NONE}); ordered distance, the value as a long whose signed order is the values' order.
   *
   * @throws IllegalArgumentException for ordered distance, a value that is neither a number nor a date (no value in
   *     the message)
   */
  public long key(Object value) {
    if (value == null) {
      return NONE;
    }
    if (distance == Distance.EQUAL) {
      return new ValueKey().add(ValueType.text(value)).hash().h1 | 1;
    }
    return orderKey(value);
  }

  private long orderKey(Object value) {
    double d;
    if (value instanceof java.time.LocalDate x) {
      d = x.toEpochDay();
    } else if (value instanceof java.time.LocalDateTime x) {
      d = x.toEpochSecond(java.time.ZoneOffset.UTC);
    } else if (value instanceof java.time.OffsetDateTime x) {
      d = x.toEpochSecond();
    } else if (value instanceof java.time.Instant x) {
      d = x.getEpochSecond();
    } else if (value instanceof Number n) {
      d = n.doubleValue();
    } else {
      try {
        d = new BigDecimal(ValueType.text(value).strip()).doubleValue();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("t-closeness with ordered distance orders numbers and dates: column '"
            + column + "' holds a value that is neither (use distance: equal)");
      }
    }
    return ordered(d);
  }

  /** A double as a long in the same order (IEEE bits with the negatives flipped); -0.0 as 0.0, never {@link #NONE}. */
  static long ordered(double d) {
    long bits = Double.doubleToLongBits(d + 0.0);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }
}
