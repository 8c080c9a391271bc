package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;

/** The value as it is; only for columns that carry no personal data. */
public record Keep() implements ColumnPolicy {
  @Override
  public String kind() {
    return "keep";
  }

  @Override
  public String describe() {
    return "keep";
  }

  @Override
  public ValueType outputType(ValueType input) {
    return input;
  }

  @Override
  public Object apply(Object value) {
    return value;
  }

  @Override
  public Clear keptInClear() {
    return null;
  }

  @Override
  public boolean passesRawValues() {
    return true;
  }
}
