package io.dataops.lakehouse.catalog;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Tables of the quality zone that modules other than the quality engine name: a product's destruction removes the
 * failing rows, the metrics and the analyzer states quality runs recorded on its version's snapshot, so products and quality-rules share
 * these names from below both.
 */
public final class QualityTables {
  /** Every failing row of every quality run: run, table, snapshot, rule, row key, feed, row number, value. */
  public static final TableIdentifier ROW_FAILURES = TableIdentifier.of(Zone.QUALITY.namespaceName(), "row_failures");

  /** Every quality run's metrics (sizes, completeness, means, quantiles... of the columns): run, table, snapshot. */
  public static final TableIdentifier METRICS = TableIdentifier.of(Zone.QUALITY.namespaceName(), "metrics");

  /** Analyzer states of single-feed runs (sketches, value sets: values of the table), by run, table and snapshot. */
  public static final TableIdentifier ANALYZER_STATES = TableIdentifier.of(Zone.QUALITY.namespaceName(),
      "analyzer_states");

  private QualityTables() {}
}
