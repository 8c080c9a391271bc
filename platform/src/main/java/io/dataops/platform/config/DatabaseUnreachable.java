package io.dataops.platform.config;

import java.sql.SQLException;
import java.util.Optional;

/**
 * A command that failed because the platform database could not be reached, refused the sign-in, or has no database
 * of that name: a setting or the server is wrong, not the platform, and the command says so in one line instead of an
 * internal error. Recognized by the SQL state the driver gives (SQL:2003 classes 08 connection exception, 28 invalid
 * authorization, 3D invalid catalog name; and PostgreSQL's server shutting down or starting), wherever it was raised
 * (Flyway, Iceberg's catalog, Spring Batch).
 */
public final class DatabaseUnreachable {
  /**
   * PostgreSQL's states for a server stopped or restarted under the command (57P01 admin shutdown, 57P02 crash
   * shutdown, 57P03 cannot connect now: still starting or shutting down): the server, not the platform, and running the
   * command again once it is up is the cure (found by a probe: "internal error: UncheckedSQLException").
   */
  private static final java.util.Set<String> SERVER_STOPPING = java.util.Set.of("57P01", "57P02", "57P03");

  private DatabaseUnreachable() {}

  /** The line a command prints for {@code failure}, when one of its causes is such a failure. */
  public static Optional<String> recognize(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        String advice;
        if (state.equals("08004") && sql.getMessage() != null && sql.getMessage().contains("password")) {
          // The server asked for a password and none (or an empty one) was given: a setting, not the network (a
          // probe got "is the database server up? Then run the same command again").
          advice = "the server requires a password for catalog.user: set DATAOPS_CATALOG_PASSWORD or "
              + "catalog.password-file (DATAOPS_CATALOG_PASSWORD_FILE) to a file holding it";
        } else if (SERVER_STOPPING.contains(state)) {
          advice = "the database server was stopped or restarted during the command: is the database server up? Then "
              + "run the same command again";
        } else if (state.startsWith("08")) {
          advice = "is catalog.uri (DATAOPS_CATALOG_URI) right and the database server up? Then run the same "
              + "command again";
        } else if (state.startsWith("28")) {
          advice = "are catalog.user and its password (DATAOPS_CATALOG_PASSWORD or catalog.password-file) right?";
        } else if (state.equals("3D000")) {
          advice = "does the database named in catalog.uri exist? (see README, Production set-up)";
        } else {
          continue;
        }
        return Optional.of("cannot use the platform database: " + firstLine(sql.getMessage()) + reason(sql)
            + " (SQL state " + state + "); " + advice);
      }
    }
    return Optional.empty();
  }

  /** The underlying network error, which the driver's own message may not name ("The connection attempt failed."). */
  private static String reason(SQLException sql) {
    Throwable root = sql;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == sql ? "" : " (" + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())) + ")";
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
