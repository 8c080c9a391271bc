package io.dataops.jobs.flink.sql;

/**
 * The transform failed on a value it computes on (a cast that does not fit, an overflow), as DuckDB would fail on it,
 * or a value the Flink engine cannot treat exactly as DuckDB does: the run is refused as bad input data. The message
 * says what failed, never the value.
 */
public final class TransformDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Starts every message, so that the client recognizes the failure also through a cluster's serialized errors. */
  public static final String MARKER = "dataops data error: ";

  public TransformDataException(String message) {
    super(MARKER + message);
  }

  /** The message without its marker. */
  public static String reason(String message) {
    int at = message.indexOf(MARKER);
    return at < 0 ? message : message.substring(at + MARKER.length()).lines().findFirst().orElse("");
  }
}
