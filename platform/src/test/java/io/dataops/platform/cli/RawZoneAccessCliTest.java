package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code table show} of the raw zones, role by role: the owning department, the authority and auditors read
 * {@code ods.*} and {@code quarantine.*} with personal data masked; only the owning department may ask for raw values
 * ({@code --raw}); another department, an operator and a partner are refused (exit 2). Every read is an audit event
 * saying whether it was masked; every refusal is one too.
 */
class RawZoneAccessCliTest extends HomeCliTest {
  static final String ODS = "ods.public_security__citizens";
  static final String QUARANTINE = "quarantine.public_security__citizens";

  JsonNode shown(String as, String table, String... more) {
    List<String> args = new ArrayList<>(List.of("table", "show", table, "--limit", "3", "--json"));
    args.addAll(List.of(more));
    Run r = run(as, args.toArray(String[]::new));
    assertThat(r.exit()).as(as + " " + table + ": " + r.err()).isZero();
    assertThat(r.json().get("rows")).isNotEmpty();
    return r.json().get("rows").get(0);
  }

  void refusedShow(String as, String table, String expected, String... more) {
    List<String> args = new ArrayList<>(List.of("table", "show", table));
    args.addAll(List.of(more));
    Run r = run(as, args.toArray(String[]::new));
    assertThat(r.exit()).as(as + " " + table).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains(expected);
  }

  @BeforeEach
  void landWithDefects() {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("c.csv");
    assertThat(run(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "400", "--defect-rate",
        "0.1", "--seed", "5", "--out", feed.toString()).exit()).isZero();
    Run landed = run(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens",
        "--file", feed.toString(), "--json");
    assertThat(landed.json().get("rowsQuarantined").asLong()).isPositive();
  }

  @Test
  void eachRoleReadsTheRawZonesAsItsRoleAllowsAndEveryReadIsAudited() {
    // the owning department: masked by default, raw values when it asks for them
    assertThat(shown(TestCast.PUBLIC_SECURITY, ODS).get("phone").asText()).matches("\\d{3}\\*{4}\\d{4}");
    JsonNode raw = shown(TestCast.PUBLIC_SECURITY, ODS, "--raw");
    assertThat(raw.get("phone").asText()).matches("1\\d{10}");
    assertThat(raw.get("id_card").asText()).matches("\\d{17}[\\dX]");
    assertThat(shown(TestCast.PUBLIC_SECURITY, QUARANTINE).get("raw_text").asText()).startsWith("[hidden: ");
    assertThat(shown(TestCast.PUBLIC_SECURITY, QUARANTINE, "--raw").get("raw_text").asText())
        .doesNotStartWith("[hidden: ").contains(",");

    // the authority and auditors supervise with personal data masked; raw values are not theirs to see
    for (String supervisor : List.of(TestCast.AUTHORITY, TestCast.AUDITOR)) {
      assertThat(shown(supervisor, ODS).get("phone").asText()).as(supervisor).matches("\\d{3}\\*{4}\\d{4}");
      assertThat(shown(supervisor, ODS).get("id_card").asText()).as(supervisor).contains("*");
      assertThat(shown(supervisor, QUARANTINE).get("raw_text").asText()).as(supervisor).startsWith("[hidden: ");
      for (String table : List.of(ODS, QUARANTINE)) {
        refusedShow(supervisor, table, "--raw shows personal data unmasked: only the department that owns an ods or "
            + "quarantine table may read it so", "--raw");
      }
    }

    // everyone else is refused, masked or not
    for (String table : List.of(ODS, QUARANTINE)) {
      refusedShow(TestCast.MARKET_REGULATION, table, "reading " + table + " requires its department, role authority or "
          + "auditor");
      refusedShow(TestCast.MARKET_REGULATION, table, "reading " + table + " requires its department", "--raw");
      refusedShow(TestCast.OPERATOR, table, "operators read source data through a pipeline");
      refusedShow(TestCast.PARTNER, table, "reading " + table + " requires its department, role authority or auditor");
    }

    JsonNode events = run(TestCast.AUDITOR, "audit", "list", "--json").json().get("events");
    List<String> reads = new ArrayList<>();
    int refusals = 0;
    for (JsonNode e : events) {
      if (e.get("action").asText().equals("table.read") && e.at("/details/zone").isTextual()) {
        reads.add(e.get("actor").asText() + " " + e.at("/details/zone").asText() + " masked="
            + e.at("/details/masked").asBoolean());
      }
      if (e.get("action").asText().equals("command.refused") && e.get("objects").toString().contains("table:")) {
        refusals++;
      }
    }
    // 4 reads by the department, 3 by each supervisor (the ods table twice, the quarantine once)
    assertThat(reads).hasSize(10).contains("ps-clerk ods masked=false", "ps-clerk quarantine masked=false",
        "ps-clerk ods masked=true", "alice ods masked=true", "audrey quarantine masked=true")
        .doesNotContain("alice ods masked=false", "audrey ods masked=false");
    assertThat(refusals).as("every refusal audited").isEqualTo(4 + 2 * 4);
  }
}
