package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.util.List;

/** An address cut to its administrative prefix: "广东省深圳市福田区华富街道莲花一村12栋" at street level is "广东省深圳市福田区华富街道". */
public record GeneralizeAddress(Mask.AddressLevel level) implements ColumnPolicy {
  @Override
  public String kind() {
    return "generalize";
  }

  @Override
  public String describe() {
    return "generalize address to " + level.spelling();
  }

  @Override
  public ValueType outputType(ValueType input) {
    if (input != ValueType.STRING) {
      throw new PolicyException("address generalization applies to string columns, not " + input.spelling());
    }
    return ValueType.STRING;
  }

  @Override
  public List<String> retains() {
    return List.of("address down to the " + level.spelling());
  }

  @Override
  public Object apply(Object value) {
    if (value == null) {
      return null;
    }
    String v = (String) value;
    int end = AddressParts.endOf(v, level);
    if (end <= 0) {
      throw new UnfitValueException("no administrative division recognised in the address");
    }
    return v.substring(0, end);
  }
}
