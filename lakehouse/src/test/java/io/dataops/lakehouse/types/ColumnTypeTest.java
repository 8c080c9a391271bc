package io.dataops.lakehouse.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {

  @Test
  void everyValueTypeHasOneIcebergTypeAndComesBackFromIt() {
    Arrays.stream(ValueType.values())
        .map(t -> t == ValueType.DECIMAL ? ColumnType.decimal(12, 2) : ColumnType.of(t))
        .forEach(c -> assertThat(ColumnType.fromIceberg(c.toIceberg())).as(c.toString()).isEqualTo(c));
    // landed timestamps are local civil time; a product's timestamptz is an instant
    assertThat(ColumnType.of(ValueType.TIMESTAMP).toIceberg()).isEqualTo(Types.TimestampType.withoutZone());
    assertThat(ColumnType.of(ValueType.TIMESTAMPTZ).toIceberg()).isEqualTo(Types.TimestampType.withZone());
    assertThat(ColumnType.decimal(38, 0).toIceberg()).isEqualTo(Types.DecimalType.of(38, 0));
  }

  @Test
  void icebergTypesWeDoNotHoldMapToNullAndFloatWidens() {
    assertThat(ColumnType.fromIceberg(Types.FloatType.get())).isEqualTo(ColumnType.of(ValueType.DOUBLE));
    assertThat(ColumnType.fromIceberg(Types.UUIDType.get())).isNull();
    assertThat(ColumnType.fromIceberg(Types.BinaryType.get())).isNull();
    assertThat(ColumnType.fromIceberg(Types.ListType.ofOptional(1, Types.StringType.get()))).isNull();
  }

  @Test
  void spellingsAndDecimalLimits() {
    assertThat(ColumnType.decimal(12, 2)).hasToString("decimal(12,2)");
    assertThat(ColumnType.of(ValueType.TIMESTAMPTZ)).hasToString("timestamptz");
    assertThat(ColumnType.decimal(12, 2).sql()).isEqualTo("DECIMAL(12,2)");
    assertThat(ColumnType.of(ValueType.TIMESTAMPTZ).sql()).isEqualTo("TIMESTAMP WITH TIME ZONE");
    assertThatThrownBy(() -> ColumnType.decimal(39, 2))
        .hasMessage("decimal(39,2) needs 1 <= precision <= 38 and 0 <= scale <= precision");
  }
}
