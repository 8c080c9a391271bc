package io.dataops.platform.governance;

import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.metering.Metering;
import io.dataops.governance.supervision.Supervision;
import io.dataops.governance.supervision.SupervisionRules;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import io.dataops.platform.product.ProductServices;
import io.dataops.products.registry.RegistryCheck;
import java.time.Clock;
import java.util.List;

/**
 * Security supervision as the platform wires it: alerts to the home's outbox of each authority organization; the
 * product registry held to its lifecycle events at each scan.
 */
public final class SupervisionServices {
  private SupervisionServices() {}

  public static Supervision supervision(PlatformConfig config) {
    GovernanceDatabase db = Sessions.database(config);
    AuditTrail trail = new AuditTrail(db);
    // The product registry sits beside the chain too; governance cannot see it, so its check is handed in.
    return new Supervision(db, trail, new Metering(db, trail), SupervisionRules.DEFAULTS, config.documents("outbox"),
        Clock.systemUTC(), List.of(new RegistryCheck(trail).drift(ProductServices.registry(config))));
  }
}
