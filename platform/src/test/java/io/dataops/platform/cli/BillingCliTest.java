package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code billing statement}: a month's charges under the version's price plan and the revenue shares, printed, as the
 * DESIGN's JSON and as CSV; each organization sees its own; the departments' ratio comes from the configuration.
 */
class BillingCliTest extends HomeCliTest {
  String month = YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();

  long rows;

  @BeforeEach
  void deliveredTwice() throws Exception {
    DeliveryCliTest.grantedRunAndPublished(dir, "--channel market --price 0.05 --plan per-row");
    rows = ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out",
        dir.resolve("d.csv").toString(), "--json").json().get("rows").asLong();
    ok(TestCast.PARTNER, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2");
  }

  @Test
  void theMonthsStatementChargesThePlanAndSharesAddUpToTheRevenue() throws Exception {
    JsonNode all = ok(TestCast.AUTHORITY, "billing", "statement", "--period", month, "--json").json();
    BigDecimal revenue = new BigDecimal("0.05").multiply(BigDecimal.valueOf(rows + 2));
    assertThat(all.get("period").asText()).isEqualTo(month);
    assertThat(new BigDecimal(all.get("total").asText())).isEqualByComparingTo(revenue);
    assertThat(all.get("total").isTextual()).as("money as a decimal string").isTrue();
    JsonNode line = all.get("lines").get(0);
    assertThat(all.get("lines")).hasSize(1);
    assertThat(line.get("product").asText()).isEqualTo("income-by-street");
    assertThat(line.get("org").asText()).isEqualTo("partner-co");
    assertThat(line.get("plan").asText()).isEqualTo("per-row");
    assertThat(line.get("deliveries").asLong()).isEqualTo(2);
    assertThat(new BigDecimal(line.get("amount").asText())).isEqualByComparingTo(revenue);
    BigDecimal shares = BigDecimal.ZERO;
    for (JsonNode s : all.get("shares")) {
      assertThat(s.get("product").asText()).isEqualTo("income-by-street");
      shares = shares.add(new BigDecimal(s.get("amount").asText()));
    }
    assertThat(shares).as("the shares add up to the product's revenue").isEqualByComparingTo(revenue);
    assertThat(all.at("/shares/0/department").asText()).isEqualTo("public-security");
    assertThat(new BigDecimal(all.at("/shares/0/amount").asText())).isEqualByComparingTo(
        revenue.multiply(new BigDecimal("0.30")).setScale(2, java.math.RoundingMode.HALF_UP));
    assertThat(all.at("/shares/1/role").asText()).isEqualTo("operator");
    Path csv = Path.of(all.get("csv").asText());
    assertThat(csv).isEqualTo(dir.resolve("home/outbox/bureau/billing/statement-" + month + ".csv"));
    assertThat(Files.readAllLines(csv)).hasSize(1 + 1 + 2 + 1).first().asString().startsWith("kind,period,product");
    assertThat(ok(TestCast.AUTHORITY, "billing", "statement", "--period", month).out())
        .contains("statement " + month + ": total ").contains("partner-co").contains("rounding: ");

    JsonNode partner = ok(TestCast.PARTNER, "billing", "statement", "--period", month, "--json").json();
    assertThat(partner.get("org").asText()).isEqualTo("partner-co");
    assertThat(new BigDecimal(partner.get("total").asText())).isEqualByComparingTo(revenue);
    assertThat(Path.of(partner.get("csv").asText())).isRegularFile()
        .hasParent(dir.resolve("home/outbox/partner-co/billing"));
    JsonNode department = ok(TestCast.PUBLIC_SECURITY, "billing", "statement", "--period", month, "--json").json();
    assertThat(department.get("total").asText()).isEqualTo(all.at("/shares/0/amount").asText());
    refused(TestCast.PARTNER, "the statement of op is for op, the authority and auditors; paul acts for partner-co",
        "billing", "statement", "--period", month, "--org", "op");
    refused(TestCast.AUTHORITY, "--period is a month such as 2026-03, not '2026-3'", "billing", "statement",
        "--period", "2026-3");
    refused(TestCast.AUTHORITY, "no organization nobody", "billing", "statement", "--period", month, "--org",
        "nobody");
    refused(TestCast.AUTHORITY, "is of kind authority", "billing", "statement", "--period", month, "--org", "bureau");
    assertThat(ok(TestCast.AUTHORITY, "billing", "statement", "--period", "2020-01", "--json").json().get("total")
        .asText()).isEqualTo("0.00");
    // A month not begun would be issued as an empty statement; a typo's year 0 is no month of the platform either.
    String next = YearMonth.now(ZoneId.of("Asia/Shanghai")).plusMonths(1).toString();
    refused(TestCast.AUTHORITY, "--period " + next + " has not begun", "billing", "statement", "--period", next);
    refused(TestCast.AUTHORITY, "--period 0000-01 is before 1970-01", "billing", "statement", "--period", "0000-01");
    assertThat(dir.resolve("home/outbox/bureau/billing/statement-" + next + ".csv")).doesNotExist();
  }

  @Test
  void theDepartmentsRatioIsConfigured() throws Exception {
    Files.writeString(dir.resolve("home/dataops.properties"), "billing.department-share.income-by-street = 0.5\n");
    JsonNode half = ok(TestCast.AUTHORITY, "billing", "statement", "--period", month, "--json").json();
    BigDecimal revenue = new BigDecimal(half.get("total").asText());
    assertThat(new BigDecimal(half.at("/shares/0/amount").asText())).isEqualByComparingTo(
        revenue.multiply(new BigDecimal("0.5")).setScale(2, java.math.RoundingMode.HALF_UP));
    assertThat(half.at("/products/0/departmentRatio").asText()).isEqualTo("0.5");
    // The month's statement issued again after the setting changed (a department's, then all): the shares the first
    // statement gave stay; the new ratio is for months not yet stated.
    Files.writeString(dir.resolve("home/dataops.properties"), "billing.department-share.income-by-street = 0.2\n");
    JsonNode department = ok(TestCast.PUBLIC_SECURITY, "billing", "statement", "--period", month, "--json").json();
    assertThat(department.get("total").asText()).isEqualTo(half.at("/shares/0/amount").asText());
    JsonNode again = ok(TestCast.AUTHORITY, "billing", "statement", "--period", month, "--json").json();
    assertThat(again.get("shares")).isEqualTo(half.get("shares"));
    assertThat(again.at("/products/0/departmentRatio").asText()).isEqualTo("0.5");
    Files.writeString(dir.resolve("home/dataops.properties"), "billing.department-share = 1.5\n");
    refused(TestCast.AUTHORITY, "dataops.properties: billing.department-share: the departments' share of revenue is "
        + "a ratio from 0 to 1", "billing", "statement", "--period", month);
  }

  @Test
  void aMonthsStatementOrEvaluationWhoseEventCannotBeRecordedIsNotIssued() throws Exception {
    // The trail refuses every event, as a full database does: neither document appears, nor any part of one; once the
    // trail takes events again, each is issued with its one event.
    Path outbox = dir.resolve("home/outbox/bureau");
    refuseAuditInserts(dir.resolve("home"), true);
    for (String[] command : List.of(new String[] {"billing", "statement", "--period", month},
        new String[] {"evaluate", "--period", month})) {
      Run r = run(TestCast.AUTHORITY, command);
      assertThat(r.exit()).as(r.err()).isNotZero();
      assertThat(r.err()).contains("trail full");
    }
    try (var left = Files.exists(outbox) ? Files.walk(outbox) : java.util.stream.Stream.<Path>empty()) {
      assertThat(left.filter(Files::isRegularFile)).as("no statement, evaluation or part of one").isEmpty();
    }

    refuseAuditInserts(dir.resolve("home"), false);
    Path csv = Path.of(ok(TestCast.AUTHORITY, "billing", "statement", "--period", month, "--json").json().get("csv")
        .asText());
    JsonNode evaluation = ok(TestCast.AUTHORITY, "evaluate", "--period", month, "--json").json();
    assertThat(csv).isRegularFile();
    assertThat(Path.of(evaluation.get("json").asText())).isRegularFile();
    assertThat(Path.of(evaluation.get("html").asText())).isRegularFile();
    try (var all = Files.walk(outbox)) {
      assertThat(all.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("statement-" + month + ".csv", "evaluation-" + month + ".json",
              "evaluation-" + month + ".html");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("home/catalog.db"));
         var st = c.prepareStatement("SELECT action, count(*) FROM audit_events WHERE action IN "
             + "('billing.statement', 'evaluate') GROUP BY action ORDER BY action");
         var rs = st.executeQuery()) {
      List<String> counts = new ArrayList<>();
      while (rs.next()) {
        counts.add(rs.getString(1) + "=" + rs.getInt(2));
      }
      assertThat(counts).containsExactly("billing.statement=1", "evaluate=1");
    }
  }

  /** Makes every insert into the home's audit trail fail (a trigger, as a full database fails it), or stops that. */
  static void refuseAuditInserts(Path home, boolean refuse) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("catalog.db"));
         var st = c.createStatement()) {
      st.executeUpdate(refuse ? "CREATE TRIGGER full_trail BEFORE INSERT ON audit_events BEGIN "
          + "SELECT RAISE(ABORT, 'trail full'); END" : "DROP TRIGGER full_trail");
    }
  }
}
