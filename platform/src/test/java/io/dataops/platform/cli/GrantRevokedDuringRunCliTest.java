package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: a run that started under a live grant, held at its staged snapshot while the authority revoked
 * the grant, then went on, published version 3 of the product, which was submitted and approved as any other. The
 * grant is now asked again right before the version becomes visible.
 */
class GrantRevokedDuringRunCliTest extends HomeCliTest {

  @Test
  void aGrantRevokedWhileARunWritesItsVersionLetsNoVersionBeMade() throws Exception {
    publishedThenANewFeed();
    Path pipeline = dir.resolve("pipelines/income.yaml");
    long snapshotsBefore = run(TestCast.AUDITOR, "table", "history", "product.income_by_street", "--json").json()
        .get("snapshots").size();

    Run ran;
    try (PausedChild child = PausedChild.at("staged", dir, dir.resolve("home"), TestCast.OPERATOR, "pipeline", "run",
        pipeline.toString())) {
      Run revoked = run(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the scenario ended");
      assertThat(revoked.exit()).as(revoked.err()).isZero();
      ran = child.resume();
    }
    assertThat(ran.exit()).as(ran.err()).isEqualTo(2);
    assertThat(ran.err()).contains("grant 1").contains("revoked");
    JsonNode versions = run(TestCast.OPERATOR, "product", "list", "--json").json();
    assertThat(versions).as(versions.toString()).hasSize(1);
    assertThat(run(TestCast.AUDITOR, "table", "history", "product.income_by_street", "--json").json()
        .get("snapshots")).as("the staged snapshot is discarded").hasSize((int) snapshotsBefore);
    List<String> checks = new ArrayList<>();
    run(TestCast.AUDITOR, "audit", "list", "--action", "grant.check", "--json").json().get("events")
        .forEach(e -> checks.add(e.at("/details/purpose").asText() + " " + e.get("outcome").asText()));
    assertThat(checks).contains("pipeline publish refused");
    JsonNode runs = run(TestCast.AUDITOR, "audit", "list", "--action", "pipeline.run", "--json").json().get("events");
    assertThat(runs.get(0).get("outcome").asText()).as("the newest run event: " + runs.get(0)).isEqualTo("refused");
  }

  /** Version 1 published under grant 1, and a new feed landed since: a run would make version 2. */
  private void publishedThenANewFeed() throws Exception {
    DeliveryCliTest.grantedRunAndPublished(dir, "--channel public-interest");
    Path feed = dir.resolve("feeds/c2.csv");
    assertThat(run(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500",
        "--out", feed.toString()).exit()).isZero();
    assertThat(run(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens",
        "--file", feed.toString()).exit()).isZero();
  }

  /** Found by a probe: a run went on to record a version for a user disabled while it ran. The user is asked too. */
  @Test
  void aUserDisabledWhileARunWritesItsVersionLetsNoVersionBeMade() throws Exception {
    publishedThenANewFeed();
    Run ran;
    try (PausedChild child = PausedChild.at("staged", dir, dir.resolve("home"), TestCast.OPERATOR, "pipeline", "run",
        dir.resolve("pipelines/income.yaml").toString())) {
      Run disabled = run(io.dataops.platform.session.Sessions.LOCAL_ADMIN, "user", "disable", TestCast.OPERATOR);
      assertThat(disabled.exit()).as(disabled.err()).isZero();
      ran = child.resume();
    }
    assertThat(ran.exit()).as(ran.err()).isEqualTo(2);
    assertThat(ran.err()).contains("user " + TestCast.OPERATOR + " was disabled while the run went on: no version is"
        + " recorded");
    assertThat(run(TestCast.AUDITOR, "product", "list", "--json").json()).as("only the version made before")
        .hasSize(1);
  }
}
