package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.core.files.ProcessScratch;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A home made by the code before schema migrations, identities and the product registry existed (commit 58f1090:
 * one citizens feed landed, a quality ticket opened, a population product made as a draft) upgrades in place: its
 * tables are migrated, its rows kept, its version goes through review.
 *
 * <p>Iceberg keeps absolute paths in its metadata, so the home is unpacked where it was made:
 * {@code /tmp/dataops-home-made-by-58f1090}, under a lock beside it that two builds on one machine take in turn (the
 * test replaces the home at its start and removes it at its end).
 */
class UpgradeTest {
  static final Path HOME = Path.of("/tmp/dataops-home-made-by-58f1090");
  /** Held while the home is in use: another build's test waits for it instead of unpacking over this one's home. */
  static final Path LOCK = Path.of("/tmp/dataops-home-made-by-58f1090.lock");

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", HOME.toString()));
    return CliTest.exactly(all.toArray(String[]::new));
  }

  Run ok(String... args) {
    Run r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  @Test
  void aHomeMadeBeforeMigrationsUpgradesInPlaceAndKeepsEverything() throws Exception {
    try (FileChannel lock = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      remove(HOME);
      try {
        upgradesInPlace();
      } finally {
        remove(HOME);
      }
    }
  }

  private static void remove(Path home) {
    ProcessScratch.deleteTree(home);
    assertThat(home).as("removed").doesNotExist();
  }

  private void upgradesInPlace() throws Exception {
    Path archive = Path.of(UpgradeTest.class.getResource("/fixtures/home-made-by-58f1090.tar.gz").toURI());
    Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", HOME.getParent().toString())
        .inheritIO().start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("unpacked").isTrue();
    assertThat(HOME.resolve("catalog.db")).isRegularFile();
    assertThat(HOME.resolve("secrets/credentials.properties")).as("no identities before").doesNotExist();

    // The first command bootstraps the local admin; the admin enrolls the organizations the old data names.
    assertThat(ok("table", "list", "--json").json().get("tables").findValuesAsText("name"))
        .contains("ods.public_security__citizens", "product.population_by_street");
    ok("org", "add", "futian-data-operator", "--name", "福田数据运营公司", "--kind", "operator");
    ok("org", "add", "public-security", "--name", "福田公安分局", "--kind", "department");
    ok("org", "add", "futian-data-bureau", "--name", "福田区政务服务数据管理局", "--kind", "authority");
    ok("user", "add", "op1", "--org", "futian-data-operator", "--roles", "operator", "--save");
    ok("user", "add", "ps1", "--org", "public-security", "--roles", "department", "--save");
    ok("user", "add", "boss", "--org", "futian-data-bureau", "--roles", "authority", "--save");

    // The draft version made then, with its lineage.
    JsonNode list = ok("product", "list", "--json", "--as", "op1").json();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("name").asText()).isEqualTo("population-by-street");
    assertThat(list.get(0).get("state").asText()).isEqualTo("draft");
    JsonNode shown = ok("product", "show", "population-by-street", "1", "--json", "--as", "op1").json();
    assertThat(shown.at("/lineage/rowsOut").asLong()).isEqualTo(18);
    assertThat(shown.at("/lineage/inputs/ods.public_security__citizens").asLong()).isPositive();
    assertThat(shown.get("content").isNull()).as("made before content digests").isTrue();
    // The ticket opened then.
    JsonNode tickets = ok("feedback", "list", "--json", "--as", "ps1").json().get("tickets");
    assertThat(tickets).hasSize(1);
    assertThat(tickets.get(0).get("state").asText()).isEqualTo("OPEN");

    // Through review: the submit records its content digest and tags it; readers then read exactly that version.
    JsonNode submitted = ok("product", "submit", "population-by-street", "1", "--json", "--as", "op1").json();
    assertThat(submitted.get("state").asText()).isEqualTo("submitted");
    assertThat(ok("product", "show", "population-by-street", "1", "--json", "--as", "op1").json()
        .at("/content/merkleRoot").asText()).hasSize(64);
    assertThat(ok("table", "show", "product.population_by_street", "--tag", "v1", "--json", "--as", "op1").json()
        .get("rows")).hasSize(18);
    ok("product", "approve", "population-by-street", "1", "--as", "boss");
    assertThat(ok("product", "verify", "population-by-street", "1", "--json", "--as", "boss").json().get("ok")
        .asBoolean()).isTrue();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + HOME.resolve("catalog.db"))) {
      for (String module : List.of("tickets", "products", "governance")) {
        try (ResultSet r = c.createStatement().executeQuery("SELECT max(version) FROM flyway_" + module
            + "_history WHERE success = 1")) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1)).as(module).isNotNull();
        }
      }
      try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM dq_ticket_events")) {
        r.next();
        assertThat(r.getInt(1)).as("the ticket's history kept").isPositive();
      }
    }
  }
}
