package io.dataops.products.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.dataops.lakehouse.storage.LocalFileIO;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version's file digests are taken two files at a time ({@link VersionContent#digests}): each is the file's own
 * digest, in the order the files were given, whatever their sizes; a file that cannot be read fails the whole with its
 * location, and no digest thread is left behind.
 */
class VersionDigestsTest {
  @TempDir Path dir;

  private final FileIO io = new LocalFileIO();

  private List<String> files(int n) throws Exception {
    List<String> out = new ArrayList<>();
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < n; i++) {
      // Sizes from empty to 3 MB, so the threads take files of unequal lengths.
      byte[] b = new byte[i == 0 ? 0 : (i * 7919 % 13) * 250_000 + i];
      r.nextBytes(b);
      Path f = dir.resolve("f" + i + ".bin");
      Files.write(f, b);
      out.add(f.toString());
    }
    return out;
  }

  @Test
  void eachDigestIsItsFilesInTheOrderGiven() throws Exception {
    List<String> files = files(9);
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      String[] digests = VersionContent.digests(io, files, a);
      assertThat(digests).hasSize(files.size());
      for (int i = 0; i < files.size(); i++) {
        try (InputStream in = Files.newInputStream(Path.of(files.get(i)))) {
          assertThat(digests[i]).as(files.get(i)).isEqualTo(Digests.hex(a, in));
        }
      }
    }
    assertThat(VersionContent.digests(io, files.subList(0, 1), DigestAlgorithm.SM3)).hasSize(1);
    assertThat(VersionContent.digests(io, List.of(), DigestAlgorithm.SM3)).isEmpty();
  }

  @Test
  void aFileThatCannotBeReadFailsWithItsLocationAndLeavesNoThread() throws Exception {
    List<String> files = files(6);
    for (int gone : new int[] {0, 3, 5}) {
      List<String> some = new ArrayList<>(files);
      some.set(gone, dir.resolve("gone-" + gone + ".bin").toString());
      assertThatThrownBy(() -> VersionContent.digests(io, some, DigestAlgorithm.SM3))
          .isInstanceOf(org.apache.iceberg.exceptions.NotFoundException.class) // as one file at a time gave it
          .hasMessageContaining("gone-" + gone + ".bin");
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("version-digests")
          && t.isAlive());
    }
  }
}
