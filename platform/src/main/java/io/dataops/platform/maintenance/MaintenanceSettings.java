package io.dataops.platform.maintenance;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.maintenance.MaintenancePolicy;
import io.dataops.platform.config.PlatformConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The retention policy of {@code dataops table maintain}, from the environment or {@code <home>/dataops.properties}
 * (the environment winning), each overridable on the command line:
 *
 * <pre>
 * DATAOPS_MAINTENANCE_KEEP_LAST       maintenance.keep-last       10    snapshots of the main branch always kept
 * DATAOPS_MAINTENANCE_MAX_AGE         maintenance.max-age         7d    older snapshots beyond those are expired
 * DATAOPS_MAINTENANCE_SAFETY_AGE      maintenance.safety-age      1d    younger files and staged snapshots are kept
 * DATAOPS_MAINTENANCE_SMALL_FILE_MB   maintenance.small-file-mb   16    data files below this are compacted
 * </pre>
 *
 * Ages are {@code 30m}, {@code 12h}, {@code 7d} or ISO-8601 ({@code PT1H}).
 */
public final class MaintenanceSettings {
  private MaintenanceSettings() {}

  /** The largest "small" file size a policy may name, in MB. */
  static final long MAX_SMALL_FILE_MB = 1L << 20;

  /** The policy the home configures, with the given overrides (null: not given). */
  public static MaintenancePolicy policy(PlatformConfig config, Map<String, String> env, Integer keepLast,
      String maxAge, String safetyAge, Long smallFileMb) {
    Properties file = properties(config.home().resolve(PlatformConfig.PROPERTIES_FILE));
    MaintenancePolicy d = MaintenancePolicy.DEFAULT;
    int keep = keepLast != null ? keepLast
        : (int) number(setting(env, file, "KEEP_LAST", "keep-last"), d.keepLast(), "maintenance.keep-last");
    Duration max = maxAge != null ? duration(maxAge, "--max-age")
        : durationOr(setting(env, file, "MAX_AGE", "max-age"), d.maxSnapshotAge(), "maintenance.max-age");
    Duration safety = safetyAge != null ? duration(safetyAge, "--safety-age")
        : durationOr(setting(env, file, "SAFETY_AGE", "safety-age"), d.safetyAge(), "maintenance.safety-age");
    long smallMb = smallFileMb != null ? smallFileMb
        : number(setting(env, file, "SMALL_FILE_MB", "small-file-mb"), d.smallFileBytes() >> 20,
            "maintenance.small-file-mb");
    // Bounded before it is shifted into bytes: 17592186044417 MB overflowed to 1 MB (found by a probe).
    if (smallMb < 0 || smallMb > MAX_SMALL_FILE_MB) {
      throw new BadInputException((smallFileMb != null ? "--small-file-mb" : "maintenance.small-file-mb")
          + " must be 0 to " + MAX_SMALL_FILE_MB + " (1 TiB), not " + smallMb);
    }
    return new MaintenancePolicy(keep, max, safety, smallMb << 20, Math.max(d.targetFileBytes(), smallMb << 21));
  }

  /** {@code 30m}, {@code 12h}, {@code 7d}, {@code 0} or ISO-8601 (the CLI's ages and timeouts). */
  public static Duration duration(String text, String where) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      if (t.matches("\\d+[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new BadInputException(where + ": '" + text + "' is not an age (e.g. 30m, 12h, 7d or PT1H)");
    } catch (ArithmeticException e) {
      throw new BadInputException(where + ": '" + text + "' is too long an age");
    }
  }

  private static Duration durationOr(String text, Duration fallback, String where) {
    return text == null ? fallback : duration(text, where);
  }

  private static long number(String text, long fallback, String where) {
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException(where + ": '" + text + "' is not a whole number");
    }
  }

  private static String setting(Map<String, String> env, Properties file, String envSuffix, String key) {
    String v = env.get("DATAOPS_MAINTENANCE_" + envSuffix);
    if (v == null || v.isBlank()) {
      v = file.getProperty("maintenance." + key);
    }
    return v == null || v.isBlank() ? null : v;
  }

  private static Properties properties(Path file) {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new BadInputException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return p;
  }
}
