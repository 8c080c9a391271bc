package io.dataops.quality.engine;

import java.nio.file.Path;

/**
 * What a scan thread gives its analyzers: where failing rows go, where to spill, how much memory each spilling
 * analyzer may hold, and how to show a value of a column without revealing personal data.
 */
public interface ScanContext {
  FailureSink failures();

  Path spillDirectory();

  long spillBudgetBytes();

  /** The memory every value-keeping state of the run shares (one pool for all threads and analyzers). */
  ValueMemory valueMemory();

  /** The value as it may appear in reports: masked when the column holds personal data. */
  String display(String column, String value);

  /** Encodes and decodes where rows came from (for failing rows found after the scan). */
  RowLocator rowLocator();
}
