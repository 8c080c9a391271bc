package io.dataops.platform.intake;

import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.platform.config.PlatformConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The contract in force for a department's dataset, as the audit trail's last {@code contract.register} event says
 * it was registered ({@link Registrations}). A contract deleted from the home made {@code land} read the feed by
 * whatever contract lay beside the file; one edited there changed the promised schema without an event.
 */
public final class RegisteredContracts {
  private RegisteredContracts() {}

  /** The dataset's registered contract (empty when none was ever registered), or a refusal saying what is wrong. */
  public static Optional<ContractRegistry.Registered> find(PlatformConfig config, String department,
      String dataset) {
    ContractRegistry registry = new ContractRegistry(config.contracts());
    Registrations.check(config, "contract.register", "contract:" + department + "/" + dataset,
        () -> registry.file(department, dataset),
        e -> registry.finishInterrupted(department, dataset, (String) e.details().get("sha256")),
        "the contract of " + department + "/" + dataset, null, "the department registers it again (dataops contract "
            + "register --department " + department + " --dataset " + dataset + " --file CONTRACT)");
    return registry.find(department, dataset);
  }

  /**
   * Registers {@code file} as the dataset's contract ({@link ContractRegistry#register}) under the dataset's
   * registration lock: two registrations at once, or one and a check finishing a killed one, take turns.
   */
  public static ContractRegistry.Registered register(PlatformConfig config, String department, String dataset,
      Path file, io.dataops.core.audit.AuditSink audit) {
    TableNames.ods(department, dataset); // the names are checked before they name a lock
    return Registrations.registering(config, "contract:" + department + "/" + dataset,
        () -> new ContractRegistry(config.contracts()).register(department, dataset, file, audit));
  }
}
