package io.dataops.jobs.batch;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The secret key of the order a run writes its product rows in ({@link DuckTransform}): rows sorted by
 * {@code P(P(h xor k1) xor k2)}, where {@code h} is DuckDB's hash of the whole row and {@code P} its 64-bit hash of a
 * number (a bijective mixer), keyed by two random 63-bit halves. The order is a function of the rows' content and the
 * key only: the same for every attempt of a run (the key is kept in the write step's saved context, so a restart
 * skips exactly the rows its closed files hold), unrelated to the input's order and, without the key, to the raw
 * values. Identical rows tie and are interchangeable; two different rows tie only when their 64-bit row hashes
 * collide (at 10 million rows, in about one run of 370,000), and only a restart between exactly those two rows could
 * then repeat one and miss the other.
 *
 * <p>The key is not key material of the platform's key ring: it protects one run's order, is random per run, and is
 * never printed; it is a query parameter, never SQL text, so DuckDB's error messages cannot show it.
 */
record RowOrder(long first, long second) {
  /** Where a run keeps its key: the write step's execution context (restored for a restarted step). */
  static final String CONTEXT_KEY = "product.row-order";

  /** The ORDER BY expression over the row {@code %s} (a table alias), with the key's two halves as parameters. */
  static final String SQL = "hash(xor(hash(xor(hash(%s), ?::UBIGINT)), ?::UBIGINT))";

  /**
   * The order of attempts made before row order keys: the input's (joins, aggregates and DISTINCT by all columns).
   * Only a run such an attempt began goes on in it, so that its restart skips the rows that attempt wrote.
   */
  static final RowOrder INPUT = new RowOrder(-1, -1);

  RowOrder {
    if ((first < 0 || second < 0) && !(first == -1 && second == -1)) {
      throw new IllegalArgumentException("a row order key's halves are 63-bit (UBIGINT parameters)");
    }
  }

  boolean input() {
    return first == -1;
  }

  static RowOrder random() {
    SecureRandom random = new SecureRandom();
    return new RowOrder(random.nextLong() & Long.MAX_VALUE, random.nextLong() & Long.MAX_VALUE);
  }

  /** The key as the execution context keeps it. */
  String saved() {
    return input() ? "input" : HexFormat.of().toHexDigits(first) + HexFormat.of().toHexDigits(second);
  }

  static RowOrder fromSaved(String saved) {
    if (saved.equals("input")) {
      return INPUT;
    }
    if (saved.length() != 32) {
      throw new IllegalStateException("the product row order saved by an earlier attempt is unreadable");
    }
    return new RowOrder(HexFormat.fromHexDigitsToLong(saved, 0, 16), HexFormat.fromHexDigitsToLong(saved, 16, 32));
  }

  /** Binds the key's halves to the parameters {@link #SQL} holds, from {@code index}. */
  void bind(PreparedStatement statement, int index) throws SQLException {
    statement.setLong(index, first);
    statement.setLong(index + 1, second);
  }

  @Override
  public String toString() {
    return "RowOrder[key not shown]";
  }
}
