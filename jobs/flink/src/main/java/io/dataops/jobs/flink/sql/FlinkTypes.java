package io.dataops.jobs.flink.sql;

import io.dataops.lakehouse.types.ColumnType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;

/** The Flink type that holds the values of a pipeline column type (nullable, as every transform column is). */
public final class FlinkTypes {
  private FlinkTypes() {}

  public static LogicalType of(ColumnType type) {
    return LogicalTypeParser.parse(DType.of(type).flink(), FlinkTypes.class.getClassLoader()).copy(true);
  }
}
