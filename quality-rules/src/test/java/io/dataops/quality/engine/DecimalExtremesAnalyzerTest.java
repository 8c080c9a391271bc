package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalExtremesAnalyzerTest {
  /** Decimals as a column reads them: each with its correctly rounded double. */
  static ColumnView column(String... values) {
    return new ColumnView() {
      @Override
      public Kind kind() {
        return Kind.DECIMAL;
      }

      @Override
      public boolean isNull(int row) {
        return false;
      }

      @Override
      public long getLong(int row) {
        throw new UnsupportedOperationException();
      }

      @Override
      public double getDouble(int row) {
        return getDecimal(row).doubleValue();
      }

      @Override
      public BigDecimal getDecimal(int row) {
        return new BigDecimal(values[row]);
      }

      @Override
      public String getString(int row) {
        return values[row];
      }

      @Override
      public void appendKey(int row, KeyBuffer out) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void extremesAreExactWhereValuesShareADouble() {
    DecimalExtremesAnalyzer a = new DecimalExtremesAnalyzer("w");
    ColumnView c = column("9007199254740993", "9007199254740992", "9007199254740994", "9007199254740993");
    DecimalExtremesAnalyzer.State s = a.newState(null);
    for (int i = 0; i < 4; i++) {
      a.add(s, c, i);
    }
    assertThat(s.min).isEqualByComparingTo("9007199254740992");
    assertThat(s.max).isEqualByComparingTo("9007199254740994");
  }

  @Test
  void mergedPartsKeepTheExactExtremes() {
    DecimalExtremesAnalyzer a = new DecimalExtremesAnalyzer("w");
    DecimalExtremesAnalyzer.State left = a.newState(null);
    DecimalExtremesAnalyzer.State right = a.newState(null);
    DecimalExtremesAnalyzer.State none = a.newState(null);
    ColumnView c = column("9007199254740992", "9007199254740993", "0.10", "0.1000000000000000055511151231257827");
    a.add(left, c, 0);
    a.add(left, c, 2);
    a.add(right, c, 1);
    a.add(right, c, 3);
    left.merge(none).merge(right);
    assertThat(left.min.toString()).isEqualTo("0.10");
    assertThat(left.max).isEqualByComparingTo("9007199254740993");
    assertThat(none.merge(left).min.toString()).isEqualTo("0.10");
    // Then a value sharing the extreme's double, after a merge.
    a.add(left, column("9007199254740994"), 0);
    assertThat(left.max).isEqualByComparingTo("9007199254740994");
  }
}
