package io.dataops.jobs.flink.sql;

import java.io.Serializable;
import java.util.List;
import org.apache.iceberg.expressions.Expression;

/**
 * A pipeline's transform as Flink SQL: a view per input (its pinned read, typed as the pipeline binds it, its filter
 * applied) and the query over the views, whose columns are the pipeline's transform columns in order, typed as the
 * pipeline binds them.
 *
 * @param sql the query over the inputs' views (named by the inputs' aliases)
 */
public record FlinkTransform(List<InputView> inputs, String sql, List<String> columns) implements Serializable {
  private static final long serialVersionUID = 1L;

  public FlinkTransform {
    inputs = List.copyOf(inputs);
    columns = List.copyOf(columns);
  }

  /**
   * One input: the rows of {@code table} at {@code snapshotId}, of {@code readColumns}, registered as the table
   * {@link #rawName}, and {@code select}, the view over it named by the alias.
   *
   * @param readColumns the input's columns, then those only its grant's row filter reads
   * @param pushdown the grant's row filter as far as it converts to an Iceberg expression, for the reader to skip
   *     what lies outside it (always true when there is none); {@code select} evaluates the whole filter on each row
   */
  public record InputView(String alias, String table, long snapshotId, List<String> readColumns, String select,
      Expression pushdown) implements Serializable {
    private static final long serialVersionUID = 1L;

    public InputView {
      readColumns = List.copyOf(readColumns);
    }

    /** The name the raw read is registered under. */
    public String rawName() {
      return FlinkTransform.rawName(alias);
    }
  }

  public static String rawName(String alias) {
    return "__raw_" + alias;
  }

  /** A name quoted for Flink SQL. */
  public static String quote(String name) {
    return '`' + name.replace("`", "``") + '`';
  }
}
