package io.dataops.platform.intake;

import io.dataops.core.BadInputException;
import io.dataops.core.digest.Digests;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import io.dataops.quality.suite.SuiteRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The suite in force for a department's dataset: the file the registry holds, as the audit trail's last
 * {@code quality.suite.register} event of its table says it was registered. The registry is a folder of the home; a
 * suite deleted there made every later feed land unchecked without a word, and one edited there checked feeds by
 * rules nobody registered. Either is now refused, naming who registered what and when, until the department
 * registers its suite again. Events of registrations before the digest was recorded are taken as they are (their file
 * is only required to be there).
 */
public final class RegisteredSuites {
  static final String REGISTER = "quality.suite.register";

  private RegisteredSuites() {}

  /** The dataset's registered suite (empty when none was ever registered), or a refusal saying what is wrong. */
  public static Optional<SuiteRegistry.Registered> find(PlatformConfig config, String department, String dataset) {
    SuiteRegistry registry = new SuiteRegistry(config.suites());
    Optional<Path> file = registry.file(department, dataset);
    String table = TableNames.ods(department, dataset).toString();
    List<AuditRecord> last = new AuditTrail(Sessions.database(config)).list(AuditFilter.newest().action(REGISTER)
        .object("table:" + table).outcome("ok").limit(1));
    if (!last.isEmpty()) {
      AuditRecord e = last.get(0);
      String registered = "the quality suite '" + e.details().get("suite") + "' registered for " + department + "/"
          + dataset + " by " + e.actor() + " at " + e.at();
      String again = "the department registers it again (dataops quality suite register --department " + department
          + " --dataset " + dataset + " --file SUITE)";
      if (file.isEmpty()) {
        throw new BadInputException(registered + " is missing from " + config.suites() + ": its feeds would land "
            + "unchecked; " + again);
      }
      Object sha256 = e.details().get("sha256");
      if (sha256 != null) {
        String now = Digests.sha256(file.get());
        if (!now.equals(sha256)) {
          throw new BadInputException(file.get() + " is not " + registered + ": it was changed since, outside "
              + "registration (SHA-256 " + sha256.toString().substring(0, 12) + "... registered, " + now.substring(0, 12)
              + "... now); " + again);
        }
      }
    }
    return file.isEmpty() ? Optional.empty() : registry.find(department, dataset);
  }
}
