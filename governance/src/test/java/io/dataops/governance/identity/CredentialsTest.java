package io.dataops.governance.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  private static final String ALICE = "dop_" + "a".repeat(43);
  private static final String BOB = "dop_" + "b".repeat(42) + "-";

  @TempDir
  Path home;

  @Test
  void savedTokensAreOwnerOnlyAndFoundForTheDefaultUserOrAs() throws Exception {
    Credentials creds = Credentials.of(home);
    creds.save("alice", ALICE, false);
    creds.save("bob", BOB, false);
    assertThat(creds.file()).isEqualTo(home.resolve("secrets/credentials.properties"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.file()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.file().getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(creds.file())).contains("default = alice\n", "token.alice = " + ALICE + "\n",
        "token.bob = " + BOB + "\n");

    Credentials.Credential byDefault = creds.resolve(null, Map.of());
    assertThat(byDefault.user()).isEqualTo("alice");
    assertThat(byDefault.token()).isEqualTo(ALICE);
    assertThat(byDefault.toString()).doesNotContain(ALICE);
    assertThat(creds.resolve("bob", Map.of()).token()).isEqualTo(BOB);

    creds.save("bob", BOB, true);
    assertThat(creds.resolve(null, Map.of()).user()).isEqualTo("bob");
  }

  @Test
  void theEnvironmentWins() {
    Credentials creds = Credentials.of(home);
    creds.save("alice", ALICE, true);
    Credentials.Credential c = creds.resolve("bob", Map.of("DATAOPS_TOKEN", BOB));
    assertThat(c.token()).isEqualTo(BOB);
    assertThat(c.user()).isEqualTo("bob");
    assertThat(c.source()).isEqualTo("DATAOPS_TOKEN");
    assertThatThrownBy(() -> creds.resolve(null, Map.of("DATAOPS_TOKEN", "hunter2hunter2")))
        .isInstanceOf(BadInputException.class)
        .hasMessage("DATAOPS_TOKEN does not hold a dataops API token (dop_ followed by 43 characters)");
  }

  @Test
  void aFileOthersMayReadIsRefusedLikeSshDoes() throws Exception {
    Credentials creds = Credentials.of(home);
    creds.save("alice", ALICE, true);
    Files.setPosixFilePermissions(creds.file(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> creds.resolve("alice", Map.of())).isInstanceOf(BadInputException.class)
        .hasMessage(creds.file() + " may be read or changed by others (mode rw-r--r--); its tokens are refused: run"
            + " chmod 600 " + creds.file() + ", and revoke the tokens if others could read them");
    assertThatThrownBy(() -> creds.save("bob", BOB, false)).isInstanceOf(BadInputException.class);
    Files.setPosixFilePermissions(creds.file(), PosixFilePermissions.fromString("rw-------"));
    assertThat(creds.resolve("alice", Map.of()).token()).isEqualTo(ALICE);

    // Found by a probe: a folder others may write (where they could put a file of their own) was taken.
    Path folder = creds.file().getParent();
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> creds.resolve("alice", Map.of())).isInstanceOf(BadInputException.class)
        .hasMessage(folder + " may be changed by others (mode rwxrwxrwx), who could put their own credentials file"
            + " there; its tokens are refused: run chmod 700 " + folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    assertThat(creds.resolve("alice", Map.of()).token()).isEqualTo(ALICE);
    // And a file another user owns (only root can give a file away, so only a test run as root shows it).
    if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
      Files.setAttribute(creds.file(), "unix:uid", 65534);
      assertThatThrownBy(() -> creds.resolve("alice", Map.of())).isInstanceOf(BadInputException.class)
          .hasMessage(creds.file() + " belongs to another user (uid 65534, this process runs as uid 0); its tokens"
              + " are refused: the credentials file must be the user's own");
      Files.setAttribute(creds.file(), "unix:uid", 0);
      assertThat(creds.resolve("alice", Map.of()).token()).isEqualTo(ALICE);
    }
  }

  @Test
  void whatIsMissingIsNamedAndNoTokenIsShown() throws Exception {
    Credentials creds = Credentials.of(home);
    assertThatThrownBy(() -> creds.resolve("alice", Map.of())).isInstanceOf(BadInputException.class)
        .hasMessage("no API token: set DATAOPS_TOKEN or put 'token.USER = dop_...' in " + creds.file());
    creds.save("alice", ALICE, true);
    assertThatThrownBy(() -> creds.resolve("carol", Map.of()))
        .hasMessage("no API token for carol in " + creds.file() + ": set DATAOPS_TOKEN or add 'token.carol = dop_...'");
    Files.writeString(creds.file(), "token.alice = not-a-token-but-a-secret\n");
    assertThatThrownBy(() -> creds.resolve("alice", Map.of()))
        .hasMessage(creds.file() + ": token.alice is not a dataops API token (dop_ followed by 43 characters)");
    assertThatThrownBy(() -> creds.resolve(null, Map.of()))
        .hasMessage("no user to act as: pass --as USER or put 'default = USER' in " + creds.file());
    assertThatThrownBy(() -> creds.resolve("Alice", Map.of())).hasMessageStartingWith("user name 'Alice' is not valid");
  }
  /**
   * Three processes saving tokens into one file at once (a script adding users with {@code --save} in parallel): each
   * reads the file, adds its token and replaces the file, so without a lock a later replacement dropped what another
   * had saved in between. Every token is kept.
   */
  @Test
  void processesSavingAtOnceKeepEveryToken() throws Exception {
    int processes = 3;
    int each = 20;
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      children.add(new ProcessBuilder(ChildJvm.command(CredentialsTest.class, List.of(),
          List.of(home.toString(), "p" + p, String.valueOf(each)))).redirectErrorStream(true).start());
    }
    for (Process child : children) {
      String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(child.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      assertThat(child.exitValue()).as(output).isZero();
    }
    Credentials creds = Credentials.of(home);
    for (int p = 0; p < processes; p++) {
      for (int i = 0; i < each; i++) {
        String user = "p" + p + "u" + i;
        assertThat(creds.resolve(user, Map.of()).token()).as(user).isEqualTo(tokenOf(user));
      }
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.file()))).isEqualTo("rw-------");
  }

  private static String tokenOf(String user) {
    return "dop_" + (user + "x".repeat(43)).substring(0, 43);
  }

  /** A child process of {@link #processesSavingAtOnceKeepEveryToken}: saves COUNT users' tokens into HOME's file. */
  public static void main(String[] args) {
    Credentials creds = Credentials.of(Path.of(args[0]));
    for (int i = 0; i < Integer.parseInt(args[2]); i++) {
      String user = args[1] + "u" + i;
      creds.save(user, tokenOf(user), false);
    }
  }
}
