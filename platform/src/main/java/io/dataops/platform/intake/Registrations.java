package io.dataops.platform.intake;

import io.dataops.core.BadInputException;
import io.dataops.core.db.DatabaseLock;
import io.dataops.core.digest.Digests;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * A file a registry of the home holds (a suite, a contract) against the audit trail's last registration event of
 * its object: registries are folders, and a file deleted or edited there changed what the platform checks feeds by
 * without an event. The file must be there and, when the event recorded its SHA-256, hold those bytes. Events from
 * before the digest was recorded only ask for the file. No event: nothing was registered, nothing to compare. A
 * registration whose process was killed between its event and its file's move is finished here (rolled forward):
 * the scratch copy holding the event's bytes takes its place.
 */
final class Registrations {
  private Registrations() {}

  /**
   * @param file where the registry holds the file now, looked up again when an interrupted registration is finished
   * @param finish finishes the registration of the event a kill interrupted before its copy was moved in (true when
   *     the copy holding the event's bytes was found and moved)
   * @param what how the refusal names the registered thing, e.g. "the quality suite 'S'" (the event's details may
   *     complete it: {@code detail} is the detail key whose value is put in, or null)
   * @param again what the department does to mend it
   */
  static void check(PlatformConfig config, String action, String object, Supplier<Optional<Path>> file,
      Predicate<AuditRecord> finish, String what, String detail, String again) {
    if (matches(lastEvent(config, action, object), file.get())) {
      return;
    }
    // A registration going on now is between its event and its move: wait for it (then the file matches), or for the
    // lock of a killed one (then its copy is finished here, by one process only).
    try (DatabaseLock lock = Sessions.database(config).lock(lockName(object), "registering " + object, WAIT)) {
      List<AuditRecord> last = lastEvent(config, action, object);
      Optional<Path> now = file.get();
      if (matches(last, now)) {
        return;
      }
      AuditRecord e = last.get(0);
      String registered = what.replace("{}", detail == null ? "" : String.valueOf(e.details().get(detail)))
          + " registered by " + e.actor() + " at " + e.at();
      Object recorded = e.details().get("sha256");
      if (recorded != null && finish.test(e)) {
        LoggerFactory.getLogger(Registrations.class).warn("finished the registration of {}: its process was stopped"
            + " after recording the event and before the file took its place", registered);
        return;
      }
      check(now, registered, recorded, again);
    }
  }

  /** How long a registration or a check waits for another process registering the same object. */
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static String lockName(String object) {
    return "registration " + object;
  }

  /**
   * Registers {@code object} (e.g. {@code contract:D/X}) with {@code work} while holding its registration lock: the
   * registration's event and its file's move are not interleaved with another's (the last event and the file would
   * name two registrations, and every feed would be refused) nor with a check finishing an interrupted one.
   */
  static <T> T registering(PlatformConfig config, String object, Supplier<T> work) {
    try (DatabaseLock lock = Sessions.database(config).lock(lockName(object), "registering " + object, WAIT)) {
      return work.get();
    }
  }

  /** True when there is no registration event, or the file is there and (when it was recorded) holds its bytes. */
  private static boolean matches(List<AuditRecord> last, Optional<Path> now) {
    if (last.isEmpty()) {
      return true;
    }
    Object recorded = last.get(0).details().get("sha256");
    return now.isPresent() && (recorded == null || Digests.sha256(now.get()).equals(recorded));
  }

  private static List<AuditRecord> lastEvent(PlatformConfig config, String action, String object) {
    return new AuditTrail(Sessions.database(config)).list(AuditFilter.newest().action(action).object(object)
        .outcome("ok").limit(1));
  }

  private static void check(Optional<Path> file, String registered, Object sha256, String again) {
    if (file.isEmpty()) {
      throw new BadInputException(registered + " is missing from the home: " + again);
    }
    if (sha256 != null) {
      String now = Digests.sha256(file.get());
      if (!now.equals(sha256)) {
        throw new BadInputException(file.get() + " is not " + registered + ": it was changed since, outside "
            + "registration (SHA-256 " + sha256.toString().substring(0, 12) + "... registered, " + now.substring(0, 12)
            + "... now); " + again);
      }
    }
  }
}
