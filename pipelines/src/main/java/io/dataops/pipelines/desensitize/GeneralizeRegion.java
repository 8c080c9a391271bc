package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.util.List;
import java.util.Locale;

/**
 * An administrative division code (GB/T 2260 six digits, or the 9 and 12-digit statistical codes) cut to a coarser
 * level and padded with zeros to its width: 440304 at city level is 440300, 440304008 at county level 440304000.
 */
public record GeneralizeRegion(Level level) implements ColumnPolicy {
  public enum Level {
    PROVINCE(2), CITY(4), COUNTY(6), TOWNSHIP(9);

    final int digits;

    Level(int digits) {
      this.digits = digits;
    }

    public String spelling() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Level parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("district")) {
        return COUNTY;
      }
      if (t.equals("street")) {
        return TOWNSHIP;
      }
      for (Level l : values()) {
        if (l.spelling().equals(t)) {
          return l;
        }
      }
      throw new PolicyException("unknown region level '" + text + "' (expected province, city, county or township)");
    }
  }

  @Override
  public String kind() {
    return "generalize";
  }

  @Override
  public String describe() {
    return "generalize region code to " + level.spelling();
  }

  @Override
  public ValueType outputType(ValueType input) {
    if (input != ValueType.STRING) {
      throw new PolicyException("region generalization applies to string code columns, not " + input.spelling());
    }
    return ValueType.STRING;
  }

  @Override
  public List<String> retains() {
    return List.of("region at " + level.spelling() + " level");
  }

  @Override
  public Object apply(Object value) {
    if (value == null) {
      return null;
    }
    String v = (String) value;
    int n = v.length();
    if (n != 6 && n != 9 && n != 12) {
      throw new UnfitValueException("not a 6, 9 or 12-digit division code");
    }
    for (int i = 0; i < n; i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        throw new UnfitValueException("a division code has digits only");
      }
    }
    int keep = Math.min(level.digits, n);
    return v.substring(0, keep) + "0".repeat(n - keep);
  }
}
