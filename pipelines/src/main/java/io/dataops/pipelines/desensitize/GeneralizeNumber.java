package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A number replaced by its bucket: either fixed {@code width} ("[3000,4000)") or explicit ascending
 * {@code boundaries} ("<0", "[0,3000)", ..., ">=20000"). Labels are plain text so they sort and read the same in any
 * engine.
 */
public record GeneralizeNumber(BigDecimal width, List<BigDecimal> boundaries) implements ColumnPolicy {
  public GeneralizeNumber {
    if ((width == null) == (boundaries == null || boundaries.isEmpty())) {
      throw new PolicyException("number buckets need either a width or a list of boundaries");
    }
    if (width != null && width.signum() <= 0) {
      throw new PolicyException("bucket width must be positive");
    }
    if (boundaries != null) {
      boundaries = List.copyOf(boundaries);
      for (int i = 1; i < boundaries.size(); i++) {
        if (boundaries.get(i).compareTo(boundaries.get(i - 1)) <= 0) {
          throw new PolicyException("bucket boundaries must be strictly ascending");
        }
      }
    }
  }

  @Override
  public String kind() {
    return "generalize";
  }

  @Override
  public String describe() {
    return width != null ? "generalize to buckets of " + width.toPlainString()
        : "generalize to buckets " + boundaries.stream().map(BigDecimal::toPlainString).toList();
  }

  @Override
  public ValueType outputType(ValueType input) {
    if (!input.isNumeric()) {
      throw new PolicyException("number buckets apply to numeric columns, not " + input.spelling());
    }
    return ValueType.STRING;
  }

  @Override
  public List<String> retains() {
    return List.of("bucket");
  }

  @Override
  public Object apply(Object value) {
    if (value == null) {
      return null;
    }
    BigDecimal v = value instanceof BigDecimal b ? b : value instanceof Double d ? BigDecimal.valueOf(d)
        : BigDecimal.valueOf(((Number) value).longValue());
    if (width != null) {
      BigDecimal low = v.divide(width, 0, RoundingMode.FLOOR).multiply(width);
      return "[" + low.stripTrailingZeros().toPlainString() + "," + low.add(width).stripTrailingZeros().toPlainString()
          + ")";
    }
    if (v.compareTo(boundaries.get(0)) < 0) {
      return "<" + boundaries.get(0).toPlainString();
    }
    for (int i = 1; i < boundaries.size(); i++) {
      if (v.compareTo(boundaries.get(i)) < 0) {
        return "[" + boundaries.get(i - 1).toPlainString() + "," + boundaries.get(i).toPlainString() + ")";
      }
    }
    return ">=" + boundaries.get(boundaries.size() - 1).toPlainString();
  }
}
