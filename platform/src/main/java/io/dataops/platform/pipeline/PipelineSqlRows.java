package io.dataops.platform.pipeline;

import io.dataops.pipelines.definition.RowsQuery;
import io.dataops.quality.expect.RowsQueryEngine;
import java.nio.file.Path;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Gives quality rules pipelines' SQL engine (found through {@link java.util.ServiceLoader}): GX's
 * unexpected_rows_expectation runs as pipeline SQL does.
 */
public final class PipelineSqlRows implements RowsQueryEngine {
  @Override
  public Rows run(Table table, Snapshot snapshot, Schema schema, String alias, String sql, String source, int line,
      int limit, Path spill) {
    RowsQuery.Rows r = RowsQuery.run(table, snapshot, schema, alias, sql, source, line, limit, spill);
    return new Rows(r.columns(), r.rows(), r.count(), r.carried());
  }
}
