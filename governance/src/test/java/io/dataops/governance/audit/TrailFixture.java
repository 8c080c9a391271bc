package io.dataops.governance.audit;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.testing.MutableClock;
import io.dataops.governance.testing.Sql;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded home (the catalog's SQLite file holds the governance tables, as in the platform) with a trail whose
 * clock tests move, and the means of someone who can write to the database directly.
 */
abstract class TrailFixture {
  @TempDir
  Path home;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
  Lakehouse lakehouse;
  GovernanceDatabase db;
  AuditTrail trail;
  Sql sql;

  @BeforeEach
  void open() {
    open(io.dataops.lakehouse.testing.TestStorage.embedded(home));
  }

  void open(LakehouseConfig config) {
    lakehouse = Lakehouse.open(config);
    db = new GovernanceDatabase(config.catalogUri(), config.catalogUser(), config.catalogPassword());
    trail = new AuditTrail(db, DigestAlgorithm.SM3, clock);
    sql = new Sql(config.catalogUri(), config.catalogUser(), config.catalogPassword());
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  /** Events 1..n as feeds landed a minute apart. */
  void land(int n) {
    for (int i = 1; i <= n; i++) {
      trail.record(AuditEvent.ok("feed.land", List.of("table:ods.public_security__citizens", "snapshot:" + (1000 + i)),
          Map.of("rowsLanded", 100 * i)));
      clock.advance(Duration.ofMinutes(1));
    }
  }

  /** How many of {@code threads} commands recording the same late event at the same moment recorded it. */
  int recordTheSameLateEventAtOnce(int threads) throws Exception {
    AuditEvent late = AuditEvent.ok("feed.land", List.of("table:ods.x", "snapshot:9"), Map.of("recordedLate", true));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    List<java.util.concurrent.Future<Boolean>> recorded = new java.util.ArrayList<>();
    for (int i = 0; i < threads; i++) {
      recorded.add(pool.submit(() -> {
        start.await();
        return trail.recordUnlessHeld(late, "snapshot:9");
      }));
    }
    int made = 0;
    for (java.util.concurrent.Future<Boolean> f : recorded) {
      made += f.get(60, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
    }
    pool.shutdown();
    return made;
  }

  ChainEntry row(long seq) {
    return db.read("read event " + seq, c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + ChainEntry.COLUMNS
          + " FROM audit_events WHERE seq = ?")) {
        p.setLong(1, seq);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? ChainEntry.read(r) : null;
        }
      }
    });
  }

  long count() {
    return Long.parseLong(sql.column("SELECT COUNT(*) FROM audit_events").get(0));
  }

  // ---- what someone with write access to the database can do

  void insertRow(ChainEntry e) {
    sql.update("INSERT INTO audit_events (" + ChainEntry.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.seq(), e.at(), e.actor(), e.organization(), e.role(), e.action(), e.objects(), e.outcome(), e.details(),
        e.digest(), e.prevHash(), e.hash());
  }

  /** Moves events from {@code seq} on one place up (through negative numbers: the key is unique at every step). */
  void shiftUpFrom(long seq) {
    sql.update("UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= ?", seq);
    sql.update("UPDATE audit_events SET seq = -seq WHERE seq < 0");
  }

  void swap(long a, long b) {
    sql.update("UPDATE audit_events SET seq = -1 WHERE seq = ?", a);
    sql.update("UPDATE audit_events SET seq = ? WHERE seq = ?", a, b);
    sql.update("UPDATE audit_events SET seq = ? WHERE seq = -1", b);
  }

  /** An event made up to fit at {@code seq}, hashed as the platform would (the digest is no secret). */
  ChainEntry forged(long seq, String prev) {
    ChainEntry e = new ChainEntry(seq, "2026-03-01T08:03:30.000000Z", "mallory", null, null, "product.approve",
        "[\"product:leak@1\"]", "ok", "{}", "sm3", prev, null);
    return e.withHashes(prev, e.hashAfter(prev));
  }

  /** Recomputes every hash from {@code seq} on, and the chain head: a consistent rewrite of the database. */
  void rechainFrom(long seq) {
    String prev = seq == 1 ? ChainEntry.GENESIS : row(seq - 1).hash();
    long last = seq - 1;
    for (long s = seq; row(s) != null; s++) {
      ChainEntry e = row(s);
      String h = e.hashAfter(prev);
      sql.update("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", prev, h, s);
      prev = h;
      last = s;
    }
    sql.update("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", last, prev);
  }
}
