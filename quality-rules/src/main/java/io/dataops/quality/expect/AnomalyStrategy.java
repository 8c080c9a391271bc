package io.dataops.quality.expect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deequ's anomaly detection strategies, comparing a run's metric with the same metric in earlier runs:
 * relative rate of change and absolute change against the previous run, and an online-normal bound from the mean
 * and standard deviation of the history.
 */
sealed interface AnomalyStrategy {

  /** The verdict and what it was based on. */
  record Verdict(boolean anomalous, Map<String, Object> details) {}

  Verdict judge(double current, List<MetricHistory.Point> history);

  /** {@code current / previous} outside [maxRateDecrease, maxRateIncrease] is an anomaly. */
  record RelativeRateOfChange(Double maxRateDecrease, Double maxRateIncrease) implements AnomalyStrategy {
    @Override
    public Verdict judge(double current, List<MetricHistory.Point> history) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("strategy", "relative_rate_of_change");
      if (history.isEmpty()) {
        d.put("note", "no earlier run to compare with");
        return new Verdict(false, d);
      }
      double previous = history.get(history.size() - 1).value();
      d.put("previous_value", previous);
      d.put("previous_run", history.get(history.size() - 1).runId());
      if (previous == 0) {
        d.put("note", "the previous value is 0: no rate of change");
        return new Verdict(false, d);
      }
      double rate = current / previous;
      d.put("rate_of_change", rate);
      boolean anomalous = (maxRateDecrease != null && rate < maxRateDecrease)
          || (maxRateIncrease != null && rate > maxRateIncrease);
      return new Verdict(anomalous, d);
    }
  }

  /** {@code current - previous} below {@code -maxDecrease} or above {@code maxIncrease} is an anomaly. */
  record AbsoluteChange(Double maxDecrease, Double maxIncrease) implements AnomalyStrategy {
    @Override
    public Verdict judge(double current, List<MetricHistory.Point> history) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("strategy", "absolute_change");
      if (history.isEmpty()) {
        d.put("note", "no earlier run to compare with");
        return new Verdict(false, d);
      }
      double previous = history.get(history.size() - 1).value();
      double change = current - previous;
      d.put("previous_value", previous);
      d.put("previous_run", history.get(history.size() - 1).runId());
      d.put("change", change);
      boolean anomalous = (maxDecrease != null && change < -maxDecrease) || (maxIncrease != null && change > maxIncrease);
      return new Verdict(anomalous, d);
    }
  }

  /**
   * Outside mean ± factor × standard deviation of the history (the first {@code ignoreStartPercentage} of the
   * history left out, as a warm-up) is an anomaly; needs at least three earlier values.
   */
  record OnlineNormal(double lowerFactor, double upperFactor, double ignoreStartPercentage) implements AnomalyStrategy {
    @Override
    public Verdict judge(double current, List<MetricHistory.Point> history) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("strategy", "online_normal");
      int skip = (int) Math.floor(history.size() * ignoreStartPercentage);
      List<MetricHistory.Point> used = history.subList(skip, history.size());
      d.put("history_points", used.size());
      if (used.size() < 3) {
        d.put("note", "fewer than 3 earlier values: not enough history");
        return new Verdict(false, d);
      }
      double mean = 0;
      for (MetricHistory.Point p : used) {
        mean += p.value();
      }
      mean /= used.size();
      double ss = 0;
      for (MetricHistory.Point p : used) {
        ss += (p.value() - mean) * (p.value() - mean);
      }
      double std = Math.sqrt(ss / (used.size() - 1));
      double lower = mean - lowerFactor * std;
      double upper = mean + upperFactor * std;
      d.put("mean", mean);
      d.put("stdev", std);
      d.put("lower_bound", lower);
      d.put("upper_bound", upper);
      return new Verdict(current < lower || current > upper, d);
    }
  }
}
