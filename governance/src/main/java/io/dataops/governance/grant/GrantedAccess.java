package io.dataops.governance.grant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a live grant allows a run: per table, the granted columns and the row filter its reader must apply itself
 * (defence in depth: the pipeline's own filter is never trusted to do it).
 */
public record GrantedAccess(long grantId, String scenario, String operator, Instant expiresAt,
    Map<String, TableGrant> tables) {
  public GrantedAccess {
    tables = Map.copyOf(tables);
  }

  /**
   * @param rowFilter a SQL boolean expression over the table's columns (the applicant's and the department's, both),
   *     or null for all rows
   */
  public record TableGrant(String table, List<String> columns, String rowFilter) {
    public TableGrant {
      columns = List.copyOf(columns);
    }
  }

  /** The row filter of a table the grant covers (null: all rows). */
  public String rowFilter(String table) {
    TableGrant t = tables.get(table);
    if (t == null) {
      throw new IllegalArgumentException("grant " + grantId + " does not cover " + table);
    }
    return t.rowFilter();
  }
}
