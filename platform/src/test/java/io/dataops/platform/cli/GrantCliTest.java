package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grants through the command line, each step by the person whose role allows it: the operator applies, the authority
 * and the owning department approve (the department narrowing the columns and adding a row filter), the authority
 * revokes; {@code pipeline validate} says whether a live grant covers the pipeline; refusals exit 2 in one line.
 */
class GrantCliTest extends HomeCliTest {
  static final String CITIZENS = "ods.public_security__citizens";
  Path application;
  Path pipeline;
  Path narrowPipeline;

  @BeforeEach
  void landAndWriteFiles() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("feeds/c.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--out", feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    application = dir.resolve("application.yaml");
    Files.writeString(application, """
        scenario: test
        purpose: income by sub-district for community services
        period: {from: %s, until: %s}
        products: [income-by-street]
        resources:
          - table: ods.public_security__citizens
            columns: [id_card, phone, gender, birth_date, district_code, monthly_income]
        """.formatted(today, today.plusDays(30)));
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    pipeline = pipelines.resolve("income.yaml");
    Files.writeString(pipeline, CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    narrowPipeline = pipelines.resolve("narrow.yaml");
    Files.writeString(narrowPipeline, CliTest.PIPELINE
        .replace("columns: [id_card, phone, gender, birth_date, district_code, monthly_income]",
            "columns: [gender, birth_date, district_code, monthly_income]")
        .replace("SELECT id_card AS person, phone, gender", "SELECT gender")
        .replace("  person: {pseudonymize: hmac-sm3, key: default, length: 24}\n", "")
        .replace("  phone: {encrypt: ff1, key: fpe, shape: mobile}\n", ""));
  }

  @Test
  void theOperatorAppliesTheAuthorityAndTheDepartmentApproveAndValidateSaysWhatIsCovered() {
    // validate refuses as a run would (exit 2, one line), naming the reason; with --json the error is the object's
    refused(TestCast.OPERATOR, "no grant for scenario 'test': the operator applies for one", "pipeline", "validate",
        pipeline.toString());
    assertThat(CliTest.failure(run(TestCast.OPERATOR, "pipeline", "validate", pipeline.toString(), "--json"), 2)
        .get("error").asText()).contains("no grant for scenario 'test'");

    refused(TestCast.PUBLIC_SECURITY, "grant apply requires role operator; ps-clerk has department", "grant",
        "apply", application.toString());
    JsonNode applied = ok(TestCast.OPERATOR, "grant", "apply", application.toString(), "--json").json();
    assertThat(applied.get("id").asLong()).isEqualTo(1);
    assertThat(applied.get("state").asText()).isEqualTo("pending");
    assertThat(applied.get("awaiting").toString()).isEqualTo("[\"authority\",\"public-security\"]");

    refused(TestCast.PARTNER, "grant approve requires role authority or department; paul has partner", "grant",
        "approve", "1");
    refused(TestCast.DEPARTMENT_D, "grant 1 (test) asks for no table of d", "grant", "approve", "1");
    refused(TestCast.PUBLIC_SECURITY, "grant revoke requires role authority", "grant", "revoke", "1", "--reason",
        "x");
    assertThat(ok(TestCast.AUTHORITY, "grant", "approve", "1", "--note", "fits the measures", "--json").json()
        .get("state").asText()).isEqualTo("pending");
    refused(TestCast.OPERATOR, "dataops: grant 1 (test) is not granted yet: it awaits the approval of public-security",
        "pipeline", "validate", pipeline.toString());
    JsonNode active = ok(TestCast.PUBLIC_SECURITY, "grant", "approve", "1", "--columns",
        CITIZENS + "=gender,birth_date,district_code,monthly_income", "--filter",
        CITIZENS + "=district_code LIKE '440304%'", "--json").json();
    assertThat(active.get("state").asText()).isEqualTo("active");

    JsonNode list = ok(TestCast.OPERATOR, "grant", "list", "--json").json();
    assertThat(list.isArray()).isTrue();
    assertThat(list).hasSize(1);
    JsonNode g = list.get(0);
    assertThat(g.get("id").asLong()).isEqualTo(1);
    assertThat(g.get("scenario").asText()).isEqualTo("test");
    assertThat(g.get("operator").asText()).isEqualTo("op");
    assertThat(g.get("state").asText()).isEqualTo("active");
    assertThat(g.get("expiresAt").asText()).endsWith("T16:00:00.000000Z");
    assertThat(g.at("/resources/0/table").asText()).isEqualTo(CITIZENS);
    assertThat(g.at("/resources/0/columns").toString())
        .isEqualTo("[\"gender\",\"birth_date\",\"district_code\",\"monthly_income\"]");
    assertThat(g.at("/resources/0/rowFilter").asText()).isEqualTo("district_code LIKE '440304%'");
    assertThat(ok(TestCast.OPERATOR, "grant", "list", "--state", "pending", "--json").json()).isEmpty();
    assertThat(ok(TestCast.OTHER_OPERATOR, "grant", "list", "--json").json()).isEmpty();
    refused(TestCast.OTHER_OPERATOR, "grant 1 (test) is for its operator op", "grant", "show", "1");
    assertThat(ok(TestCast.PUBLIC_SECURITY, "grant", "show", "1").out())
        .contains("public-security approved by ps-clerk").contains("rows where district_code LIKE '440304%'");

    // The department narrowed the columns: the pipeline that reads id_card and phone is not covered; one that
    // reads only the granted columns is, with the department's row filter for its reader.
    // At the line of the input's columns, as the file's other refusals name theirs (before: no file, no line).
    refused(TestCast.OPERATOR, "dataops: income.yaml:7: column 'id_card' of " + CITIZENS
        + " is not granted by grant 1 (test)",
        "pipeline", "validate", pipeline.toString());
    JsonNode narrow = ok(TestCast.OPERATOR, "pipeline", "validate", narrowPipeline.toString(), "--json").json();
    assertThat(narrow.at("/grant/covered").asBoolean()).isTrue();
    assertThat(narrow.at("/grant/id").asLong()).isEqualTo(1);
    assertThat(narrow.at("/grant/rowFilters/" + CITIZENS.replace("/", "~1")).asText())
        .isEqualTo("district_code LIKE '440304%'");

    ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the scenario was withdrawn");
    refused(TestCast.OPERATOR, "dataops: grant 1 (test) was revoked at ", "pipeline", "validate",
        narrowPipeline.toString());
    JsonNode events = ok(TestCast.AUDITOR, "audit", "list", "--action", "grant.*", "--json").json();
    assertThat(events.toString()).contains("grant.apply", "grant.approve", "grant.revoke", "grant.check");
  }

  @Test
  void aBadApplicationOrDecisionIsOneLineNamingWhatIsWrong() throws Exception {
    Files.writeString(application, Files.readString(application).replace("monthly_income]", "income]"));
    refused(TestCast.OPERATOR, "application.yaml:7: table " + CITIZENS + " has no column 'income'", "grant", "apply",
        application.toString());
    Files.writeString(application, Files.readString(application).replace("income]", "monthly_income]"));
    ok(TestCast.OPERATOR, "grant", "apply", application.toString());
    refused(TestCast.PUBLIC_SECURITY, "column 'name' of " + CITIZENS + " was not asked for", "grant", "approve", "1",
        "--columns", CITIZENS + "=gender,name");
    refused(TestCast.PUBLIC_SECURITY, "--filter " + CITIZENS + ": ", "grant", "approve", "1", "--filter",
        CITIZENS + "=gender IN (SELECT 1)");
    refused(TestCast.AUTHORITY, "no grant application 7 (see: dataops grant list)", "grant", "approve", "7");
    refused(TestCast.OPERATOR, "--state is pending, active, rejected, revoked or expired", "grant", "list",
        "--state", "granted");
    JsonNode rejected = ok(TestCast.PUBLIC_SECURITY, "grant", "reject", "1", "--reason", "phone numbers are not "
        + "needed", "--json").json();
    assertThat(rejected.get("state").asText()).isEqualTo("rejected");
    refused(TestCast.AUTHORITY, "grant 1 (test) is rejected: approve needs a pending application", "grant", "approve",
        "1");
  }
}
