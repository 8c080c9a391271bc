package io.dataops.lakehouse.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Connections to the platform database — the catalog's database (the embedded SQLite file or PostgreSQL), which also
 * holds the platform's own tables (tickets, product versions, Spring Batch's job repository).
 */
public final class PlatformDatabase {
  private static final String SQLITE = "jdbc:sqlite:";

  private PlatformDatabase() {}

  /**
   * Creates the folder of an embedded database file if needed, and gives the JDBC connection properties: the user and
   * password when given, and for SQLite a wait for the single writer (several processes share the file) instead of
   * failing at once.
   */
  public static Properties prepare(String jdbcUrl, String user, String password) {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    if (jdbcUrl.startsWith(SQLITE)) {
      props.setProperty("busy_timeout", "60000");
      try {
        Path parent = Path.of(jdbcUrl.substring(SQLITE.length())).toAbsolutePath().getParent();
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the folder of the database " + jdbcUrl, e);
      }
    }
    return props;
  }
}
