package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * A date or timestamp coarsened to its year (an int), its month ("yyyy-MM") or an age band ("30-39") as of a fixed
 * date. The reference date is part of the policy (the pipeline's {@code asOf}, else the day of the pinned input
 * snapshot), never the clock: a re-run gives the same bands. Timestamps are read in China Standard Time.
 */
public record GeneralizeDate(Unit unit, int width, LocalDate asOf) implements ColumnPolicy {
  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  public enum Unit {
    YEAR, MONTH, AGE_BAND;

    public String spelling() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Unit parse(String text) {
      for (Unit u : values()) {
        if (u.spelling().equals(text.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
          return u;
        }
      }
      throw new PolicyException("unknown date generalization '" + text + "' (expected year, month or age_band)");
    }
  }

  public GeneralizeDate {
    if (unit == Unit.AGE_BAND) {
      if (width < 1 || width > 50) {
        throw new PolicyException("an age band is 1 to 50 years wide, not " + width);
      }
      if (asOf == null) {
        throw new PolicyException("an age band needs the date ages are counted at (asOf)");
      }
    }
  }

  @Override
  public String kind() {
    return "generalize";
  }

  @Override
  public String describe() {
    return switch (unit) {
      case YEAR -> "generalize to year";
      case MONTH -> "generalize to month";
      case AGE_BAND -> "generalize to " + width + "-year age band as of " + asOf;
    };
  }

  @Override
  public ValueType outputType(ValueType input) {
    if (!input.isTemporal()) {
      throw new PolicyException("date generalization applies to date and timestamp columns, not " + input.spelling());
    }
    return unit == Unit.YEAR ? ValueType.INT : ValueType.STRING;
  }

  @Override
  public List<String> retains() {
    return List.of(switch (unit) {
      case YEAR -> "year";
      case MONTH -> "year and month";
      case AGE_BAND -> width + "-year age band";
    });
  }

  @Override
  public Object apply(Object value) {
    if (value == null) {
      return null;
    }
    LocalDate d;
    if (value instanceof LocalDate x) {
      d = x;
    } else if (value instanceof LocalDateTime x) {
      d = x.toLocalDate();
    } else if (value instanceof OffsetDateTime x) {
      d = x.atZoneSameInstant(CHINA).toLocalDate();
    } else {
      throw new UnfitValueException("not a date");
    }
    return switch (unit) {
      case YEAR -> year(d.getYear());
      case MONTH -> String.format("%04d-%02d", d.getYear(), d.getMonthValue());
      case AGE_BAND -> {
        int age = d.isAfter(asOf) ? -1 : Period.between(d, asOf).getYears();
        if (age < 0) {
          throw new UnfitValueException("a date after the reference date has no age");
        }
        int low = age / width * width;
        yield width == 1 ? String.valueOf(low) : low + "-" + (low + width - 1);
      }
    };
  }

  /** Years 1800-2199 boxed once: Integer caches only -128..127, and a birth year is boxed for every row. */
  private static final Integer[] YEARS = java.util.stream.IntStream.range(1800, 2200).boxed().toArray(Integer[]::new);

  private static Integer year(int y) {
    return y >= 1800 && y < 2200 ? YEARS[y - 1800] : Integer.valueOf(y);
  }
}
