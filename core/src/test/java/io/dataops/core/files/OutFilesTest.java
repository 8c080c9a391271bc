package io.dataops.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutFilesTest {
  @TempDir Path dir;

  /** Found by a probe: a legal 244-character name failed, its part file's suffix taking it past 255 bytes. */
  @Test
  void aPartFileBesideALongNameStaysWithinTheLimitAndCanBeCreated() throws IOException {
    String suffix = ".123456-abcdef12.part";
    Path target = dir.resolve("n".repeat(244));
    Path part = OutFiles.beside(target, suffix);
    assertThat(part.getFileName().toString()).hasSize(OutFiles.NAME_MAX).endsWith(suffix).startsWith("nnnn");
    assertThat(Files.createFile(part)).exists();
    assertThat(OutFiles.beside(dir.resolve("short.csv"), suffix).getFileName().toString())
        .isEqualTo("short.csv" + suffix);
    String wide = OutFiles.fitted("数".repeat(85), 200); // 255 bytes in UTF-8: cut at a whole character
    assertThat(wide.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(200);
    assertThat(wide).startsWith("数").doesNotContain("\uFFFD");
    assertThat(OutFiles.fitted("n".repeat(244) + "a", 230)).isNotEqualTo(OutFiles.fitted("n".repeat(244) + "b", 230));
  }

  /**
   * Found by a probe: {@code lnk/../x.csv}, lnk a link to another folder, was cleaned as text to the link's folder,
   * where the OS goes up from the folder lnk leads to.
   */
  @Test
  void aDotDotAfterALinkGoesUpFromWhereTheLinkLeadsAsTheOsResolvesIt() throws IOException {
    Path far = Files.createDirectories(dir.resolve("far/inner"));
    Path near = Files.createDirectories(dir.resolve("near"));
    Files.createSymbolicLink(near.resolve("lnk"), far);
    Path typed = near.resolve("lnk/../x.csv");
    Files.writeString(typed, "written through the OS");
    Path real = dir.toRealPath();
    assertThat(OutFiles.resolved(typed)).isEqualTo(real.resolve("far/x.csv")).exists();
    assertThat(OutFiles.resolved(near.resolve("new/../y.csv"))).as("a part not there yet: as written, cleaned")
        .isEqualTo(dir.toAbsolutePath().resolve("near/y.csv"));
    assertThat(OutFiles.resolved(near.resolve("lnk/inner/y.csv"))).as("a link with no .. after it stays as typed")
        .isEqualTo(dir.toAbsolutePath().resolve("near/lnk/inner/y.csv"));
    Files.createSymbolicLink(near.resolve("last"), far);
    assertThat(OutFiles.resolved(near.resolve("last"))).as("the last name is not followed")
        .isEqualTo(dir.toAbsolutePath().resolve("near/last"));
    Path replaced = OutFiles.replace(near.resolve("lnk/../z.csv"), new byte[] {1}, "the file");
    assertThat(dir.resolve("far/z.csv")).exists();
    assertThat(dir.resolve("near/z.csv")).doesNotExist();
    assertThat(replaced).isNotNull();
  }

  /** Found by a probe: a line feed in --out's name was printed raw (ESC was shown as a picture already). */
  @Test
  void aControlCharacterInTheNameIsShownNotPrinted() {
    Path out = dir.resolve("a\nb\u001b.csv");
    assertThat(OutFiles.failure("the delivery", out, new AccessDeniedException(out.toString())).getMessage())
        .isEqualTo("cannot write the delivery to " + dir + "/a\u240ab\u241b.csv: permission denied");
  }

  @Test
  void aPathThatIsTheReasonIsBadInputNamingIt() throws IOException {
    Path out = dir.resolve("x.csv");
    assertThat(OutFiles.failure("the delivery", out, new FileSystemException(out.toString(), null,
        "Read-only file system"))).isInstanceOf(BadInputException.class)
        .hasMessage("cannot write the delivery to " + out + ": read-only file system");
    assertThat(OutFiles.failure("the delivery", out, new AccessDeniedException(out.toString())))
        .hasMessageEndingWith(": permission denied");
    Path file = Files.writeString(dir.resolve("f"), "x");
    IOException notAFolder = null;
    try {
      OwnerOnly.directories(file);
    } catch (IOException e) {
      notAFolder = e;
    }
    assertThat(OutFiles.failure("the delivery", file.resolve("x.csv"), notAFolder))
        .hasMessageEndingWith(": " + file + " is not a directory");
    IOException tooLong = null;
    try {
      OutFiles.checkName(dir.resolve("n".repeat(256)));
    } catch (IOException e) {
      tooLong = e;
    }
    assertThat(OutFiles.failure("the delivery", out, tooLong)).hasMessageEndingWith(": name too long (at most 255 "
        + "bytes)");
    assertThat(OutFiles.failure("the delivery", out, new IOException("No space left on device")))
        .as("a full disk is no fault of the path, and its device is named")
        .isInstanceOf(io.dataops.core.StorageFullException.class)
        .hasMessageStartingWith("no space left on the device while writing the delivery to " + out + " (");
    assertThat(OutFiles.failure("the delivery", out, new IOException("Input/output error")))
        .isInstanceOf(UncheckedIOException.class);
  }
}
