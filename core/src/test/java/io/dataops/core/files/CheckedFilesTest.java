package io.dataops.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckedFilesTest {
  private static final long MAGIC = 0x0123_4567_89AB_CDEFL;
  private static final CheckedFiles.Reader<List<Object>> READ = in -> List.of(in.readUTF(), in.readLong());

  @TempDir Path dir;

  @Test
  void whatIsWrittenReadsBackAndAnyTornAlteredOrForeignFileIsRefused() throws Exception {
    Path f = dir.resolve("decision.bin");
    CheckedFiles.write(f, MAGIC, out -> {
      out.writeUTF("数据 kept");
      out.writeLong(42);
    });
    assertThat(CheckedFiles.read(f, MAGIC, READ)).containsExactly("数据 kept", 42L);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    assertThat(list(dir)).as("nothing left aside").containsExactly(f);

    byte[] whole = Files.readAllBytes(f);
    // What a power failure can leave of a file moved in before its blocks were written: nothing, a part, or zeros.
    assertRefused(f, new byte[0]);
    assertRefused(f, Arrays.copyOf(whole, whole.length - 1));
    assertRefused(f, Arrays.copyOf(whole, 8 + 3));
    assertRefused(f, new byte[whole.length]);
    byte[] altered = whole.clone();
    altered[altered.length - 40] ^= 1; // the long, covered by the digest
    assertRefused(f, altered);
    byte[] longer = Arrays.copyOf(whole, whole.length + 1);
    assertRefused(f, longer);
    Files.write(f, whole);
    assertThatThrownBy(() -> CheckedFiles.read(f, MAGIC + 1, READ)).isInstanceOf(CheckedFiles.Refused.class)
        .hasMessage("decision.bin is not of this kind (or was written by an older build)");
    assertThatThrownBy(() -> CheckedFiles.read(dir.resolve("none.bin"), MAGIC, READ))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aWriteThatFailsLeavesNeitherTheFileNorAnythingAside() throws Exception {
    Path f = dir.resolve("filter.bin");
    assertThatThrownBy(() -> CheckedFiles.write(f, MAGIC, out -> {
      out.writeLong(1);
      throw new IOException("disk full");
    })).hasMessage("disk full");
    assertThat(list(dir)).isEmpty();

    CheckedFiles.write(f, MAGIC, out -> out.writeLong(7));
    assertThatThrownBy(() -> CheckedFiles.write(f, MAGIC, out -> {
      throw new IOException("disk full");
    })).hasMessage("disk full");
    assertThat(list(dir)).as("the file before stays whole").containsExactly(f);
    long read = CheckedFiles.read(f, MAGIC, in -> in.readLong());
    assertThat(read).isEqualTo(7L);
  }

  @Test
  void aCleanUpThatAlsoFailsDoesNotHideTheWritesOwnFailure() throws Exception {
    Path f = dir.resolve("filter.bin");
    assertThatThrownBy(() -> CheckedFiles.write(f, MAGIC, out -> {
      // What was being written aside becomes a folder that cannot simply be deleted.
      Path aside = list(dir).get(0);
      Files.delete(aside);
      Files.createDirectories(aside.resolve("in-the-way"));
      throw new IOException("disk full");
    })).hasMessage("disk full")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .isInstanceOf(java.nio.file.DirectoryNotEmptyException.class));
    assertThat(Files.exists(f)).isFalse();
  }

  @Test
  void onlyWhatAProcessThatIsGoneLeftAsideCountsAsAbandoned() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long me = ProcessHandle.current().pid();
    String uuid = "0b9d4c8e-7a1f-4f53-9a44-2f1d3c5b6a7e";
    assertThat(CheckedFiles.abandonedAside(dir.resolve("7-abc.bin." + gone.pid() + "-" + uuid + ".tmp"))).isTrue();
    assertThat(CheckedFiles.abandonedAside(dir.resolve("7-abc.bin." + me + "-" + uuid + ".tmp"))).isFalse();
    long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
    assertThat(CheckedFiles.abandonedAside(dir.resolve("leak-filter.bin." + parent + "-" + uuid + ".tmp"))).isFalse();
    assertThat(CheckedFiles.abandonedAside(dir.resolve("7-abc.bin"))).isFalse();
    assertThat(CheckedFiles.abandonedAside(dir.resolve("7-abc.bin." + uuid + ".tmp"))).as("no pid: kept").isFalse();
  }

  private static void assertRefused(Path f, byte[] content) throws IOException {
    Files.write(f, content);
    assertThatThrownBy(() -> CheckedFiles.read(f, MAGIC, READ)).isInstanceOf(CheckedFiles.Refused.class)
        .hasMessageStartingWith("decision.bin ");
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }
}
