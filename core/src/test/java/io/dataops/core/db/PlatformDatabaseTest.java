package io.dataops.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformDatabaseTest {
  @AfterEach
  void forget() {
    PlatformDatabase.forgetMigrations();
  }

  @Test
  void aNewSqliteDatabaseGetsEveryMigration(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("sub/platform.db");
    PlatformDatabase.migrate(url, null, null, "coretest");
    assertThat(columns(url, null, "things")).contains("id", "name", "colour");
    assertThat(appliedVersions(url, null)).containsExactly("1", "2");
  }

  @Test
  void aDatabaseMadeBeforeMigrationsUpgradesInPlaceAndKeepsItsRows(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("old.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // What a store constructor used to run, and a row a user made then.
      s.execute("CREATE TABLE IF NOT EXISTS things (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(64) NOT NULL)");
      s.execute("INSERT INTO things (name) VALUES ('kept')");
    }
    PlatformDatabase.migrate(url, null, null, "coretest");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT name, colour FROM things")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("kept");
      assertThat(r.getString(2)).isNull();
    }
    assertThat(appliedVersions(url, null)).contains("1", "2");
  }

  @Test
  void twoProcessesMigratingOneSqliteFileAtOnceBothSucceed(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("race.db");
    // Two JVMs would share nothing; in one JVM the per-process memo must not hide the race, so each thread migrates
    // with its own memo key (a different user name; SQLite ignores it).
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String user = "u" + i;
        runs.add(pool.submit(() -> PlatformDatabase.migrate(url, user, null, "coretest")));
      }
      for (Future<?> f : runs) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(columns(url, null, "things")).contains("colour");
  }

  @Test
  void postgresqlGetsTheSameSchema() throws Exception {
    String url = PostgresServer.newDatabase("coretest_" + System.nanoTime());
    PlatformDatabase.migrate(url, "postgres", "", "coretest");
    assertThat(columns(url, "postgres", "things")).contains("id", "name", "colour");
    PlatformDatabase.forgetMigrations();
    PlatformDatabase.migrate(url, "postgres", "", "coretest"); // a second process: nothing to do, no error
    assertThat(appliedVersions(url, "postgres")).containsExactly("1", "2");
  }

  private static List<String> columns(String url, String user, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url, PlatformDatabase.prepare(url, user, null));
         ResultSet r = c.getMetaData().getColumns(null, null, table, null)) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
      }
      return out;
    }
  }

  private static List<String> appliedVersions(String url, String user) throws Exception {
    try (Connection c = DriverManager.getConnection(url, PlatformDatabase.prepare(url, user, null));
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT version FROM flyway_coretest_history WHERE success"
             + (url.startsWith("jdbc:sqlite:") ? " = 1" : "") + " AND version <> '0' ORDER BY installed_rank")) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    }
  }
}
