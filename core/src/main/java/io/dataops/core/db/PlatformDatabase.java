package io.dataops.core.db;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.LoggerFactory;

/**
 * Connections to the platform database — the catalog's database (the embedded SQLite file or PostgreSQL), which also
 * holds the platform's own tables (tickets, product versions, identities, the audit trail, Spring Batch's job
 * repository) — and the schema migrations of those tables.
 *
 * <p>Each module owns its tables and their Flyway migrations: {@code db/migration/<module>/common} (SQL both databases
 * understand) and {@code db/migration/<module>/<vendor>} ({@code sqlite} or {@code postgresql}), recorded in the
 * module's own history table {@code flyway_<module>_history}, so modules evolve their tables independently. A home made
 * before migrations existed upgrades in place: each module's first migration creates its tables only if they are
 * missing, and the history starts below it.
 */
public final class PlatformDatabase {
  private static final String SQLITE = "jdbc:sqlite:";
  private static final Set<String> MIGRATED = ConcurrentHashMap.newKeySet();

  private PlatformDatabase() {}

  /**
   * Prepares an embedded database file as {@link #url} does, and gives the JDBC connection properties: the user and
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
      url(jdbcUrl);
    }
    return props;
  }

  /** The file of an SQLite database URL as the platform writes them ({@code jdbc:sqlite:PATH}), else empty. */
  public static java.util.Optional<Path> sqliteFile(String jdbcUrl) {
    String file = jdbcUrl != null && jdbcUrl.startsWith(SQLITE) ? jdbcUrl.substring(SQLITE.length()) : "";
    if (file.isEmpty() || file.startsWith("file:") || file.startsWith(":")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Path.of(file).toAbsolutePath());
  }

  /**
   * The URL to connect with. For SQLite, first points the driver at its cached native library
   * ({@link SqliteLibrary}); for an embedded SQLite file, then creates its folder and the empty database file when
   * missing, both owner-only (SQLite gives its journal, WAL and shared-memory files the database file's permissions).
   * In a folder this process cannot write (a read-only home) SQLite cannot create the side files a WAL database needs
   * even to be read, so the file is opened read-only: through the side files when they exist, else as immutable (no
   * writer can be at work there: none could create its WAL file).
   */
  public static String url(String jdbcUrl) {
    if (jdbcUrl.startsWith(SQLITE)) {
      SqliteLibrary.prepare();
    }
    java.util.Optional<Path> sqlite = sqliteFile(jdbcUrl);
    if (sqlite.isEmpty()) {
      return jdbcUrl;
    }
    Path db = sqlite.get();
    Path folder = db.getParent();
    if (Files.isDirectory(folder) && !Files.isWritable(folder)) {
      if (!Files.isRegularFile(db)) {
        throw new BadInputException("no database at " + db + ", and its folder is read-only");
      }
      boolean sideFiles = Files.exists(Path.of(db + "-wal")) && Files.exists(Path.of(db + "-shm"));
      String path = db.toString().replace("%", "%25").replace("?", "%3F").replace("#", "%23");
      return SQLITE + "file:" + path + (sideFiles ? "?mode=ro" : "?mode=ro&immutable=1");
    }
    try {
      OwnerOnly.directories(folder);
      OwnerOnly.createFile(db);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the database " + db, e);
    }
    inWalMode(db);
    return jdbcUrl;
  }

  /**
   * Puts a writable database file in WAL mode (readers beside the one writer: a long verify or scan does not hold off
   * a landing) once, before anyone connects. Every opener asks for WAL, and the mode is a persistent setting of the
   * file, but the switch needs the file to itself: while another connection switches a fresh file or holds its schema
   * lock, SQLite answers the opener SQLITE_BUSY at once instead of waiting out the busy timeout (waiting could
   * deadlock). Two processes opening a new home at once failed that way ("database is locked", a few rounds in a
   * hundred). Here the switch is tried again while SQLite answers busy; once the header says WAL, opening takes no such
   * lock and this costs one read of the header's first bytes.
   */
  private static void inWalMode(Path db) {
    if (walHeader(db)) {
      return;
    }
    Properties props = new Properties();
    props.setProperty("busy_timeout", "60000");
    for (int attempt = 1; ; attempt++) {
      try (Connection c = DriverManager.getConnection(SQLITE + db, props);
           java.sql.Statement s = c.createStatement();
           java.sql.ResultSet r = s.executeQuery("PRAGMA journal_mode=WAL")) {
        String mode = r.next() ? r.getString(1) : null;
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new IllegalStateException("the platform database " + db + " stays in journal mode " + mode
              + ", not WAL");
        }
        return;
      } catch (SQLException e) {
        // SQLITE_BUSY is 5, in the low byte of the extended result codes too.
        if ((e.getErrorCode() & 0xff) != 5 || attempt == WAL_ATTEMPTS) {
          throw new IllegalStateException("cannot put the platform database " + db + " in WAL mode", e);
        }
        try {
          Thread.sleep(20L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted putting the platform database " + db + " in WAL mode", e);
        }
      }
    }
  }

  /** Attempts at the switch to WAL mode: 20 ms more between each, about 8 s in all. */
  private static final int WAL_ATTEMPTS = 28;

  /** Whether the file's header says WAL mode: its read and write format versions (bytes 18 and 19) are 2. */
  private static boolean walHeader(Path db) {
    byte[] header = new byte[20];
    try (var in = Files.newInputStream(db)) {
      return in.readNBytes(header, 0, header.length) == header.length && header[18] == 2 && header[19] == 2;
    } catch (IOException e) {
      return false; // the switch says what is wrong
    }
  }

  /** Whether {@link #url} opens the database read-only. */
  public static boolean readOnly(String url) {
    return url.startsWith(SQLITE + "file:") && url.contains("mode=ro");
  }

  /** {@code sqlite} or {@code postgresql}: the folder of a module's vendor-specific migrations. */
  public static String vendor(String jdbcUrl) {
    if (jdbcUrl.startsWith(SQLITE)) {
      return "sqlite";
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return "postgresql";
    }
    throw new IllegalArgumentException("the platform database is SQLite or PostgreSQL, not " + jdbcUrl.split(":")[1]);
  }

  /**
   * Brings a module's tables to the newest schema (once per process and database). Two processes starting at once
   * on one SQLite file may both try: Flyway locks PostgreSQL itself, and on SQLite the loser retries, finding the
   * work done.
   */
  public static void migrate(String jdbcUrl, String user, String password, String module) {
    if (!module.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("module names are lower-case letters, digits and '_': " + module);
    }
    String key = module + "@" + jdbcUrl + "#" + user;
    if (MIGRATED.contains(key)) {
      return;
    }
    Properties props = prepare(jdbcUrl, user, password);
    String url = url(jdbcUrl);
    String vendor = vendor(jdbcUrl);
    List<String> locations = List.of("db/migration/" + module + "/common", "db/migration/" + module + "/" + vendor);
    String history = "flyway_" + module + "_history";
    ClassLoader loader = PlatformDatabase.class.getClassLoader();
    // Nearly always the database is already at this build's newest migrations: one query says so, and Flyway (a
    // large share of a short command's start) is not started. A process racing a migration sees it unfinished (each
    // migration and its history row commit together) and goes on to Flyway, which waits for it.
    try (Connection c = DriverManager.getConnection(url, props)) {
      if (MigrationHistory.upToDate(c, history, loader, locations)) {
        MIGRATED.add(key);
        return;
      }
    } catch (SQLException e) {
      // Flyway connects again and reports what is wrong.
    }
    Flyway flyway = Flyway.configure(loader)
        .dataSource(url.startsWith(SQLITE) ? ImmediateTransactions.of(new DriverDataSource(url, props))
            : new DriverDataSource(url, props))
        .locations(locations.stream().map(l -> "classpath:" + l).toArray(String[]::new))
        .table(history)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .failOnMissingLocations(false)
        .loggers("slf4j")
        .load();
    if (readOnly(url)) {
      // Nothing can be written: the tables must be there already.
      if (flyway.info().pending().length > 0) {
        throw new BadInputException("the platform database " + jdbcUrl.substring(SQLITE.length()) + " is read-only "
            + "and its " + module + " tables are missing or older than this version: use the home once with write "
            + "access");
      }
      MIGRATED.add(key);
      return;
    }
    FlywayException last = null;
    for (int attempt = 0; attempt < 8; attempt++) {
      try {
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
          LoggerFactory.getLogger(PlatformDatabase.class).info("{} tables of the platform database migrated to {}"
              + " ({} migrations)", module, result.targetSchemaVersion, result.migrationsExecuted);
        }
        MIGRATED.add(key);
        return;
      } catch (FlywayException e) {
        last = e;
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        // What losing the race looks like: a lock, a duplicate history row or table, or a baseline of a history
        // table the winner has just filled. The next attempt finds the winner's work.
        if (!(m.contains("busy") || m.contains("locked") || m.contains("unique") || m.contains("already exists")
            || m.contains("already contains"))) {
          break;
        }
        try {
          Thread.sleep(200L * (attempt + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("cannot migrate the " + module + " tables of the platform database", last);
  }

  /** Forgets which migrations ran in this process (tests that replace a database file under the same name). */
  public static void forgetMigrations() {
    MIGRATED.clear();
  }

  /**
   * A connection with the prepared properties. On SQLite its transactions take the write lock before their first
   * read ({@link ImmediateTransactions}): another process writing meanwhile makes them wait, not fail.
   */
  public static Connection connect(String jdbcUrl, Properties props) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, props);
    return jdbcUrl.startsWith(SQLITE) ? ImmediateTransactions.of(c) : c;
  }

  /** The smallest DataSource over {@link DriverManager}: Flyway needs one, the platform needs no pool. */
  private record DriverDataSource(String url, Properties props) implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(url, props);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      Properties p = new Properties();
      p.putAll(props);
      p.setProperty("user", username);
      p.setProperty("password", password);
      return DriverManager.getConnection(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
