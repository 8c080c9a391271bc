package io.dataops.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two connections to one SQLite file in WAL mode, as two processes of one home have. */
class ImmediateTransactionsTest {
  @TempDir Path dir;
  String url;

  @BeforeEach
  void create() throws SQLException {
    url = "jdbc:sqlite:" + dir.resolve("platform.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE counter (n INTEGER)");
      s.execute("INSERT INTO counter VALUES (0)");
    }
  }

  Connection plain(int busyMillis) throws SQLException {
    Properties p = new Properties();
    p.setProperty("busy_timeout", Integer.toString(busyMillis));
    return DriverManager.getConnection(url, p);
  }

  static int read(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT n FROM counter")) {
      r.next();
      return r.getInt(1);
    }
  }

  static void write(Connection c, int n) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE counter SET n = " + n);
    }
  }

  /** The failure this class exists for: read, another connection writes, then write. */
  @Test
  void aDeferredTransactionThatReadBeforeAnotherWroteCannotWrite() throws SQLException {
    try (Connection mine = plain(2_000); Connection other = plain(2_000)) {
      mine.setAutoCommit(false);
      int n = read(mine);
      write(other, 7);
      assertThatThrownBy(() -> write(mine, n + 1)).isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_BUSY");
    }
  }

  @Test
  void anImmediateTransactionWaitsForTheOtherWriterAndThenCannotLoseTheLock() throws Exception {
    try (Connection mine = ImmediateTransactions.of(plain(10_000)); Connection other = plain(10_000)) {
      mine.setAutoCommit(false);
      assertThat(mine.getAutoCommit()).isFalse();
      write(other, 1); // no statement of the transaction yet: no lock held, the other process writes freely
      int n = read(mine); // BEGIN IMMEDIATE, then the read
      CompletableFuture<Void> otherWrite = CompletableFuture.runAsync(() -> {
        try {
          write(other, 100);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      assertThat(otherWrite).as("the other writer waits for the lock").isNotDone();
      write(mine, n + 1);
      mine.commit();
      otherWrite.get(10, TimeUnit.SECONDS);
      assertThat(read(other)).as("both writes, one after the other").isEqualTo(100);
      mine.setAutoCommit(true);
    }
  }

  @Test
  void rollbackCloseAndAutoCommitEndTheTransactionTheJdbcWay() throws Exception {
    try (Connection mine = ImmediateTransactions.of(plain(5_000)); Connection other = plain(5_000)) {
      mine.setAutoCommit(false);
      write(mine, 5);
      mine.rollback();
      assertThat(read(other)).isZero();
      write(mine, 6);
      mine.setAutoCommit(true); // commits, as JDBC says
      assertThat(read(other)).isEqualTo(6);
      assertThatThrownBy(mine::commit).isInstanceOf(SQLException.class);
      mine.setAutoCommit(false);
      write(mine, 8);
    } // closed in a transaction: rolled back
    try (Connection other = plain(5_000)) {
      assertThat(read(other)).isEqualTo(6);
      write(other, 9); // and the lock is free
    }
  }

  @Test
  void aReadOnlyTransactionSeesOneStateAndHoldsNoWriterOff() throws Exception {
    try (Connection reader = ImmediateTransactions.of(plain(5_000)); Connection other = plain(1_000)) {
      reader.setReadOnly(true);
      assertThat(reader.isReadOnly()).isTrue();
      reader.setAutoCommit(false);
      assertThat(read(reader)).isZero(); // a deferred BEGIN, then the read: a snapshot, no write lock
      write(other, 3); // would wait out its 1 s and fail if the reader held the write lock
      assertThat(read(reader)).as("the same state through the whole transaction").isZero();
      assertThatThrownBy(() -> reader.setReadOnly(false)).isInstanceOf(SQLException.class);
      reader.commit();
      assertThat(read(reader)).as("a new transaction, a new state").isEqualTo(3);
      reader.commit();
      reader.setReadOnly(false);
      write(reader, 4); // a write transaction again: BEGIN IMMEDIATE
      reader.commit();
      assertThat(read(other)).isEqualTo(4);
    }
  }

  @Test
  void platformDatabaseConnectionsOfSqliteAreWrapped() throws SQLException {
    try (Connection c = PlatformDatabase.connect(url, PlatformDatabase.prepare(url, null, null))) {
      assertThat(c.toString()).startsWith("ImmediateTransactions(");
      assertThat(c.isWrapperFor(Connection.class)).isTrue();
    }
  }
}
