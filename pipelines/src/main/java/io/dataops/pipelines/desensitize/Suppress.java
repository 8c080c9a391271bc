package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;

/** The column stays (the product's shape is kept) but every value is null. */
public record Suppress() implements ColumnPolicy {
  @Override
  public String kind() {
    return "suppress";
  }

  @Override
  public String describe() {
    return "suppress";
  }

  @Override
  public ValueType outputType(ValueType input) {
    return input;
  }

  @Override
  public Object apply(Object value) {
    return null;
  }
}
