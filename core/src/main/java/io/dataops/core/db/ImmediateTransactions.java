package io.dataops.core.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * SQLite connections whose transactions take the write lock with {@code BEGIN IMMEDIATE} at their first statement.
 *
 * <p>Why: SQLite has one writer. A transaction begun the driver's way ({@code setAutoCommit(false)}: a deferred
 * {@code BEGIN}) that reads and then writes cannot take the write lock once another connection, in this process or
 * another, wrote in between: SQLite answers SQLITE_BUSY (SQLITE_BUSY_SNAPSHOT in WAL mode) at once, and no busy
 * timeout waits it out. Spring Batch's repository reads before it writes (a job instance's key, then its id), so a
 * pipeline run failed whenever another process landed a feed or appended to the audit trail at that moment. An
 * immediate transaction waits for the lock (the busy timeout) before its first read, and then cannot lose it.
 *
 * <p>Why lazily: the driver's own {@code transaction_mode=IMMEDIATE} takes the lock at {@code setAutoCommit(false)}
 * and again right after every commit, so a Spring Batch step holding its transaction open around a long tasklet
 * (the privacy pass, the leak filter) would hold every other writer off for its whole length. Here the driver's
 * connection stays in auto-commit; the transaction is begun by a statement when the first statement of it is made
 * (Spring Batch's come at a step's end) and ended by {@code COMMIT} or {@code ROLLBACK}.
 *
 * <p>A connection marked {@link Connection#setReadOnly read-only} (before its transaction; the driver cannot change its
 * own flag once open, so the mark stays here) begins with a deferred {@code BEGIN}: a long read, such as verifying the
 * audit trail, sees one state of the database without holding every writer off.
 */
public final class ImmediateTransactions {
  private static final Set<String> STATEMENTS = Set.of("createStatement", "prepareStatement", "prepareCall");

  private ImmediateTransactions() {}

  /** {@code dataSource}'s connections, with lazily immediate transactions. */
  public static DataSource of(DataSource dataSource) {
    return new Wrapped(dataSource);
  }

  /** One connection with lazily immediate transactions; closing it closes {@code connection}. */
  public static Connection of(Connection connection) throws SQLException {
    if (!connection.getAutoCommit()) {
      throw new IllegalArgumentException("a connection already in a transaction");
    }
    return (Connection) Proxy.newProxyInstance(ImmediateTransactions.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new Handler(connection));
  }

  private static final class Handler implements InvocationHandler {
    private final Connection target;
    private final boolean openedReadOnly;
    private boolean autoCommit = true;
    private boolean readOnly;
    private boolean begun;

    Handler(Connection target) throws SQLException {
      this.target = target;
      this.openedReadOnly = target.isReadOnly();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "getAutoCommit":
          return autoCommit;
        case "setAutoCommit":
          boolean on = (Boolean) args[0];
          if (on && !autoCommit) {
            end("COMMIT"); // JDBC: switching auto-commit on commits the transaction in progress
          }
          autoCommit = on;
          return null;
        case "setReadOnly":
          if (begun) {
            throw new SQLException("setReadOnly inside a transaction");
          }
          readOnly = (Boolean) args[0];
          return null;
        case "isReadOnly":
          return readOnly || openedReadOnly;
        case "commit":
          requireTransaction(name);
          end("COMMIT");
          return null;
        case "rollback":
          if (args == null) {
            requireTransaction(name);
            end("ROLLBACK");
            return null;
          }
          break; // to a savepoint: the driver's, within the transaction begun here
        case "close":
          try {
            if (begun) {
              end("ROLLBACK"); // JDBC leaves it to the driver; SQLite would roll it back on close too
            }
          } finally {
            target.close();
          }
          return null;
        case "unwrap":
          if (((Class<?>) args[0]).isInstance(proxy)) {
            return proxy;
          }
          break;
        case "isWrapperFor":
          if (((Class<?>) args[0]).isInstance(proxy)) {
            return true;
          }
          break;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "ImmediateTransactions(" + target + ")";
        default:
          if (STATEMENTS.contains(name) || name.equals("setSavepoint")) {
            beginIfNeeded();
          }
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private void requireTransaction(String what) throws SQLException {
      if (autoCommit) {
        throw new SQLException(what + " in auto-commit mode");
      }
    }

    private void beginIfNeeded() throws SQLException {
      if (!autoCommit && !begun) {
        execute(readOnly || openedReadOnly ? "BEGIN" : "BEGIN IMMEDIATE");
        begun = true;
      }
    }

    private void end(String sql) throws SQLException {
      if (begun) {
        begun = false;
        execute(sql);
      }
    }

    private void execute(String sql) throws SQLException {
      try (Statement s = target.createStatement()) {
        s.execute(sql);
      }
    }
  }

  private record Wrapped(DataSource target) implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return of(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return of(target.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return iface.isInstance(this) || target.isWrapperFor(iface);
    }
  }
}
