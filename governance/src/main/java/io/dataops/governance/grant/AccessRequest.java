package io.dataops.governance.grant;

import io.dataops.core.audit.Actor;
import java.util.List;
import java.util.Objects;

/**
 * What a run (or a check of a pipeline) wants to read under a scenario: each table with every column its reader
 * projects — whether the SQL uses it or not.
 *
 * @param scenario the pipeline's scenario, as the grant names it
 * @param caller who runs it; the grant must be held by the caller's organization
 * @param owner the organization the pipeline names as its owner (null: the caller's)
 * @param product the product the run makes (null: not checked against the grant's products)
 * @param purpose what asks, for the audit trail: {@code pipeline run}, {@code pipeline validate}
 * @param subject what is checked, for the audit trail: {@code pipeline:enterprise-employment}
 */
public record AccessRequest(String scenario, Actor caller, String owner, String product, List<TableRead> tables,
    String purpose, String subject) {
  public AccessRequest {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(caller, "caller");
    tables = List.copyOf(tables);
  }

  /** One table and the columns read from it. */
  public record TableRead(String table, List<String> columns) {
    public TableRead {
      columns = List.copyOf(columns);
    }
  }
}
