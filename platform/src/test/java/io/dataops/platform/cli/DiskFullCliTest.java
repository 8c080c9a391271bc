package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.ChildJvm;
import io.dataops.core.testing.Tmpfs;
import io.dataops.platform.Main;
import io.dataops.platform.cli.CliTest.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands other than {@code land} on a device that really fills up (a small tmpfs): one line naming the device, with
 * {@code --json} one object too, nothing half-written left, and the same command works again once there is space.
 */
class DiskFullCliTest {
  @TempDir Path dir;

  private Run run(Path home, Map<String, String> env, String as, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString(), "--as", as));
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The command in its own JVM: no connection of this one keeps the platform database's files open. */
  private Run child(Path home, String... args) throws Exception {
    List<String> command = ChildJvm.command(Main.class, List.of("-Xmx256m"), List.of(args));
    command.addAll(List.of("--home", home.toString(), "--as", TestCast.AUTHORITY));
    Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("child.out").toFile())
        .redirectError(dir.resolve("child.err").toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(dir.resolve("child.out")), Files.readString(dir.resolve("child.err")));
  }

  /** Fills the device {@code folder} is on until fewer than {@code leave} bytes are free. */
  private static Path fill(Path folder, long leave) throws IOException {
    Path filler = folder.resolve("filler");
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (Files.getFileStore(folder).getUsableSpace() > leave) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // the device filled up before the check did
    }
    return filler;
  }

  @Test
  void aPipelineWhoseProductFillsTheDiskSaysSoLeavesNoFileAndResumesOnceThereIsSpace() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 3)) {
      Map<String, String> env = Map.of("DATAOPS_WAREHOUSE", disk.dir().toUri().toString());
      Path feed = dir.resolve("citizens.csv");
      assertThat(run(home, env, TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "5000",
          "--out", feed.toString()).exit()).isZero();
      Run landed = run(home, env, TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset",
          "citizens", "--file", feed.toString());
      assertThat(landed.exit()).as(landed.err()).isZero();
      TestCast.grant(home, env, "test", "citizen-contacts");
      Path pipeline = dir.resolve("contacts.yaml");
      Files.writeString(pipeline, """
          name: citizen-contacts
          scenario: test
          owner: op
          inputs:
            - {table: ods.public_security__citizens, as: citizens, columns: [id_card, name, phone, address]}
          transform: SELECT id_card, name, phone, address FROM citizens
          policy:
            id_card: {mask: id_card}
            name: {mask: name}
            phone: {mask: mobile}
            address: {generalize: address, level: street}
          # k on the street only (ten streets of hundreds): every row is kept, as the resumed run's count expects
          privacy:
            quasiIdentifiers: [address]
            k: 5
            exempt:
              id_card: "a full-disk test: k on the street only"
              name: "a full-disk test: k on the street only"
              phone: "a full-disk test: k on the street only"
          product: citizen-contacts
          """);
      Path filler = fill(disk.dir(), 16 << 10);

      Run full = run(home, env, TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json");
      assertThat(full.exit()).as(full.err()).isEqualTo(1);
      assertThat(full.err()).startsWith("dataops: no space left on the device while running pipeline citizen-contacts ("
          + disk.dir() + " (tmpfs), ")
          .contains(" KB free now; " + io.dataops.core.StorageFullException.deviceOf(home.toString()) + ", ") // the run's folder, in the home
          .contains("): nothing was published; free some space, then run the same command again to resume it (");
      assertThat(full.err().lines()).hasSize(1);
      assertThat(full.json().get("error").asText()).isEqualTo(full.err().strip());
      try (Stream<Path> files = Files.walk(disk.dir())) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet") && f.toString().contains("citizen_contacts")))
            .as("no product file cut off by the full disk is left").isEmpty();
      }

      Files.delete(filler);
      Run resumed = run(home, env, TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json");
      assertThat(resumed.exit()).as(resumed.err()).isZero();
      assertThat(resumed.json().get("restarted").asBoolean()).isTrue();
      assertThat(resumed.json().get("rowsIn").asLong()).isEqualTo(5000);
      assertThat(resumed.json().get("rowsOut").asLong()).as("every row, the file the full disk cut off written again")
          .isEqualTo(5000);
    }
  }

  @Test
  void aHomeOnAFullDiskRefusesEvenAReadInOneLineAndWorksOnceThereIsSpace() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 8)) {
      Path home = disk.dir().resolve("home");
      TestCast.enroll(home);
      assertThat(child(home, "org", "list").exit()).isZero();
      Path filler = fill(disk.dir(), 0);

      // SQLite cannot map its write-ahead log's shared memory on a full device, even to read.
      Run full = child(home, "org", "list", "--json");
      assertThat(full.exit()).as(full.err()).isEqualTo(1);
      assertThat(full.err()).isEqualTo("dataops: no space left on the device while running dataops org list ("
          + disk.dir() + " (tmpfs), 0 KB free now): free some space, then run the same command again (details in "
          + home + "/logs/dataops.log)\n");
      assertThat(full.json().get("error").asText()).isEqualTo(full.err().strip());

      Files.delete(filler);
      Run again = child(home, "org", "list");
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.out()).contains("public-security");
    }
  }
}
