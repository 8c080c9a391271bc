package io.dataops.lakehouse.secrets;

import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets that stay behind when a job is shipped to other processes. A Flink job's graph (its catalog loader, its
 * tables' FileIO) goes to a session cluster's JobManager and TaskManagers, into their blob stores and REST answers;
 * for a secret it carries only that one is needed. Where it is opened again, the secret is the one this process was
 * configured with (a job in the in-process mini-cluster), else the one that host's own environment gives, under the
 * names the platform itself reads: {@code DATAOPS_CATALOG_PASSWORD} (or a file named by
 * {@code DATAOPS_CATALOG_PASSWORD_FILE}) and {@code AWS_SECRET_ACCESS_KEY} (or {@code DATAOPS_S3_SECRET_FILE}). The keys
 * of pseudonyms travel the same way (a task reads its own).
 */
public final class ShippedSecrets {
  public static final String CATALOG_PASSWORD = "DATAOPS_CATALOG_PASSWORD";
  public static final String S3_SECRET = "AWS_SECRET_ACCESS_KEY";
  /**
   * The catalog property of its password. Iceberg hands every catalog property to the catalog's FileIO, which a job
   * ships with each table; no FileIO needs it, so ours do not keep it ({@link #withoutCatalogPassword}).
   */
  public static final String CATALOG_PASSWORD_PROPERTY = "jdbc.password";
  /** Those this process was configured with, by what they open ({@link #catalogKey}, {@link #s3Key}). */
  private static final Map<String, String> HELD = new ConcurrentHashMap<>();

  private ShippedSecrets() {}

  /** FileIO settings as a FileIO keeps them: without the catalog's password, which it never uses. */
  public static Map<String, String> withoutCatalogPassword(Map<String, String> properties) {
    if (!properties.containsKey(CATALOG_PASSWORD_PROPERTY)) {
      return properties;
    }
    Map<String, String> out = new java.util.HashMap<>(properties);
    out.remove(CATALOG_PASSWORD_PROPERTY);
    return out;
  }

  /** Remembers the catalog password this process opens {@code uri} as {@code user} with. */
  public static void holdCatalogPassword(String uri, String user, String password) {
    if (password != null) {
      HELD.put(catalogKey(uri, user), password);
    }
  }

  /** Remembers the secret of an S3 access key this process uses. */
  public static void holdS3Secret(String accessKeyId, String secret) {
    if (accessKeyId != null && secret != null) {
      HELD.put(s3Key(accessKeyId), secret);
    }
  }

  /** The password of a shipped catalog: this process's, else this host's environment's; refused when neither has it. */
  public static String catalogPassword(String uri, String user) {
    return find(HELD.get(catalogKey(uri, user)), System.getenv(), CATALOG_PASSWORD, "the catalog password");
  }

  /** The secret of a shipped S3 access key: this process's, else this host's environment's. */
  public static String s3Secret(String accessKeyId) {
    return find(HELD.get(s3Key(accessKeyId)), System.getenv(), S3_SECRET, "the S3 secret access key");
  }

  /** The secret held, else {@code name} in {@code env}, else the file its file variable names (stripped). */
  static String find(String held, Map<String, String> env, String name, String what) {
    if (held != null) {
      return held;
    }
    String value = env.get(name);
    if (value != null && !value.isBlank()) {
      return value;
    }
    // The platform's names for a file holding it (PlatformConfig): the S3 secret's is not AWS_..._FILE.
    String fileVariable = name.equals(S3_SECRET) ? "DATAOPS_S3_SECRET_FILE" : name + "_FILE";
    String file = env.get(fileVariable);
    if (file != null && !file.isBlank()) {
      try {
        // refused when others may read or change it, as the platform refuses it (PlatformConfig)
        OwnerOnly.modeOpenToOthers(Path.of(file)).ifPresent(mode -> {
          throw new IllegalStateException(what + " is in a file others may read or change (" + fileVariable + ", mode "
              + mode + "): make it owner-only for the user that runs this process (chmod 600)");
        });
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + what + " from the file " + fileVariable + " names on this host"
            + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    // A job carries no secret: a host that runs its tasks (or plans its reads) needs its own.
    throw new IllegalStateException(what + " is not configured on this host: a job brings none, so set " + name
        + " or " + fileVariable + " in the environment of every Flink JobManager and TaskManager");
  }

  private static String catalogKey(String uri, String user) {
    return "catalog\n" + uri + "\n" + user;
  }

  private static String s3Key(String accessKeyId) {
    return "s3\n" + accessKeyId;
  }
}
