package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by reading the code: a version published under a grant stayed deliverable after the authority revoked the
 * grant (only the partner's role, the read access and the state were checked). Ending an authorization ends the
 * operator's right to provide what it derived under it: a version is handed to a partner only while its operator
 * holds a live grant of its scenario naming the product, and the revocation names the versions it stops.
 */
class DeliveryUnderGrantCliTest extends HomeCliTest {
  private static final String PRODUCT = "income-by-street";

  @BeforeEach
  void publishedHome() throws Exception {
    DeliveryCliTest.grantedRunAndPublished(dir, "--channel market --price 300");
  }

  private String[] deliver(Path out) {
    return new String[] {"product", "deliver", PRODUCT, "1", "--out", out.toString()};
  }

  private JsonNode deliveries() {
    return ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json").json().get("events");
  }

  @Test
  void aRevokedGrantStopsTheDeliveryOfWhatWasMadeUnderItUntilANewGrantIsApproved() throws Exception {
    Path out = dir.resolve("received/income.csv");
    ok(TestCast.PARTNER, deliver(out));

    JsonNode revoked = ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the operator shared rows",
        "--json").json();
    assertThat(revoked.get("state").asText()).isEqualTo("revoked");
    assertThat(revoked.get("stops")).as(revoked.toString()).hasSize(1);
    assertThat(revoked.at("/stops/0/product").asText()).isEqualTo(PRODUCT);
    assertThat(revoked.at("/stops/0/version").asInt()).isEqualTo(1);
    JsonNode revokeEvent = ok(TestCast.AUDITOR, "audit", "list", "--action", "grant.revoke", "--json").json()
        .at("/events/0/details/stops");
    assertThat(revokeEvent.toString()).isEqualTo("[{\"product\":\"" + PRODUCT + "\",\"version\":1}]");

    Path after = dir.resolve("received/after.csv");
    String why = "income-by-street v1 is not delivered: no live grant of scenario 'test' held by op names product "
        + PRODUCT + " (grant 1 was revoked at " + revoked.at("/revoked/at").asText() + " by alice: the operator "
        + "shared rows); it is provided again once a grant of the scenario naming it is approved";
    refused(TestCast.PARTNER, why, deliver(after));
    assertThat(after).doesNotExist();
    // A partner's read of its rows is a delivery too.
    refused(TestCast.PARTNER, why, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2");
    ok(TestCast.PARTNER, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "0");
    ok(TestCast.OPERATOR, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2");

    JsonNode events = deliveries();
    assertThat(events).hasSize(3);
    for (int i = 0; i < 2; i++) {
      JsonNode e = events.get(i);
      assertThat(e.get("outcome").asText()).isEqualTo("refused");
      assertThat(e.at("/details/reason").asText()).isEqualTo(why.substring(why.indexOf("no live grant")));
      assertThat(e.at("/details/grants").toString()).isEqualTo("[1]");
      assertThat(e.at("/details/partner").asText()).isEqualTo("partner-co");
    }
    assertThat(events.get(0).at("/details/via").asText()).isEqualTo("table show");
    assertThat(events.get(1).at("/details/via").asText()).isEqualTo("deliver");
    assertThat(events.get(2).get("outcome").asText()).isEqualTo("ok");
    assertThat(events.get(2).at("/details/grant").asLong()).as("provided under grant 1").isEqualTo(1);

    // A new application does not make it live while pending; approved, it does.
    Path application = dir.resolve("application.yaml");
    ok(TestCast.OPERATOR, "grant", "apply", application.toString());
    refused(TestCast.PARTNER, "(grant 2 awaits the approval of authority, public-security; grant 1 was revoked at ",
        deliver(after));
    ok(TestCast.AUTHORITY, "grant", "approve", "2");
    ok(TestCast.PUBLIC_SECURITY, "grant", "approve", "2");
    ok(TestCast.PARTNER, deliver(after));
    assertThat(after).isRegularFile();
    assertThat(deliveries().get(0).at("/details/grant").asLong()).as("provided under grant 2").isEqualTo(2);

    // The text of a revocation names what it stops; a revocation that leaves another live grant stops nothing.
    ok(TestCast.OPERATOR, "grant", "apply", application.toString());
    ok(TestCast.AUTHORITY, "grant", "approve", "3");
    ok(TestCast.PUBLIC_SECURITY, "grant", "approve", "3");
    assertThat(ok(TestCast.AUTHORITY, "grant", "revoke", "2", "--reason", "replaced").out())
        .contains("  stops no delivery: no published version of the scenario was provided under this grant alone");
    assertThat(ok(TestCast.AUTHORITY, "grant", "revoke", "3", "--reason", "ended").out())
        .contains("  stops the delivery of: income-by-street v1\n");

    String month = java.time.YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();
    assertThat(ok(TestCast.AUTHORITY, "billing", "statement", "--period", month, "--json").json()
        .at("/lines/0/deliveries").asLong()).as("refusals are not billed").isEqualTo(2);
  }

  /**
   * A delivery that found the grant live, held once its rows were written while the authority revoked the grant, is
   * refused at the hand-over: no file, no delivery event, a refused one.
   */
  @Test
  void aGrantRevokedWhileADeliveryIsWrittenStopsItsHandOver() throws Exception {
    Path out = dir.resolve("held.csv");
    Run delivered;
    try (PausedChild child = PausedChild.at("delivery-written", dir, dir.resolve("home"), TestCast.PARTNER,
        deliver(out))) {
      ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the scenario ended");
      delivered = child.resume();
    }
    assertThat(delivered.exit()).as(delivered.err()).isEqualTo(2);
    assertThat(delivered.err()).contains("income-by-street v1 is not delivered: no live grant of scenario 'test' "
        + "held by op names product income-by-street (grant 1 was revoked at ").contains("by alice: the scenario "
        + "ended)");
    assertThat(out).doesNotExist();
    try (var left = java.nio.file.Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("held.csv"));
    }
    JsonNode events = deliveries();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("outcome").asText()).isEqualTo("refused");
  }
}
