package io.dataops.pipelines.desensitize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys as a parallel task reads them: its environment, then the keys file at the configured path. */
class ConfiguredKeyRingTest {
  @TempDir Path dir;

  @Test
  void aTaskReadsItsEnvironmentThenTheKeysFileAndNamesWhereAKeyIsMissing() throws Exception {
    Path file = OwnerOnly.writeString(dir.resolve("keys.properties"), "default = 000102030405060708090a0b0c0d0e0f\n");
    ConfiguredKeyRing both = new ConfiguredKeyRing(Map.of("DATAOPS_KEY_FPE", "2b7e151628aed2a6abf7158809cf4f3c"), file,
        true);
    assertThat(HexFormat.of().formatHex(both.key("default"))).isEqualTo("000102030405060708090a0b0c0d0e0f");
    assertThat(HexFormat.of().formatHex(both.key("fpe"))).isEqualTo("2b7e151628aed2a6abf7158809cf4f3c");
    assertThat(both.fingerprint("default")).isEqualTo(new ConfiguredKeyRing(Map.of("DATAOPS_KEY_DEFAULT",
        "000102030405060708090a0b0c0d0e0f"), null, false).fingerprint("default"));

    ConfiguredKeyRing envOnly = new ConfiguredKeyRing(Map.of(), null, false);
    assertThatThrownBy(() -> envOnly.key("default")).isInstanceOf(PolicyException.class)
        .hasMessage("no key 'default': set DATAOPS_KEY_DEFAULT to its hex value");
    ConfiguredKeyRing gone = new ConfiguredKeyRing(Map.of(), dir.resolve("nope.properties"), true);
    assertThatThrownBy(() -> gone.key("default")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("does not exist");
  }

  /**
   * A keys file others may read is refused wherever it is read (a task of a Flink cluster, a configured keys.file, the
   * home's own), not only the home's generated one: a container secret is mounted 0400 for the user that reads it.
   */
  @Test
  void aKeysFileOthersMayReadOrChangeIsRefusedWithoutShowingAKey() throws Exception {
    String key = "000102030405060708090a0b0c0d0e0f";
    for (String mode : java.util.List.of("rw-r--r--", "r--r--r--", "rw--w----", "rw-r-----")) {
      Path file = Files.writeString(dir.resolve("keys-" + mode.replace('-', '_') + ".properties"), "default = " + key);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> new ConfiguredKeyRing(Map.of(), file, true).key("default"))
          .isInstanceOf(BadInputException.class)
          .hasMessage("the keys file " + file + " may be read or changed by other users (" + mode + "): with its "
              + "keys they could match this home's pseudonyms and decrypt its encrypted values; make it owner-only "
              + "(chmod 600 " + file + ")");
    }
    Path ownerOnly = Files.writeString(dir.resolve("keys-0400.properties"), "default = " + key);
    Files.setPosixFilePermissions(ownerOnly, PosixFilePermissions.fromString("r--------"));
    assertThat(HexFormat.of().formatHex(new ConfiguredKeyRing(Map.of(), ownerOnly, true).key("default")))
        .as("an owner-only (0400) secret mount").isEqualTo(key);
  }
}
