package io.dataops.governance.grant;

import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.governance.testing.MutableClock;
import io.dataops.governance.testing.Sql;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home with the three sample departments' tables landed, their organizations, the authority and two operators,
 * and the grants of a platform database (the embedded SQLite file, or PostgreSQL) whose clock tests move.
 */
abstract class GrantFixture {
  static final String INSURANCE = "ods.human_resources__social_insurance";
  static final String ENTERPRISES = "ods.market_regulation__enterprises";
  static final String CITIZENS = "ods.public_security__citizens";
  static final Actor OPERATOR = new Actor("olivia", "op", Set.of("operator"));
  static final Actor OTHER_OPERATOR = new Actor("oscar", "other-op", Set.of("operator"));
  static final Actor AUTHORITY = new Actor("alice", "bureau", Set.of("authority"));
  static final Actor HR = new Actor("hu", "human-resources", Set.of("department"));
  static final Actor MARKET = new Actor("ma", "market-regulation", Set.of("department"));
  static final Actor POLICE = new Actor("po", "public-security", Set.of("department"));
  static final Actor AUDITOR = new Actor("audrey", "audit-office", Set.of("auditor"));
  static final Actor PARTNER = new Actor("paul", "partner-co", Set.of("partner"));

  static final String APPLICATION = """
      scenario: 企业用工分析
      purpose: employment structure of the district's enterprises
      period: {from: 2026-03-02, until: 2026-12-31}
      products: [enterprise-employment]
      resources:
        - table: ods.human_resources__social_insurance
          columns: [id_card, name, credit_code, contribution_month, base_salary]
        - table: ods.market_regulation__enterprises
          columns: [credit_code, name, industry_code, district_code, status]
          filter: status IN ('存续', '在业')
      """;

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T02:00:00Z"));
  Lakehouse lakehouse;
  GovernanceDatabase db;
  AuditTrail trail;
  Grants grants;
  GrantEnforcement enforcement;
  /** Direct SQL on the platform database the grants are in. */
  Sql sql;

  /** The home, with the governance tables in {@code databaseUrl} (null: the home's SQLite catalog). */
  void open(String databaseUrl) throws Exception {
    LakehouseConfig config = io.dataops.lakehouse.testing.TestStorage.embedded(dir.resolve("home"));
    lakehouse = Lakehouse.open(config);
    sql = databaseUrl == null ? new Sql(config.catalogUri(), config.catalogUser(), config.catalogPassword())
        : new Sql(databaseUrl, "postgres", "");
    db = databaseUrl == null ? new GovernanceDatabase(config.catalogUri(), config.catalogUser(),
        config.catalogPassword()) : new GovernanceDatabase(databaseUrl, "postgres", "");
    trail = new AuditTrail(db, DigestAlgorithm.SM3, clock);
    Identities ids = new Identities(db, AuditSink.NONE, clock);
    ids.createOrganization("bureau", "bureau", OrganizationKind.AUTHORITY);
    for (String d : List.of("public-security", "market-regulation", "human-resources")) {
      ids.createOrganization(d, d, OrganizationKind.DEPARTMENT);
    }
    ids.createOrganization("op", "op", OrganizationKind.OPERATOR);
    ids.createOrganization("other-op", "other-op", OrganizationKind.OPERATOR);
    for (SampleDataset d : List.of(SampleDataset.CITIZENS, SampleDataset.ENTERPRISES, SampleDataset.SOCIAL_INSURANCE)) {
      Path file = dir.resolve(d.dataset() + ".csv");
      SampleGenerator.generate(new GenerateRequest(d, 120, file, FeedFormat.CSV, StandardCharsets.UTF_8, 0, 7, 0, 200,
          20, false));
      new Landing(lakehouse).land(new LandingRequest(d.department(), d.dataset(), file,
          d.contract(FeedFormat.CSV, StandardCharsets.UTF_8), null));
    }
    grants = new Grants(db, lakehouse, trail, clock);
    enforcement = new GrantEnforcement(db, trail, clock);
  }

  @AfterEach
  void closeLakehouse() {
    if (lakehouse != null) {
      lakehouse.close();
    }
  }

  Grant apply(String yaml) {
    return grants.apply(ApplicationParser.parse(yaml, "application.yaml"), OPERATOR);
  }

  /** What the demo pipeline reads: every column each input lists. */
  static AccessRequest pipelineRead(Actor caller, List<String> insuranceColumns, List<String> enterpriseColumns) {
    return new AccessRequest("企业用工分析", caller, caller.organization(), "enterprise-employment", List.of(
        new AccessRequest.TableRead(INSURANCE, insuranceColumns),
        new AccessRequest.TableRead(ENTERPRISES, enterpriseColumns)), "pipeline run",
        "pipeline:enterprise-employment");
  }

  static AccessRequest demoRead(Actor caller) {
    return pipelineRead(caller, List.of("id_card", "name", "credit_code", "contribution_month", "base_salary"),
        List.of("credit_code", "name", "industry_code", "district_code", "status"));
  }
}
