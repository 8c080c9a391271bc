package io.dataops.core.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {
  @Test
  void sm3GivesTheExamplesOfGbT32905() {
    // GB/T 32905-2016, appendix A: example 1 ("abc") and example 2 ("abcd" sixteen times).
    assertThat(Digests.sm3("abc")).isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    assertThat(Digests.sm3("abcd".repeat(16)))
        .isEqualTo("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  }

  @Test
  void sha256GivesTheFips180Example() {
    assertThat(Digests.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void sm3GivesTheGbT32905Example() {
    assertThat(Digests.hex(DigestAlgorithm.SM3, "abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  }

  @Test
  void aFileIsDigestedAsItsBytes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("f.bin");
    byte[] big = "abcd".repeat(50_000).getBytes(StandardCharsets.US_ASCII); // larger than one read block
    Files.write(f, big);
    assertThat(Digests.hex(DigestAlgorithm.SM3, f)).isEqualTo(Digests.hex(DigestAlgorithm.SM3, big));
    assertThat(Digests.sha256(f)).isEqualTo(Digests.hex(DigestAlgorithm.SHA256, big));
  }

  @Test
  void algorithmsAreNamedAsInSettings() {
    assertThat(DigestAlgorithm.of("SM3")).isEqualTo(DigestAlgorithm.SM3);
    assertThat(DigestAlgorithm.of("SHA-256")).isEqualTo(DigestAlgorithm.SHA256);
    assertThat(DigestAlgorithm.of("sha256").label()).isEqualTo("sha256");
    assertThatThrownBy(() -> DigestAlgorithm.of("md5")).hasMessageContaining("sm3 or sha256");
  }
}
