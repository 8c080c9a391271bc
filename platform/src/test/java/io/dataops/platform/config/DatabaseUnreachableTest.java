package io.dataops.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The line a command prints for a platform database it cannot use names the setting to check. */
class DatabaseUnreachableTest {
  @Test
  void aMissingPasswordNamesThePasswordSettingsNotTheServer() {
    // Found by a probe: PostgreSQL's driver says 08004 (a connection class state) when no password was given, and the
    // line asked whether the server was up and to run again.
    String none = DatabaseUnreachable.recognize(new IllegalStateException("cannot migrate", new SQLException(
        "The server requested SCRAM-based authentication, but no password was provided.", "08004"))).orElseThrow();
    assertThat(none).isEqualTo("cannot use the platform database: The server requested SCRAM-based authentication, "
        + "but no password was provided. (SQL state 08004); the server requires a password for catalog.user: set "
        + "DATAOPS_CATALOG_PASSWORD or catalog.password-file (DATAOPS_CATALOG_PASSWORD_FILE) to a file holding it");
    assertThat(DatabaseUnreachable.recognize(new SQLException("The password is an empty string.", "08004")))
        .hasValueSatisfying(line -> assertThat(line).contains("requires a password for catalog.user"));
    assertThat(DatabaseUnreachable.recognize(new SQLException("Connection refused.", "08001")))
        .hasValueSatisfying(line -> assertThat(line).endsWith("is catalog.uri (DATAOPS_CATALOG_URI) right and the "
            + "database server up? Then run the same command again"));
  }

  /**
   * Found by a probe: PostgreSQL stopped or restarted during a command gave "internal error: UncheckedSQLException".
   * A real server ends a session as its shutdown does (pg_terminate_backend: 57P01), and the failure arrives as
   * Iceberg's catalog wraps it.
   */
  @Test
  void aServerStoppedDuringTheCommandSaysToRunItAgain() throws Exception {
    String url = io.dataops.core.testing.PostgresServer.newDatabase("unreachable_" + System.nanoTime());
    java.sql.SQLException ended;
    try (var victim = java.sql.DriverManager.getConnection(url, "postgres", "");
         var admin = java.sql.DriverManager.getConnection(url, "postgres", "")) {
      int pid;
      try (var st = victim.createStatement(); var r = st.executeQuery("SELECT pg_backend_pid()")) {
        r.next();
        pid = r.getInt(1);
      }
      try (var st = admin.createStatement()) {
        st.execute("SELECT pg_terminate_backend(" + pid + ")");
      }
      try (var st = victim.createStatement()) {
        st.executeQuery("SELECT 1");
        throw new AssertionError("the terminated session still answered");
      } catch (java.sql.SQLException e) {
        ended = e;
      }
    }
    assertThat(ended.getSQLState()).isEqualTo("57P01");
    Throwable failure = new org.apache.iceberg.jdbc.UncheckedSQLException(ended, "Failed to load table %s", "x");
    assertThat(DatabaseUnreachable.recognize(failure)).hasValueSatisfying(line -> assertThat(line)
        .startsWith("cannot use the platform database: FATAL: terminating connection due to administrator command")
        .contains("(SQL state 57P01)").endsWith("is the database server up? Then run the same command again"));
    for (String state : java.util.List.of("57P02", "57P03")) {
      assertThat(DatabaseUnreachable.recognize(new org.apache.iceberg.jdbc.UncheckedSQLException(
          new SQLException("the database system is shutting down", state), "Failed to list tables")))
          .hasValueSatisfying(line -> assertThat(line).contains("(SQL state " + state + ")")
              .endsWith("Then run the same command again"));
    }
    assertThat(DatabaseUnreachable.recognize(new SQLException("database \"x\" is being accessed", "55006")))
        .as("other states are not the server's being down").isEmpty();
  }
}
