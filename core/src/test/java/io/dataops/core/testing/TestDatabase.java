package io.dataops.core.testing;

/**
 * The database profile of the tests: the embedded SQLite file by default, or with {@code -Ddataops.test.db=postgres}
 * (env {@code DATAOPS_TEST_DB}) a fresh database on {@link PostgresServer}'s cluster. Lakehouse fixtures take it
 * through {@code TestStorage}; modules below the lakehouse (the scheduler) ask here.
 */
public final class TestDatabase {
  public static final String PROPERTY = "dataops.test.db";
  /** The test cluster's user (trust authentication: no password). */
  public static final String USER = "postgres";
  private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();

  private TestDatabase() {}

  public static boolean postgres() {
    String profile = System.getProperty(PROPERTY, System.getenv().getOrDefault("DATAOPS_TEST_DB", "sqlite"));
    return profile.equalsIgnoreCase("postgres");
  }

  /** The JDBC URL of a new, empty database on the test cluster (user {@link #USER}). */
  public static String fresh(String hint) {
    return PostgresServer.newDatabase(hint + "_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet());
  }
}
