package io.dataops.core.files;

import io.dataops.core.digest.Digests;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The registries (suites, contracts) store a file by copying it to a scratch file beside its place, recording the
 * registration's event with the copy's SHA-256, then moving the copy in. A process killed between the event and the
 * move leaves the event in force and the copy aside; this finds that copy by its digest and finishes the move, so the
 * registration the trail records is the one in the folder (rolled forward, never back).
 */
public final class InterruptedMoves {
  private InterruptedMoves() {}

  /**
   * The scratch copy in {@code folder} (a regular file, not a link, named {@code prefix*.tmp}) holding exactly the
   * bytes whose SHA-256 is {@code sha256}, if one is there.
   */
  public static Optional<Path> find(Path folder, String prefix, String sha256) {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> copies = Files.newDirectoryStream(folder, prefix + "*.tmp")) {
      for (Path p : copies) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && sha256.equals(Digests.sha256(p))) {
          return Optional.of(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: nothing to finish
    }
    return Optional.empty();
  }

  /**
   * Moves the scratch copy holding {@code sha256} into {@code target} (atomically, replacing what is there); false
   * when there is none.
   */
  public static boolean finish(Path folder, String prefix, String sha256, Path target) throws IOException {
    Optional<Path> copy = find(folder, prefix, sha256);
    if (copy.isEmpty()) {
      return false;
    }
    Files.move(copy.get(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }
}
