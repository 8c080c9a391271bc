package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home as other users and its own user meet it, in child processes: made under the common umask 022, no file or
 * folder of it is readable by anyone but its owner; made read-only, the commands that only read it still work and
 * those that would change it say why they cannot.
 */
class HomeAccessTest {
  /** No privilege to override file permissions: the process meets the home as an ordinary user does. */
  static final List<String> UNPRIVILEGED = List.of("setpriv", "--inh-caps=-dac_override,-dac_read_search",
      "--bounding-set=-dac_override,-dac_read_search");
  static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  @TempDir static Path dir;
  static Path home;
  static List<CliTest.Run> made;

  /** The demo and a suggested suite, made by a process whose umask lets files be world-readable by default. */
  @BeforeAll
  static void makeAHomeUnderUmask022() throws Exception {
    home = dir.resolve("home");
    made = ChildCli.run(List.of("bash", "-c", "umask 022 && exec \"$0\" \"$@\""), dir.resolve("make.log"), List.of(
        List.of("demo", "--home", home.toString(), "--json"),
        List.of("quality", "suggest", "--table", "ods.public_security__citizens", "--home", home.toString(),
            "--as", "wang-fang")));
    for (CliTest.Run r : made) {
      assertThat(r.exit()).as(r.err()).isZero();
    }
  }

  @Test
  void everyFileAndFolderOfTheHomeIsOwnerOnly() throws Exception {
    List<String> exposed = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        if (perms.stream().anyMatch(OTHERS::contains)) {
          exposed.add(PosixFilePermissions.toString(perms) + " " + home.relativize(p));
        }
        if (Files.isRegularFile(p)) {
          files.add(home.relativize(p));
        }
      }
    }
    assertThat(exposed).as("group- or other-accessible under the home").isEmpty();
    assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    // What the walk covered: every kind of file the platform writes.
    assertThat(files).contains(Path.of("catalog.db"), Path.of("logs/dataops.log"), Path.of("secrets/keys.properties"),
        Path.of("contracts/public-security/citizens.contract.yaml"), Path.of("suites/public-security/citizens.yaml"),
        Path.of("suites/suggested/ods.public_security__citizens.json"),
        Path.of("pipelines/enterprise-employment.yaml"), Path.of("landing/public-security/citizens-2026-10.csv"),
        Path.of("secrets/credentials.properties"), Path.of("certificates/population-by-street-v1-destruction.json"),
        Path.of("certificates/population-by-street-v1-destruction.html"));
    assertThat(files).anyMatch(f -> f.startsWith("outbox/public-security/citizens") && f.endsWith("failing-rows.csv"));
    assertThat(files).anyMatch(f -> f.startsWith("warehouse/ods/public_security__citizens/data")
        && f.toString().endsWith(".parquet"));
    assertThat(files).anyMatch(f -> f.startsWith("warehouse/product/enterprise_employment/metadata")
        && f.toString().endsWith(".metadata.json"));
  }

  @Test
  void onAReadOnlyHomeCommandsThatReadWorkAndThoseThatWriteSayWhyNot() throws Exception {
    // The home itself made read-only (its permissions given back after), not a copy of it: a copy is refused, its
    // catalog naming the original's files (see HomeOriginCliTest).
    Path readOnly = home;
    exec("chmod", "-R", "a-w", readOnly.toString());
    String h = readOnly.toString();
    Path feed = Path.of(made.get(0).json().at("/steps/0/file").asText());
    Path suggested = dir.resolve("suggested.json");
    try {
      List<CliTest.Run> runs = ChildCli.run(UNPRIVILEGED, dir.resolve("read-only.log"), List.of(
          List.of("table", "list", "--json", "--home", h),
          List.of("table", "show", "ods.public_security__citizens", "--limit", "2", "--json", "--home", h, "--as",
              "wang-fang"),
          List.of("table", "history", "ods.public_security__citizens", "--json", "--home", h, "--as", "zhang-wei"),
          List.of("product", "list", "--json", "--home", h),
          List.of("product", "show", "enterprise-employment", "1", "--json", "--home", h),
          List.of("contract", "list", "--json", "--home", h),
          List.of("contract", "show", "--department", "public-security", "--dataset", "citizens", "--home", h),
          List.of("feedback", "list", "--json", "--home", h, "--as", "wang-fang"),
          List.of("feedback", "show", "1", "--home", h, "--as", "zhang-wei"),
          List.of("feedback", "scorecard", "--json", "--home", h, "--as", "chen-jing"),
          List.of("quality", "suggest", "--table", "ods.public_security__citizens", "--out", suggested.toString(),
              "--home", h, "--as", "wang-fang"),
          List.of("pipeline", "validate", readOnly.resolve("pipelines/enterprise-employment.yaml").toString(),
              "--home", h, "--as", "sun-hao"),
          List.of("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
              "--home", h, "--as", "wang-fang"),
          List.of("quality", "suggest", "--table", "ods.public_security__citizens", "--home", h, "--as", "wang-fang"),
          List.of("table", "list", "--home", readOnly.resolve("nothing-here").toString())));
      for (int i = 0; i < 12; i++) {
        assertThat(runs.get(i).exit()).as(i + ": " + runs.get(i).err()).isZero();
        // A read of data is an access the trail should record; a read-only home cannot take it, and says so.
        assertThat(runs.get(i).err()).as(i + "").isIn("", "dataops: note: the home is read-only, so this access is "
            + "not recorded in its audit trail\n");
      }
      assertThat(runs.get(1).err()).contains("not recorded");
      assertThat(runs.get(0).json().get("tables")).hasSize(12);
      assertThat(runs.get(1).json().get("rows")).hasSize(2);
      assertThat(runs.get(2).json().get("snapshots").size()).isEqualTo(5);
      assertThat(runs.get(3).json()).hasSize(2);
      assertThat(runs.get(4).json().at("/lineage/inputs").size()).isEqualTo(2);
      assertThat(runs.get(5).json().get("contracts")).hasSize(3);
      assertThat(runs.get(6).out()).contains("id_card");
      assertThat(runs.get(7).json().get("tickets").size()).isPositive();
      assertThat(runs.get(8).out()).contains("#1");
      assertThat(runs.get(9).json().get("scorecards")).hasSize(2);
      assertThat(suggested).isRegularFile();
      assertThat(runs.get(11).out()).contains("valid");

      for (CliTest.Run refused : runs.subList(12, 14)) {
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("dataops: the home " + h + " is read-only for this user, and this "
            + "command changes it (commands that only read it work)\n");
      }
      CliTest.Run below = runs.get(14);
      assertThat(below.exit()).isEqualTo(2);
      assertThat(below.err()).isEqualTo("dataops: cannot create the home " + readOnly.resolve("nothing-here")
          + ": permission denied\n");
      assertThat(runs.get(12).out()).isEmpty();
      try (Stream<Path> all = Files.walk(readOnly)) {
        assertThat(all.filter(p -> p.getFileName().toString().endsWith("-wal"))).as("nothing was written").isEmpty();
      }
    } finally {
      exec("chmod", "-R", "u+w", readOnly.toString());
    }
  }

  static JsonNode json(CliTest.Run r) {
    return r.json();
  }

  private static void exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
  }
}
