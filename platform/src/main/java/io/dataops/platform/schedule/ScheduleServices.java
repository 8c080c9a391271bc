package io.dataops.platform.schedule;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.scheduler.embedded.EmbeddedScheduler;
import io.dataops.scheduler.embedded.FileLease;
import io.dataops.scheduler.embedded.ScheduleStore;
import io.dataops.scheduler.embedded.SchedulerLease;
import io.dataops.scheduler.embedded.SchedulerSettings;
import java.time.Clock;
import java.util.Map;

/** The embedded scheduler as the platform wires it: its tables in the platform database, runs as CLI commands. */
public final class ScheduleServices {
  private ScheduleServices() {}

  public static ScheduleStore store(PlatformConfig config) {
    var lh = config.lakehouse();
    return new ScheduleStore(lh.catalogUri(), lh.catalogUser(), lh.catalogPassword());
  }

  /** A scheduler over the home's schedules; the lakehouse is watched for feed arrivals. */
  public static EmbeddedScheduler scheduler(PlatformConfig config, Lakehouse lakehouse, Map<String, String> env,
      SchedulerSettings settings, io.dataops.core.audit.AuditSink audit) {
    ScheduleStore store = store(config);
    // Embedded (SQLite): an OS lock on a file in the home, which writes nothing while held and dies with its holder.
    // PostgreSQL (several hosts may share it): a lease row, renewed each tick.
    SchedulerLease lease = config.lakehouse().isEmbedded()
        ? new FileLease(config.home().resolve("scheduler.lock"))
        : SchedulerLease.inDatabase(store, settings.lease());
    return new EmbeddedScheduler(store, lease, new CommandLauncher(config.home(), env, audit, store,
        new io.dataops.governance.identity.Identities(io.dataops.platform.session.Sessions.database(config), audit)),
        new InputSnapshots(lakehouse),
        settings, Clock.systemUTC());
  }

  /**
   * A run's timeout as written ({@code 90m}, {@code 2h}, {@code 7d}, ISO-8601: the maintenance ages), within the
   * scheduler's bounds; else a bad-input error starting with {@code where} (the option or the file's key).
   */
  public static java.time.Duration timeout(String text, String where) {
    try {
      return io.dataops.scheduler.embedded.Schedule.checkTimeout(
          io.dataops.platform.maintenance.MaintenanceSettings.duration(text, where));
    } catch (io.dataops.core.BadInputException e) {
      throw e.getMessage().startsWith(where) ? e
          : new io.dataops.core.BadInputException(where + " " + text.strip() + ": " + e.getMessage());
    }
  }

  /** The current input snapshots of a schedule's tables (its baseline when it is added). */
  public static String inputSnapshots(Lakehouse lakehouse, io.dataops.scheduler.embedded.Schedule s) {
    return new InputSnapshots(lakehouse).fingerprint(s);
  }
}
