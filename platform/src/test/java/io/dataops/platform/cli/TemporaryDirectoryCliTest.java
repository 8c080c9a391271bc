package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by probing: with {@code java.io.tmpdir} naming no folder (mistyped in DATAOPS_JAVA_OPTS), a command printed
 * snappy's and zstd's stack traces while they failed to unpack their native libraries, and ended with an uncaught
 * {@code ExceptionInInitializerError}. Now it stops before it starts, in one line saying what to set.
 */
class TemporaryDirectoryCliTest {
  @TempDir Path dir;

  @Test
  void aTemporaryDirectoryThatIsNoFolderStopsTheCommandInOneLine() {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    String tmp = System.getProperty("java.io.tmpdir");
    Path missing = dir.resolve("no-such-tmp");
    System.setProperty("java.io.tmpdir", missing.toString());
    CliTest.Run r;
    try {
      r = CliTest.exactly("table", "list", "--home", home.toString(), "--as", TestCast.OPERATOR);
    } finally {
      System.setProperty("java.io.tmpdir", tmp);
    }
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("dataops: the temporary directory " + missing + " (java.io.tmpdir) is not a "
        + "folder this user can write: native libraries and scratch files go there; set "
        + "DATAOPS_JAVA_OPTS=-Djava.io.tmpdir=DIR");
    assertThat(r.out()).isEmpty();

    CliTest.Run fine = CliTest.exactly("table", "list", "--home", home.toString(), "--as", TestCast.OPERATOR);
    assertThat(fine.exit()).as(fine.err()).isZero();
  }
}
