package io.dataops.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void connectionsOpenedAtOnceOnAFreshDatabaseInWalModeAllWork(@TempDir Path dir) throws Exception {
    // What the catalog, the job repository and the governance tables each do on a new home: connect asking for WAL
    // mode, then write. Switching a fresh file to WAL needs it to itself, and SQLite answers a second opener
    // SQLITE_BUSY at once rather than wait ("database is locked"): a few rounds in a hundred failed before the file
    // was switched once, where it is made.
    for (int round = 0; round < 100; round++) {
      String url = "jdbc:sqlite:" + dir.resolve("fresh-" + round + "/platform.db");
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        var start = new java.util.concurrent.CyclicBarrier(threads);
        List<Future<?>> opened = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          opened.add(pool.submit(() -> {
            start.await();
            java.util.Properties props = PlatformDatabase.prepare(url, null, null);
            props.setProperty("journal_mode", "WAL");
            try (Connection c = PlatformDatabase.connect(PlatformDatabase.url(url), props);
                 Statement s = c.createStatement()) {
              s.execute("CREATE TABLE IF NOT EXISTS opened (id INTEGER)");
              s.execute("INSERT INTO opened VALUES (" + id + ")");
            }
            return null;
          }));
        }
        for (Future<?> f : opened) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT count(*) FROM opened")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getInt(1)).as("round %d", round).isEqualTo(threads);
      }
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("wal");
      }
    }
  }

  @Test
  void aDatabaseAtTheNewestMigrationsIsRecognizedWithoutFlyway(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("current.db");
    assertThat(upToDate(url, null)).as("no history yet").isFalse();
    PlatformDatabase.migrate(url, null, null, "coretest");
    // The checksums computed here are the ones Flyway recorded: the look agrees with Flyway's own validation.
    try (Connection c = DriverManager.getConnection(url)) {
      assertThat(MigrationHistory.applied(c, "flyway_coretest_history"))
          .isEqualTo(MigrationHistory.onClasspath(loader(), locations("sqlite")))
          .containsOnlyKeys("1", "2");
    }
    assertThat(upToDate(url, null)).isTrue();
  }

  @Test
  void aMigrationTheDatabaseLacksStillRuns(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("behind.db");
    PlatformDatabase.migrate(url, null, null, "coretest");
    // The database as the build before V2 left it: V2's column and its history row gone.
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE things DROP COLUMN colour");
      s.execute("DELETE FROM flyway_coretest_history WHERE version = '2'");
    }
    assertThat(upToDate(url, null)).isFalse();
    PlatformDatabase.forgetMigrations(); // a new process
    PlatformDatabase.migrate(url, null, null, "coretest");
    assertThat(columns(url, null, "things")).contains("colour");
    assertThat(appliedVersions(url, null)).containsExactly("1", "2");
    assertThat(upToDate(url, null)).isTrue();
  }

  @Test
  void aMigrationChangedSinceItRanIsStillFlywaysToRefuse(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("edited.db");
    PlatformDatabase.migrate(url, null, null, "coretest");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("UPDATE flyway_coretest_history SET checksum = checksum + 1 WHERE version = '1'");
    }
    assertThat(upToDate(url, null)).isFalse();
    PlatformDatabase.forgetMigrations();
    assertThatThrownBy(() -> PlatformDatabase.migrate(url, null, null, "coretest"))
        .hasMessageContaining("cannot migrate the coretest tables");
  }

  @Test
  void postgresqlGetsTheSameSchema() throws Exception {
    String url = PostgresServer.newDatabase("coretest_" + System.nanoTime());
    PlatformDatabase.migrate(url, "postgres", "", "coretest");
    assertThat(columns(url, "postgres", "things")).contains("id", "name", "colour");
    assertThat(upToDate(url, "postgres")).isTrue();
    PlatformDatabase.forgetMigrations();
    PlatformDatabase.migrate(url, "postgres", "", "coretest"); // a second process: nothing to do, no error
    assertThat(appliedVersions(url, "postgres")).containsExactly("1", "2");
  }

  private static boolean upToDate(String url, String user) throws Exception {
    try (Connection c = DriverManager.getConnection(url, PlatformDatabase.prepare(url, user, null))) {
      return MigrationHistory.upToDate(c, "flyway_coretest_history", loader(), locations(PlatformDatabase.vendor(url)));
    }
  }

  private static ClassLoader loader() {
    return PlatformDatabase.class.getClassLoader();
  }

  private static List<String> locations(String vendor) {
    return List.of("db/migration/coretest/common", "db/migration/coretest/" + vendor);
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
