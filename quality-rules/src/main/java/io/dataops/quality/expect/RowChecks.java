package io.dataops.quality.expect;

import io.dataops.quality.engine.Batch;
import io.dataops.quality.engine.BoundedRegex;
import io.dataops.quality.engine.ColumnView;
import io.dataops.quality.engine.FastPattern;
import io.dataops.quality.engine.KeyBuffer;
import io.dataops.quality.engine.PythonRegex;
import io.dataops.quality.engine.RowCheck;
import io.dataops.quality.engine.RowPredicate;
import io.dataops.quality.engine.ScanContext;
import io.dataops.quality.engine.TextOrder;
import io.dataops.quality.engine.ValueGroupsAnalyzer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/** The row conditions of the map expectations. */
final class RowChecks {
  private RowChecks() {}

  /** A condition on one column's non-null values; nulls are missing (not considered). */
  abstract static class ValueCheck implements RowCheck {
    final String column;

    ValueCheck(String column) {
      this.column = column;
    }

    @Override
    public int check(Batch batch, int row) {
      ColumnView c = batch.column(column);
      if (c.isNull(row)) {
        return MISSING;
      }
      return test(c, row) ? OK : UNEXPECTED;
    }

    @Override
    public void checkAll(Batch batch, int n, byte[] verdicts) {
      ColumnView c = batch.column(column);
      for (int i = 0; i < n; i++) {
        verdicts[i] = (byte) (c.isNull(i) ? MISSING : test(c, i) ? OK : UNEXPECTED);
      }
    }

    abstract boolean test(ColumnView c, int row);

    @Override
    public String shownValue(Batch batch, int row, ScanContext context) {
      ColumnView c = batch.column(column);
      return c.isNull(row) ? null : context.display(column, c.getString(row));
    }
  }

  /** A condition whose reason depends on the value: the problem text, or null when the value passes. */
  static RowCheck problems(String column, Function<String, String> problem) {
    return new ValueCheck(column) {
      @Override
      boolean test(ColumnView c, int row) {
        return problem.apply(c.getString(row)) == null;
      }

      @Override
      public String reason(Batch batch, int row) {
        String p = problem.apply(batch.column(column).getString(row));
        return p == null ? "the value passes" : p;
      }
    };
  }

  static RowCheck simple(String column, String reason, RowPredicate ok) {
    return new ValueCheck(column) {
      @Override
      boolean test(ColumnView c, int row) {
        return ok.test(c, row);
      }

      @Override
      public String reason(Batch batch, int row) {
        return reason;
      }
    };
  }

  static RowCheck notNull(String column) {
    return new RowCheck() {
      @Override
      public int check(Batch batch, int row) {
        return batch.column(column).isNull(row) ? UNEXPECTED : OK;
      }

      @Override
      public void checkAll(Batch batch, int n, byte[] verdicts) {
        ColumnView c = batch.column(column);
        for (int i = 0; i < n; i++) {
          verdicts[i] = (byte) (c.isNull(i) ? UNEXPECTED : OK);
        }
      }

      @Override
      public boolean readsOnlyNulls() {
        return true;
      }

      @Override
      public String reason(Batch batch, int row) {
        return "the value is missing";
      }

      @Override
      public String shownValue(Batch batch, int row, ScanContext context) {
        return null;
      }
    };
  }

  static RowCheck isNull(String column) {
    return new RowCheck() {
      @Override
      public int check(Batch batch, int row) {
        return batch.column(column).isNull(row) ? OK : UNEXPECTED;
      }

      @Override
      public String reason(Batch batch, int row) {
        return "a value is present where none is expected";
      }

      @Override
      public String shownValue(Batch batch, int row, ScanContext context) {
        return context.display(column, batch.column(column).getString(row));
      }
    };
  }

  static RowCheck regex(String column, PythonRegex pattern, boolean mustMatch, boolean text) {
    String reason = mustMatch ? "does not match the pattern " + pattern.python()
        : "matches the pattern " + pattern.python() + ", which it must not";
    // Great Expectations searches (Python re.search): the pattern may match anywhere unless anchored.
    BoundedRegex bounded = new BoundedRegex(pattern.pattern(), pattern.python());
    FastPattern fast = text ? FastPattern.compile(pattern.python()) : null;
    if (fast != null) {
      return new ValueCheck(column) {
        @Override
        public void checkAll(Batch batch, int n, byte[] verdicts) {
          ColumnView c = batch.column(column);
          KeyBuffer buf = new KeyBuffer(); // one per batch: the check is shared by the scan's threads
          for (int i = 0; i < n; i++) {
            verdicts[i] = (byte) (c.isNull(i) ? MISSING : matches(c, i, buf) ? OK : UNEXPECTED);
          }
        }

        @Override
        boolean test(ColumnView c, int row) {
          return matches(c, row, new KeyBuffer());
        }

        private boolean matches(ColumnView c, int row, KeyBuffer buf) {
          buf.clear();
          c.appendKey(row, buf); // a text column's key is its UTF-8 bytes
          int m = fast.match(buf.array(), 0, buf.length());
          // Non-ASCII digits where the pattern has \d: Python's \d is Unicode, so the regex decides.
          boolean found = m == FastPattern.UNDECIDED ? bounded.find(c.getString(row)) : m == FastPattern.YES;
          return found == mustMatch;
        }

        @Override
        public String reason(Batch batch, int row) {
          return reason;
        }
      };
    }
    return simple(column, reason, (c, r) -> bounded.find(pythonText(c, r)) == mustMatch);
  }

  /**
   * A value as GX's {@code column.astype(str)} writes it for a regex: Python's {@code str()}, so a boolean is
   * {@code True}/{@code False}, a float its repr ({@code 1e+16}, {@code 1e-05}) and a decimal its str at the column's
   * scale ({@code 0E-8}, {@code 1.0E-7}); other kinds as they read. A decimal(p,s) column read into pandas (pyarrow's
   * to_pandas) holds decimal.Decimal objects at exponent -s, 0.10 in decimal(10,2) being Decimal('0.10') (Arrow
   * writes the unscaled value at the column's scale and Decimal keeps that exponent), as getDecimal reads it.
   */
  static String pythonText(ColumnView c, int row) {
    return switch (c.kind()) {
      case BOOLEAN -> Boolean.parseBoolean(c.getString(row)) ? "True" : "False";
      case DOUBLE -> PythonRegex.floatText(c.getDouble(row));
      case DECIMAL -> PythonNumbers.decimalText(c.getDecimal(row));
      default -> c.getString(row);
    };
  }

  /**
   * Membership in a value set, without a boxed number or a decoded string per value: numbers by binary search over
   * the sorted set (the order of {@link Double#compare}, so -0.0 and 0.0 differ and NaN is found as
   * {@code HashSet<Double>} would), text columns by their UTF-8 bytes in a table of the set's bytes. Other columns
   * (dates compared with ISO strings, say), and a set holding U+FFFD (which a column's invalid UTF-8 decodes to),
   * compare decoded strings. A decimal column's value is in the set when it equals a member exactly
   * ({@code decimals}, sorted): looked for there only when its double is a member's double, as equal values round
   * to equal doubles.
   */
  static RowCheck inSet(String column, String reason, boolean numeric, double[] numbers, long[] longs,
      BigDecimal[] decimals, java.util.Set<String> texts, boolean mustBeIn) {
    long[] sortedLongs = longs == null ? null : longs.clone();
    if (sortedLongs != null) {
      java.util.Arrays.sort(sortedLongs);
    }
    double[] sorted = numbers.clone();
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = sorted[i] == 0.0 ? 0.0 : sorted[i]; // Python's -0.0 in [0.0] is True: one zero (found by a probe)
    }
    java.util.Arrays.sort(sorted);
    Utf8Set bytes = texts.stream().anyMatch(t -> t.indexOf('\uFFFD') >= 0) ? null : new Utf8Set(texts);
    return new ValueCheck(column) {
      @Override
      public void checkAll(Batch batch, int n, byte[] verdicts) {
        ColumnView c = batch.column(column);
        if (numeric || bytes == null || c.kind() != ColumnView.Kind.STRING) {
          super.checkAll(batch, n, verdicts);
          return;
        }
        KeyBuffer buf = new KeyBuffer(); // one per batch: the check is shared by the scan's threads
        for (int i = 0; i < n; i++) {
          if (c.isNull(i)) {
            verdicts[i] = MISSING;
            continue;
          }
          buf.clear();
          c.appendKey(i, buf); // a text column's key is its UTF-8 bytes
          verdicts[i] = (byte) (bytes.contains(buf.array(), buf.length()) == mustBeIn ? OK : UNEXPECTED);
        }
      }

      @Override
      boolean test(ColumnView c, int row) {
        return (sortedLongs != null ? java.util.Arrays.binarySearch(sortedLongs, c.getLong(row)) >= 0 // exactly
            : decimals != null ? java.util.Arrays.binarySearch(sorted, c.getDouble(row)) >= 0
                && java.util.Arrays.binarySearch(decimals, c.getDecimal(row)) >= 0
            : numeric ? java.util.Arrays.binarySearch(sorted, c.getDouble(row) + 0.0) >= 0 // -0.0 + 0.0 is 0.0
            : texts.contains(c.getString(row))) == mustBeIn;
      }

      @Override
      public String reason(Batch batch, int row) {
        return reason;
      }
    };
  }

  /** A fixed set of strings looked up by UTF-8 bytes: open addressing, one probe sequence per lookup, no allocation. */
  static final class Utf8Set {
    private final byte[][] slots;
    private final int mask;

    Utf8Set(java.util.Collection<String> values) {
      int size = Integer.highestOneBit(Math.max(4, values.size() * 4 - 1)) << 1;
      slots = new byte[size][];
      mask = size - 1;
      for (String v : values) {
        byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!contains(b, b.length)) {
          int i = hash(b, b.length) & mask;
          while (slots[i] != null) {
            i = (i + 1) & mask;
          }
          slots[i] = b;
        }
      }
    }

    boolean contains(byte[] key, int length) {
      for (int i = hash(key, length) & mask; slots[i] != null; i = (i + 1) & mask) {
        byte[] s = slots[i];
        if (s.length == length && java.util.Arrays.equals(s, 0, length, key, 0, length)) {
          return true;
        }
      }
      return false;
    }

    private static int hash(byte[] b, int length) {
      int h = length;
      for (int i = 0; i < length; i++) {
        h = 31 * h + b[i];
      }
      return h ^ (h >>> 16);
    }
  }

  static RowCheck strftime(String column, StrftimeFormat format, String strftime) {
    return simple(column, "is not a date/time in the format " + strftime, (c, r) -> format.matches(c.getString(r)));
  }

  /**
   * Lengths against the bounds as given, as GX's pandas compares them: a length is a whole number, so a fractional
   * bound is the whole number inside it, and one past every possible length is no bound (cut to an int, 2^31 was a
   * negative maximum and 4294967298 an equality with 2).
   */
  static RowCheck lengths(String column, BigDecimal min, BigDecimal max) {
    // As written (toString): a plain 1e-999999999 would be a billion zeros.
    String reason = "its length is outside " + (min == null ? "" : min) + ".." + (max == null ? "" : max);
    long lo = min == null ? 0 : wholeLength(min, RoundingMode.CEILING);
    long hi = max == null ? Integer.MAX_VALUE : wholeLength(max, RoundingMode.FLOOR);
    return simple(column, reason, (c, r) -> {
      String s = pythonText(c, r); // GX's column.astype(str): a number or boolean as Python writes it
      int len = s.codePointCount(0, s.length());
      return len >= lo && len <= hi;
    });
  }

  /** Lengths are 0..Integer.MAX_VALUE: a bound beyond them decides as the nearest whole number just outside. */
  private static final BigDecimal BELOW_ANY_LENGTH = BigDecimal.valueOf(-1);
  private static final BigDecimal ABOVE_ANY_LENGTH = BigDecimal.valueOf(Integer.MAX_VALUE + 1L);

  private static long wholeLength(BigDecimal bound, RoundingMode inward) {
    BigDecimal b = bound.max(BELOW_ANY_LENGTH).min(ABOVE_ANY_LENGTH);
    if (b.abs().compareTo(BigDecimal.ONE) < 0) {
      // By its sign alone: rounding 1e-999999999 would first compute ten to its scale.
      return inward == RoundingMode.CEILING ? Math.max(b.signum(), 0) : Math.min(b.signum(), 0);
    }
    return b.setScale(0, inward).longValueExact();
  }

  static RowCheck prcIdCard(String column, LocalDate today) {
    return problems(column, v -> PrcRules.idCardProblem(v, today));
  }

  static RowCheck creditCode(String column) {
    return problems(column, PrcRules::creditCodeProblem);
  }

  static RowCheck mobile(String column) {
    return problems(column, PrcRules::mobileProblem);
  }

  /**
   * Two columns compared row by row; {@code ignore}: both_values_are_missing, either_value_is_missing, neither. A
   * NaN is missing, as in GX's pandas: its {@code dropna} leaves the row out for {@code ignore_row_if}, and a NaN
   * left in compares False with everything (NaN > 1, NaN == NaN), so the row fails as with a null.
   */
  static RowCheck pair(String a, String b, String ignore, String reason, java.util.function.IntPredicate accept,
      boolean numeric) {
    return new RowCheck() {
      @Override
      public int check(Batch batch, int row) {
        ColumnView ca = batch.column(a);
        ColumnView cb = batch.column(b);
        boolean na = missing(ca, row);
        boolean nb = missing(cb, row);
        if ((na && nb && !ignore.equals("neither")) || ((na || nb) && ignore.equals("either_value_is_missing"))) {
          return MISSING;
        }
        if (na || nb) {
          return UNEXPECTED; // a comparison with a missing value fails, as in pandas
        }
        int cmp = numeric ? compareNumbers(ca, cb, row) : TextOrder.compare(ca.getString(row), cb.getString(row));
        return accept.test(cmp) ? OK : UNEXPECTED;
      }

      @Override
      public String reason(Batch batch, int row) {
        ColumnView ca = batch.column(a);
        ColumnView cb = batch.column(b);
        return missing(ca, row) || missing(cb, row) ? "one of " + a + ", " + b + " is missing" : reason;
      }

      @Override
      public String shownValue(Batch batch, int row, ScanContext context) {
        ColumnView ca = batch.column(a);
        ColumnView cb = batch.column(b);
        return "(" + (ca.isNull(row) ? "null" : context.display(a, ca.getString(row))) + ", "
            + (cb.isNull(row) ? "null" : context.display(b, cb.getString(row))) + ")";
      }
    };
  }

  /** Null, or a floating column's NaN (which pandas takes as missing). */
  private static boolean missing(ColumnView c, int row) {
    return c.isNull(row) || c.kind() == ColumnView.Kind.DOUBLE && Double.isNaN(c.getDouble(row));
  }

  /**
   * Two numeric values (no NaN) as Python compares them: whole numbers as longs, a whole number with a float by the
   * float's exact value (through doubles, longs past 2^53 compared as their neighbours), a decimal (a Decimal object
   * in pandas) with anything exactly (Decimal('0.10') < 0.1); otherwise as doubles, -0.0 equal to 0.0.
   */
  static int compareNumbers(ColumnView a, ColumnView b, int row) {
    if (a.kind() == ColumnView.Kind.DECIMAL || b.kind() == ColumnView.Kind.DECIMAL) {
      double x = a.getDouble(row);
      double y = b.getDouble(row);
      // Each double correctly rounded, so in the values' order where they differ; a tie is read exactly.
      return x != y ? Double.compare(x, y) : exactValue(a, row).compareTo(exactValue(b, row));
    }
    boolean wa = isWhole(a.kind());
    boolean wb = isWhole(b.kind());
    if (wa && wb) {
      return Long.compare(a.getLong(row), b.getLong(row));
    }
    if (wa && b.kind() == ColumnView.Kind.DOUBLE) {
      return PythonNumbers.compare(a.getLong(row), b.getDouble(row));
    }
    if (wb && a.kind() == ColumnView.Kind.DOUBLE) {
      return -PythonNumbers.compare(b.getLong(row), a.getDouble(row));
    }
    double x = a.getDouble(row);
    double y = b.getDouble(row);
    return x < y ? -1 : x > y ? 1 : 0; // not Double.compare, which puts -0.0 below 0.0
  }

  /** A finite value exactly: a double's binary value (a double view's getDecimal is its shortest text). */
  private static BigDecimal exactValue(ColumnView c, int row) {
    return c.kind() == ColumnView.Kind.DOUBLE ? new BigDecimal(c.getDouble(row)) : c.getDecimal(row);
  }

  private static boolean isWhole(ColumnView.Kind k) {
    return k == ColumnView.Kind.LONG || k == ColumnView.Kind.INT;
  }

  /**
   * The columns' values add up to {@code total} ({@code exact}: in decimal, else in double, left to right), missing
   * values counting as 0; rows left out by {@code ignore}.
   */
  static RowCheck sum(List<String> columns, BigDecimal total, boolean exact, ValueGroupsAnalyzer.Ignore ignore) {
    double totalDouble = total.doubleValue();
    // compared exactly, a whole total is shown as itself (its double, past 2^53, is another number)
    Object shownTotal = exact && total.stripTrailingZeros().scale() <= 0 ? total.toBigIntegerExact()
        : Results.number(totalDouble);
    return new RowCheck() {
      @Override
      public int check(Batch batch, int row) {
        int nulls = 0;
        for (String c : columns) {
          nulls += batch.column(c).isNull(row) ? 1 : 0;
        }
        if (ignore.ignores(nulls, columns.size())) {
          return MISSING;
        }
        if (exact) {
          BigDecimal s = BigDecimal.ZERO;
          for (String c : columns) {
            ColumnView v = batch.column(c);
            s = v.isNull(row) ? s : s.add(v.getDecimal(row));
          }
          return s.compareTo(total) == 0 ? OK : UNEXPECTED;
        }
        double s = 0;
        for (String c : columns) {
          ColumnView v = batch.column(c);
          s += v.isNull(row) ? 0 : v.getDouble(row);
        }
        return s == totalDouble ? OK : UNEXPECTED;
      }

      @Override
      public String reason(Batch batch, int row) {
        return "the sum of " + String.join(", ", columns) + " is not " + shownTotal;
      }

      @Override
      public String shownValue(Batch batch, int row, ScanContext context) {
        StringBuilder sb = new StringBuilder("(");
        for (String c : columns) {
          ColumnView v = batch.column(c);
          sb.append(sb.length() > 1 ? ", " : "").append(v.isNull(row) ? "null" : context.display(c, v.getString(row)));
        }
        return sb.append(')').toString();
      }
    };
  }
}
