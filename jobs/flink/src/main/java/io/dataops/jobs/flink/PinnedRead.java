package io.dataops.jobs.flink;

import io.dataops.core.BadInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * A read of one lakehouse table exactly as it was at one snapshot, of only the named columns (in that order), of the
 * rows {@code filter} may keep (pushed down to Iceberg's reader; {@code alwaysTrue()} for all rows).
 */
public record PinnedRead(String table, long snapshotId, List<String> columns, Expression filter) {
  public PinnedRead(String table, long snapshotId, List<String> columns) {
    this(table, snapshotId, columns, Expressions.alwaysTrue());
  }

  public PinnedRead {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(filter, "filter");
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new BadInputException("a read of " + table + " must name at least one column");
    }
    if (new HashSet<>(columns).size() != columns.size()) {
      throw new BadInputException("a read of " + table + " names a column twice: " + columns);
    }
  }
}
