package io.dataops.products.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.metering.Metering;
import io.dataops.products.ProductFixture;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.registry.ProductVersion;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Statements from metered deliveries and price plans, and revenue shares to the source departments by the rows their
 * tables gave each version: every charge exact, every product's shares adding up to its revenue to the fen.
 */
class BillingTest extends ProductFixture {
  GovernanceDatabase db;
  ProductVersion v1;
  ProductVersion v2;

  @BeforeEach
  void publishedVersions() {
    db = new GovernanceDatabase(lakehouse.config().catalogUri(), null, null);
    Lifecycle life = new Lifecycle(lakehouse, registry, audit);
    v1 = publish(false, dataFile(1, 10));
    life.submit(PRODUCT, 1, OPERATOR);
    life.approve(PRODUCT, 1, AUTHORITY, null);
    life.publish(PRODUCT, 1, OPERATOR, "market", "0.10", "L", "per-row");
    v2 = publish(false, dataFile(1, 12));
    life.submit(PRODUCT, 2, OPERATOR);
    life.approve(PRODUCT, 2, AUTHORITY, null);
    life.publish(PRODUCT, 2, OPERATOR, "market", "1000.00", "L", "subscription");
    publish("free-atlas", false, dataFile("free-atlas", 1, 3));
    life.submit("free-atlas", 1, OPERATOR);
    life.approve("free-atlas", 1, AUTHORITY, null);
    life.publish("free-atlas", 1, OPERATOR, "public-interest", null, "CC BY 4.0");
    // The runs' reads: v1 from two departments' tables, v2 from three.
    run("2026-03-01T01:00:00Z", v1, Map.of("human-resources", 8000L, "market-regulation", 600L));
    run("2026-03-20T01:00:00Z", v2, Map.of("human-resources", 8000L, "market-regulation", 600L,
        "public-security", 5000L));
  }

  private AuditTrail at(String instant) {
    return new AuditTrail(db, DigestAlgorithm.SM3, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
  }

  private void run(String instant, ProductVersion v, Map<String, Long> rowsByDepartment) {
    List<Object> reads = new java.util.ArrayList<>();
    rowsByDepartment.forEach((d, rows) -> reads.add(Map.of("table", "ods." + d.replace('-', '_') + "__data",
        "department", d, "snapshot", 1, "rows", rows, "bytes", rows * 10)));
    at(instant).record(AuditEvent.ok("pipeline.run", List.of("pipeline:p", "product:" + v.product()), Map.of(
        "runKey", v.lineage().runKey(), "recognized", false, "reads", reads)));
  }

  private void deliver(String instant, String partner, ProductVersion v, long rows) {
    at(instant).record(AuditEvent.ok("product.deliver", List.of("product:" + v.product() + "@" + v.version()),
        Map.of("product", v.product(), "version", v.version(), "partner", partner, "rows", rows, "bytes", rows * 9,
            "via", "deliver")));
  }

  private Billing billing(String ratio) {
    return new Billing(registry, new Metering(db, at("2026-04-01T00:00:00Z")), p -> new BigDecimal(ratio));
  }

  @Test
  void aMonthsStatementChargesEachPlanAndSharesAddUpToEachProductsRevenue() {
    deliver("2026-03-02T02:00:00Z", "qianhai-credit", v1, 10);
    deliver("2026-03-05T02:00:00Z", "qianhai-credit", v1, 7);
    deliver("2026-03-05T03:00:00Z", "partner-co", v1, 3);
    deliver("2026-03-21T02:00:00Z", "qianhai-credit", v2, 12);
    deliver("2026-03-22T02:00:00Z", "qianhai-credit", v2, 12);
    deliver("2026-03-25T02:00:00Z", "partner-co", registry.find("free-atlas", 1).orElseThrow(), 3);
    // Outside March in the district's time: 2026-03-31T16:00Z is April 1st, 00:00 in Shenzhen.
    deliver("2026-03-31T16:00:00Z", "qianhai-credit", v1, 1000);
    deliver("2026-02-28T15:59:59Z", "qianhai-credit", v1, 1000);

    Statement s = billing("0.30").statement(YearMonth.of(2026, 3), null, null);
    assertThat(s.lines()).extracting(l -> l.product() + " v" + l.version() + " " + l.org() + " " + l.plan() + " "
        + l.deliveries() + "/" + l.rows() + " " + l.amount()).containsExactly(
        "free-atlas v1 partner-co free 1/3 0.00",
        "street-stats v1 partner-co per-row 1/3 0.30",
        "street-stats v1 qianhai-credit per-row 2/17 1.70",
        "street-stats v2 qianhai-credit subscription 2/24 1000.00");
    assertThat(s.total()).isEqualByComparingTo("1002.00");
    // v1's 2.00: a pool of 0.60 by 8000:600 rows (55.81 and 4.18 fen): 0.55 and 0.04, the fen left to the larger
    // remainder (human resources). v2's 1000.00: a pool of 300.00 by 8000:600:5000 (17647.06, 1323.53, 11029.41
    // fen), the fen left to market regulation. Added up per product; the operator keeps the rest.
    assertThat(s.shares()).extracting(x -> x.product() + " " + x.party() + " " + x.role() + " " + x.amount())
        .containsExactly(
            "free-atlas public-security department 0.00",
            "free-atlas futian-data-operator operator 0.00",
            "street-stats human-resources department 177.03",
            "street-stats market-regulation department 13.28",
            "street-stats public-security department 110.29",
            "street-stats futian-data-operator operator 701.40");
    assertThat(s.shares().get(2).weightRows()).isEqualTo(16_000);
    for (Statement.ProductRevenue p : s.products()) {
      assertThat(s.shares().stream().filter(x -> x.product().equals(p.product())).map(Statement.Share::amount)
          .reduce(BigDecimal.ZERO, BigDecimal::add)).as(p.product()).isEqualByComparingTo(p.revenue());
    }
    assertThat(s.products()).extracting(p -> p.product() + " " + p.revenue()).containsExactly("free-atlas 0.00",
        "street-stats 1002.00");
  }

  @Test
  void eachOrganizationSeesItsPartOfTheMonth() {
    deliver("2026-03-02T02:00:00Z", "qianhai-credit", v1, 10);
    deliver("2026-03-05T03:00:00Z", "partner-co", v1, 3);
    deliver("2026-03-21T02:00:00Z", "qianhai-credit", v2, 12);
    Billing billing = billing("0.30");
    YearMonth march = YearMonth.of(2026, 3);

    Statement partner = billing.statement(march, "qianhai-credit", "partner");
    assertThat(partner.lines()).extracting(Statement.Line::amount).containsExactly(new BigDecimal("1.00"),
        new BigDecimal("1000.00"));
    assertThat(partner.total()).isEqualByComparingTo("1001.00");
    assertThat(partner.shares()).isEmpty();

    Statement operator = billing.statement(march, OWNER, "operator");
    assertThat(operator.total()).isEqualByComparingTo("1001.30");
    assertThat(operator.lines()).hasSize(3);
    assertThat(operator.shares()).extracting(Statement.Share::role).containsExactly("department", "department",
        "department", "operator");

    Statement department = billing.statement(march, "public-security", "department");
    assertThat(department.shares()).extracting(Statement.Share::amount).containsExactly(new BigDecimal("110.29"));
    assertThat(department.total()).isEqualByComparingTo("110.29");

    assertThat(billing.statement(YearMonth.of(2026, 4), "qianhai-credit", "partner").lines()).isEmpty();
    assertThatThrownBy(() -> billing.statement(march, "futian-data-bureau", "authority"))
        .isInstanceOf(BadInputException.class).hasMessage("a statement is for a partner, an operator or a "
            + "department; futian-data-bureau is of kind authority");
    // A ratio of nothing leaves all the revenue to the operator.
    Statement none = billing("0").statement(march, null, null);
    assertThat(none.shares()).filteredOn(x -> x.role().equals("department"))
        .allSatisfy(x -> assertThat(x.amount()).isEqualByComparingTo("0"));
  }

  @Test
  void aPlanIsOneAMarketListingMayName() {
    ProductVersion v3 = publish(false, dataFile(1, 2));
    Lifecycle life = new Lifecycle(lakehouse, registry, audit);
    life.submit(PRODUCT, v3.version(), OPERATOR);
    life.approve(PRODUCT, v3.version(), AUTHORITY, null);
    assertThatThrownBy(() -> life.publish(PRODUCT, v3.version(), OPERATOR, "market", "5", "L", "per-minute"))
        .isInstanceOf(BadInputException.class).hasMessage("--plan is per-delivery, per-row or subscription, not "
            + "'per-minute'");
    assertThatThrownBy(() -> life.publish(PRODUCT, v3.version(), OPERATOR, "public-interest", null, "L", "per-row"))
        .isInstanceOf(BadInputException.class).hasMessage("a public-interest publication is free: leave out --plan");
    assertThat(life.publish(PRODUCT, v3.version(), OPERATOR, "market", "5", "L", null).publication().plan())
        .isEqualTo("per-delivery");
  }

  /**
   * Records changed in the platform database are no basis for a statement (found by a probe: a delivery's partner
   * changed there was charged, a deleted delivery billed nobody, and every check passed): the statement is refused,
   * saying which records differ in what, naming no value.
   */
  @Test
  void noStatementIsMadeFromMeteringRecordsThatDifferFromTheirEvents() throws Exception {
    deliver("2026-03-02T02:00:00Z", "qianhai-credit", v1, 10);
    deliver("2026-03-05T02:00:00Z", "qianhai-credit", v1, 7);
    Billing billing = billing("0.30");
    assertThat(billing.statement(YearMonth.of(2026, 3), null, null).total()).isEqualByComparingTo("1.70");
    long seq = db.read("find a delivery", c -> {
      try (var p = c.prepareStatement("SELECT MIN(audit_seq) FROM meter_deliveries");
           var r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
    db.write("change a delivery", c -> {
      try (var p = c.prepareStatement("UPDATE meter_deliveries SET partner = 'evil4', rows_delivered = 1"
          + " WHERE audit_seq = ?")) {
        p.setLong(1, seq);
        return p.executeUpdate();
      }
    });
    assertThatThrownBy(() -> billing.statement(YearMonth.of(2026, 3), "evil4", "partner"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("no statement of 2026-03: the metering records differ from the audit trail they are "
            + "derived from (delivery " + seq + ": the metering record differs from its audit event in partner, rows)")
        .hasMessageNotContaining("evil4");
  }
}
