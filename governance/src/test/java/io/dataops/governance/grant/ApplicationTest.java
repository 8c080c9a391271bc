package io.dataops.governance.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.SourceLineException;
import io.dataops.lakehouse.landing.FeedTables;
import java.time.LocalDate;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** Application files: what is wrong is named with the file and line, before and after the lakehouse is consulted. */
class ApplicationTest extends GrantFixture {
  @Test
  void anApplicationFileIsReadWithItsLines() {
    Application a = ApplicationParser.parse(APPLICATION, "a.yaml");
    assertThat(a.scenario()).isEqualTo("企业用工分析");
    assertThat(a.from()).isEqualTo(LocalDate.of(2026, 3, 2));
    assertThat(a.until()).isEqualTo(LocalDate.of(2026, 12, 31));
    assertThat(a.products()).containsExactly("enterprise-employment");
    assertThat(a.resources()).hasSize(2);
    assertThat(a.resources().get(1).filter()).isEqualTo("status IN ('存续', '在业')");
    assertThat(a.resources().get(1).filterLine()).isEqualTo(10);
    assertThat(a.sha256()).hasSize(64);
  }

  @Test
  void problemsOfTheFileNameTheirLine() {
    bad(APPLICATION.replace("purpose:", "purpos:"), "a.yaml:2: unknown application key 'purpos' (known: operator,"
        + " period, products, purpose, resources, scenario)");
    bad(APPLICATION.replace("until: 2026-12-31", "until: 2026-13-01"), "a.yaml:3: until is a day such as "
        + "2026-12-31, not '2026-13-01'");
    bad(APPLICATION.replace("until: 2026-12-31", "until: 2026-02-01"), "a.yaml:3: the period ends (2026-02-01) "
        + "before it begins (2026-03-02)");
    bad(APPLICATION.replace("[enterprise-employment]", "[Enterprise]"), "a.yaml:4: product 'Enterprise' must be "
        + "lower-case");
    bad(APPLICATION.replace("ods.market_regulation__enterprises", "quarantine.market_regulation__enterprises"),
        "a.yaml:8: a resource is an ods table, ods.<department>__<dataset>; "
            + "'quarantine.market_regulation__enterprise…' is not");
    bad(APPLICATION.replace("ods.market_regulation__enterprises", "ods.human_resources__social_insurance"),
        "a.yaml:8: table ods.human_resources__social_insurance is asked for twice (first at line 6)");
    bad(APPLICATION.replace("[credit_code, name, industry_code", "[credit_code, credit_code, industry_code"),
        "a.yaml:9: column 'credit_code' is listed twice");
    bad(APPLICATION.replace("    columns: [id_card, name, credit_code, contribution_month, base_salary]\n", ""),
        "a.yaml:6: resource ods.human_resources__social_insurance needs 'columns'");
    bad("scenario: x\n", "a.yaml:1: the application has no 'purpose'");
    // Shown to every party as one line: an escape sequence or a bidi override is named, not reported as a length.
    String purpose = "purpose: employment structure of the district's enterprises";
    bad(APPLICATION.replace(purpose, "purpose: \"\\e[2Kemployment\""), "a.yaml:2: purpose holds a control character "
        + "(U+001B) at character 1: it is shown to others as one line of text");
    bad(APPLICATION.replace(purpose, "purpose: \"\""), "a.yaml:2: purpose is empty: it is 1 to");
    // Found by a probe: YAML's null and binary were filed as the text "null", "~" or base64.
    bad(APPLICATION.replace("scenario: 企业用工分析", "scenario: null"), "a.yaml:1: scenario is null in YAML, not text:"
        + " quote it if 'null' is what you mean");
    bad(APPLICATION.replace("scenario: 企业用工分析", "scenario: ~"), "a.yaml:1: scenario is null in YAML, not text");
    bad(APPLICATION.replace(purpose, "purpose: !!binary aGVsbG8="), "a.yaml:2: purpose is binary in YAML, not text");
    assertThat(ApplicationParser.parse(APPLICATION.replace("scenario: 企业用工分析", "scenario: \"null\""), "a.yaml")
        .scenario()).as("quoted, it is text").isEqualTo("null");
    bad(APPLICATION.replace("scenario: 企业用工分析", "scenario: " + "析".repeat(201)), "a.yaml:1: scenario is 201 "
        + "characters long; at most");
  }

  @Test
  void tablesColumnsAndFiltersAreCheckedAgainstTheLakehouse() throws Exception {
    open(null);
    applyBad(APPLICATION.replace("ods.market_regulation__enterprises", "ods.market_regulation__permits"),
        "a.yaml:8: no table ods.market_regulation__permits (see: dataops table list)");
    applyBad(APPLICATION.replace("industry_code, district_code", "industry, district_code"),
        "a.yaml:9: table ods.market_regulation__enterprises has no column 'industry' (it has ");
    applyBad(APPLICATION.replace("status IN ('存续', '在业')", "status IN (SELECT status FROM ods.x)"),
        "a.yaml:10:");
    applyBad(APPLICATION.replace("status IN ('存续', '在业')", "staus = 'x'"), "a.yaml:10:");
    applyBad(APPLICATION.replace("status IN ('存续', '在业')", "true; DROP TABLE x"), "a.yaml:10:");
    applyBad(APPLICATION.replace("until: 2026-12-31", "until: 2026-03-01").replace("from: 2026-03-02",
        "from: 2026-02-01"), "a.yaml: the period ended on 2026-03-01");
    // Dated back: a grant cannot authorize days before anyone decided on it (year 1 was accepted, valid from 0000).
    applyBad(APPLICATION.replace("from: 2026-03-02", "from: 2026-03-01"), "a.yaml: the period begins on 2026-03-01, "
        + "before today (2026-03-02): a grant lasts from the day it is filed at the earliest (leave 'from' out to "
        + "begin today)");
    applyBad(APPLICATION.replace("from: 2026-03-02", "from: 0001-01-01"), "a.yaml: the period begins on 0001-01-01");
    assertThat(grants.list(AUDITOR)).as("nothing filed").isEmpty();
  }

  @Test
  void aTableWhoseDepartmentIsNoOrganizationIsRefused() throws Exception {
    open(null);
    // Feeds of a department the platform has no organization for (landed before it was registered).
    lakehouse.createOrLoad(TableIdentifier.of("ods", "tax_bureau__citizens"), new Schema(
        Types.NestedField.optional(1, "gender", Types.StringType.get())), Map.of(FeedTables.PROP_DEPARTMENT,
        "tax-bureau"));
    applyBad(APPLICATION.replace("ods.market_regulation__enterprises", "ods.tax_bureau__citizens")
        .replace("[credit_code, name, industry_code, district_code, status]", "[gender]")
        .replace("    filter: status IN ('存续', '在业')\n", ""), "a.yaml:8: table ods.tax_bureau__citizens is owned by"
        + " no department organization of the platform (its feeds come from tax-bureau, which is not registered as a "
        + "department: dataops org add)");
  }

  private static void bad(String yaml, String message) {
    assertThatThrownBy(() -> ApplicationParser.parse(yaml, "a.yaml")).isInstanceOf(SourceLineException.class)
        .hasMessageStartingWith(message);
  }

  private void applyBad(String yaml, String message) {
    assertThatThrownBy(() -> apply(yaml.replace("\r", ""))).isInstanceOf(SourceLineException.class)
        .hasMessageStartingWith(message.replace("a.yaml", "application.yaml"));
  }
}
