package io.dataops.quality.expect;

import java.util.List;

/**
 * GX's {@code result_format}: how much a result says. BOOLEAN_ONLY: nothing but success; BASIC (the default): counts,
 * percents and the first {@code partial_unexpected_count} unexpected values; SUMMARY: also their counts and where
 * they are; COMPLETE: every unexpected value and where it is (here the earliest {@value #COMPLETE_LIMIT}, so memory
 * stays bounded; every failing row is in {@code quality.row_failures} anyway).
 */
record ResultFormat(Level level, int partialCount, boolean includeUnexpectedRows, boolean excludeUnexpectedValues,
                    List<String> indexColumns) {
  static final int COMPLETE_LIMIT = 100_000;
  static final ResultFormat BASIC = new ResultFormat(Level.BASIC, 20, false, false, null);

  enum Level { BOOLEAN_ONLY, BASIC, SUMMARY, COMPLETE }

  /** How many of the earliest failing rows the analyzers must keep. */
  int samplesNeeded() {
    return switch (level) {
      case BOOLEAN_ONLY -> 0;
      case COMPLETE -> Math.max(COMPLETE_LIMIT, partialCount);
      default -> partialCount;
    };
  }

  boolean atLeast(Level l) {
    return level.compareTo(l) >= 0;
  }
}
