package io.dataops.governance.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import io.dataops.governance.metering.Metering;
import io.dataops.governance.testing.MutableClock;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each alert rule fires on a crafted stream of audit events, once per burst, to the authority's outbox and the trail;
 * a stream of normal use (with the odd refusal, advisory checks, steady reads) fires none.
 */
class SupervisionTest {
  @TempDir Path home;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
  GovernanceDatabase db;
  AuditTrail trail;
  Supervision supervision;
  io.dataops.governance.testing.Sql sql;

  @BeforeEach
  void open() {
    LakehouseConfig config = io.dataops.lakehouse.testing.TestStorage.embedded(home);
    db = new GovernanceDatabase(config.catalogUri(), config.catalogUser(), config.catalogPassword());
    sql = new io.dataops.governance.testing.Sql(config.catalogUri(), config.catalogUser(), config.catalogPassword());
    trail = new AuditTrail(db, DigestAlgorithm.SM3, clock);
    Identities ids = new Identities(db, AuditSink.NONE, clock);
    ids.createOrganization("bureau", "bureau", OrganizationKind.AUTHORITY);
    ids.createOrganization("op", "op", OrganizationKind.OPERATOR);
    supervision = new Supervision(db, trail, new Metering(db, trail), SupervisionRules.DEFAULTS,
        home.resolve("outbox"), clock);
  }

  AuditSink as(String user, String org, Role role) {
    return trail.as(new Principal(user, org, Set.of(role)), role);
  }

  void refused(String user, String action, int times, Duration apart) {
    for (int i = 0; i < times; i++) {
      as(user, "op", Role.OPERATOR).record(new AuditEvent(action, List.of("command:" + action), AuditEvent.REFUSED,
          Map.of("reason", "requires role authority")));
      clock.advance(apart);
    }
  }

  void authRefused(String user, int times) {
    for (int i = 0; i < times; i++) {
      trail.record(new AuditEvent("auth.refused", user == null ? List.of() : List.of("user:" + user, "token:t" + i),
          AuditEvent.REFUSED, Map.of("reason", user == null ? "unknown token" : "token expired")));
      clock.advance(Duration.ofSeconds(30));
    }
  }

  void run(long grant, long rows) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("grant", grant);
    details.put("recognized", false);
    details.put("runKey", "k" + clock.instant().toEpochMilli());
    details.put("reads", List.of(Map.of("table", "ods.hr__insurance", "department", "hr", "snapshot", 1, "rows", rows,
        "bytes", rows * 30)));
    as("olivia", "op", Role.OPERATOR).record(AuditEvent.ok("pipeline.run", List.of("pipeline:p", "product:p"),
        details));
    clock.advance(Duration.ofHours(6));
  }

  @Test
  void aBurstOfRefusedRequestsByOneUserFiresOncePerBurst() throws Exception {
    refused("oscar", "command.refused", 4, Duration.ofMinutes(1));
    assertThat(supervision.scan()).as("four refusals are no burst").isEmpty();
    refused("oscar", "grant.check", 1, Duration.ofMinutes(1));
    List<Alert> alerts = supervision.scan();
    assertThat(alerts).hasSize(1);
    Alert a = alerts.get(0);
    assertThat(a.rule()).isEqualTo("refusal-burst");
    assertThat(a.subject()).isEqualTo("user:oscar");
    assertThat(a.message()).isEqualTo("5 refused requests by oscar (op) within 10 minutes: {command.refused=4, "
        + "grant.check=1}");
    refused("oscar", "command.refused", 3, Duration.ofMinutes(1));
    assertThat(supervision.scan()).as("the same burst").isEmpty();
    clock.advance(Duration.ofMinutes(30));
    refused("oscar", "command.refused", 5, Duration.ofSeconds(10));
    assertThat(supervision.scan()).extracting(Alert::rule).containsExactly("refusal-burst");

    Path file = home.resolve("outbox/bureau/alerts/alert-1-refusal-burst.json");
    assertThat(Files.readString(file)).contains("\"subject\" : \"user:oscar\"");
    assertThat(trail.list(AuditFilter.newest().action("alert.raise"))).hasSize(2)
        .allSatisfy(e -> assertThat(e.objects()).contains("user:oscar"));
    assertThat(supervision.alerts(Instant.EPOCH, clock.instant().plusSeconds(1))).hasSize(2);
  }

  /**
   * An alert and its {@code alert.raise} event commit together, and the outbox is written after: a scan whose event
   * cannot be appended stores nothing and moves no cursor (the next scan raises the alert); a scan stopped before the
   * outbox leaves the alert undelivered, and the next scan delivers it — each alert with exactly one event.
   */
  @Test
  void aStoppedScanLosesNoAlertAndRecordsNoneTwice() throws Exception {
    refused("oscar", "command.refused", 5, Duration.ofMinutes(1));
    sql.refuseAuditInserts("database or disk is full");
    org.assertj.core.api.Assertions.assertThatThrownBy(supervision::scan).hasMessageContaining("alert.raise");
    sql.acceptAuditInserts();
    assertThat(supervision.alerts(Instant.EPOCH, clock.instant().plusSeconds(1))).isEmpty();

    Path authority = home.resolve("outbox/bureau");
    Files.createDirectories(authority.getParent());
    Files.writeString(authority, "in the way"); // the outbox cannot be written
    org.assertj.core.api.Assertions.assertThatThrownBy(supervision::scan)
        .isInstanceOf(io.dataops.core.BadInputException.class).hasMessageContaining("cannot deliver alert 1")
        .hasMessageContaining(authority + "/alerts: not a directory (the alert is stored; the next scan delivers it");
    assertThat(supervision.alerts(Instant.EPOCH, clock.instant().plusSeconds(1))).as("stored with its event")
        .hasSize(1);
    assertThat(trail.list(AuditFilter.newest().action("alert.raise"))).hasSize(1);

    Files.delete(authority);
    assertThat(supervision.scan()).as("nothing new to raise").isEmpty();
    assertThat(Files.readString(home.resolve("outbox/bureau/alerts/alert-1-refusal-burst.json")))
        .contains("\"subject\" : \"user:oscar\"");
    assertThat(trail.list(AuditFilter.newest().action("alert.raise"))).as("one event for one alert").hasSize(1);
    assertThat(sql.column("SELECT delivered_at FROM gov_alerts")).doesNotContainNull();
  }

  @Test
  void repeatedRefusedTokensOfOneUserOrOfUnknownTokensFire() {
    authRefused("bob", 4);
    authRefused(null, 4);
    assertThat(supervision.scan()).isEmpty();
    authRefused("bob", 1);
    authRefused(null, 1);
    List<Alert> alerts = supervision.scan();
    assertThat(alerts).extracting(Alert::subject).containsExactly("user:bob", "unknown-token");
    assertThat(alerts).allSatisfy(a -> {
      assertThat(a.rule()).isEqualTo("auth-failures");
      assertThat(a.severity()).isEqualTo("high");
    });
    assertThat(alerts.get(0).message()).isEqualTo("5 refused logins or tokens for user:bob within 15 minutes: "
        + "{token expired=5}");
  }

  @Test
  void aReadFarAboveTheGrantsHistoryFires() {
    run(4, 50_000); // no history yet: nothing to compare with
    run(4, 1000);
    run(4, 1100);
    assertThat(supervision.scan()).isEmpty();
    run(4, 900);
    run(4, 1500);
    assertThat(supervision.scan()).as("within the grant's usual volume").isEmpty();
    run(4, 60_000);
    List<Alert> alerts = supervision.scan();
    assertThat(alerts).extracting(Alert::rule, Alert::subject).containsExactly(
        org.assertj.core.groups.Tuple.tuple("read-surge", "grant:4 table:ods.hr__insurance"));
    assertThat(alerts.get(0).message()).contains("read 60000 rows of ods.hr__insurance under grant 4, more than 10.0 "
        + "times the median (1100.0) of its 5 earlier reads");
    run(5, 60_000);
    assertThat(supervision.scan()).as("another grant has its own history").isEmpty();
  }

  @Test
  void aFailedLeakCheckFires() {
    as("olivia", "op", Role.OPERATOR).record(new AuditEvent("pipeline.run", List.of("pipeline:visit-notes",
        "product:visit-notes"), AuditEvent.REFUSED, Map.of("reason", "leak check failed, nothing was published: note: "
        + "1 values equal raw personal data", "leakCheck", "failed")));
    List<Alert> alerts = supervision.scan();
    assertThat(alerts).extracting(Alert::rule, Alert::subject, Alert::severity).containsExactly(
        org.assertj.core.groups.Tuple.tuple("leak-check-failed", "pipeline:visit-notes", "high"));
    assertThat(alerts.get(0).message()).startsWith("the leak check stopped visit-notes run by olivia (op): leak check "
        + "failed");
    assertThat(supervision.scan()).as("scanned once").isEmpty();
  }

  /** A refused provision of income v1 to {@code org}, as {@code ProductReads} or {@code Delivery} records it. */
  void notProvided(String user, String org, Role role, String action, List<Object> grants) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("product", "income");
    details.put("version", 1);
    details.put(role == Role.PARTNER ? "partner" : "reader", org);
    details.put("via", role == Role.PARTNER ? "deliver" : "table show");
    details.put("grants", grants);
    details.put("reason", "no live grant of scenario 'jobs' held by op names product income (grant 3 was revoked)");
    as(user, org, role).record(new AuditEvent(action, List.of("product:income@1", "organization:" + org),
        AuditEvent.REFUSED, details));
    clock.advance(Duration.ofMinutes(5));
  }

  @Test
  void aVersionAskedForAfterItsMakersGrantEndedFiresOncePerOrganizationAndDay() {
    for (int i = 0; i < 3; i++) {
      notProvided("paul", "partner-co", Role.PARTNER, "product.deliver", List.of(3)); // a script retrying
    }
    notProvided("oscar", "other-op", Role.OPERATOR, "table.read", List.of(3));
    notProvided("paul", "partner-co", Role.PARTNER, "product.deliver", List.of()); // governed by no grant: no provision
    List<Alert> alerts = supervision.scan();
    assertThat(alerts).extracting(Alert::rule, Alert::subject, Alert::severity).containsExactly(
        org.assertj.core.groups.Tuple.tuple("provision-refused", "product:income@1 organization:partner-co", "medium"),
        org.assertj.core.groups.Tuple.tuple("provision-refused", "product:income@1 organization:other-op", "medium"));
    assertThat(alerts.get(0).message()).isEqualTo("income@1 was asked for by paul (partner-co, deliver) after its "
        + "maker's grant ended: no live grant of scenario 'jobs' held by op names product income (grant 3 was "
        + "revoked)");
    assertThat(alerts.get(1).message()).startsWith("income@1 was asked for by oscar (other-op, table show)");

    notProvided("paul", "partner-co", Role.PARTNER, "product.deliver", List.of(3));
    assertThat(supervision.scan()).as("the same day").isEmpty();
    clock.advance(Duration.ofHours(25));
    notProvided("paul", "partner-co", Role.PARTNER, "product.deliver", List.of(3));
    assertThat(supervision.scan()).extracting(Alert::subject).containsExactly(
        "product:income@1 organization:partner-co");
  }

  @Test
  void normalUseFiresNothing() {
    for (int day = 0; day < 20; day++) {
      run(4, 1000 + day * 40); // steady growth of the feeds
      as("olivia", "op", Role.OPERATOR).record(AuditEvent.ok("grant.check", List.of("grant:4"),
          Map.of("enforced", true)));
      // Validating a pipeline not yet granted: advisory refusals, many a day, are no probing.
      for (int i = 0; i < 8; i++) {
        as("olivia", "op", Role.OPERATOR).record(new AuditEvent("grant.check", List.of("pipeline:draft"),
            AuditEvent.REFUSED, Map.of("enforced", false, "reason", "column")));
      }
      refused("oscar", "command.refused", 2, Duration.ofMinutes(3)); // a mistyped command or two
      // A script approving a version again and again after it was published: the state refuses, no probing.
      for (int i = 0; i < 6; i++) {
        as("alice", "bureau", Role.AUTHORITY).record(new AuditEvent("command.refused", List.of("product:p@1"),
            AuditEvent.REFUSED, Map.of("command", "product approve", "refusedBy", "state", "reason", "is published")));
      }
      // Previews of an incremental pipeline, which its input refuses (found by a probe to raise a burst).
      for (int i = 0; i < 6; i++) {
        as("sam", "op", Role.OPERATOR).record(new AuditEvent("pipeline.privacy", List.of("pipeline:inc"),
            AuditEvent.REFUSED, Map.of("refusedBy", "input", "reason", "an incremental pipeline has no preview")));
      }
      authRefused("bob", 2); // an expired token, renewed
      trail.record(AuditEvent.ok("product.deliver", List.of("product:p@1"), Map.of("product", "p", "version", 1,
          "partner", "partner-co", "rows", 100, "bytes", 1000, "via", "deliver")));
      as("olivia", "op", Role.OPERATOR).record(AuditEvent.ok("pipeline.run", List.of("pipeline:p"),
          Map.of("recognized", true, "grant", 4, "reads", List.of())));
    }
    assertThat(supervision.scan()).isEmpty();
    assertThat(trail.list(AuditFilter.newest().action("alert.raise"))).isEmpty();
  }

  /**
   * A metering record changed or removed in the platform database (found by a probe: a delivery's partner changed
   * charged another organization, a deleted one was never derived again, and no rule saw it) raises one high alert
   * naming the events, not the values; the same drift found again raises nothing more, a further one raises again.
   */
  @Test
  void meteringRecordsThatDifferFromTheirEventsRaiseOneAlertPerDrift() throws Exception {
    for (int i = 0; i < 3; i++) {
      trail.record(AuditEvent.ok("product.deliver", List.of("product:p@1"), Map.of("product", "p", "version", 1,
          "partner", "qianhai-credit", "rows", 10, "bytes", 100, "via", "deliver")));
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(supervision.scan()).as("records as their events say").isEmpty();
    sql.update("UPDATE meter_deliveries SET partner = 'evil4', rows_delivered = 1 WHERE audit_seq = 1");
    List<Alert> alerts = supervision.scan();
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.rule()).isEqualTo("metering-drift");
      assertThat(a.severity()).isEqualTo("high");
      assertThat(a.subject()).isEqualTo("metering:records");
      assertThat(a.details().get("events")).isEqualTo(List.of(1L));
      assertThat(a.message()).contains("delivery 1: the metering record differs from its audit event in partner, rows")
          .doesNotContain("evil4");
    });
    assertThat(supervision.scan()).as("the same drift").isEmpty();
    sql.update("DELETE FROM meter_deliveries WHERE audit_seq = 3");
    assertThat(supervision.scan()).singleElement().extracting(Alert::message).asString()
        .contains("delivery 3: the audit event has no metering record");
    assertThat(trail.list(AuditFilter.newest().action("alert.raise"))).hasSize(2);
    assertThat(home.resolve("outbox/bureau/alerts/alert-1-metering-drift.json")).exists();
  }
}
