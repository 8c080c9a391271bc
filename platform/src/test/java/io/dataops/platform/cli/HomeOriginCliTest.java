package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.config.HomeOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home copied or moved as a folder: its catalog names the tables' files by absolute path, so a copy's commands
 * would change the original's tables and a moved home finds none; both are refused, for every command, with what
 * happened and what to do. A home reached through a link, or given another warehouse for a command, is not refused.
 */
class HomeOriginCliTest {
  private static final String TABLE = "ods.public_security__citizens";
  @TempDir Path tmp;
  /** The test's folder with its links resolved: the paths the messages name. */
  Path dir;
  Path home;
  Path feed;

  @BeforeEach
  void aHomeWithALandedFeed() throws Exception {
    dir = tmp.toRealPath();
    home = dir.resolve("home");
    TestCast.enroll(home);
    feed = dir.resolve("citizens.csv");
    assertThat(run(home, "generate", "--dataset", "citizens", "--rows", "300", "--seed", "1", "--out",
        feed.toString()).exit()).isZero();
    Run landed = run(home, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    assertThat(landed.exit()).as(landed.err()).isZero();
  }

  private static Run run(Path home, String... args) {
    return run(home, Map.of(), args);
  }

  private static Run run(Path home, Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString()));
    if (!all.contains("--as")) {
      all.addAll(List.of("--as", TestCast.PUBLIC_SECURITY));
    }
    return CliTest.exactly(env, all.toArray(String[]::new));
  }

  /** A second feed for the table (other people), to land where the first one went. */
  private Path anotherFeed() {
    Path other = dir.resolve("more-citizens.csv");
    assertThat(run(home, "generate", "--dataset", "citizens", "--rows", "200", "--seed", "2", "--offset", "5000",
        "--out", other.toString()).exit()).isZero();
    return other;
  }

  private static List<String> files(Path folder) throws Exception {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).sorted().toList();
    }
  }

  private static void exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
  }

  @Test
  void aCopiedHomeIsRefusedForEveryCommandAndTheOriginalIsUntouched() throws Exception {
    Path other = anotherFeed();
    Path copy = dir.resolve("copy");
    exec("cp", "-a", home.toString(), copy.toString());
    List<String> before = files(home.resolve("warehouse"));

    Run land = run(copy, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        other.toString(), "--json");
    String refusal = "dataops: this home was made at " + home + " and is now at " + copy + ": its catalog names its "
        + "tables' files under " + home.resolve("warehouse") + ", so a command here would read and change the "
        + "tables of the home at " + home + " (this is a copy of it); use that home (--home " + home + "), or make "
        + "a new home for tables of its own (a home cannot be copied: Iceberg's metadata names every file by its "
        + "absolute path)";
    assertThat(CliTest.failure(land, 2).get("error").asText()).isEqualTo(refusal);
    // A read too: it would show the original's tables as this home's, and record the access in the copy's trail.
    Run list = run(copy, "table", "list");
    assertThat(list.exit()).isEqualTo(2);
    assertThat(list.err()).isEqualTo(refusal + "\n");

    assertThat(files(home.resolve("warehouse"))).as("no file of the original's tables changed").isEqualTo(before);
    Run history = run(home, "table", "history", TABLE, "--json");
    assertThat(history.exit()).as(history.err()).isZero();
    assertThat(history.json().get("snapshots")).hasSize(1);
  }

  @Test
  void aMovedHomeIsRefusedAndWorksAgainMovedBack() throws Exception {
    Path moved = dir.resolve("moved");
    Files.move(home, moved);
    Run list = run(moved, "table", "list", "--json");
    assertThat(CliTest.failure(list, 2).get("error").asText()).isEqualTo("dataops: this home was made at " + home
        + " and is now at " + moved + ": its catalog names its tables' files under " + home.resolve("warehouse")
        + ", which is gone, so its tables cannot be found here; move it back to " + home + " (a home cannot be "
        + "moved: Iceberg's metadata names every file by its absolute path)");

    Files.move(moved, home);
    Run back = run(home, "table", "list", "--json");
    assertThat(back.exit()).as(back.err()).isZero();
    assertThat(back.json().get("tables").findValuesAsText("name")).contains(TABLE);
  }

  @Test
  void aHomeReachedThroughASymbolicLinkIsTheSameHome() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("link"), home);
    Run landed = run(link, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        anotherFeed().toString(), "--json");
    assertThat(landed.exit()).as(landed.err()).isZero();
    Run history = run(home, "table", "history", TABLE, "--json");
    assertThat(history.json().get("snapshots")).as("landed in the home itself").hasSize(2);
    assertThat(Files.readString(home.resolve(HomeOrigin.FILE))).contains("path=" + home + "\n");

    // Made through a link, the home is recorded by its real path, and reached either way.
    Path linkedHome = dir.resolve("made-through-a-link");
    Path madeLink = Files.createSymbolicLink(dir.resolve("new-link"), Files.createDirectory(linkedHome));
    TestCast.enroll(madeLink);
    Run made = run(madeLink, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    assertThat(made.exit()).as(made.err()).isZero();
    assertThat(Files.readString(linkedHome.resolve(HomeOrigin.FILE))).contains("path=" + linkedHome + "\n");
    assertThat(run(linkedHome, "table", "list").exit()).isZero();
  }

  @Test
  void aWarehouseGivenForACommandIsStillUsed() throws Exception {
    Path elsewhere = dir.resolve("elsewhere");
    Map<String, String> env = Map.of("DATAOPS_WAREHOUSE", elsewhere.toUri().toString());
    Path enterprises = dir.resolve("enterprises.csv");
    assertThat(run(home, "generate", "--dataset", "enterprises", "--rows", "100", "--out", enterprises.toString())
        .exit()).isZero();
    Run landed = run(home, env, "land", "--department", "market-regulation", "--dataset", "enterprises", "--file",
        enterprises.toString(), "--as", TestCast.MARKET_REGULATION);
    assertThat(landed.exit()).as(landed.err()).isZero();
    assertThat(files(elsewhere)).anyMatch(f -> f.startsWith("ods/market_regulation__enterprises/data/"));
    Run list = run(home, env, "table", "list", "--json");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().get("tables").findValuesAsText("name")).contains(TABLE,
        "ods.market_regulation__enterprises");
  }

  @Test
  void aHomeMadeBeforeTheRecordGetsItAtItsFirstOpenWhenItsTablesAreItsOwn() throws Exception {
    Path record = home.resolve(HomeOrigin.FILE);
    Files.delete(record);
    Path copy = dir.resolve("old-copy");
    exec("cp", "-a", home.toString(), copy.toString());

    Run list = run(copy, "table", "list");
    assertThat(list.exit()).isEqualTo(2);
    assertThat(list.err()).isEqualTo("dataops: this home's catalog names table " + TABLE + " at "
        + home.resolve("warehouse/ods/public_security__citizens") + ", outside this home (" + copy + ") and its warehouse: the "
        + "home was copied or moved from elsewhere, so a command here would read and change another home's tables, "
        + "or find none; use the home those tables were made in (a home cannot be copied or moved: Iceberg's "
        + "metadata names every file by its absolute path)\n");
    assertThat(copy.resolve(HomeOrigin.FILE)).doesNotExist();

    Run original = run(home, "table", "list");
    assertThat(original.exit()).as(original.err()).isZero();
    assertThat(Files.readString(record)).contains("path=" + home + "\n");
    assertThat(Files.getPosixFilePermissions(record)).isEqualTo(java.nio.file.attribute.PosixFilePermissions
        .fromString("rw-------"));
  }

  @Test
  void aHomeWhoseCatalogIsElsewhereIsConfigurationAndItsCopyWorks() throws Exception {
    Path shared = dir.resolve("shared");
    Path configured = dir.resolve("configured");
    Files.createDirectories(configured);
    Files.writeString(configured.resolve("dataops.properties"), "catalog.uri=jdbc:sqlite:" + shared.resolve(
        "catalog.db") + "\nwarehouse=" + shared.resolve("warehouse").toUri() + "\n");
    TestCast.enroll(configured);
    assertThat(run(configured, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString()).exit()).isZero();
    Path copy = dir.resolve("configured-copy");
    exec("cp", "-a", configured.toString(), copy.toString());

    Run list = run(copy, "table", "list", "--json");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().get("tables").findValuesAsText("name")).contains(TABLE);
    assertThat(copy.resolve(HomeOrigin.FILE)).as("nothing to guard: the catalog is not in the home").doesNotExist();
  }
}
