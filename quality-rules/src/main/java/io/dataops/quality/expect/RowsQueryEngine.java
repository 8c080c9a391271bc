package io.dataops.quality.expect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Runs the SQL of GX's unexpected_rows_expectation on the engine and under the restrictions of pipeline SQL. Pipelines
 * sit below this module, so the engine is found at run time ({@link java.util.ServiceLoader}): the platform provides
 * it; without one the expectation is refused.
 */
public interface RowsQueryEngine {
  /**
   * The rows {@code sql} gives over the table at {@code snapshot}, the table named {@code alias}; at most
   * {@code limit} kept. Refuses a query outside the pipeline subset with a {@code SourceLineException} at its line.
   */
  Rows run(Table table, Snapshot snapshot, Schema schema, String alias, String sql, String source, int line, int limit,
      Path spill);

  /** Output columns, the first rows, how many in all, and per output column the table columns it carries. */
  record Rows(List<String> columns, List<List<Object>> rows, long count, Map<String, List<String>> carried) {}
}
