package io.dataops.governance.grant;

import io.dataops.core.BadInputException;
import java.util.Locale;

/**
 * A read the grants do not allow (bad input, exit 2): the message names the table, the column or the reason, and
 * what to do about it. Executors refuse a run with it before reading anything.
 */
public class GrantRefusedException extends BadInputException {
  /** Why: no grant for the scenario, another organization's grant, the grant's state, or what it does not cover. */
  public enum Reason {
    NO_GRANT, NOT_GRANTEE, PENDING, REJECTED, REVOKED, EXPIRED, NOT_YET_VALID, TABLE, COLUMN, PRODUCT;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final Reason reason;
  private final Long grantId;
  private final String table;
  private final String column;

  public GrantRefusedException(String message, Reason reason, Long grantId, String table, String column) {
    super(message);
    this.reason = reason;
    this.grantId = grantId;
    this.table = table;
    this.column = column;
  }

  public Reason reason() {
    return reason;
  }

  /** The grant that was found but does not allow the read; null when there is none. */
  public Long grantId() {
    return grantId;
  }

  /** The table refused (TABLE, COLUMN), else null. */
  public String table() {
    return table;
  }

  /** The column refused (COLUMN), else null. */
  public String column() {
    return column;
  }
}
