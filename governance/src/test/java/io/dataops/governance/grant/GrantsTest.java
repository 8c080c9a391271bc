package io.dataops.governance.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.SourceLineException;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.grant.GrantRefusedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Applications become grants only when the authority and every owning department approved; each party decides once,
 * for its own tables; the enforcement API refuses what a live grant does not cover, naming the table, column or
 * reason; every decision is in the audit trail.
 */
class GrantsTest extends GrantFixture {
  @BeforeEach
  void home() throws Exception {
    open(null);
  }

  @Test
  void aGrantExistsOnlyWhenTheAuthorityAndEveryOwningDepartmentApproved() {
    Grant g = apply(APPLICATION);
    assertThat(g.stored()).isEqualTo(GrantState.PENDING);
    assertThat(g.parties()).containsExactly("authority", "human-resources", "market-regulation");
    assertThat(g.resource(INSURANCE).department()).isEqualTo("human-resources");
    assertThat(g.expiresAt()).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
    assertThat(g.validFrom()).isEqualTo(Instant.parse("2026-03-01T16:00:00Z"));

    assertRefused(demoRead(OPERATOR), Reason.PENDING,
        "is not granted yet: it awaits the approval of authority, human-resources, market-regulation");
    grants.approve(g.id(), AUTHORITY, "scenario fits the district's measures", null, null);
    grants.approve(g.id(), HR, null, null, null);
    // One party missing: still no grant.
    assertThat(grants.find(g.id()).stored()).isEqualTo(GrantState.PENDING);
    assertRefused(demoRead(OPERATOR), Reason.PENDING, "awaits the approval of market-regulation");

    Grant active = grants.approve(g.id(), MARKET, "only enterprises of Futian",
        Map.of(ENTERPRISES, List.of("credit_code", "name", "industry_code", "status")),
        Map.of(ENTERPRISES, "district_code LIKE '440304%'"));
    assertThat(active.stored()).isEqualTo(GrantState.ACTIVE);
    assertThat(active.decidedAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(active.awaiting()).isEmpty();

    // The department narrowed the columns: district_code is no longer granted (the filter may still use it).
    assertRefused(demoRead(OPERATOR), Reason.COLUMN, "column 'district_code' of " + ENTERPRISES
        + " is not granted by grant 1 (企业用工分析) (granted: credit_code, name, industry_code, status)");
    GrantedAccess access = enforcement.authorize(pipelineRead(OPERATOR,
        List.of("id_card", "credit_code", "base_salary"), List.of("credit_code", "industry_code", "status")));
    assertThat(access.grantId()).isEqualTo(1);
    assertThat(access.rowFilter(INSURANCE)).isNull();
    assertThat(access.rowFilter(ENTERPRISES))
        .isEqualTo("(status IN ('存续', '在业')) AND (district_code LIKE '440304%')");
    assertThat(access.tables().get(ENTERPRISES).columns()).containsExactly("credit_code", "name", "industry_code",
        "status");
  }

  @Test
  void anyPartyRejectingEndsTheApplication() {
    Grant g = apply(APPLICATION);
    grants.approve(g.id(), AUTHORITY, null, null, null);
    Grant rejected = grants.reject(g.id(), HR, "identity numbers are not needed for employment statistics");
    assertThat(rejected.stored()).isEqualTo(GrantState.REJECTED);
    assertThatThrownBy(() -> grants.approve(g.id(), MARKET, null, null, null)).isInstanceOf(BadInputException.class)
        .hasMessage("grant 1 (企业用工分析) is rejected: approve needs a pending application");
    assertRefused(demoRead(OPERATOR), Reason.REJECTED, "was rejected by human-resources: identity numbers are not "
        + "needed for employment statistics; the operator applies again");
    assertThatThrownBy(() -> grants.reject(g.id(), MARKET, " ")).isInstanceOf(BadInputException.class)
        .hasMessage("give a reason the operator can act on");
  }

  @Test
  void aNoteOrReasonThatWouldReorderTheLineItIsShownOnIsRefused() {
    Grant g = apply(APPLICATION);
    // U+202E (right-to-left override) makes what follows read backwards where the history shows it; U+2066 isolates.
    assertThatThrownBy(() -> grants.approve(g.id(), AUTHORITY, "fits \u202edevorppa ton", null, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the note holds a control character (U+202E) at character 6: it is shown to others");
    assertThatThrownBy(() -> grants.reject(g.id(), HR, "see \u2066attached"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the reason holds a control character (U+2066) at character 5");
    assertThat(grants.find(g.id()).stored()).isEqualTo(GrantState.PENDING);
  }

  @Test
  void eachPartyDecidesOnceAndOnlyForItsOwnTables() {
    Grant g = apply(APPLICATION);
    assertThatThrownBy(() -> grants.approve(g.id(), POLICE, null, null, null))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("grant 1 (企业用工分析) asks for no table of public-security; po decides only for its own "
            + "department's tables");
    assertThatThrownBy(() -> grants.approve(g.id(), OPERATOR, null, null, null))
        .isInstanceOf(AccessDeniedException.class).hasMessage("grant approve requires role authority or department; "
            + "olivia has operator");
    // Another department's table is a refusal of access (audited as one; found by a probe: it was not).
    assertThatThrownBy(() -> grants.approve(g.id(), HR, null, Map.of(ENTERPRISES, List.of("name")), null))
        .isInstanceOf(AccessDeniedException.class).hasMessage("grant 1 (企业用工分析) asks human-resources for no table "
            + ENTERPRISES + "; " + ENTERPRISES + " is market-regulation's to narrow");
    assertThatThrownBy(() -> grants.approve(g.id(), HR, null, Map.of("ods.no_such__table", List.of("name")), null))
        .isInstanceOf(BadInputException.class).isNotInstanceOf(AccessDeniedException.class)
        .hasMessageStartingWith("grant 1 (企业用工分析) asks human-resources for no table ods.no_such__table");
    assertThatThrownBy(() -> grants.approve(g.id(), HR, null, Map.of(INSURANCE, List.of("id_card", "phone")), null))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("column 'phone' of " + INSURANCE
            + " was not asked for");
    assertThatThrownBy(() -> grants.approve(g.id(), AUTHORITY, null, Map.of(INSURANCE, List.of("name")), null))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("the authority approves an application as it "
            + "is");
    assertThatThrownBy(() -> grants.approve(g.id(), HR, null, null, Map.of(INSURANCE, "salary > 1")))
        .isInstanceOf(SourceLineException.class).hasMessageStartingWith("--filter " + INSURANCE + ": ");
    assertThat(grants.find(g.id()).decisions()).as("nothing decided by the refusals").isEmpty();
    grants.approve(g.id(), HR, null, null, null);
    assertThatThrownBy(() -> grants.approve(g.id(), HR, null, null, null)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("grant 1 (企业用工分析): human-resources approved it already (hu, ");
    assertThatThrownBy(() -> grants.reject(g.id(), HR, "changed my mind")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("human-resources approved it already");
    assertThatThrownBy(() -> grants.approve(99, AUTHORITY, null, null, null)).isInstanceOf(BadInputException.class)
        .hasMessage("no grant application 99 (see: dataops grant list)");
  }

  @Test
  void theEnforcementRefusesWhatALiveGrantDoesNotCoverAndSaysWhy() {
    assertRefused(demoRead(OPERATOR), Reason.NO_GRANT, "no grant for scenario '企业用工分析': the operator applies for"
        + " one (dataops grant apply FILE)");
    Grant g = approved(apply(APPLICATION));
    assertThat(enforcement.authorize(demoRead(OPERATOR)).grantId()).isEqualTo(g.id());

    // One extra column is refused, by name, whether the SQL would use it or not.
    assertRefused(pipelineRead(OPERATOR, List.of("id_card", "name", "credit_code", "contribution_month",
        "base_salary", "pension_personal"), List.of("credit_code")), Reason.COLUMN,
        "column 'pension_personal' of " + INSURANCE + " is not granted by grant 1");
    GrantRefusedException table = assertRefused(new AccessRequest("企业用工分析", OPERATOR, "op",
        "enterprise-employment", List.of(new AccessRequest.TableRead(CITIZENS, List.of("gender"))), "pipeline run",
        "pipeline:x"), Reason.TABLE, "table " + CITIZENS + " is not in grant 1 (企业用工分析) (it grants " + INSURANCE
        + ", " + ENTERPRISES + ")");
    assertThat(table.table()).isEqualTo(CITIZENS);
    assertRefused(new AccessRequest("企业用工分析", OPERATOR, "op", "population", List.of(), "pipeline run",
        "pipeline:x"), Reason.PRODUCT, "product population is not among the products grant 1 (企业用工分析) was "
        + "granted for (enterprise-employment)");
    assertRefused(demoRead(OTHER_OPERATOR), Reason.NOT_GRANTEE, "scenario '企业用工分析' is granted to op, not to "
        + "other-op (oscar is not the grantee)");
    assertRefused(new AccessRequest("企业用工分析", OPERATOR, "other-op", null, List.of(), "pipeline run",
        "pipeline:theirs"), Reason.NOT_GRANTEE, "pipeline:theirs is other-op's; olivia acts for op, which holds no "
        + "grant to run it");
    // Tables of other zones are not granted resources: a product input is not looked up.
    assertThat(enforcement.authorize(new AccessRequest("企业用工分析", OPERATOR, null, null, List.of(
        new AccessRequest.TableRead("product.population_by_street", List.of("residents"))), "pipeline run",
        "pipeline:x")).tables()).isEmpty();
  }

  @Test
  void aGrantIsLiveOnlyWithinItsPeriodAndUntilRevoked() {
    Grant g = approved(apply(APPLICATION.replace("from: 2026-03-02", "from: 2026-03-05")));
    assertRefused(demoRead(OPERATOR), Reason.NOT_YET_VALID, "grant 1 (企业用工分析) is valid from "
        + "2026-03-04T16:00:00.000000Z");
    clock.advance(Duration.ofDays(3));
    assertThat(enforcement.authorize(demoRead(OPERATOR)).expiresAt()).isEqualTo(g.expiresAt());
    clock.advance(Duration.between(clock.instant(), g.expiresAt()));
    assertThat(grants.find(g.id()).state(clock.instant())).isEqualTo(GrantState.EXPIRED);
    assertRefused(demoRead(OPERATOR), Reason.EXPIRED, "grant 1 (企业用工分析) expired at 2026-12-31T16:00:00.000000Z; "
        + "the operator applies again");
    assertThatThrownBy(() -> grants.revoke(g.id(), AUTHORITY, "misuse"))
        .isInstanceOfSatisfying(io.dataops.core.StateRefusedException.class,
            e -> assertThat(e.objects()).as("the command line audits it on these").containsExactly("grant:1"))
        .hasMessage("grant 1 (企业用工分析) is expired: only an active grant is revoked");

    clock.advance(Duration.ofDays(-100));
    assertThatThrownBy(() -> grants.revoke(g.id(), MARKET, "misuse")).isInstanceOf(AccessDeniedException.class)
        .hasMessage("grant revoke requires role authority; ma has department");
    Grant revoked = grants.revoke(g.id(), AUTHORITY, "the operator shared rows with a third party");
    assertThat(revoked.state(clock.instant())).isEqualTo(GrantState.REVOKED);
    assertRefused(demoRead(OPERATOR), Reason.REVOKED, "grant 1 (企业用工分析) was revoked at ");
    // A new application, once granted, is what counts (from today: its period may not begin in the past).
    Grant again = approved(apply(APPLICATION.replace("from: 2026-03-02, ", "")));
    assertThat(enforcement.authorize(demoRead(OPERATOR)).grantId()).isEqualTo(again.id()).isEqualTo(2);
  }

  /**
   * Ending an authorization ends the right to provide what was made under it: a product is provided only while a live
   * grant of its scenario held by its operator names it; a pending application does not make it live, a new grant
   * approved does. A revocation says which published versions it stopped (those no other live grant names).
   */
  @Test
  void aProductIsProvidedOnlyWhileALiveGrantOfItsScenarioNamesIt() {
    String product = "enterprise-employment";
    assertThat(enforcement.provision("企业用工分析", "op", product).governed()).as("never applied for").isFalse();
    assertThat(enforcement.provision("企业用工分析", "op", product).allowed()).isTrue();
    Grant first = approved(apply(APPLICATION));
    assertThat(enforcement.provision("企业用工分析", "op", product).grant().id()).isEqualTo(first.id());
    Provision other = enforcement.provision("企业用工分析", "op", "other-product");
    assertThat(other.allowed()).isFalse();
    assertThat(other.refusal()).contains("(grant 1 names enterprise-employment, not other-product)");
    List<Grants.Provided> published = List.of(new Grants.Provided(product, 1), new Grants.Provided("other-product", 1));

    Grants.Revocation r = grants.revoke(first.id(), AUTHORITY, "misuse", g -> {
      assertThat(g.id()).isEqualTo(first.id());
      assertThat(g.revokedAt()).as("listed in the revocation's transaction, after the state change").isNotNull();
      return published;
    });
    assertThat(r.stopped()).as("other-product was not provided under it before").containsExactly(published.get(0));
    AuditRecord event = trail.list(AuditFilter.newest().action("grant.revoke")).get(0);
    assertThat(event.details()).containsEntry("stops", List.of(Map.of("product", product, "version", 1)));
    Provision revoked = enforcement.provision("企业用工分析", "op", product);
    assertThat(revoked.allowed()).isFalse();
    assertThat(revoked.named()).containsExactly(1L);
    assertThat(revoked.refusal()).isEqualTo("no live grant of scenario '企业用工分析' held by op names product "
        + product + " (grant 1 was revoked at " + io.dataops.governance.db.UtcTimes.format(clock.instant())
        + " by alice: misuse); it is provided again once a grant of the scenario naming it is approved");

    Grant second = apply(APPLICATION);
    assertThat(enforcement.provision("企业用工分析", "op", product).refusal()).as("pending is not live")
        .contains("(grant 2 awaits the approval of authority, human-resources, market-regulation; grant 1 was "
            + "revoked at ");
    approved(second);
    assertThat(enforcement.provision("企业用工分析", "op", product).grant().id()).isEqualTo(second.id());
    assertThat(enforcement.provision("企业用工分析", "other-op", product).governed()).as("another operator's")
        .isFalse();

    Grant third = approved(apply(APPLICATION));
    assertThat(grants.revoke(second.id(), AUTHORITY, "replaced", g -> published).stopped())
        .as("grant 3 still names it").isEmpty();
    clock.advance(java.time.Duration.between(clock.instant(), third.expiresAt()));
    assertThat(enforcement.provision("企业用工分析", "op", product).refusal()).contains("(grant 3 expired at "
        + "2026-12-31T16:00:00.000000Z; grant 2 was revoked at ");
  }

  @Test
  void everyDecisionIsInTheAuditTrail() {
    Grant g = apply(APPLICATION);
    grants.approve(g.id(), AUTHORITY, null, null, null);
    grants.approve(g.id(), HR, null, null, null);
    grants.approve(g.id(), MARKET, null, null, Map.of(ENTERPRISES, "status = '存续'"));
    enforcement.authorize(demoRead(OPERATOR));
    assertRefused(demoRead(OTHER_OPERATOR), Reason.NOT_GRANTEE, "not the grantee");
    assertThat(enforcement.coverage(pipelineRead(OPERATOR, List.of("phone"), List.of())).covered()).isFalse();
    grants.revoke(g.id(), AUTHORITY, "ended early");

    List<AuditRecord> events = trail.list(AuditFilter.newest().object("grant:1").oldestFirst());
    assertThat(events).extracting(AuditRecord::action).containsExactly("grant.apply", "grant.approve",
        "grant.approve", "grant.approve", "grant.check", "grant.check", "grant.revoke");
    assertThat(events.get(0).details()).containsEntry("scenario", "企业用工分析").containsEntry("operator", "op")
        .containsEntry("parties", List.of("authority", "human-resources", "market-regulation"));
    assertThat(events.get(3).details()).containsEntry("party", "market-regulation").containsEntry("state", "active");
    assertThat(events.get(3).details().get("filters").toString()).as("a filter's digest, never its literals")
        .startsWith("{" + ENTERPRISES + "=sha256:").doesNotContain("存续");
    assertThat(events.get(4).outcome()).isEqualTo("ok");
    assertThat(events.get(5).outcome()).isEqualTo("refused");
    assertThat(events.get(5).details()).containsEntry("reason", "column").containsEntry("enforced", false);
    assertThat(events.get(4).objects()).contains("grant:1", "pipeline:enterprise-employment",
        "table:" + INSURANCE, "table:" + ENTERPRISES);
    assertThat(trail.list(AuditFilter.newest().action("grant.check").outcome("refused"))).hasSize(3)
        .anySatisfy(e -> assertThat(e.details()).containsEntry("reason", "not-grantee")
            .containsEntry("enforced", true));
  }

  /**
   * A decision and its event commit together: when the event cannot be appended (here a trigger refuses the insert,
   * as a full database does at that point) the decision is not made either, and the command can simply be run again.
   */
  @Test
  void aDecisionWhoseEventCannotBeRecordedIsNotMade() {
    Grant g = apply(APPLICATION);
    sql.refuseAuditInserts("database or disk is full");
    assertThatThrownBy(() -> grants.approve(g.id(), AUTHORITY, "fine", null, null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("audit event grant.approve")
        .hasMessageContaining("database or disk is full");
    assertThat(grants.find(g.id()).decisions()).as("the approval went with its event").isEmpty();
    assertThat(grants.find(g.id()).stored()).isEqualTo(GrantState.PENDING);
    assertThatThrownBy(() -> apply(APPLICATION)).hasMessageContaining("audit event grant.apply");
    assertThat(grants.list(OPERATOR)).as("no application without its event").extracting(Grant::id)
        .containsExactly(g.id());

    sql.acceptAuditInserts();
    Grant approved = approved(g);
    assertThat(approved.stored()).isEqualTo(GrantState.ACTIVE);
    sql.refuseAuditInserts("full");
    assertThatThrownBy(() -> grants.revoke(g.id(), AUTHORITY, "ended early"))
        .hasMessageContaining("audit event grant.revoke");
    assertThat(grants.find(g.id()).state(clock.instant())).isEqualTo(GrantState.ACTIVE);
    sql.acceptAuditInserts();
    assertThat(trail.list(AuditFilter.newest().object("grant:1").oldestFirst())).extracting(AuditRecord::action)
        .containsExactly("grant.apply", "grant.approve", "grant.approve", "grant.approve");
    assertThat(trail.verify(lakehouse).ok()).isTrue();
  }

  @Test
  void theOperatorAndTheDepartmentsSeeTheirApplications() {
    Grant g = apply(APPLICATION);
    assertThat(grants.list(OPERATOR)).extracting(Grant::id).containsExactly(g.id());
    assertThat(grants.list(HR)).hasSize(1);
    assertThat(grants.list(AUDITOR)).hasSize(1);
    assertThat(grants.list(POLICE)).isEmpty();
    assertThat(grants.list(OTHER_OPERATOR)).isEmpty();
    assertThat(grants.list(PARTNER)).isEmpty();
    assertThatThrownBy(() -> grants.show(g.id(), OTHER_OPERATOR)).isInstanceOf(AccessDeniedException.class)
        .hasMessageStartingWith("grant 1 (企业用工分析) is for its operator op, the departments whose tables it asks "
            + "for, the authority and auditors");
    assertThatThrownBy(() -> grants.apply(ApplicationParser.parse(APPLICATION, "a.yaml"), HR))
        .isInstanceOf(AccessDeniedException.class).hasMessage("grant apply requires role operator; hu has department");
    assertThatThrownBy(() -> grants.apply(ApplicationParser.parse(APPLICATION + "operator: other-op\n", "a.yaml"),
        OPERATOR)).isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("the application is for operator "
            + "other-op; olivia acts for op");
  }

  private Grant approved(Grant g) {
    grants.approve(g.id(), AUTHORITY, null, null, null);
    grants.approve(g.id(), HR, null, null, null);
    return grants.approve(g.id(), MARKET, null, null, null);
  }

  private GrantRefusedException assertRefused(AccessRequest request, Reason reason, String message) {
    try {
      enforcement.authorize(request);
    } catch (GrantRefusedException e) {
      assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
      assertThat(e.getMessage()).contains(message);
      assertThat(enforcement.coverage(request).refusal().getMessage()).isEqualTo(e.getMessage());
      return e;
    }
    throw new AssertionError("not refused: " + request);
  }
}
