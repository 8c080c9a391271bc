package io.dataops.jobs.flink.run;

import io.dataops.lakehouse.types.ColumnType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

/**
 * Values between Flink's classes and the pipeline's ({@link io.dataops.lakehouse.types.ValueType}): the classes the
 * Spring Batch engine hands the same row function and checks, so both give the same product, the same classes and
 * the same leak check — a TIMESTAMP WITH TIME ZONE as an {@link OffsetDateTime} at UTC, a DECIMAL at its type's scale.
 */
final class FlinkValues {
  private FlinkValues() {}

  /** A transform row (Flink's external classes) as the pipeline's values, at {@code targets} of a row of {@code width}. */
  static Object[] fromRow(Row row, List<ColumnType> types, int[] targets, int width) {
    Object[] out = new Object[width];
    for (int i = 0; i < targets.length; i++) {
      out[targets[i]] = value(row.getField(i), types.get(targets[i]));
    }
    return out;
  }

  static Object value(Object v, ColumnType type) {
    if (v == null) {
      return null;
    }
    if (v instanceof Instant instant) {
      return instant.atOffset(ZoneOffset.UTC);
    }
    if (v instanceof BigDecimal d) {
      return d.setScale(type.scale(), RoundingMode.UNNECESSARY);
    }
    return v;
  }

  /** Field {@code i} of a raw input row (Flink's internal classes) as the pipeline's value. */
  static Object internal(RowData row, int i, LogicalType type) {
    if (row.isNullAt(i)) {
      return null;
    }
    return switch (type.getTypeRoot()) {
      case CHAR, VARCHAR -> row.getString(i).toString();
      case INTEGER -> row.getInt(i);
      case BIGINT -> row.getLong(i);
      case DOUBLE -> row.getDouble(i);
      case FLOAT -> (double) row.getFloat(i);
      case DECIMAL -> {
        DecimalType d = (DecimalType) type;
        yield row.getDecimal(i, d.getPrecision(), d.getScale()).toBigDecimal();
      }
      case DATE -> LocalDate.ofEpochDay(row.getInt(i));
      case TIMESTAMP_WITHOUT_TIME_ZONE -> row.getTimestamp(i, 6).toLocalDateTime();
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> row.getTimestamp(i, 6).toInstant().atOffset(ZoneOffset.UTC);
      case BOOLEAN -> row.getBoolean(i);
      default -> throw new IllegalArgumentException("a column of type " + type + " is not carried by pipelines");
    };
  }

  /** A product row (the pipeline's values, in product column order) as a row of {@code type}, fields by position. */
  static RowData toRowData(Object[] product, int[] positions, RowType type) {
    GenericRowData out = new GenericRowData(type.getFieldCount());
    for (int i = 0; i < product.length; i++) {
      int at = positions[i];
      out.setField(at, internal(product[i], type.getTypeAt(at)));
    }
    return out;
  }

  private static Object internal(Object v, LogicalType type) {
    if (v == null) {
      return null;
    }
    return switch (type.getTypeRoot()) {
      case CHAR, VARCHAR -> StringData.fromString(v.toString());
      case INTEGER -> ((Number) v).intValue();
      case BIGINT -> ((Number) v).longValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case DECIMAL -> {
        DecimalType d = (DecimalType) type;
        yield DecimalData.fromBigDecimal((BigDecimal) v, d.getPrecision(), d.getScale());
      }
      case DATE -> (int) ((LocalDate) v).toEpochDay();
      case TIMESTAMP_WITHOUT_TIME_ZONE -> TimestampData.fromLocalDateTime((LocalDateTime) v);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> TimestampData.fromInstant(((OffsetDateTime) v).toInstant());
      case BOOLEAN -> v;
      default -> throw new IllegalArgumentException("a product column of type " + type + " is not written");
    };
  }
}
