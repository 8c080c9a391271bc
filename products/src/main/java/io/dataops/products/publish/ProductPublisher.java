package io.dataops.products.publish;

import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.products.registry.ProductRegistry;

/**
 * Where executors publish product versions: one {@link PublishVersion} per run, over the lakehouse, the registry, the
 * quality gate and the audit trail. Content digests use SM3 unless configured otherwise.
 */
public final class ProductPublisher {
  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final QualityGate gate;
  private final AuditSink audit;
  private final DigestAlgorithm algorithm;
  private final PublishCheck check;

  public ProductPublisher(Lakehouse lakehouse, ProductRegistry registry, QualityGate gate, AuditSink audit,
      DigestAlgorithm algorithm) {
    this(lakehouse, registry, gate, audit, algorithm, PublishCheck.NONE);
  }

  private ProductPublisher(Lakehouse lakehouse, ProductRegistry registry, QualityGate gate, AuditSink audit,
      DigestAlgorithm algorithm, PublishCheck check) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.gate = gate;
    this.audit = audit;
    this.algorithm = algorithm;
    this.check = check;
  }

  /** This publisher, asking {@code check} right before each version becomes visible. */
  public ProductPublisher checkingBeforePublish(PublishCheck check) {
    return new ProductPublisher(lakehouse, registry, gate, audit, algorithm, check);
  }

  /** Without a quality gate (a pipeline naming a suite is refused) or an audit trail: for single-module use. */
  public static ProductPublisher ungated(Lakehouse lakehouse, ProductRegistry registry) {
    return new ProductPublisher(lakehouse, registry, QualityGate.NONE, AuditSink.NONE, DigestAlgorithm.SM3);
  }

  /** The registry the versions are recorded in. */
  public ProductRegistry registry() {
    return registry;
  }

  /** A new version of {@code product} as the run {@code runKey} makes it (its table must exist). */
  public PublishVersion newVersion(String product, String runKey) {
    return new PublishVersion(lakehouse, registry, gate, audit, algorithm, product, runKey, check);
  }
}
