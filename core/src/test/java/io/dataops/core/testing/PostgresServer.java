package io.dataops.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for tests: one throwaway cluster per test JVM, started from Debian's PostgreSQL binaries
 * by infra/postgres/pg-test.sh on a free port bound to 127.0.0.1, stopped and its folder removed when the JVM exits.
 * Without the binaries the test fails with the command that installs them (it is never skipped).
 */
public final class PostgresServer {
  private static String url;

  private PostgresServer() {}

  public static synchronized String jdbcUrl() {
    if (url != null) {
      return url;
    }
    Path script = repositoryRoot().resolve("infra/postgres/pg-test.sh");
    try {
      Path base = Files.createTempDirectory("dataops-pg-");
      // The server runs as the postgres user when the tests run as root: it must be able to enter the folder.
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path data = base.resolve("data");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process p = new ProcessBuilder("bash", script.toString(), "start", data.toString(), String.valueOf(port))
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("could not start PostgreSQL for the tests (install it with: apt-get install "
            + "postgresql-15): " + output);
      }
      url = output.lines().reduce((a, b) -> b).orElseThrow();
      // Stopped and removed when the JVM exits: the clusters were left in the temporary folder, 50-440 MB each, and
      // 390 of them (60 GB) filled a developer's disk.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          new ProcessBuilder("bash", script.toString(), "stop", data.toString()).inheritIO().start()
              .waitFor(60, TimeUnit.SECONDS);
          try (var files = Files.walk(base)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        } catch (IOException | InterruptedException ignored) {
          // the JVM is exiting
        }
      }));
      return url;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A fresh database on the server, so tests do not see each other's catalogs. */
  public static String newDatabase(String name) {
    String admin = jdbcUrl();
    try (var c = java.sql.DriverManager.getConnection(admin, "postgres", "");
         var st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
  }

  public static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("infra/postgres"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("run the tests from inside the repository");
    }
    return p;
  }
}
