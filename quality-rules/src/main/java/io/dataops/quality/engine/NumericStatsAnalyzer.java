package io.dataops.quality.engine;

/**
 * Count, sum, minimum, maximum, mean and variance of a numeric column's non-null values. Means and squared
 * deviations of two parts combine exactly (Chan et al.), so the state merges without a second pass.
 */
public record NumericStatsAnalyzer(String column) implements ColumnAnalyzer<NumericStatsAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    public long count;
    public double sum;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;
    public double mean;
    public double m2;

    void add(double x) {
      count++;
      sum += x;
      if (x < min) {
        min = x;
      }
      if (x > max) {
        max = x;
      }
      double delta = x - mean;
      if (Double.isInfinite(delta) && Double.isFinite(x)) { // values near Double.MAX_VALUE of both signs
        mean = mean - mean / count + x / count;
        m2 = Double.POSITIVE_INFINITY; // their squared deviations are beyond a double
        return;
      }
      mean += delta / count;
      m2 += delta * (x - mean);
    }

    @Override
    public State merge(State o) {
      if (o.count == 0) {
        return this;
      }
      if (count == 0) {
        count = o.count;
        sum = o.sum;
        min = o.min;
        max = o.max;
        mean = o.mean;
        m2 = o.m2;
        return this;
      }
      long n = count + o.count;
      double delta = o.mean - mean;
      double next = mean + delta * o.count / n;
      // delta * count overflows past Double.MAX_VALUE while the mean itself is finite (found by a probe: one value
      // of 1e308 among 327 made the mean null)
      mean = Double.isFinite(next) || !Double.isFinite(mean) || !Double.isFinite(o.mean) ? next
          : mean * ((double) count / n) + o.mean * ((double) o.count / n);
      m2 = m2 + o.m2 + delta * delta * count * (double) o.count / n;
      count = n;
      sum += o.sum;
      min = Math.min(min, o.min);
      max = Math.max(max, o.max);
      return this;
    }

    /** Population standard deviation (Deequ's StandardDeviation). */
    public double populationStdDev() {
      return count == 0 ? Double.NaN : Math.sqrt(m2 / count);
    }

    /** Sample standard deviation (Great Expectations' stdev, like pandas). */
    public double sampleStdDev() {
      return count < 2 ? Double.NaN : Math.sqrt(m2 / (count - 1));
    }
  }

  @Override
  public String key() {
    return "NumericStats(" + column + ")";
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void add(State state, ColumnView c, int row) {
    state.add(c.getDouble(row));
  }

  @Override
  public String persistKey() {
    return key();
  }

  @Override
  public byte[] save(State s) {
    return StateBytes.longs(s.count, Double.doubleToLongBits(s.sum), Double.doubleToLongBits(s.min),
        Double.doubleToLongBits(s.max), Double.doubleToLongBits(s.mean), Double.doubleToLongBits(s.m2));
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    long[] v = StateBytes.read(bytes);
    State s = new State();
    s.count = v[0];
    s.sum = Double.longBitsToDouble(v[1]);
    s.min = Double.longBitsToDouble(v[2]);
    s.max = Double.longBitsToDouble(v[3]);
    s.mean = Double.longBitsToDouble(v[4]);
    s.m2 = Double.longBitsToDouble(v[5]);
    return s;
  }
}
