package io.dataops.pipelines.privacy.lattice;

import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.desensitize.GeneralizeAddress;
import io.dataops.pipelines.desensitize.GeneralizeDate;
import io.dataops.pipelines.desensitize.GeneralizeNumber;
import io.dataops.pipelines.desensitize.GeneralizeRegion;
import io.dataops.pipelines.desensitize.Keep;
import io.dataops.pipelines.desensitize.Mask;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hierarchy of a quasi-identifier: the one the pipeline declares ({@code privacy.hierarchies}), else the one its
 * policy or type implies. Declared hierarchies apply to the value the policy leaves and must nest with it (bands that
 * are multiples of the policy's bucket width). A column with no better hierarchy is kept or hidden whole
 * ({@link TopHierarchy}).
 */
public final class Hierarchies {
  private Hierarchies() {}

  /**
   * A hierarchy as written in a pipeline file: {@code kind} is region, date, top, bands, prefix or tree, {@code arg}
   * its value (a list of numbers, a mapping) or null.
   */
  public record Spec(String column, String kind, Object arg, int line) implements java.io.Serializable {}

  /**
   * The hierarchy of a column with {@code policy} over values of {@code input} type (the transform's type).
   *
   * @param declared the pipeline's declaration, or null
   * @throws IllegalArgumentException when the declaration does not fit the column, with the reason
   */
  public static Hierarchy of(Spec declared, ColumnPolicy policy, ValueType input) {
    return declared != null ? declared(declared, policy, input) : derived(policy, input);
  }

  static Hierarchy derived(ColumnPolicy policy, ValueType input) {
    if (policy instanceof GeneralizeDate d) {
      return switch (d.unit()) {
        case MONTH -> new DateHierarchy(DateHierarchy.MONTH);
        case YEAR -> new DateHierarchy(DateHierarchy.YEAR);
        case AGE_BAND -> BandHierarchy.doubling(BigDecimal.valueOf(d.width()), null, bandSteps(d.width(), 60), true);
      };
    }
    if (policy instanceof GeneralizeNumber n) {
      return n.width() != null ? BandHierarchy.doubling(n.width(), null, 4, false) : new TopHierarchy();
    }
    if (policy instanceof GeneralizeRegion r) {
      return RegionHierarchy.from(regionDigits(r));
    }
    if (policy instanceof GeneralizeAddress a) {
      return AddressHierarchy.from(a.level());
    }
    if (policy instanceof Mask m) {
      return switch (m.type()) {
        case ADDRESS -> AddressHierarchy.from(m.level());
        case NAME, EMAIL -> new TopHierarchy();
        default -> m.keepFirst() + m.keepLast() == 0 ? new TopHierarchy()
            : MaskHierarchy.fromMask(m.keepFirst(), m.keepLast(), m.maskChar());
      };
    }
    if (policy instanceof Keep) {
      if (input.isTemporal()) {
        return new DateHierarchy(DateHierarchy.DAY);
      }
      if (input == ValueType.INT || input == ValueType.LONG) {
        return BandHierarchy.doubling(null, BigDecimal.valueOf(5), 4, false);
      }
    }
    return new TopHierarchy();
  }

  private static int bandSteps(int width, int widest) {
    int steps = 0;
    for (int w = width * 2; w <= widest; w *= 2) {
      steps++;
    }
    return steps;
  }

  private static int regionDigits(GeneralizeRegion r) {
    return switch (r.level()) {
      case PROVINCE -> 2;
      case CITY -> 4;
      case COUNTY -> 6;
      case TOWNSHIP -> 9;
    };
  }

  private static Hierarchy declared(Spec s, ColumnPolicy policy, ValueType input) {
    switch (s.kind()) {
      case "top" -> {
        return new TopHierarchy();
      }
      case "region" -> {
        if (policy instanceof GeneralizeRegion r) {
          return RegionHierarchy.from(regionDigits(r));
        }
        if (!(policy instanceof Keep) || input != ValueType.STRING) {
          throw new IllegalArgumentException("a region hierarchy needs division codes: a string column kept as it "
              + "is or generalized to a region");
        }
        return RegionHierarchy.from(12);
      }
      case "date" -> {
        Hierarchy h = derived(policy, input);
        if (!(h instanceof DateHierarchy)) {
          throw new IllegalArgumentException("a date hierarchy needs a date column kept as it is or generalized to "
              + "month or year");
        }
        return h;
      }
      case "bands" -> {
        List<BigDecimal> widths = new ArrayList<>();
        BigDecimal base = null;
        boolean age = false;
        if (policy instanceof GeneralizeNumber n && n.width() != null) {
          base = n.width();
        } else if (policy instanceof GeneralizeDate d && d.unit() == GeneralizeDate.Unit.AGE_BAND) {
          base = BigDecimal.valueOf(d.width());
          age = true;
        } else if (!(policy instanceof Keep) || !input.isNumeric()) {
          throw new IllegalArgumentException("bands need a number kept as it is, buckets of a width or age bands");
        }
        widths.add(base);
        for (Object w : (List<?>) s.arg()) {
          widths.add(new BigDecimal(String.valueOf(w)));
        }
        return new BandHierarchy(widths, age);
      }
      case "prefix" -> {
        if (policy.outputType(input) != ValueType.STRING) {
          throw new IllegalArgumentException("a prefix hierarchy needs a text column");
        }
        return new PrefixHierarchy(((List<?>) s.arg()).stream().map(x -> Integer.parseInt(String.valueOf(x)))
            .toList());
      }
      case "tree" -> {
        return TreeHierarchy.parse((Map<?, ?>) s.arg());
      }
      default -> throw new IllegalArgumentException("unknown hierarchy '" + s.kind() + "'");
    }
  }
}
