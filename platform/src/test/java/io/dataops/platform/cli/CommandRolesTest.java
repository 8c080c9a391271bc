package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.AccessDeniedException;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.identity.Role;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command says who runs it, and every role outside that list is refused, audited, before anything runs. */
class CommandRolesTest {
  @TempDir Path dir;

  /** A user of each role (the local admin is the admin). */
  private static final Map<Role, String> USER_OF = Map.of(Role.DEPARTMENT, TestCast.PUBLIC_SECURITY,
      Role.OPERATOR, TestCast.OPERATOR, Role.AUTHORITY, TestCast.AUTHORITY, Role.AUDITOR, TestCast.AUDITOR,
      Role.PARTNER, TestCast.PARTNER, Role.ADMIN, Sessions.LOCAL_ADMIN);

  /** Every command a user can run: the leaves of the command tree (those that do something). */
  private static List<String> commands() {
    List<String> out = new ArrayList<>();
    walk(DataopsCommand.commandLine(new String[0], new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        try {
          var c = cls.getDeclaredConstructor(Cli.class);
          c.setAccessible(true);
          return c.newInstance(new Cli(System.out, System.err, Map.of()));
        } catch (NoSuchMethodException e) {
          return CommandLine.defaultFactory().create(cls);
        }
      }
    }), "", out);
    return out;
  }

  private static void walk(CommandLine c, String prefix, List<String> out) {
    for (var e : c.getSubcommands().entrySet()) {
      String name = (prefix + " " + e.getKey()).strip();
      if (e.getValue().getCommandSpec().userObject() instanceof java.util.concurrent.Callable<?>) {
        out.add(name);
      }
      walk(e.getValue(), name, out);
    }
  }

  @Test
  void everyCommandSaysWhichRolesRunIt() {
    List<String> commands = commands();
    assertThat(commands).contains("land", "product approve", "product destroy", "audit verify", "user add");
    for (String command : commands) {
      assertThat(CommandRoles.ROLES.containsKey(command) || CommandRoles.WITHOUT_USER.contains(command))
          .as(command).isTrue();
    }
    assertThat(new TreeSet<>(CommandRoles.ROLES.keySet())).as("no stale entries")
        .isSubsetOf(new TreeSet<>(commands));
  }

  @Test
  void everyRoleOutsideACommandsListIsRefusedAndTheRefusalIsAudited() {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    PlatformConfig config = PlatformConfig.load(home, Map.of());
    int refusals = 0;
    for (String command : CommandRoles.ROLES.keySet()) {
      Set<Role> allowed = Set.copyOf(CommandRoles.ROLES.get(command));
      for (Role role : Role.values()) {
        Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream(),
            true, StandardCharsets.UTF_8), Map.of());
        cli.common.home = home.toString();
        cli.common.as = USER_OF.get(role);
        cli.command(command);
        if (allowed.contains(role)) {
          cli.authorize();
          assertThat(cli.session().acting()).as(command + " as " + role).isEqualTo(role);
        } else {
          assertThatThrownBy(cli::authorize).as(command + " as " + role).isInstanceOf(AccessDeniedException.class)
              .hasMessageStartingWith(command + " requires role ")
              .hasMessageContaining(USER_OF.get(role) + " has " + role.label());
          refusals++;
        }
      }
    }
    var trail = Sessions.open(config, TestCast.AUDITOR, Map.of(), "audit list", System.err).trail();
    var refused = trail.list(AuditFilter.newest().action("command.refused").limit(10_000));
    assertThat(refused).hasSize(refusals);
    assertThat(refused).allSatisfy(e -> {
      assertThat(e.outcome()).isEqualTo("refused");
      assertThat(e.details()).containsKeys("command", "required", "held");
    });
    assertThat(Arrays.stream(Role.values())).hasSize(6);
  }
}
