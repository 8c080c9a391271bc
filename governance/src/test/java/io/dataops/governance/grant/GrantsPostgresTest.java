package io.dataops.governance.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.testing.PostgresServer;
import io.dataops.governance.testing.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Grants on PostgreSQL (production): the same migration, decisions and enforcement; applications at once get distinct numbers. */
class GrantsPostgresTest extends GrantFixture {
  @Test
  void grantsWorkTheSameOnPostgresql() throws Exception {
    String url = PostgresServer.newDatabase("gov_grants_" + System.nanoTime());
    open(url);
    assertThat(new Sql(url, "postgres", "").column("SELECT version FROM flyway_governance_history WHERE success"
        + " AND version <> '0' ORDER BY installed_rank")).contains("3");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Callable<Long>> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(() -> apply(APPLICATION).id());
    }
    List<Long> ids = new ArrayList<>();
    for (Future<Long> f : pool.invokeAll(jobs)) {
      ids.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(ids).containsExactlyInAnyOrder(1L, 2L, 3L);

    grants.approve(2, AUTHORITY, null, null, null);
    grants.approve(2, HR, null, Map.of(INSURANCE, List.of("credit_code", "base_salary")), null);
    assertThat(grants.approve(2, MARKET, null, null, null).stored()).isEqualTo(GrantState.ACTIVE);
    assertThat(enforcement.authorize(pipelineRead(OPERATOR, List.of("credit_code"), List.of("status"))).grantId())
        .isEqualTo(2);
    assertThatThrownBy(() -> enforcement.authorize(demoRead(OPERATOR))).isInstanceOf(GrantRefusedException.class)
        .hasMessageStartingWith("column 'id_card' of " + INSURANCE + " is not granted by grant 2");
    grants.revoke(2, AUTHORITY, "ended");
    assertThatThrownBy(() -> enforcement.authorize(demoRead(OPERATOR))).isInstanceOf(GrantRefusedException.class)
        .hasMessageStartingWith("grant 3 (企业用工分析) is not granted yet");

    // The decision and its event are one transaction here too (the chain head's row lock taken inside it).
    sql.refuseAuditInserts("could not extend file: No space left on device");
    assertThatThrownBy(() -> grants.approve(3, AUTHORITY, null, null, null))
        .hasMessageContaining("audit event grant.approve").hasMessageContaining("No space left on device");
    assertThat(grants.find(3).decisions()).isEmpty();
    sql.acceptAuditInserts();
    assertThat(grants.approve(3, AUTHORITY, null, null, null).decisions()).hasSize(1);
  }
}
