package io.dataops.jobs.flink.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * {@link DuckSemantics} as Flink SQL functions, named {@code dataops_*}: what {@link FlinkSql} calls wherever Flink's
 * own operator would give another value than DuckDB's. Each takes and returns the Java classes Flink uses for the
 * SQL types; the casts take any type ({@link InputGroup#ANY}) and look at the value's class.
 */
public final class FlinkFunctions {
  private FlinkFunctions() {}

  /** Every function by the name the translated SQL calls it by. */
  public static Map<String, Class<? extends UserDefinedFunction>> all() {
    Map<String, Class<? extends UserDefinedFunction>> m = new LinkedHashMap<>();
    m.put("dataops_upper", Upper.class);
    m.put("dataops_lower", Lower.class);
    m.put("dataops_length", Length.class);
    m.put("dataops_trim", Trim.class);
    m.put("dataops_ltrim", LTrim.class);
    m.put("dataops_rtrim", RTrim.class);
    m.put("dataops_substring", Substring.class);
    m.put("dataops_concat", Concat.class);
    m.put("dataops_replace", Replace.class);
    m.put("dataops_like", Like.class);
    m.put("dataops_round", Round.class);
    m.put("dataops_fmod", Fmod.class);
    m.put("dataops_add_int", AddInt.class);
    m.put("dataops_subtract_int", SubtractInt.class);
    m.put("dataops_multiply_int", MultiplyInt.class);
    m.put("dataops_negate_int", NegateInt.class);
    m.put("dataops_abs_int", AbsInt.class);
    m.put("dataops_add_bigint", AddBigint.class);
    m.put("dataops_subtract_bigint", SubtractBigint.class);
    m.put("dataops_multiply_bigint", MultiplyBigint.class);
    m.put("dataops_negate_bigint", NegateBigint.class);
    m.put("dataops_abs_bigint", AbsBigint.class);
    m.put("dataops_to_int", ToInt.class);
    m.put("dataops_to_bigint", ToBigint.class);
    m.put("dataops_to_double", ToDouble.class);
    m.put("dataops_to_decimal_text", ToDecimalText.class);
    m.put("dataops_to_varchar", ToVarchar.class);
    m.put("dataops_to_date", ToDate.class);
    m.put("dataops_to_timestamp", ToTimestamp.class);
    m.put("dataops_to_boolean", ToBoolean.class);
    m.put("dataops_avg_decimal", AvgDecimal.class);
    m.put("dataops_decimal_arithmetic", DecimalArithmetic.class);
    m.put("dataops_sum_exact", SumExact.class);
    m.put("dataops_compare_double", CompareDouble.class);
    m.put("dataops_not_distinct_double", NotDistinctDouble.class);
    m.put("dataops_double_key", DoubleKey.class);
    m.put("dataops_min_double", MinDouble.class);
    m.put("dataops_max_double", MaxDouble.class);
    return m;
  }

  /** Registers every function in a table environment (temporary system functions: found without a catalog). */
  public static void register(TableEnvironment env) {
    all().forEach(env::createTemporarySystemFunction);
  }

  public static final class Upper extends ScalarFunction {
    public String eval(String s) {
      return DuckSemantics.upper(s);
    }
  }

  public static final class Lower extends ScalarFunction {
    public String eval(String s) {
      return DuckSemantics.lower(s);
    }
  }

  public static final class Length extends ScalarFunction {
    public Long eval(String s) {
      return DuckSemantics.length(s);
    }
  }

  /** trim(s): strips Unicode space separators (Zs), as DuckDB; trim(s, chars): exactly the given characters. */
  public static final class Trim extends ScalarFunction {
    public String eval(String s) {
      return DuckSemantics.trim(s, true, true);
    }

    public String eval(String s, String chars) {
      return DuckSemantics.trim(s, chars, true, true);
    }
  }

  public static final class LTrim extends ScalarFunction {
    public String eval(String s) {
      return DuckSemantics.trim(s, true, false);
    }

    public String eval(String s, String chars) {
      return DuckSemantics.trim(s, chars, true, false);
    }
  }

  public static final class RTrim extends ScalarFunction {
    public String eval(String s) {
      return DuckSemantics.trim(s, false, true);
    }

    public String eval(String s, String chars) {
      return DuckSemantics.trim(s, chars, false, true);
    }
  }

  public static final class Substring extends ScalarFunction {
    public String eval(String s, Long start) {
      return DuckSemantics.substring(s, start, null);
    }

    public String eval(String s, Long start, Long length) {
      return length == null ? null : DuckSemantics.substring(s, start, length);
    }
  }

  public static final class Concat extends ScalarFunction {
    public String eval(String... parts) {
      return DuckSemantics.concat(parts);
    }
  }

  public static final class Replace extends ScalarFunction {
    public String eval(String s, String from, String to) {
      return DuckSemantics.replace(s, from, to);
    }
  }

  public static final class Like extends ScalarFunction {
    public Boolean eval(String s, String pattern) {
      return DuckSemantics.like(s, pattern);
    }
  }

  public static final class Round extends ScalarFunction {
    public Double eval(Double x) {
      return DuckSemantics.round(x);
    }

    public Double eval(Double x, Integer n) {
      return DuckSemantics.round(x, n);
    }
  }

  public static final class Fmod extends ScalarFunction {
    public Double eval(Double a, Double b) {
      return DuckSemantics.fmod(a, b);
    }
  }

  public static final class AddInt extends ScalarFunction {
    public Integer eval(Integer a, Integer b) {
      return DuckSemantics.addInt(a, b);
    }
  }

  public static final class SubtractInt extends ScalarFunction {
    public Integer eval(Integer a, Integer b) {
      return DuckSemantics.subtractInt(a, b);
    }
  }

  public static final class MultiplyInt extends ScalarFunction {
    public Integer eval(Integer a, Integer b) {
      return DuckSemantics.multiplyInt(a, b);
    }
  }

  public static final class NegateInt extends ScalarFunction {
    public Integer eval(Integer a) {
      return DuckSemantics.negateInt(a);
    }
  }

  public static final class AbsInt extends ScalarFunction {
    public Integer eval(Integer a) {
      return DuckSemantics.absInt(a);
    }
  }

  public static final class AddBigint extends ScalarFunction {
    public Long eval(Long a, Long b) {
      return DuckSemantics.addBigint(a, b);
    }
  }

  public static final class SubtractBigint extends ScalarFunction {
    public Long eval(Long a, Long b) {
      return DuckSemantics.subtractBigint(a, b);
    }
  }

  public static final class MultiplyBigint extends ScalarFunction {
    public Long eval(Long a, Long b) {
      return DuckSemantics.multiplyBigint(a, b);
    }
  }

  public static final class NegateBigint extends ScalarFunction {
    public Long eval(Long a) {
      return DuckSemantics.negateBigint(a);
    }
  }

  public static final class AbsBigint extends ScalarFunction {
    public Long eval(Long a) {
      return DuckSemantics.absBigint(a);
    }
  }

  public static final class ToInt extends ScalarFunction {
    public Integer eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x) {
      return DuckSemantics.toInt(x);
    }
  }

  public static final class ToBigint extends ScalarFunction {
    public Long eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x) {
      return DuckSemantics.toBigint(x);
    }
  }

  /** CAST(x AS DOUBLE); {@code precision}: the DECIMAL type's, when x is one. */
  public static final class ToDouble extends ScalarFunction {
    public Double eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x, Integer precision) {
      return DuckSemantics.toDouble(x, precision);
    }
  }

  /** CAST(x AS DECIMAL(p, s)) as its exact text; the SQL around it makes it the DECIMAL (exactly, with that scale). */
  public static final class ToDecimalText extends ScalarFunction {
    public String eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x, Integer precision, Integer scale) {
      return DuckSemantics.toDecimalText(x, precision, scale);
    }
  }

  public static final class ToVarchar extends ScalarFunction {
    public String eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x) {
      return DuckSemantics.toVarchar(x);
    }
  }

  public static final class ToDate extends ScalarFunction {
    public LocalDate eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x) {
      return DuckSemantics.toDate(x);
    }
  }

  public static final class ToTimestamp extends ScalarFunction {
    public @DataTypeHint("TIMESTAMP(6)") LocalDateTime eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x) {
      return DuckSemantics.toTimestamp(x);
    }
  }

  public static final class ToBoolean extends ScalarFunction {
    public Boolean eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object x) {
      return DuckSemantics.toBoolean(x);
    }
  }

  /**
   * avg(x) of a DECIMAL of at most 18 digits, finished as DuckDB does ({@link DuckSemantics#avgDecimal}); the sum is
   * exact (128 bits: high and low word), so the order rows are added in does not count.
   */
  public static final class AvgDecimal extends AggregateFunction<Double, AvgDecimal.Sum> {
    /** The running sum of the unscaled values (two's complement over {@code high} and {@code low}) and count. */
    public static final class Sum {
      public long high;
      public long low;
      public long count;
      public int scale = -1;
      public int precision;

      void add(long v) {
        long sum = low + v;
        high += (v >> 63) + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
        low = sum;
      }

      void add(Sum o) {
        long sum = low + o.low;
        high += o.high + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
        low = sum;
        count += o.count;
        if (o.scale >= 0) {
          scale = o.scale;
          precision = o.precision;
        }
      }

      BigInteger value() {
        return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
      }
    }

    @Override
    public Sum createAccumulator() {
      return new Sum();
    }

    public void accumulate(Sum acc, @DataTypeHint(inputGroup = InputGroup.ANY) Object x, Integer precision) {
      if (x == null) {
        return;
      }
      BigDecimal d = (BigDecimal) x;
      acc.scale = d.scale();
      acc.precision = precision;
      acc.add(d.unscaledValue().longValueExact());
      acc.count++;
    }

    public void merge(Sum acc, Iterable<Sum> others) {
      for (Sum o : others) {
        acc.add(o);
      }
    }

    @Override
    public Double getValue(Sum acc) {
      return acc.count == 0 ? null : DuckSemantics.avgDecimal(acc.value(), acc.count, acc.scale, acc.precision);
    }
  }

  /** a + b, a - b or a * b of exact numbers into DECIMAL(p, s), as its exact text; fails on overflow, as DuckDB. */
  public static final class DecimalArithmetic extends ScalarFunction {
    public String eval(String op, @DataTypeHint(inputGroup = InputGroup.ANY) Object a,
        @DataTypeHint(inputGroup = InputGroup.ANY) Object b, Integer precision, Integer scale) {
      return DuckSemantics.decimalArithmetic(op, a, b, precision, scale);
    }
  }

  /**
   * sum(x) of DECIMALs (or integers into a HUGEINT) exactly, as the text of DECIMAL(38, s); fails where DuckDB's
   * 128-bit sum could overflow ({@link DuckSemantics#decimalSum}). The positive and the negative values are summed
   * apart (magnitudes, 128 bits each: high and low word), so the order rows are added in does not count.
   */
  public static final class SumExact extends AggregateFunction<String, SumExact.Sums> {
    public static final class Sums {
      public long posHigh;
      public long posLow;
      public long negHigh;
      public long negLow;
      public long count;
      public boolean overflow;
      public int scale;

      /** Adds a magnitude below 2^127 (high and low word) to the positive or the negative sum. */
      void add(boolean negative, long high, long low) {
        long l = (negative ? negLow : posLow) + low;
        long carry = Long.compareUnsigned(l, negative ? negLow : posLow) < 0 ? 1 : 0;
        long h = (negative ? negHigh : posHigh) + high + carry;
        overflow |= h < 0; // 2^127 or more: out of DuckDB's HUGEINT
        if (negative) {
          negHigh = h;
          negLow = l;
        } else {
          posHigh = h;
          posLow = l;
        }
      }

      static BigInteger magnitude(long high, long low) {
        return new BigInteger(Long.toUnsignedString(high)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(
            low)));
      }

      BigInteger value() {
        return magnitude(posHigh, posLow).subtract(magnitude(negHigh, negLow));
      }
    }

    @Override
    public Sums createAccumulator() {
      return new Sums();
    }

    public void accumulate(Sums acc, @DataTypeHint(inputGroup = InputGroup.ANY) Object x, Integer scale) {
      if (x == null) {
        return;
      }
      acc.scale = scale;
      acc.count++;
      if (x instanceof Integer || x instanceof Long) {
        long v = ((Number) x).longValue();
        acc.add(v < 0, 0, v < 0 ? -v : v); // -Long.MIN_VALUE is 2^63 read unsigned
        return;
      }
      BigInteger v;
      try {
        v = ((BigDecimal) x).setScale(scale, java.math.RoundingMode.UNNECESSARY).unscaledValue();
      } catch (ArithmeticException e) {
        throw new TransformDataException("Conversion Error: a summed value has more places than its DECIMAL");
      }
      BigInteger m = v.abs();
      if (m.bitLength() > 127) {
        acc.overflow = true;
        return;
      }
      acc.add(v.signum() < 0, m.shiftRight(64).longValue(), m.longValue());
    }

    public void merge(Sums acc, Iterable<Sums> others) {
      for (Sums o : others) {
        acc.add(false, o.posHigh, o.posLow);
        acc.add(true, o.negHigh, o.negLow);
        acc.overflow |= o.overflow;
        acc.count += o.count;
        if (o.count > 0) {
          acc.scale = o.scale;
        }
      }
    }

    @Override
    public String getValue(Sums acc) {
      return acc.count == 0 ? null : DuckSemantics.decimalSum(acc.value(), acc.overflow, acc.scale);
    }
  }

  /** DuckDB's comparison of DOUBLEs (NaN equal to itself and above all; -0.0 = 0.0): -1, 0 or 1, NULL with a NULL. */
  public static final class CompareDouble extends ScalarFunction {
    public Integer eval(Double a, Double b) {
      return DuckSemantics.compareDouble(a, b);
    }
  }

  public static final class NotDistinctDouble extends ScalarFunction {
    public Boolean eval(Double a, Double b) {
      return DuckSemantics.notDistinctDouble(a, b);
    }
  }

  /** A DOUBLE as a grouping or DISTINCT key: -0.0 as 0.0, every NaN as one. */
  public static final class DoubleKey extends ScalarFunction {
    public Double eval(Double d) {
      return DuckSemantics.doubleKey(d);
    }
  }

  /** min/max of DOUBLEs in DuckDB's order (NaN the largest; -0.0 and 0.0 one value, given as 0.0 if any was). */
  public abstract static class ExtremeDouble extends AggregateFunction<Double, ExtremeDouble.Extreme> {
    public static final class Extreme {
      public double value;
      public boolean seen;
    }

    private final int sign;

    ExtremeDouble(int sign) {
      this.sign = sign;
    }

    @Override
    public Extreme createAccumulator() {
      return new Extreme();
    }

    public void accumulate(Extreme acc, Double x) {
      if (x != null) {
        take(acc, x);
      }
    }

    private void take(Extreme acc, double x) {
      if (!acc.seen) {
        acc.value = x;
        acc.seen = true;
        return;
      }
      int c = DuckSemantics.compareDoubles(x, acc.value) * sign;
      if (c > 0) {
        acc.value = x;
      } else if (c == 0) {
        acc.value = DuckSemantics.tie(acc.value, x);
      }
    }

    public void merge(Extreme acc, Iterable<Extreme> others) {
      for (Extreme o : others) {
        if (o.seen) {
          take(acc, o.value);
        }
      }
    }

    @Override
    public Double getValue(Extreme acc) {
      return !acc.seen ? null : Double.isNaN(acc.value) ? Double.NaN : acc.value;
    }
  }

  public static final class MinDouble extends ExtremeDouble {
    public MinDouble() {
      super(-1);
    }
  }

  public static final class MaxDouble extends ExtremeDouble {
    public MaxDouble() {
      super(1);
    }
  }
}
