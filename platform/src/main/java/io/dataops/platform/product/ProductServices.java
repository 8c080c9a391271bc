package io.dataops.platform.product;

import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.Verifier;

/** The products module as the platform wires it: the registry in the platform database, archives and certificates
 * under the home, events to the command's audit sink. */
public record ProductServices(PlatformConfig config, Lakehouse lakehouse, ProductRegistry registry, AuditSink audit) {

  public static ProductServices of(PlatformConfig config, Lakehouse lakehouse, AuditSink audit) {
    return new ProductServices(config, lakehouse, registry(config), audit);
  }

  /** The product versions pipeline runs recorded, in the platform database (no lakehouse needed to read them). */
  public static ProductRegistry registry(PlatformConfig config) {
    var lc = config.lakehouse();
    return new ProductRegistry(lc.catalogUri(), lc.catalogUser(), lc.catalogPassword());
  }

  /** A version as lists show it: {@code name, version, state, snapshotId, tag, rows, createdAt, updatedAt}. */
  public static java.util.Map<String, Object> summary(io.dataops.products.registry.ProductVersion v) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("name", v.product());
    m.put("version", v.version());
    m.put("state", v.state().label());
    m.put("snapshotId", v.snapshotId());
    m.put("tag", v.tag());
    m.put("rows", v.rows()); // all it holds: an incremental version's lineage counts only the rows its run added
    m.put("createdAt", v.createdAt());
    m.put("updatedAt", v.updatedAt());
    return m;
  }

  public Lifecycle lifecycle() {
    return new Lifecycle(lakehouse, registry, audit);
  }

  public Sealer sealer() {
    return new Sealer(lakehouse, registry, audit, config.archives(lakehouse));
  }

  public Verifier verifier() {
    return new Verifier(lakehouse, registry);
  }

  /** Deliveries to partners, each checked against the grants its version was made under (a revoked one stops it). */
  public io.dataops.products.delivery.Delivery delivery() {
    // Held to its audit events first: a sealed version set back to published in the platform database was delivered.
    io.dataops.products.registry.RegistryCheck records = new io.dataops.products.registry.RegistryCheck(
        new io.dataops.governance.audit.AuditTrail(io.dataops.platform.session.Sessions.database(config)));
    io.dataops.products.delivery.DeliveryCheck grants = io.dataops.platform.governance.GrantServices.deliveryCheck(
        config, audit);
    return new io.dataops.products.delivery.Delivery(lakehouse, registry, audit).checkingBeforeDelivery(v -> {
      records.require(v, "the delivery of " + v.label());
      return grants.check(v);
    });
  }

  public Destroyer destroyer() {
    // The copies partners took away are read from the trail; their holders are told through their outboxes.
    return new Destroyer(lakehouse, registry, audit, config.archives(lakehouse),
        config.documents("certificates")).caches(config.work())
        .copiesOutside(new TrailDeliveries(new io.dataops.governance.audit.AuditTrail(
            io.dataops.platform.session.Sessions.database(config))), config.documents("outbox"));
  }
}
