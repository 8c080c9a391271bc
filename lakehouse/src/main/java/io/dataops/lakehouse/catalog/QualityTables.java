package io.dataops.lakehouse.catalog;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Tables of the quality zone that modules other than the quality engine name: a product's destruction removes the
 * failing rows its version's quality gate recorded, so products and quality-rules share this name from below both.
 */
public final class QualityTables {
  /** Every failing row of every quality run: run, table, snapshot, rule, row key, feed, row number, value. */
  public static final TableIdentifier ROW_FAILURES = TableIdentifier.of(Zone.QUALITY.namespaceName(), "row_failures");

  private QualityTables() {}
}
