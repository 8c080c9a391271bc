package io.dataops.jobs.flink;

import io.dataops.core.BadInputException;
import java.util.Map;

/**
 * How the Flink engine runs, from the platform's settings: {@code flink.cluster} (a session cluster's JobManager REST
 * address, {@code host:port}; absent: an in-process mini-cluster per job), {@code flink.parallelism} (default 2), and
 * {@code keys.file} (the keys file tasks read their keys from; their environment's {@code DATAOPS_KEY_<NAME>} wins).
 *
 * @param privacyMemory what a task's class counts (and the client's merge) may hold before they spill
 * @param filterMemory the most the leak filter may take (the same limit as the Spring Batch engine's)
 */
public record FlinkSettings(String clusterHost, int clusterPort, int parallelism, String keysFile, long privacyMemory,
    long filterMemory) {
  public static final String CLUSTER = "flink.cluster";
  public static final String PARALLELISM = "flink.parallelism";
  public static final String KEYS_FILE = "keys.file";
  public static final int DEFAULT_PARALLELISM = 2;
  static final int MAX_PARALLELISM = 256;

  public static FlinkSettings of(Map<String, String> settings) {
    String host = null;
    int port = 0;
    String cluster = settings.get(CLUSTER);
    if (cluster != null && !cluster.isBlank()) {
      String c = cluster.strip().replaceFirst("^https?://", "").replaceFirst("/$", "");
      int colon = c.lastIndexOf(':');
      try {
        host = c.substring(0, colon);
        port = Integer.parseInt(c.substring(colon + 1));
      } catch (RuntimeException e) {
        throw new BadInputException(CLUSTER + " is the JobManager's REST address, HOST:PORT (e.g. flink-jm:8081), not '"
            + cluster.strip() + "'");
      }
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new BadInputException(CLUSTER + " is the JobManager's REST address, HOST:PORT (e.g. flink-jm:8081), not '"
            + cluster.strip() + "'");
      }
    }
    int parallelism = DEFAULT_PARALLELISM;
    String p = settings.get(PARALLELISM);
    if (p != null && !p.isBlank()) {
      try {
        parallelism = Integer.parseInt(p.strip());
      } catch (NumberFormatException e) {
        parallelism = 0;
      }
      if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
        throw new BadInputException("the parallelism is a whole number from 1 to " + MAX_PARALLELISM + ", not '"
            + p.strip() + "'");
      }
    }
    String keys = settings.get(KEYS_FILE);
    return new FlinkSettings(host, port, parallelism, keys == null || keys.isBlank() ? null : keys, 64L << 20,
        64L << 20);
  }

  public boolean remote() {
    return clusterHost != null;
  }
}
