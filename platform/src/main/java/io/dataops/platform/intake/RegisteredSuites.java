package io.dataops.platform.intake;

import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.quality.suite.SuiteRegistry;
import java.util.Optional;

/**
 * The suite in force for a department's dataset: the file the registry holds, as the audit trail's last
 * {@code quality.suite.register} event of its table says it was registered ({@link Registrations}). A suite deleted
 * from the home made every later feed land unchecked without a word, and one edited there checked feeds by rules
 * nobody registered; either is now refused until the department registers its suite again.
 */
public final class RegisteredSuites {
  private RegisteredSuites() {}

  /** The dataset's registered suite (empty when none was ever registered), or a refusal saying what is wrong. */
  public static Optional<SuiteRegistry.Registered> find(PlatformConfig config, String department, String dataset) {
    SuiteRegistry registry = new SuiteRegistry(config.suites());
    Registrations.check(config, "quality.suite.register", "table:" + TableNames.ods(department, dataset),
        () -> registry.file(department, dataset), e -> registry.finishInterrupted(department, dataset,
            (String) e.details().get("file"), (String) e.details().get("sha256")),
        "the quality suite '{}' of " + department + "/" + dataset, "suite", "its feeds would land unchecked; the "
            + "department registers it again (dataops quality suite register --department " + department
            + " --dataset " + dataset + " --file SUITE)");
    return registry.find(department, dataset);
  }

  /**
   * Registers {@code file} as the dataset's suite ({@link SuiteRegistry#register}) under the dataset's registration
   * lock: two registrations at once, or one and a check finishing a killed one, take turns.
   */
  public static SuiteRegistry.Registered register(PlatformConfig config, String department, String dataset,
      java.nio.file.Path file, io.dataops.core.audit.AuditSink audit) {
    return Registrations.registering(config, "table:" + TableNames.ods(department, dataset),
        () -> new SuiteRegistry(config.suites()).register(department, dataset, file, audit));
  }
}
