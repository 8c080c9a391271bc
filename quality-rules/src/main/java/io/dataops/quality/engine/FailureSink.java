package io.dataops.quality.engine;

/** Receives every failing row: which expectation, which row, why, and the value as it may be shown. */
public interface FailureSink {
  void fail(int expectation, String rowKey, String feedId, long rowNumber, String reason, String shownValue);
}
