package io.dataops.pipelines.plan;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.desensitize.KeyRing;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an executor is made with: the lakehouse, the configured keys, a scratch folder, the platform database (job
 * repositories live there), settings, and services of modules this one may not name (the products module's publisher,
 * which lies below the pipelines module), looked up by type.
 */
public record ExecutorEnvironment(Lakehouse lakehouse, KeyRing keys, Path workRoot, String databaseUrl,
    String databaseUser, String databasePassword, Map<String, String> settings, Map<Class<?>, Object> services) {

  public ExecutorEnvironment {
    settings = Map.copyOf(settings);
    services = Map.copyOf(services);
  }

  /** A service the platform provides; refused clearly when it did not. */
  public <T> T service(Class<T> type) {
    Object s = services.get(type);
    if (s == null) {
      throw new IllegalStateException("the platform provided no " + type.getSimpleName() + " to the executor");
    }
    return type.cast(s);
  }

  @Override
  public String toString() {
    return "ExecutorEnvironment[" + databaseUrl + ", work " + workRoot + "]"; // never the password
  }
}
