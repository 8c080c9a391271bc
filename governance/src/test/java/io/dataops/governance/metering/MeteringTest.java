package io.dataops.governance.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.testing.PostgresServer;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.testing.MutableClock;
import io.dataops.governance.testing.Sql;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metering records follow from the audit events (runs with their inputs, table reads, deliveries), once each however
 * often and by however many processes they are derived, and the check finds any record that disagrees with its event.
 */
class MeteringTest {
  @TempDir Path home;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
  GovernanceDatabase db;
  AuditTrail trail;
  Sql sql;

  void open(String url) {
    if (url == null) {
      LakehouseConfig config = io.dataops.lakehouse.testing.TestStorage.embedded(home);
      db = new GovernanceDatabase(config.catalogUri(), config.catalogUser(), config.catalogPassword());
      sql = new Sql(config.catalogUri(), config.catalogUser(), config.catalogPassword());
    } else {
      db = new GovernanceDatabase(url, "postgres", "");
      sql = new Sql(url, "postgres", "");
    }
    trail = new AuditTrail(db, DigestAlgorithm.SM3, clock);
  }

  /** A run of a pipeline under grant 4 reading two tables, recorded as the platform records it. */
  void run(String runKey, long rowsA, boolean recognized) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("engine", "spring-batch");
    details.put("grant", 4);
    details.put("recognized", recognized);
    details.put("runKey", runKey);
    details.put("reads", recognized ? List.of() : List.of(
        Map.of("table", "ods.human_resources__social_insurance", "department", "human-resources", "snapshot",
            11L, "rows", rowsA, "bytes", rowsA * 40),
        Map.of("table", "ods.market_regulation__enterprises", "department", "market-regulation", "snapshot", 12L,
            "rows", 600, "bytes", 30_000)));
    trail.as(new io.dataops.governance.identity.Principal("olivia", "op",
        java.util.Set.of(io.dataops.governance.identity.Role.OPERATOR))).record(AuditEvent.ok("pipeline.run",
        List.of("pipeline:enterprise-employment", "product:enterprise-employment"), details));
    clock.advance(Duration.ofMinutes(1));
  }

  void deliver(String partner, int version, long rows) {
    trail.record(AuditEvent.ok("product.deliver", List.of("product:enterprise-employment@" + version),
        Map.of("product", "enterprise-employment", "version", version, "partner", partner, "rows", rows,
            "bytes", rows * 50, "via", "deliver")));
    clock.advance(Duration.ofMinutes(1));
  }

  @Test
  void recordsAreDerivedFromTheTrailOnceEach() {
    open(null);
    Metering metering = new Metering(db, trail);
    run("k1", 8000, false);
    run("k1", 8000, true); // recognized: nothing was read
    trail.record(new AuditEvent("pipeline.run", List.of("pipeline:enterprise-employment"), AuditEvent.REFUSED,
        Map.of("reason", "leak check failed")));
    trail.record(AuditEvent.ok("table.read", List.of("table:ods.public_security__citizens", "snapshot:77"),
        Map.of("rows", 20, "bytes", 4096)));
    trail.record(AuditEvent.ok("feed.land", List.of("table:ods.public_security__citizens"), Map.of("rows", 5)));
    deliver("qianhai-credit", 1, 8000);
    deliver("partner-co", 1, 5);

    assertThat(metering.sync()).isEqualTo(5);
    assertThat(metering.sync()).as("derived once").isZero();
    List<ReadRecord> reads = metering.reads(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(reads).hasSize(3);
    ReadRecord first = reads.get(0);
    assertThat(first.grantId()).isEqualTo(4);
    assertThat(first.runKey()).isEqualTo("k1");
    assertThat(first.pipeline()).isEqualTo("enterprise-employment");
    assertThat(first.table()).isEqualTo("ods.human_resources__social_insurance");
    assertThat(first.department()).isEqualTo("human-resources");
    assertThat(first.snapshotId()).isEqualTo(11);
    assertThat(first.rows()).isEqualTo(8000);
    assertThat(first.bytes()).isEqualTo(320_000);
    assertThat(first.organization()).isEqualTo("op");
    assertThat(reads.get(2).source()).isEqualTo("table.read");
    assertThat(reads.get(2).snapshotId()).isEqualTo(77);
    assertThat(metering.readsOfRun("k1")).hasSize(2);
    assertThat(metering.readsOfGrant(4, clock.instant())).hasSize(2);
    List<DeliveryRecord> deliveries = metering.deliveries(Instant.parse("2026-03-01T00:00:00Z"),
        Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(deliveries).extracting(DeliveryRecord::partner).containsExactly("qianhai-credit", "partner-co");
    assertThat(deliveries.get(0).rows()).isEqualTo(8000);
    assertThat(deliveries.get(0).bytes()).isEqualTo(400_000);
    assertThat(metering.deliveries(Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z")))
        .isEmpty();

    MeteringCheck ok = metering.check();
    assertThat(ok.ok()).as(ok.problems().toString()).isTrue();
    assertThat(ok.events()).as("the recognized and the refused run count as events, with no record").isEqualTo(6);
    assertThat(ok.records()).isEqualTo(5);
  }

  @Test
  void theCheckFindsRecordsThatDisagreeWithTheTrail() {
    open(null);
    Metering metering = new Metering(db, trail);
    run("k1", 8000, false);
    deliver("qianhai-credit", 1, 100);
    deliver("qianhai-credit", 1, 100);
    metering.sync();
    sql.update("UPDATE meter_deliveries SET rows_delivered = 1 WHERE audit_seq = 2");
    sql.update("UPDATE meter_reads SET department = 'evil4', rows_read = 1 WHERE audit_seq = 1 AND item = 1");
    sql.update("DELETE FROM meter_deliveries WHERE audit_seq = 3");
    sql.update("INSERT INTO meter_deliveries (audit_seq, at, actor, partner, product, version, rows_delivered,"
        + " bytes_delivered, via) VALUES (1, '2026-03-01T08:00:00.000000Z', 'x', 'p', 'q', 1, 1, 1, 'deliver')");
    MeteringCheck check = metering.check();
    assertThat(check.ok()).isFalse();
    // What differs is named by field, never by value (the records name users and organizations).
    assertThat(check.problems()).containsExactly(
        "read 1/1: the metering record differs from its audit event in department, rows",
        "delivery 2: the metering record differs from its audit event in rows",
        "delivery 3: the audit event has no metering record",
        "delivery 1: no audit event says so");
    assertThat(check.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(metering.checkDerived().problems()).as("the same without deriving").isEqualTo(check.problems());
  }

  @Test
  @Tag("own-storage") // a database of its own: the s3-postgres execution would run it as the default one does
  void processesDerivingAtOnceRecordEachEventOnceOnPostgresql() throws Exception {
    open(PostgresServer.newDatabase("gov_meter_" + System.nanoTime()));
    for (int i = 0; i < 300; i++) {
      run("k" + i, 100 + i, false);
      deliver("qianhai-credit", 1, i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Callable<Long>> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(() -> new Metering(new GovernanceDatabase(sql.url(), "postgres", ""), trail).sync());
    }
    long added = 0;
    for (Future<Long> f : pool.invokeAll(jobs)) {
      added += f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(added).isEqualTo(900);
    MeteringCheck check = new Metering(db, trail).check();
    assertThat(check.ok()).as(check.problems().toString()).isTrue();
    assertThat(check.records()).isEqualTo(900);
  }
}
