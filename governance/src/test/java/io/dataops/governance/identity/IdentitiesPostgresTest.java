package io.dataops.governance.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.testing.PostgresServer;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.testing.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Identities on PostgreSQL (production): the same migrations, and bootstrap serialized by an advisory lock. */
class IdentitiesPostgresTest {
  @Test
  void identitiesWorkTheSameOnPostgresql() throws Exception {
    String url = PostgresServer.newDatabase("gov_ids_" + System.nanoTime());
    Identities ids = new Identities(new GovernanceDatabase(url, "postgres", ""), AuditSink.NONE);
    assertThat(new Sql(url, "postgres", "").column("SELECT version FROM flyway_governance_history WHERE success"
        + " AND version <> '0' ORDER BY installed_rank")).containsExactlyElementsOf(migrationVersions());

    ids.bootstrap("root");
    ids.createOrganization("futian-data-operator", "福田数据运营公司", OrganizationKind.OPERATOR);
    ids.createUser("alice", "futian-data-operator", Set.of(Role.OPERATOR));
    IssuedToken t = ids.issueToken("alice", Duration.ofDays(1));
    assertThat(ids.authenticate(t.token(), "alice"))
        .isEqualTo(new Principal("alice", "futian-data-operator", Set.of(Role.OPERATOR)));
    ids.revokeToken(t.id());
    assertThatThrownBy(() -> ids.authenticate(t.token())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("was revoked at");
    assertThatThrownBy(() -> ids.createUser("alice", "futian-data-operator", Set.of(Role.OPERATOR)))
        .hasMessage("user alice exists already");
  }

  /** Every migration governance ships, in order: all of them ran, once each, on a new database. */
  private static List<String> migrationVersions() throws Exception {
    Path folder = Path.of(IdentitiesPostgresTest.class.getResource("/db/migration/governance/common").toURI());
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
          .map(n -> n.substring(1, n.indexOf("__"))).sorted(Comparator.comparingInt(Integer::parseInt)).toList();
    }
  }

  @Test
  void bootstrapsAtOnceMakeOneAdmin() throws Exception {
    String url = PostgresServer.newDatabase("gov_boot_" + System.nanoTime());
    new GovernanceDatabase(url, "postgres", ""); // migrated once, before the race
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Callable<Object>> jobs = new ArrayList<>();
    for (String name : List.of("first", "second", "third")) {
      jobs.add(() -> {
        try {
          return new Identities(new GovernanceDatabase(url, "postgres", ""), AuditSink.NONE).bootstrap(name);
        } catch (BadInputException refused) {
          return refused;
        }
      });
    }
    List<Object> results = new ArrayList<>();
    for (Future<Object> f : pool.invokeAll(jobs)) {
      results.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(results).filteredOn(r -> r instanceof Identities.Bootstrap).hasSize(1);
    assertThat(new Sql(url, "postgres", "").column("SELECT user_name FROM gov_user_roles WHERE role = 'admin'"))
        .hasSize(1);
  }
}
