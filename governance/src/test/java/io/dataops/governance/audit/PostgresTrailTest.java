package io.dataops.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.testing.PostgresServer;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trail on PostgreSQL (production): a row lock on the chain head serializes appends. */
class PostgresTrailTest extends TrailFixture {
  private String url;

  @Override
  @BeforeEach
  void open() {
    url = PostgresServer.newDatabase("gov_trail_" + System.nanoTime());
    open(new LakehouseConfig(url, "postgres", "", home.resolve("warehouse").toUri().toString(), Map.of()));
  }

  @Test
  void threadsAppendingAtOnceMakeOneChain() throws Exception {
    ConcurrentAppendTest.appendInThreads(url, "postgres", 4, 50);
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.good(200, 0));
    for (int t = 0; t < 4; t++) {
      assertThat(trail.list(AuditFilter.newest().object("thread:" + t).limit(1000))).hasSize(50);
    }
  }

  @Test
  void commandsRecordingTheSameLateEventAtOnceRecordItOnce() throws Exception {
    assertThat(recordTheSameLateEventAtOnce(6)).isEqualTo(1);
    assertThat(trail.list(AuditFilter.newest().object("snapshot:9"))).hasSize(1);
    assertThat(trail.verify(lakehouse).ok()).isTrue();
  }

  @Test
  void listingCheckpointsAndTamperingWorkTheSame() {
    land(5);
    trail.record(AuditEvent.ok("product.seal", List.of("product:Ee@1"), Map.of()));
    assertThat(trail.list(AuditFilter.newest().objectContains("citizens"))).hasSize(5);
    assertThat(trail.list(AuditFilter.newest().objectContains("ee@"))).isEmpty();
    assertThat(trail.list(AuditFilter.newest().action("product.*"))).hasSize(1);
    trail.record(AuditEvent.ok("pipeline.run", List.of("product:ee"), Map.of("runKey", "k1")));
    assertThat(trail.holds("pipeline.run", "product:ee", "runKey", "k1")).isTrue();
    assertThat(trail.holds("pipeline.run", "product:ee", "runKey", "k")).isFalse();
    assertThat(trail.holds("product.seal", "product:Ee@1")).isTrue();
    Checkpoint cp = trail.checkpoint(lakehouse, "on demand");
    assertThat(cp.seq()).isEqualTo(7);
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.good(7, 1));

    sql.update("UPDATE audit_events SET details = '{\"rowsLanded\":1}' WHERE seq = 2");
    rechainFrom(2);
    Verification v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).isEqualTo(1);
    sql.update("DELETE FROM audit_events WHERE seq = 4");
    assertThat(trail.verify(lakehouse).firstBad()).isEqualTo(4);
  }
}
