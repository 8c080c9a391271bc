package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.identity.Credentials;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.IssuedToken;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import io.dataops.governance.identity.TokenInfo;
import io.dataops.governance.identity.User;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import java.io.Console;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Users, their roles and API tokens. An admin manages them; {@code bootstrap} makes the first admin. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Users, roles and API tokens.",
    subcommands = {UserCommand.Bootstrap.class, UserCommand.WhoAmI.class, UserCommand.Add.class,
        UserCommand.ListUsers.class, UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Roles.class,
        UserCommand.Password.class, UserCommand.Token.class})
final class UserCommand {

  static List<Role> roles(String list) {
    return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Role::of).toList();
  }

  static Map<String, Object> json(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("organization", u.organization());
    m.put("roles", u.roles().stream().map(Role::label).sorted().toList());
    m.put("disabled", u.disabled());
    return m;
  }

  /** Prints a new token once: it is stored only as its hash. With --save it goes into this home's credentials. */
  static Map<String, Object> tokenJson(IssuedToken t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", t.user());
    m.put("tokenId", t.id());
    m.put("token", t.token());
    m.put("expiresAt", t.expiresAt().toString());
    return m;
  }

  @Command(name = "bootstrap", mixinStandardHelpOptions = true,
      description = "Create the first admin (only while there is none) and print its API token once; with --save "
          + "also keep it in the home's credentials file as the default user.")
  static final class Bootstrap implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--name", defaultValue = "admin", paramLabel = "USER") String name;
    @Option(names = "--save", description = "Keep the token in <home>/secrets/credentials.properties.") boolean save;

    Bootstrap(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.config(common);
      GovernanceDatabase db = Sessions.database(config);
      Identities identities = new Identities(db, new AuditTrail(db));
      if (save) {
        Credentials.of(config.home()).checkSavable();
      }
      IssuedToken token = identities.bootstrap(name).token();
      if (save) {
        Credentials.of(config.home()).save(name, token.token(), true);
      }
      cli.print(common, tokenJson(token), "admin " + name + " created; its API token (shown once"
          + (save ? ", saved in " + Credentials.of(config.home()).file() : "") + "):\n" + token.token() + "\n");
      return 0;
    }
  }

  @Command(name = "whoami", mixinStandardHelpOptions = true, description = "The user this command acts as.")
  static final class WhoAmI implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    WhoAmI(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      Principal p = cli.session().principal();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      m.put("organization", p.organization());
      m.put("roles", p.roles().stream().map(Role::label).sorted().toList());
      cli.print(common, m, p.name() + " (" + p.rolesText() + " of " + p.organization() + ")\n");
      return 0;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Create a user of an organization with roles the organization's kind allows; --token also issues"
          + " an API token (printed once).")
  static final class Add implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "USER") String name;
    @Option(names = "--org", required = true, paramLabel = "ORG") String organization;
    @Option(names = "--roles", required = true, paramLabel = "ROLE[,ROLE]") String roles;
    @Option(names = "--token", description = "Issue an API token now.") boolean token;
    @Option(names = "--days", defaultValue = "90", paramLabel = "N") int days;
    @Option(names = "--save", description = "Keep the token in this home's credentials file.") boolean save;

    Add(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.config(common);
      Identities ids = identities(cli);
      if (save) {
        Credentials.of(config.home()).checkSavable();
      }
      User u = ids.createUser(name, organization, roles(roles));
      Map<String, Object> json = json(u);
      String text = "user " + u.name() + " of " + u.organization() + " with " + json.get("roles") + "\n";
      if (token || save) {
        IssuedToken t = ids.issueToken(name, Duration.ofDays(days));
        if (save) {
          Credentials.of(config.home()).save(name, t.token(), false);
        }
        json.put("token", tokenJson(t));
        text += "API token (shown once" + (save ? ", saved" : "") + "): " + t.token() + "\n";
      }
      cli.print(common, json, text);
      return 0;
    }
  }

  /** The identities, recording into the command's audit sink (the admin who acts). */
  static Identities identities(Cli cli) {
    return new Identities(Sessions.database(cli.configToRead(cli.common)), cli.audit());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every user.")
  static final class ListUsers implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    ListUsers(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      List<User> users = cli.session().identities().users();
      StringBuilder text = new StringBuilder();
      for (User u : users) {
        text.append(String.format("%-20s %-28s %-30s%s%n", u.name(), u.organization(),
            u.roles().stream().map(Role::label).sorted().toList(), u.disabled() ? " (disabled)" : ""));
      }
      cli.print(common, users.stream().map(UserCommand::json).toList(), text.toString());
      return 0;
    }
  }

  /** Disables or enables a user: a disabled user's tokens stop working. */
  abstract static class SetDisabled implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    private final boolean disabled;
    @Parameters(index = "0", paramLabel = "USER") String name;

    SetDisabled(Cli cli, boolean disabled) {
      this.cli = cli;
      this.common = cli.common;
      this.disabled = disabled;
    }

    @Override
    public Integer call() {
      cli.config(common);
      User u = identities(cli).setDisabled(name, disabled);
      cli.print(common, json(u), "user " + name + " is " + (disabled ? "disabled" : "enabled") + "\n");
      return 0;
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "A disabled user's tokens stop working.")
  static final class Disable extends SetDisabled {
    Disable(Cli cli) {
      super(cli, true);
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled user again.")
  static final class Enable extends SetDisabled {
    Enable(Cli cli) {
      super(cli, false);
    }
  }

  @Command(name = "roles", mixinStandardHelpOptions = true, description = "Set a user's roles.")
  static final class Roles implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "USER") String name;
    @Parameters(index = "1", paramLabel = "ROLE[,ROLE]") String roles;

    Roles(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      cli.config(common);
      User u = identities(cli).setRoles(name, roles(roles));
      cli.print(common, json(u), "user " + name + " has " + json(u).get("roles") + "\n");
      return 0;
    }
  }

  @Command(name = "password", mixinStandardHelpOptions = true,
      description = "Set a user's password (Argon2id), read from the terminal or from standard input.")
  static final class Password implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "USER") String name;

    Password(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() throws Exception {
      cli.config(common);
      char[] password;
      Console console = System.console();
      if (console != null) {
        password = console.readPassword("password for %s: ", name);
      } else {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
            java.nio.charset.StandardCharsets.UTF_8)).readLine();
        password = line == null ? new char[0] : line.toCharArray();
      }
      if (password == null || password.length == 0) {
        throw new BadInputException("no password given");
      }
      try {
        identities(cli).setPassword(name, password);
      } finally {
        Arrays.fill(password, '\0');
      }
      cli.print(common, Map.of("user", name, "password", "set"), "password of " + name + " set\n");
      return 0;
    }
  }

  @Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens: issue, list, revoke.",
      subcommands = {Token.Issue.class, Token.ListTokens.class, Token.Revoke.class})
  static final class Token {
    @Command(name = "issue", mixinStandardHelpOptions = true,
        description = "A new API token for a user, printed once (stored only as its hash).")
    static final class Issue implements Callable<Integer> {
      private final Cli cli;
      final CommonOptions common;
      @Parameters(index = "0", paramLabel = "USER") String name;
      @Option(names = "--days", defaultValue = "90", paramLabel = "N") int days;
      @Option(names = "--save", description = "Keep it in this home's credentials file.") boolean save;

      Issue(Cli cli) {
        this.cli = cli;
        this.common = cli.common;
      }

      @Override
      public Integer call() {
        PlatformConfig config = cli.config(common);
        if (save) {
          Credentials.of(config.home()).checkSavable();
        }
        IssuedToken t = identities(cli).issueToken(name, Duration.ofDays(days));
        if (save) {
          Credentials.of(config.home()).save(name, t.token(), false);
        }
        cli.print(common, tokenJson(t), "API token of " + name + " (id " + t.id() + ", expires " + t.expiresAt()
            + (save ? ", saved" : "") + "), shown once:\n" + t.token() + "\n");
        return 0;
      }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "A user's tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
      private final Cli cli;
      final CommonOptions common;
      @Parameters(index = "0", paramLabel = "USER") String name;

      ListTokens(Cli cli) {
        this.cli = cli;
        this.common = cli.common;
      }

      @Override
      public Integer call() {
        List<TokenInfo> tokens = cli.session().identities().tokens(name);
        Instant now = Instant.now();
        StringBuilder text = new StringBuilder();
        for (TokenInfo t : tokens) {
          text.append(String.format("%-10s %-9s created %s, expires %s%s%n", t.id(), t.state(now), t.createdAt(),
              t.expiresAt(), t.lastUsedAt() == null ? "" : ", last used " + t.lastUsedAt()));
        }
        cli.print(common, tokens, tokens.isEmpty() ? "no tokens\n" : text.toString());
        return 0;
      }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id.")
    static final class Revoke implements Callable<Integer> {
      private final Cli cli;
      final CommonOptions common;
      @Parameters(index = "0", paramLabel = "TOKEN_ID") String id;

      Revoke(Cli cli) {
        this.cli = cli;
        this.common = cli.common;
      }

      @Override
      public Integer call() {
        cli.config(common);
        identities(cli).revokeToken(id);
        cli.print(common, Map.of("tokenId", id, "revoked", true), "token " + id + " revoked\n");
        return 0;
      }
    }
  }
}
