package io.dataops.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.pipelines.desensitize.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredKeysTest {
  @TempDir Path home;

  @Test
  void anEmbeddedHomeGeneratesItsOwnKeysOnceAndKeepsThem() throws Exception {
    ConfiguredKeys keys = PlatformConfig.load(home, Map.of()).keys();
    byte[] hmac = keys.key("default");
    assertThat(hmac).hasSize(32);
    assertThat(keys.key("fpe")).hasSize(16);
    assertThat(PlatformConfig.load(home, Map.of()).keys().key("default")).as("the same key next time").isEqualTo(hmac);
    assertThat(PlatformConfig.load(home.resolve("other"), Map.of()).keys().key("default")).as("another home")
        .isNotEqualTo(hmac);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(home.resolve("secrets/keys.properties")))).isEqualTo("rw-------");
    assertThat(keys.fingerprint("default")).hasSize(16).doesNotContain(HexFormat.of().formatHex(hmac).substring(0, 8));

    // Found by a probe: made readable by others, the keys were used without a word.
    Path file = home.resolve("secrets/keys.properties");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of()).keys().key("default"))
        .isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessage("the keys file " + file + " may be read or changed by other users (rw-r--r--): with its keys they "
            + "could match this home's pseudonyms and decrypt its encrypted values; make it owner-only (chmod 600 "
            + file + ")");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(PlatformConfig.load(home, Map.of()).keys().key("default")).isEqualTo(hmac);
  }

  @Test
  void theEnvironmentWinsOverTheKeysFileAndErrorsNeverShowAKey() throws Exception {
    Path file = io.dataops.core.files.OwnerOnly.writeString(home.resolve("prod-keys.properties"),
        "default = 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\nshort = abcd\n");
    Map<String, String> env = Map.of("DATAOPS_KEYS_FILE", file.toString(),
        "DATAOPS_KEY_PARTNER_A", "ffeeddccbbaa99887766554433221100");
    ConfiguredKeys keys = PlatformConfig.load(home, env).keys();
    assertThat(HexFormat.of().formatHex(keys.key("default"))).startsWith("0011");
    assertThat(HexFormat.of().formatHex(keys.key("partner-a"))).isEqualTo("ffeeddccbbaa99887766554433221100");
    assertThat(Files.exists(home.resolve("secrets"))).as("nothing generated when a keys file is configured").isFalse();
    assertThatThrownBy(() -> keys.key("fpe")).isInstanceOf(PolicyException.class)
        .hasMessage("no key 'fpe': set DATAOPS_KEY_FPE to its hex value or add 'fpe = HEX' to the keys file " + file);
    assertThatThrownBy(() -> keys.key("short")).hasMessageContaining("is not a hex string of at least 16 bytes")
        .message().doesNotContain("abcd");
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_KEYS_FILE", home.resolve("nope").toString()))
        .keys().key("default")).isInstanceOf(BadInputException.class).hasMessageContaining("does not exist");
  }
}
