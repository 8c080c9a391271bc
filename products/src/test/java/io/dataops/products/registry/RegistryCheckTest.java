package io.dataops.products.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.metering.Metering;
import io.dataops.governance.supervision.Alert;
import io.dataops.governance.supervision.Supervision;
import io.dataops.governance.supervision.SupervisionRules;
import io.dataops.products.ProductFixture;
import io.dataops.products.billing.Billing;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.QualityGate;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's rows held to the chained events of each version's moves, edited in the platform database itself as
 * whoever can write it would (found by a probe: a sealed version set back to published was delivered, a price set to
 * 0.01 was billed so, and {@code audit verify} said ok).
 */
class RegistryCheckTest extends ProductFixture {
  GovernanceDatabase db;
  AuditTrail trail;
  RegistryCheck check;
  Lifecycle life;

  @BeforeEach
  void versionsMovedWithTheirEvents() {
    db = new GovernanceDatabase(lakehouse.config().catalogUri(), null, null);
    trail = new AuditTrail(db);
    check = new RegistryCheck(trail);
    life = new Lifecycle(lakehouse, registry, trail);
    for (int v = 1; v <= 2; v++) {
      String runKey = "run-" + v;
      new ProductPublisher(lakehouse, registry, QualityGate.NONE, trail, DigestAlgorithm.SM3).newVersion(PRODUCT,
          runKey).lineage(lineage(runKey, 10)).actor(OPERATOR).replaceWith(List.of(dataFile(v * 10, v * 10 + 5)))
          .commit();
      life.submit(PRODUCT, v, OPERATOR);
      life.approve(PRODUCT, v, AUTHORITY, null);
      life.publish(PRODUCT, v, OPERATOR, "market", "1000.00", "L", null); // v1 superseded by v2
    }
    new ProductPublisher(lakehouse, registry, QualityGate.NONE, trail, DigestAlgorithm.SM3).newVersion(PRODUCT,
        "run-3").lineage(lineage("run-3", 10)).actor(OPERATOR).replaceWith(List.of(dataFile(40, 45))).commit();
  }

  private void edit(String sql) {
    db.write("edit the registry", c -> {
      try (var p = c.prepareStatement(sql)) {
        return p.executeUpdate();
      }
    });
  }

  @Test
  void versionsAsTheirEventsSayPass() {
    assertThat(check.check(registry)).isEmpty();
    for (ProductVersion v : registry.list(PRODUCT)) {
      assertThat(check.differences(v)).as(v.label()).isEmpty();
    }
  }

  @Test
  void aStateOrPriceChangedInTheDatabaseIsFoundAndRefused() {
    edit("UPDATE product_versions SET state = 'published' WHERE product = 'street-stats' AND version = 1");
    edit("UPDATE product_versions SET publication = replace(publication, '\"1000.00\"', '\"0.01\"')"
        + " WHERE product = 'street-stats' AND version = 2");
    edit("UPDATE product_versions SET state = 'approved' WHERE product = 'street-stats' AND version = 3");
    assertThat(check.check(registry)).containsExactly(
        "street-stats v1: the registry says published, its audit events superseded",
        "street-stats v2: its publication differs from its publish event in price",
        "street-stats v3: the registry says approved, its audit events draft");
    assertThatThrownBy(() -> check.require(registry.find(PRODUCT, 1).orElseThrow(), "the delivery of street-stats v1"))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("the delivery of street-stats v1 refused: "
            + "street-stats v1: the registry says published, its audit events superseded");
    // A statement bills no version whose price differs from its publish event.
    trail.record(AuditEvent.ok("product.deliver", List.of("product:street-stats@2"), Map.of("product", PRODUCT,
        "version", 2, "partner", "qianhai-credit", "rows", 6, "bytes", 60, "via", "deliver")));
    Billing billing = new Billing(registry, new Metering(db, trail), p -> new BigDecimal("0.30"))
        .checkingVersions(check);
    assertThatThrownBy(() -> billing.statement(YearMonth.now(Billing.ZONE), null, null))
        .isInstanceOf(BadInputException.class).hasMessageContaining("street-stats v2: its publication differs from "
            + "its publish event in price");
  }

  @Test
  void aVersionNoEventRecordsIsFound() {
    edit("UPDATE product_versions SET version = 9 WHERE product = 'street-stats' AND version = 3");
    assertThat(check.check(registry)).containsExactly("street-stats v9: no audit event records it");
  }

  /** Supervision raises the drift once per distinct drift, without anyone running {@code audit verify}. */
  @Test
  void supervisionRaisesRegistryDriftOncePerDistinctDrift() {
    Supervision supervision = new Supervision(db, trail, new Metering(db, trail), SupervisionRules.DEFAULTS,
        (io.dataops.lakehouse.storage.Documents) null, Clock.systemUTC(), List.of(check.drift(registry)));
    assertThat(supervision.scan()).as("an untouched registry").isEmpty();
    edit("UPDATE product_versions SET publication = replace(publication, '\"1000.00\"', '\"0.01\"')"
        + " WHERE product = 'street-stats' AND version = 2");
    assertThat(supervision.scan()).singleElement().satisfies(a -> {
      assertThat(a.rule()).isEqualTo("registry-drift");
      assertThat(a.severity()).isEqualTo("high");
      assertThat(a.subject()).isEqualTo("products:registry");
      assertThat(a.message()).isEqualTo("the product registry differs from the audit trail: street-stats v2: its "
          + "publication differs from its publish event in price").doesNotContain("0.01");
    });
    assertThat(supervision.scan()).as("the same drift").isEmpty();
    edit("UPDATE product_versions SET state = 'published' WHERE product = 'street-stats' AND version = 1");
    assertThat(supervision.scan()).singleElement().extracting(Alert::message).asString()
        .contains("street-stats v1: the registry says published, its audit events superseded");
    assertThat(trail.list(AuditFilter.newest().action("alert.raise"))).hasSize(2);
  }
}
