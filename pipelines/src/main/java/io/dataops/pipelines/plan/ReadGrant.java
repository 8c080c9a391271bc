package io.dataops.pipelines.plan;

import java.util.List;
import java.util.Objects;

/**
 * What the grant covering a run lets it read of one ods table: the columns its reader may project and the rows, a
 * filter the reader applies itself (defence in depth: the pipeline's own filter is never trusted to do it). The
 * platform resolves it from the governance module's grants before any engine is picked; the run plan carries it to
 * every engine.
 *
 * @param rowFilter a SQL boolean expression over the table's columns, in the subset pipelines use (null: all rows)
 */
public record ReadGrant(long grantId, String table, List<String> columns, String rowFilter) {
  public ReadGrant {
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
  }
}
