package io.dataops.platform.config;

import io.dataops.core.BadInputException;
import io.dataops.core.db.PlatformDatabase;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.storage.ObjectStore;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a home that holds its own catalog was made. The embedded catalog ({@code catalog.db}) names every table's
 * files by absolute path (Iceberg's metadata does too), so the catalog of a copied home names the original's files:
 * its writes changed the original's tables (a destroy in a copy emptied the original's product) and its reads showed
 * them; a moved home found none. So the home's canonical path is recorded in {@value #FILE} when the home is made, and
 * a home opened anywhere else is refused, for every command (a read would show another home's tables, and record its
 * access in this one's trail). A home made before the record existed gets it at its first open, when every table its
 * catalog names lies in the home or in its configured warehouse; otherwise it is refused the same way.
 *
 * <p>Only a catalog that is a file in the home is guarded: with PostgreSQL (or an SQLite file elsewhere) the home is
 * configuration, and a copy of it shares that catalog as several processes may.
 */
public final class HomeOrigin {
  public static final String FILE = "made-at.properties";
  private static final String KEY = "path";

  private HomeOrigin() {}

  /** Refuses a home that is not where it was made (see above); records where it is when that is not known yet. */
  public static void check(PlatformConfig config) {
    Optional<Path> db = PlatformDatabase.sqliteFile(config.lakehouse().catalogUri());
    if (db.isEmpty()) {
      return;
    }
    Path home = config.home();
    Path here = canonical(home);
    if (!canonical(db.get()).startsWith(here)) {
      return;
    }
    Path record = home.resolve(FILE);
    String made = recorded(record);
    if (made != null) {
      if (!made.equals(here.toString())) {
        throw new BadInputException(elsewhere(made, here, config));
      }
      return;
    }
    if (Files.isRegularFile(db.get())) {
      String foreign = foreignTable(config, here);
      if (foreign != null) {
        throw new BadInputException("this home's catalog names table " + foreign + ", outside this home (" + here
            + ") and its warehouse: the home was copied or moved from elsewhere, so a command here would read and "
            + "change another home's tables, or find none; use the home those tables were made in (a home cannot "
            + "be copied or moved: Iceberg's metadata names every file by its absolute path)");
      }
    }
    if (Home.writable(home)) {
      write(record, here);
    }
  }

  /** The path the record names, or null when there is no record (or it names none). */
  private static String recorded(Path record) {
    if (!Files.isRegularFile(record)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + record + " (" + e.getClass().getSimpleName() + ")");
    }
    String made = p.getProperty(KEY);
    return made == null || made.isBlank() ? null : made.strip();
  }

  private static String recordedIfReadable(Path record) {
    try {
      return recorded(record);
    } catch (BadInputException e) {
      return null; // another user's home, say: then only a move is suggested
    }
  }

  private static String elsewhere(String made, Path here, PlatformConfig config) {
    Path original = Path.of(made);
    String warehouse = config.lakehouse().warehouse();
    boolean inHome = !ObjectStore.isObjectLocation(warehouse)
        && canonical(localPath(warehouse)).startsWith(here);
    // Where the catalog names the files: the original's warehouse when it is the home's, else the shared one.
    String files = inHome ? original.resolve(here.relativize(canonical(localPath(warehouse)))).toString()
        : warehouse;
    String what = "this home was made at " + made + " and is now at " + here + ": its catalog names its tables' "
        + "files under " + files;
    if (made.equals(recordedIfReadable(original.resolve(FILE)))) {
      return what + ", so a command here would read and change the tables of the home at " + made + " (this is a "
          + "copy of it); use that home (--home " + made + "), or make a new home for tables of its own (a home "
          + "cannot be copied: Iceberg's metadata names every file by its absolute path)";
    }
    return what + (inHome ? ", which is gone, so its tables cannot be found here" : "") + "; move it back to " + made
        + " (a home cannot be moved: Iceberg's metadata names every file by its absolute path)";
  }

  /**
   * The first table whose files the catalog names outside the home and its configured warehouse (its name and
   * location), or null when there is none.
   */
  private static String foreignTable(PlatformConfig config, Path here) {
    String url = PlatformDatabase.url(config.lakehouse().catalogUri());
    String warehouse = config.lakehouse().warehouse();
    try (Connection c = DriverManager.getConnection(url, PlatformDatabase.prepare(url, null, null));
         Statement s = c.createStatement()) {
      try (ResultSet t = s.executeQuery(
          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'iceberg_tables'")) {
        if (!t.next()) {
          return null;
        }
      }
      try (ResultSet r = s.executeQuery("SELECT table_namespace, table_name, metadata_location FROM iceberg_tables "
          + "ORDER BY 1, 2")) {
        while (r.next()) {
          String location = r.getString(3);
          if (location != null && !ours(location, here, warehouse)) {
            String folder = (ObjectStore.isObjectLocation(location) ? location : localPath(location).toString())
                .replaceFirst("/metadata/[^/]*$", "");
            return r.getString(1) + "." + r.getString(2) + " at " + folder;
          }
        }
      }
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the tables of the catalog " + config.lakehouse().catalogUri(), e);
    }
  }

  /** Whether a metadata file lies in the home or in the configured warehouse (a folder or a bucket's prefix). */
  private static boolean ours(String location, Path here, String warehouse) {
    if (ObjectStore.isObjectLocation(location)) {
      String prefix = warehouse.endsWith("/") ? warehouse : warehouse + "/";
      return location.startsWith(prefix);
    }
    Path file = canonical(localPath(location));
    return file.startsWith(here)
        || !ObjectStore.isObjectLocation(warehouse) && file.startsWith(canonical(localPath(warehouse)));
  }

  private static Path localPath(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
  }

  /**
   * The path with every symbolic link resolved, as far as it exists (a home reached through a link is the same home;
   * a file not there any more keeps the rest of its name).
   */
  private static Path canonical(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }

  /** Written aside and moved in: processes opening a new home at once each write the same whole file. */
  private static void write(Path record, Path here) {
    Properties p = new Properties();
    p.setProperty(KEY, here.toString());
    StringWriter text = new StringWriter();
    try {
      p.store(text, " Where this home was made. Its catalog names its tables' files by absolute path, so dataops "
          + "refuses to open the home anywhere else (a copy would change this home's tables, a moved one finds none).");
      Path aside = record.resolveSibling(FILE + "." + ProcessHandle.current().pid() + "-"
          + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      OwnerOnly.writeString(aside, text.toString());
      Files.move(aside, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new BadInputException("cannot record where this home is in " + record + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
