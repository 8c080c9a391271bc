package io.dataops.core.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The cheap look before Flyway: whether a module's history table already records, as succeeded, exactly the
 * versioned migrations on the classpath with the checksums Flyway gives them. Then Flyway would find nothing to do
 * and nothing to complain about, and is not started at all (loading and configuring it, scanning its locations and
 * validating took about a third of a short command). Anything else — no history, a failed or missing migration, a
 * migration changed since it ran, a file Flyway might treat otherwise (repeatable, undo, callbacks) — is Flyway's to
 * handle, as before.
 */
final class MigrationHistory {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__[^/]*\\.sql");

  private MigrationHistory() {}

  /** Whether the history table records exactly the migrations in {@code locations} (classpath folders). */
  static boolean upToDate(Connection c, String historyTable, ClassLoader loader, List<String> locations) {
    Map<String, Integer> onClasspath = onClasspath(loader, locations);
    return onClasspath != null && !onClasspath.isEmpty() && onClasspath.equals(applied(c, historyTable));
  }

  /**
   * Version → checksum of the succeeded versioned migrations recorded (the baseline row is not a migration); null
   * when the table is missing or records a failure.
   */
  static Map<String, Integer> applied(Connection c, String historyTable) {
    Map<String, Integer> out = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version, type, checksum, success FROM " + historyTable)) {
      while (r.next()) {
        if (!r.getBoolean(4)) {
          return null;
        }
        String type = r.getString(2);
        if ("BASELINE".equals(type) || "SCHEMA".equals(type)) {
          continue;
        }
        int checksum = r.getInt(3);
        if (r.wasNull() || r.getString(1) == null) {
          return null;
        }
        out.put(normalize(r.getString(1)), checksum);
      }
      return out;
    } catch (SQLException | RuntimeException e) {
      return null; // no history yet (a new database), or one this look does not understand: Flyway's to handle
    }
  }

  /**
   * Version → Flyway checksum of each versioned SQL migration in the locations; null when a location holds anything
   * else but folders, or cannot be listed (then Flyway decides).
   */
  static Map<String, Integer> onClasspath(ClassLoader loader, List<String> locations) {
    Map<String, Integer> out = new HashMap<>();
    try {
      for (String location : locations) {
        Enumeration<URL> urls = loader.getResources(location);
        while (urls.hasMoreElements()) {
          URL url = urls.nextElement();
          List<String> names = names(url, location);
          if (names == null) {
            return null;
          }
          for (String name : names) {
            Matcher m = VERSIONED.matcher(name);
            if (!m.matches()) {
              return null;
            }
            if (out.put(normalize(m.group(1)), checksum(loader, location + "/" + name)) != null) {
              return null; // one version twice: Flyway's error to report
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out;
  }

  /** The file names directly in a location folder, from a directory or a jar; null for other kinds of URL. */
  private static List<String> names(URL url, String location) throws IOException {
    List<String> out = new ArrayList<>();
    if ("file".equals(url.getProtocol())) {
      try (Stream<Path> files = Files.list(Path.of(java.net.URI.create(url.toString())))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          out.add(f.getFileName().toString());
        }
      }
      return out;
    }
    URLConnection connection = url.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      return null;
    }
    String prefix = location.endsWith("/") ? location : location + "/";
    // The class loader's own cached JarFile: not closed here.
    JarFile file = jar.getJarFile();
    for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
      String entry = e.nextElement().getName();
      if (entry.startsWith(prefix) && entry.length() > prefix.length()) {
        out.add(entry.substring(prefix.length()));
      }
    }
    return out;
  }

  /**
   * Flyway's checksum of an SQL migration: CRC-32 over the UTF-8 bytes of its lines without their line endings (and
   * without a byte-order mark), as a signed int.
   */
  static int checksum(ClassLoader loader, String resource) throws IOException {
    CRC32 crc = new CRC32();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      boolean first = true;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (first && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
        first = false;
        crc.update(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    return (int) crc.getValue();
  }

  /** Flyway's version equality: '_' is '.', leading zeros and trailing ".0" parts do not count. */
  static String normalize(String version) {
    String[] parts = version.replace('_', '.').split("\\.");
    int end = parts.length;
    while (end > 1 && new BigInteger(parts[end - 1]).signum() == 0) {
      end--;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < end; i++) {
      b.append(i == 0 ? "" : ".").append(new BigInteger(parts[i]));
    }
    return b.toString();
  }
}
