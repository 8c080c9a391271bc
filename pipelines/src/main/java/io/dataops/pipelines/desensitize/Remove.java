package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;

/** The column is left out of the product altogether. */
public record Remove() implements ColumnPolicy {
  @Override
  public String kind() {
    return "remove";
  }

  @Override
  public String describe() {
    return "remove";
  }

  @Override
  public ValueType outputType(ValueType input) {
    return input;
  }

  @Override
  public Object apply(Object value) {
    return null;
  }

  @Override
  public boolean keepsColumn() {
    return false;
  }
}
