package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code dataops evaluate --period YYYY-MM}: each figure of the scorecards is one the platform recorded — feeds
 * against the declared schedule, quality runs and tickets, publications, deliveries, refused runs and grants against
 * reads — written as JSON and a page with inline charts; only the authority and auditors evaluate.
 */
class EvaluationCliTest extends HomeCliTest {

  static JsonNode card(JsonNode cards, String field, String id) {
    for (JsonNode c : cards) {
      if (c.get(field).asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no scorecard of " + id + " in " + cards);
  }

  @Test
  void theMonthsRecordedFactsMakeTheScorecards() throws Exception {
    DeliveryCliTest.grantedRunAndPublished(dir, "--channel market --price 300");
    JsonNode before = ok(TestCast.AUTHORITY, "evaluate", "--period", YearMonth.now(ZoneId.of("Asia/Shanghai"))
        .toString(), "--json").json().at("/scorecards/departments");
    assertThat(card(before, "department", "public-security").at("/timeliness/datasets/0").toString())
        .as("landed by a contract beside the file, never registered: no schedule to judge by")
        .isEqualTo("{\"dataset\":\"citizens\",\"schedule\":null,\"scheduleSince\":null,\"due\":0,\"onTime\":0,"
            + "\"late\":0,\"missed\":0,\"landed\":1}");
    ok(TestCast.PUBLIC_SECURITY, "contract", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", dir.resolve("feeds/c.csv.contract.yaml").toString());
    // A second feed under a suite with a rule it fails: a quality run, a ticket, acknowledged by the department.
    Path suite = dir.resolve("gender.yaml");
    Files.writeString(suite, """
        name: citizens.gender
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
          - type: expect_column_values_to_be_in_set
            kwargs: {column: gender, value_set: [M]}
        """);
    ok(TestCast.PUBLIC_SECURITY, "quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", suite.toString());
    Path later = dir.resolve("feeds/c2.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "200", "--offset", "1500", "--out",
        later.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        later.toString());
    long ticket = ok(TestCast.PUBLIC_SECURITY, "feedback", "list", "--json").json().at("/tickets/0/id").asLong();
    ok(TestCast.PUBLIC_SECURITY, "feedback", "ack", String.valueOf(ticket));
    ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out", dir.resolve("d.csv").toString());

    // The other operator probes commands it may not use: supervision alerts, counted as its incident.
    for (int i = 0; i < 5; i++) {
      assertThat(run(TestCast.OTHER_OPERATOR, "product", "approve", "income-by-street", "1").exit()).isEqualTo(2);
    }
    ok(TestCast.AUTHORITY, "supervise");

    String month = YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();
    Run refused = run(TestCast.PARTNER, "evaluate", "--period", month);
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).hasLineCount(1).contains("evaluate requires role");
    Run bad = run(TestCast.AUTHORITY, "evaluate", "--period", "2026-13");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("dataops: --period is a month such as 2026-03, not '2026-13'\n");
    Run far = run(TestCast.AUTHORITY, "evaluate", "--period", "-999999999-01");
    assertThat(far.exit()).as("not an internal error in the date arithmetic").isEqualTo(2);
    assertThat(far.err()).isEqualTo("dataops: --period -999999999-01 is before 1970-01: the platform records nothing"
        + " that old\n");

    JsonNode out = ok(TestCast.AUTHORITY, "evaluate", "--period", month, "--json").json();
    JsonNode cards = out.get("scorecards");
    assertThat(cards.get("period").asText()).isEqualTo(month);
    JsonNode ps = card(cards.get("departments"), "department", "public-security");
    JsonNode feeds = ps.at("/timeliness/datasets/0");
    assertThat(feeds.get("dataset").asText()).isEqualTo("citizens");
    assertThat(feeds.get("schedule").asText()).isEqualTo("{every: month, dueDay: 5}");
    assertThat(feeds.get("landed").asInt()).isEqualTo(2);
    // The contract was registered just now: this month's feed (due by the 5th) is either not due yet or fell due
    // before the schedule was declared. Neither is counted (both were counted, as on time or late).
    assertThat(feeds.get("scheduleSince").asText()).isNotEmpty();
    assertThat(ps.at("/timeliness/due").asInt()).isZero();
    assertThat(ps.at("/timeliness/percent").isNull()).isTrue();
    assertThat(cards.get("partial").asBoolean()).as("the current month").isTrue();
    assertThat(ps.at("/quality/feeds").asInt()).as("the feed landed under the suite").isEqualTo(1);
    assertThat(ps.at("/quality/feedsPassed").asInt()).isZero();
    assertThat(ps.at("/quality/percent").asDouble()).isEqualTo(50.0);
    assertThat(ps.at("/tickets/opened").asInt()).isEqualTo(1);
    assertThat(ps.at("/tickets/acknowledged").asInt()).isEqualTo(1);
    assertThat(ps.at("/tickets/meanHoursToAcknowledge").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(ps.at("/tickets/stillActive").asInt()).isEqualTo(1);

    JsonNode op = card(cards.get("operators"), "operator", "op");
    assertThat(op.get("published")).extracting(JsonNode::asText).containsExactly("income-by-street v1");
    assertThat(op.at("/usage/deliveries").asInt()).isEqualTo(1);
    assertThat(op.at("/usage/partners")).extracting(JsonNode::asText).containsExactly("partner-co");
    assertThat(op.at("/incidents/alerts").asInt()).isZero();
    JsonNode grant = op.at("/grants/0");
    assertThat(grant.get("grant").asLong()).isEqualTo(1);
    assertThat(grant.get("tablesGranted")).extracting(JsonNode::asText)
        .containsExactly("ods.public_security__citizens");
    assertThat(grant.get("tablesRead")).extracting(JsonNode::asText).containsExactly("ods.public_security__citizens");
    assertThat(grant.get("columnsGranted").asInt()).isEqualTo(6);
    assertThat(grant.get("runs").asInt()).isEqualTo(1);
    assertThat(grant.get("rowsRead").asLong()).isEqualTo(1500);
    JsonNode other = card(cards.get("operators"), "operator", "other-op");
    assertThat(other.get("published")).isEmpty();
    assertThat(other.get("grants")).isEmpty();
    assertThat(other.at("/incidents/alerts").asInt()).isEqualTo(1);
    assertThat(other.at("/incidents/alertsByRule/refusal-burst").asInt()).isEqualTo(1);

    Path html = Path.of(out.get("html").asText());
    assertThat(html).isEqualTo(dir.resolve("home/outbox/bureau/evaluation/evaluation-" + month + ".html"));
    String page = Files.readString(html);
    assertThat(page).contains("成效评估 Evaluation", "及时率 Feed timeliness", "<svg", "授权资源使用率 Granted tables read")
        .doesNotContain("http:", "https:", "<script", "<img", "<link");
    assertThat(Files.readString(Path.of(out.get("json").asText()))).contains("\"period\" : \"" + month + "\"");
    assertThat(ok(TestCast.AUDITOR, "evaluate", "--period", month).out()).contains("public-security", "1/1");
  }

  @Test
  void feedsAreJudgedAgainstTheScheduleTheirDepartmentDeclared() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path c = dir.resolve("c.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "10", "--out", c.toString());
    // Contracts registered at crafted times, as feeds land below: a feed is due only once its schedule is declared.
    registerContract("ps-clerk", "public-security", "citizens", c.resolveSibling("c.csv.contract.yaml"),
        "2026-02-01T09:00:00+08:00");
    Path e = dir.resolve("e.csv");
    ok(TestCast.MARKET_REGULATION, "generate", "--dataset", "enterprises", "--rows", "10", "--out", e.toString());
    Path weekly = dir.resolve("weekly.yaml");
    Files.writeString(weekly, Files.readString(e.resolveSibling("e.csv.contract.yaml"))
        .replace("schedule: {every: month, dueDay: 5}", "schedule: {every: week, dueDay: 1}"));
    // Registered on Monday the 9th, mid-month: the week of the 2nd fell due before and is not counted.
    registerContract("mr-clerk", "market-regulation", "enterprises", weekly, "2026-03-09T12:00:00+08:00");
    Path s = dir.resolve("s.csv");
    ok(TestCast.HUMAN_RESOURCES, "generate", "--dataset", "social-insurance", "--rows", "10", "--out", s.toString());
    Path undeclared = dir.resolve("undeclared.yaml");
    Files.writeString(undeclared, Files.readString(s.resolveSibling("s.csv.contract.yaml"))
        .replace("schedule: {every: month, dueDay: 5}\n", ""));
    registerContract("hr-clerk", "human-resources", "social-insurance", undeclared, "2026-02-01T09:00:00+08:00");

    // Landings as the trail records them, at crafted times (China Standard Time is UTC+8).
    land("ps-clerk", "public-security", "citizens", "2026-02-28T09:00:00+08:00", false); // February's
    land("ps-clerk", "public-security", "citizens", "2026-03-05T23:30:00+08:00", false); // by the 5th: on time
    land("ps-clerk", "public-security", "citizens", "2026-03-20T10:00:00+08:00", false); // a second, not due
    land("ps-clerk", "public-security", "citizens", "2026-04-06T00:10:00+08:00", true); // a resent file
    land("ps-clerk", "public-security", "citizens", "2026-04-07T09:00:00+08:00", false); // April's, late
    // March 2026 has five Mondays (2, 9, 16, 23, 30): before the contract, late (Tuesday), on time, missed, on time.
    land("mr-clerk", "market-regulation", "enterprises", "2026-03-02T08:00:00+08:00", false);
    land("mr-clerk", "market-regulation", "enterprises", "2026-03-10T08:00:00+08:00", false);
    land("mr-clerk", "market-regulation", "enterprises", "2026-03-16T20:00:00+08:00", false);
    land("mr-clerk", "market-regulation", "enterprises", "2026-03-30T08:00:00+08:00", false);
    land("hr-clerk", "human-resources", "social-insurance", "2026-03-03T08:00:00+08:00", false);

    JsonNode march = ok(TestCast.AUDITOR, "evaluate", "--period", "2026-03", "--json").json().get("scorecards");
    JsonNode ps = card(march.get("departments"), "department", "public-security").get("timeliness");
    assertThat(List.of(ps.get("due").asInt(), ps.get("onTime").asInt(), ps.get("late").asInt(),
        ps.get("missed").asInt())).containsExactly(1, 1, 0, 0);
    assertThat(ps.at("/datasets/0/landed").asInt()).isEqualTo(2);
    assertThat(ps.get("percent").asDouble()).isEqualTo(100.0);
    JsonNode mr = card(march.get("departments"), "department", "market-regulation").get("timeliness");
    assertThat(List.of(mr.get("due").asInt(), mr.get("onTime").asInt(), mr.get("late").asInt(),
        mr.get("missed").asInt())).as("the week due before the contract was registered is not counted")
        .containsExactly(4, 2, 1, 1);
    assertThat(mr.get("percent").asDouble()).isEqualTo(50.0);
    assertThat(mr.at("/datasets/0/scheduleSince").asText()).isEqualTo("2026-03-09T04:00:00.000000Z");
    assertThat(march.get("partial").asBoolean()).as("March 2026 is over").isFalse();
    assertThat(mr.get("counted").asText()).startsWith("feeds due in the month");
    JsonNode february = ok(TestCast.AUDITOR, "evaluate", "--period", "2026-02", "--json").json().get("scorecards");
    assertThat(card(february.get("departments"), "department", "market-regulation").at("/timeliness/due").asInt())
        .as("nothing due before the contract").isZero();
    JsonNode hr = card(march.get("departments"), "department", "human-resources").get("timeliness");
    assertThat(hr.get("due").asInt()).as("no schedule declared: nothing judged").isZero();
    assertThat(hr.get("percent").isNull()).isTrue();
    assertThat(hr.at("/datasets/0/schedule").isNull()).isTrue();
    assertThat(hr.at("/datasets/0/landed").asInt()).isEqualTo(1);

    JsonNode april = ok(TestCast.AUTHORITY, "evaluate", "--period", "2026-04", "--json").json().get("scorecards");
    JsonNode ps4 = card(april.get("departments"), "department", "public-security").get("timeliness");
    assertThat(List.of(ps4.get("due").asInt(), ps4.get("onTime").asInt(), ps4.get("late").asInt()))
        .as("the resent file is no new feed").containsExactly(1, 0, 1);
    JsonNode may = ok(TestCast.AUTHORITY, "evaluate", "--period", "2026-05", "--json").json().get("scorecards");
    assertThat(card(may.get("departments"), "department", "public-security").at("/timeliness/missed").asInt())
        .isEqualTo(1);
  }

  /** A contract registered by the department's {@code user} as {@code contract register} does, at the given time. */
  void registerContract(String user, String department, String dataset, Path file, String at) {
    PlatformConfig config = PlatformConfig.load(dir.resolve("home"), Map.of());
    AuditTrail trail = new AuditTrail(Sessions.database(config), DigestAlgorithm.SM3, Clock.fixed(
        java.time.OffsetDateTime.parse(at).toInstant(), ZoneOffset.UTC));
    new io.dataops.lakehouse.contract.ContractRegistry(config.contracts()).register(department, dataset, file,
        trail.as(new Principal(user, department, Set.of(Role.DEPARTMENT)), Role.DEPARTMENT));
  }

  /**
   * Found by a probe: a month evaluated before its end counted the rest of its feeds as missed, and the feeds due
   * before the dataset's contract was registered too. Only those due by now and since the registration are counted.
   */
  @Test
  void onlyFeedsDueSoFarAndSinceTheContractWasRegisteredAreCounted() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path s = dir.resolve("s.csv");
    ok(TestCast.HUMAN_RESOURCES, "generate", "--dataset", "social-insurance", "--rows", "10", "--out", s.toString());
    Path daily = dir.resolve("daily.yaml");
    Files.writeString(daily, Files.readString(s.resolveSibling("s.csv.contract.yaml"))
        .replace("schedule: {every: month, dueDay: 5}", "schedule: {every: day}"));
    ZoneId cst = ZoneId.of("Asia/Shanghai");
    java.time.LocalDate today = java.time.LocalDate.now(cst);
    // Registered at the start of the day before yesterday: the feeds of the three days before today are due since.
    java.time.ZonedDateTime since = today.minusDays(2).atStartOfDay(cst);
    registerContract("hr-clerk", "human-resources", "social-insurance", daily, since.toOffsetDateTime().toString());
    for (YearMonth month : List.of(YearMonth.from(today), YearMonth.from(today).minusMonths(1))) {
      long expected = java.util.stream.Stream.of(today.minusDays(3), today.minusDays(2), today.minusDays(1))
          .filter(d -> YearMonth.from(d).equals(month)).count();
      JsonNode cards = ok(TestCast.AUTHORITY, "evaluate", "--period", month.toString(), "--json").json()
          .get("scorecards");
      JsonNode hr = card(cards.get("departments"), "department", "human-resources").get("timeliness");
      assertThat(hr.get("due").asInt()).as(month + ": " + hr).isEqualTo((int) expected);
      assertThat(hr.get("missed").asInt()).as(month + ": nothing landed").isEqualTo((int) expected);
      assertThat(Instant.parse(hr.at("/datasets/0/scheduleSince").asText())).isEqualTo(since.toInstant());
      boolean current = month.equals(YearMonth.from(today));
      assertThat(cards.get("partial").asBoolean()).isEqualTo(current);
      if (current) {
        assertThat(hr.get("counted").asText()).startsWith("feeds due so far (by " + cards.get("countedUntil")
            .asText());
        String page = Files.readString(dir.resolve("home/outbox/bureau/evaluation/evaluation-" + month + ".html"));
        assertThat(page).contains("The month is not over: figures so far", "(due so far)");
      }
    }
  }

  /**
   * Found by a probe: a grant applied for a period that began in a month and approved after it was counted as in
   * force in that month. It is in force from its approval.
   */
  @Test
  void aGrantIsInForceFromItsApprovalNotFromItsPeriodsStart() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path c = dir.resolve("c.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "10", "--out", c.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        c.toString());
    ZoneId cst = ZoneId.of("Asia/Shanghai");
    YearMonth month = YearMonth.now(cst);
    Instant lastMonth = month.minusMonths(1).atEndOfMonth().atTime(12, 0).atZone(cst).toInstant();
    long id = TestCast.grant(home, Clock.fixed(lastMonth, ZoneOffset.UTC), Clock.systemUTC(), "test",
        "income-by-street");
    JsonNode before = ok(TestCast.AUTHORITY, "evaluate", "--period", month.minusMonths(1).toString(), "--json").json();
    assertThat(card(before.at("/scorecards/operators"), "operator", "op").get("grants"))
        .as("its period began last month, but it was approved this month").isEmpty();
    JsonNode now = ok(TestCast.AUTHORITY, "evaluate", "--period", month.toString(), "--json").json();
    assertThat(card(now.at("/scorecards/operators"), "operator", "op").at("/grants/0/grant").asLong()).isEqualTo(id);
  }

  /** A feed.land event as Landing records it, at the given time. */
  void land(String user, String department, String dataset, String at, boolean duplicate) {
    PlatformConfig config = PlatformConfig.load(dir.resolve("home"), Map.of());
    Instant when = java.time.OffsetDateTime.parse(at).toInstant();
    AuditTrail trail = new AuditTrail(Sessions.database(config), DigestAlgorithm.SM3, Clock.fixed(when,
        ZoneOffset.UTC));
    Map<String, Object> details = new HashMap<>();
    details.put("feedId", "f" + when.getEpochSecond());
    details.put("duplicateOf", duplicate ? "f0" : null);
    details.put("rowsLanded", duplicate ? 0 : 10);
    trail.as(new Principal(user, department, Set.of(Role.DEPARTMENT)), Role.DEPARTMENT).record(AuditEvent.ok(
        "feed.land", List.of("table:ods." + department.replace('-', '_') + "__" + dataset.replace('-', '_'),
            "file:x.csv"), details));
  }
}
