package io.dataops.quality.engine;

/**
 * Exact minimum, maximum and sum of an int or long column, as pandas keeps them (int64): through a double, values
 * past 2^53 came out as their neighbours (found by a probe: a max of 123456789012345678 showed 1.2345678901234568e+17).
 * The sum is exact past the long range too (pandas' int64 sum would wrap around there).
 */
public record WholeStatsAnalyzer(String column) implements ColumnAnalyzer<WholeStatsAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    public long count;
    public long min = Long.MAX_VALUE;
    public long max = Long.MIN_VALUE;
    /** The sum in 128 bits (high word signed, low word unsigned): exact, and the same in any merge order. */
    public long sumHigh;
    public long sumLow;

    void add(long x) {
      count++;
      min = Math.min(min, x);
      max = Math.max(max, x);
      addToSum(x >> 63, x);
    }

    private void addToSum(long high, long low) {
      long s = sumLow + low;
      sumHigh += high + (Long.compareUnsigned(s, sumLow) < 0 ? 1 : 0);
      sumLow = s;
    }

    /** The exact sum. */
    public java.math.BigInteger sum() {
      return java.math.BigInteger.valueOf(sumHigh).shiftLeft(64)
          .add(new java.math.BigInteger(Long.toUnsignedString(sumLow)));
    }

    @Override
    public State merge(State o) {
      count += o.count;
      min = Math.min(min, o.min);
      max = Math.max(max, o.max);
      addToSum(o.sumHigh, o.sumLow);
      return this;
    }
  }

  @Override
  public String key() {
    return "WholeStats(" + column + ")";
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void add(State state, ColumnView c, int row) {
    state.add(c.getLong(row));
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true;
  }

  @Override
  public String persistKey() {
    return key();
  }

  @Override
  public byte[] save(State s) {
    return StateBytes.longs(s.count, s.min, s.max, s.sumHigh, s.sumLow);
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    long[] v = StateBytes.read(bytes);
    State s = new State();
    s.count = v[0];
    s.min = v[1];
    s.max = v[2];
    s.sumHigh = v[3];
    s.sumLow = v[4];
    return s;
  }
}
