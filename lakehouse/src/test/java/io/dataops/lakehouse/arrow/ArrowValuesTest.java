package io.dataops.lakehouse.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TimeStampSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared conversions on real Arrow vectors, checked against java.time, BigDecimal and Arrow's own getters. */
class ArrowValuesTest {
  private final BufferAllocator allocator = new RootAllocator();
  private final Utf8Scratch text = new Utf8Scratch();

  @AfterEach
  void close() {
    allocator.close(); // fails if a test left a vector's memory behind
  }

  @Test
  void textIsDecodedFromItsUtf8BytesChineseAndLongValuesIncluded() {
    String longText = "浙江省杭州市西湖区文三路".repeat(40); // 1,440 bytes: past the scratch buffer's first size
    String[] values = {"张三", null, "", "ascii", "身份证号 330106199001011234", longText, "é😀"};
    try (VarCharVector v = new VarCharVector("name", allocator)) {
      v.allocateNew(values.length);
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          v.setNull(i);
        } else {
          v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
        }
      }
      v.setValueCount(values.length);
      for (int i = 0; i < values.length; i++) {
        Object value = ArrowValues.value(v, i, ColumnType.of(ValueType.STRING), text);
        assertThat(value).isEqualTo(values[i]);
        if (values[i] != null) {
          byte[] utf8 = values[i].getBytes(StandardCharsets.UTF_8);
          int n = text.read(v, i);
          assertThat(java.util.Arrays.copyOf(text.bytes(), n)).isEqualTo(utf8);
          byte[] into = new byte[utf8.length + 3];
          assertThat(ArrowValues.copyUtf8(v, i, into, 3)).isEqualTo(utf8.length);
          assertThat(java.util.Arrays.copyOfRange(into, 3, into.length)).isEqualTo(utf8);
          if (utf8.length > 0) { // too small a target: the length, nothing copied
            byte[] tooSmall = new byte[utf8.length + 2];
            assertThat(ArrowValues.copyUtf8(v, i, tooSmall, 3)).isEqualTo(utf8.length);
            assertThat(tooSmall).containsOnly((byte) 0);
          }
        }
      }
    }
  }

  /** A whole batch's column at once gives each value's {@link ArrowValues#value}: text with and without nulls. */
  @Test
  void aBatchOfValuesIsWhatValueGivesOneByOne() {
    Random random = new Random(15);
    String[] pieces = {"张三", "", "a", "广东省深圳市福田区华富街道", "é😀", "440304198503071234"};
    int nullsSeen = 0;
    for (boolean withNulls : new boolean[] {false, true}) {
      int rows = 5000; // past the scratch buffer's first size many times over
      try (VarCharVector v = new VarCharVector("t", allocator); DateDayVector d = new DateDayVector("d", allocator)) {
        v.allocateNew(rows);
        d.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (withNulls && random.nextInt(5) == 0) {
            v.setNull(i);
            d.setNull(i);
          } else {
            v.setSafe(i, (pieces[random.nextInt(pieces.length)] + i).getBytes(StandardCharsets.UTF_8));
            d.setSafe(i, random.nextInt(40000) - 20000);
          }
        }
        v.setValueCount(rows);
        d.setValueCount(rows);
        for (int n : new int[] {0, 1, 17, rows}) {
          Object[] texts = new Object[rows];
          Object[] dates = new Object[rows];
          ArrowValues.values(v, n, ColumnType.of(ValueType.STRING), text, texts);
          ArrowValues.values(d, n, ColumnType.of(ValueType.DATE), text, dates);
          for (int i = 0; i < n; i++) {
            assertThat(texts[i]).isEqualTo(ArrowValues.value(v, i, ColumnType.of(ValueType.STRING), new Utf8Scratch()));
            assertThat(dates[i]).isEqualTo(ArrowValues.value(d, i, ColumnType.of(ValueType.DATE), text));
            nullsSeen += texts[i] == null ? 1 : 0;
          }
          assertThat(java.util.Arrays.asList(texts).subList(n, rows)).as("nothing written past the batch")
              .allMatch(java.util.Objects::isNull);
        }
      }
    }
    assertThat(nullsSeen).isPositive();
  }

  @Test
  void wholeNumbersDoublesAndBooleansWithNarrowerVectorsWidened() {
    try (IntVector ints = new IntVector("i", allocator); BigIntVector longs = new BigIntVector("l", allocator);
        SmallIntVector smalls = new SmallIntVector("s", allocator); TinyIntVector tinies = new TinyIntVector("t", allocator);
        Float8Vector doubles = new Float8Vector("d", allocator); Float4Vector floats = new Float4Vector("f", allocator);
        BitVector bits = new BitVector("b", allocator)) {
      ints.allocateNew(2);
      ints.set(0, Integer.MIN_VALUE);
      ints.setNull(1);
      ints.setValueCount(2);
      longs.allocateNew(2);
      longs.set(0, Long.MAX_VALUE);
      longs.setNull(1);
      longs.setValueCount(2);
      smalls.allocateNew(1);
      smalls.set(0, (short) -300);
      smalls.setValueCount(1);
      tinies.allocateNew(1);
      tinies.set(0, (byte) 7);
      tinies.setValueCount(1);
      doubles.allocateNew(2);
      doubles.set(0, -0.1);
      doubles.setNull(1);
      doubles.setValueCount(2);
      floats.allocateNew(1);
      floats.set(0, 1.5f);
      floats.setValueCount(1);
      bits.allocateNew(3);
      bits.set(0, 1);
      bits.set(1, 0);
      bits.setNull(2);
      bits.setValueCount(3);

      assertThat(value(ints, 0, ValueType.INT)).isEqualTo(Integer.MIN_VALUE);
      assertThat(value(ints, 1, ValueType.INT)).isNull();
      assertThat(value(ints, 0, ValueType.LONG)).isEqualTo((long) Integer.MIN_VALUE);
      assertThat(value(longs, 0, ValueType.LONG)).isEqualTo(Long.MAX_VALUE);
      assertThat(value(longs, 1, ValueType.LONG)).isNull();
      assertThat(value(smalls, 0, ValueType.INT)).isEqualTo(-300);
      assertThat(value(tinies, 0, ValueType.LONG)).isEqualTo(7L);
      assertThat(value(doubles, 0, ValueType.DOUBLE)).isEqualTo(-0.1);
      assertThat(value(doubles, 1, ValueType.DOUBLE)).isNull();
      assertThat(value(floats, 0, ValueType.DOUBLE)).isEqualTo(1.5);
      assertThat(value(ints, 0, ValueType.DOUBLE)).isEqualTo((double) Integer.MIN_VALUE);
      assertThat(value(bits, 0, ValueType.BOOLEAN)).isEqualTo(true);
      assertThat(value(bits, 1, ValueType.BOOLEAN)).isEqualTo(false);
      assertThat(value(bits, 2, ValueType.BOOLEAN)).isNull();
      assertThat(value(ints, 0, ValueType.STRING)).isEqualTo(Integer.toString(Integer.MIN_VALUE));
    }
  }

  @Test
  void datesFromEpochDaysBeforeAndAfter1970() {
    LocalDate[] dates = {LocalDate.of(1970, 1, 1), LocalDate.of(1949, 10, 1), LocalDate.of(9999, 12, 31),
        LocalDate.of(1, 1, 1)};
    try (DateDayVector v = new DateDayVector("d", allocator)) {
      v.allocateNew(dates.length + 1);
      for (int i = 0; i < dates.length; i++) {
        v.set(i, (int) dates[i].toEpochDay());
      }
      v.setNull(dates.length);
      v.setValueCount(dates.length + 1);
      for (int i = 0; i < dates.length; i++) {
        assertThat(value(v, i, ValueType.DATE)).isEqualTo(dates[i]);
        assertThat(ArrowValues.date(dates[i].toEpochDay())).isEqualTo(dates[i]);
      }
      assertThat(value(v, dates.length, ValueType.DATE)).isNull();
    }
  }

  @Test
  void timestampsWithAndWithoutZoneInEveryUnit() {
    LocalDateTime[] times = {LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000),
        LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), LocalDateTime.of(1900, 1, 1, 0, 0),
        // past 2262: micros times 1000 no longer fit a long (the quality engine's old conversion overflowed here)
        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)};
    try (TimeStampMicroVector local = new TimeStampMicroVector("t", allocator);
        TimeStampMicroTZVector zoned = new TimeStampMicroTZVector("tz", allocator, "UTC")) {
      local.allocateNew(times.length + 1);
      zoned.allocateNew(times.length + 1);
      for (int i = 0; i < times.length; i++) {
        long micros = micros(times[i]);
        local.set(i, micros);
        zoned.set(i, micros);
        assertThat(ArrowValues.timestamp(micros)).isEqualTo(times[i]);
        assertThat(ArrowValues.timestampTz(micros)).isEqualTo(times[i].atOffset(ZoneOffset.UTC));
      }
      local.setNull(times.length);
      zoned.setNull(times.length);
      local.setValueCount(times.length + 1);
      zoned.setValueCount(times.length + 1);
      for (int i = 0; i < times.length; i++) {
        assertThat(value(local, i, ValueType.TIMESTAMP)).isEqualTo(times[i]);
        Object instant = value(zoned, i, ValueType.TIMESTAMPTZ);
        assertThat(instant).isInstanceOf(OffsetDateTime.class).isEqualTo(OffsetDateTime.of(times[i], ZoneOffset.UTC));
      }
      assertThat(value(local, times.length, ValueType.TIMESTAMP)).isNull();
      assertThat(value(zoned, times.length, ValueType.TIMESTAMPTZ)).isNull();
    }
    // DuckDB's other units: seconds, millis, nanos (floored to the micro, also before 1970)
    LocalDateTime t = LocalDateTime.of(2023, 6, 1, 8, 30, 15);
    long seconds = t.toEpochSecond(ZoneOffset.UTC);
    try (TimeStampSecVector s = new TimeStampSecVector("s", allocator);
        TimeStampMilliVector ms = new TimeStampMilliVector("ms", allocator);
        TimeStampNanoVector ns = new TimeStampNanoVector("ns", allocator)) {
      set(s, seconds);
      set(ms, seconds * 1000 + 250);
      set(ns, -1_500); // 1.5 micros before 1970 floors to 2 micros before
      assertThat(value(s, 0, ValueType.TIMESTAMP)).isEqualTo(t);
      assertThat(value(ms, 0, ValueType.TIMESTAMP)).isEqualTo(t.plusNanos(250_000_000));
      assertThat(ArrowValues.micros(ns, 0)).isEqualTo(-2);
      assertThat(value(ns, 0, ValueType.TIMESTAMP)).isEqualTo(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_998_000));
    }
  }

  @Test
  void decimalsUpToAndBeyondEighteenDigitsAtTheColumnsScale() {
    BigDecimal[] small = {new BigDecimal("12345678901234.5678"), new BigDecimal("-0.0001"), BigDecimal.ZERO.setScale(4),
        new BigDecimal("99999999999999.9999")};
    try (DecimalVector v = new DecimalVector("amount", allocator, 18, 4)) {
      fill(v, small);
      for (int i = 0; i < small.length; i++) {
        assertThat(value(v, i, ValueType.DECIMAL, 18, 4)).isEqualTo(small[i]).isEqualTo(v.getObject(i));
        assertThat(ArrowValues.decimalAsDouble(v, i)).isEqualTo(small[i].doubleValue());
      }
      assertThat(value(v, small.length, ValueType.DECIMAL, 18, 4)).isNull();
      // a wider column scale keeps the value (DuckDB may hand a narrower scale than the column's)
      assertThat(ArrowValues.decimal(v, 1, 6)).isEqualTo(new BigDecimal("-0.000100"));
      assertThatThrownBy(() -> ArrowValues.decimal(v, 1, 2)).isInstanceOf(ArithmeticException.class);
    }
    BigDecimal[] wide = {new BigDecimal("12345678901234567890123456789012.345678"),
        new BigDecimal("-99999999999999999999999999999999.999999"), new BigDecimal("9223372036854775807.000001"),
        new BigDecimal("-9223372036854775808.000000"), new BigDecimal("0.000001"),
        new BigDecimal("9223372036854.775807"), new BigDecimal("-9223372036854.775808")}; // the long range's ends
    try (DecimalVector v = new DecimalVector("wide", allocator, 38, 6)) {
      fill(v, wide);
      for (int i = 0; i < wide.length; i++) {
        assertThat(value(v, i, ValueType.DECIMAL, 38, 6)).isEqualTo(wide[i]).isEqualTo(v.getObject(i));
        assertThat(ArrowValues.decimalAsDouble(v, i)).isEqualTo(wide[i].doubleValue());
      }
    }
  }

  @Test
  void unscaledDecimalsAsDoublesAreWhatBigDecimalGives() {
    Random random = new Random(17);
    for (int k = 0; k < 20_000; k++) {
      long unscaled = switch (k % 3) {
        case 0 -> random.nextLong() >> random.nextInt(64); // every magnitude, past 2^52 too
        case 1 -> random.nextInt(2_000_001) - 1_000_000;
        default -> random.nextLong();
      };
      int scale = random.nextInt(30); // past the exact powers of ten (22) too
      assertThat(ArrowValues.unscaledAsDouble(unscaled, scale)).as("%d scale %d", unscaled, scale)
          .isEqualTo(BigDecimal.valueOf(unscaled, scale).doubleValue());
    }
    assertThat(ArrowValues.unscaledAsDouble(Long.MIN_VALUE, 2)).isEqualTo(BigDecimal.valueOf(Long.MIN_VALUE, 2).doubleValue());
    assertThat(ArrowValues.unscaledAsDouble(-1, 0)).isEqualTo(-1.0);
    assertThat(ArrowValues.unscaledAsDouble((1L << 52) + 1, 3)).isEqualTo(BigDecimal.valueOf((1L << 52) + 1, 3).doubleValue());
  }

  private Object value(FieldVector v, int i, ValueType type) {
    return ArrowValues.value(v, i, ColumnType.of(type), text);
  }

  private Object value(FieldVector v, int i, ValueType type, int precision, int scale) {
    return ArrowValues.value(v, i, new ColumnType(type, precision, scale), text);
  }

  private static long micros(LocalDateTime t) {
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000);
  }

  private static void set(TimeStampVector v, long raw) {
    v.allocateNew(1);
    v.set(0, raw);
    v.setValueCount(1);
  }

  /** The values, then a null. */
  private static void fill(DecimalVector v, BigDecimal[] values) {
    v.allocateNew(values.length + 1);
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i]);
    }
    v.setNull(values.length);
    v.setValueCount(values.length + 1);
  }
}
