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
}
