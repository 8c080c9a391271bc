package io.dataops.platform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.Home;
import io.dataops.platform.config.HomeOrigin;
import io.dataops.platform.config.PlatformConfig;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a command runs with: its output streams and environment (so tests run commands in-process), the common
 * options, the platform configuration and lakehouse for the chosen home, and what the command has learnt so far (for
 * the JSON of a failure).
 */
public final class Cli {
  // The one module the JSON needs, by name: findAndRegisterModules() searched every jar's META-INF/services for
  // Jackson modules at each command's start (~0.1 s of CPU over the ~180 jars of lib/) and found only this one.
  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;
  /** --home and --json, wherever they stood on the command line. */
  public final CommonOptions common = new CommonOptions();
  private final Map<String, Object> known = new LinkedHashMap<>();
  /** The command being run ("product approve"), set before it runs. */
  private String command = "";
  private io.dataops.platform.session.Session session;

  public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** The configuration of the home, for a command that changes it: a home this user cannot write is refused. */
  PlatformConfig config(CommonOptions common) {
    return load(common, true);
  }

  /** The configuration of the home, for a command that only reads it: a read-only home will do. */
  PlatformConfig configToRead(CommonOptions common) {
    return load(common, false);
  }

  private PlatformConfig load(CommonOptions common, boolean changes) {
    return load(common, changes, Map.of());
  }

  /** As {@link #config}, with settings a command's own options give winning over the environment. */
  PlatformConfig config(CommonOptions common, Map<String, String> overrides) {
    return load(common, true, overrides);
  }

  private PlatformConfig load(CommonOptions common, boolean changes, Map<String, String> overrides) {
    var home = PlatformConfig.resolveHome(common.home, env);
    know("home", home.toString());
    Map<String, String> settings = env;
    if (!overrides.isEmpty()) {
      settings = new java.util.HashMap<>(env);
      settings.putAll(overrides);
    }
    PlatformConfig config = PlatformConfig.load(Home.open(home, changes), settings);
    HomeOrigin.check(config);
    return config;
  }

  /** Set by the launcher before the command runs: which command, for its role check and audit events. */
  public void command(String name) {
    this.command = name;
  }

  public String command() {
    return command;
  }

  /**
   * Authenticates the user the command acts as (--as, else the credentials file's default) and checks the command's
   * roles (see {@link CommandRoles}); a refusal is audited and exits 2 naming the role needed. Done once, before
   * the command runs.
   */
  public void authorize() {
    if (CommandRoles.WITHOUT_USER.contains(command)) {
      return;
    }
    io.dataops.platform.session.Session s = session();
    s.require(java.util.List.of("command:" + command), CommandRoles.of(command));
  }

  /** The session of this command (opened at the first call). */
  public io.dataops.platform.session.Session session() {
    if (session == null) {
      PlatformConfig config = configToRead(common);
      session = io.dataops.platform.session.Sessions.open(config, common.as, env, command, err);
      know("user", session.principal().name());
    }
    return session;
  }

  /**
   * Audits a step the object's state refused ({@code command.refused}) when the command acts as a user; a trail that
   * cannot take it is logged and the refusal still reaches the user.
   */
  public void refused(io.dataops.core.StateRefusedException e) {
    if (session == null) {
      return;
    }
    try {
      session.refuse(e);
    } catch (RuntimeException notRecorded) {
      org.slf4j.LoggerFactory.getLogger(Cli.class).error("a state refusal was not recorded in the audit trail",
          notRecorded);
    }
  }

  /** Where the command's audit events go (stamped with the user and role). */
  public io.dataops.core.audit.AuditSink audit() {
    return session().audit();
  }

  Lakehouse lakehouse(PlatformConfig config) {
    return Lakehouse.open(config.lakehouse());
  }

  /** Records what the command has learnt (an input, a result so far): a failure's JSON reports it. */
  void know(String field, Object value) {
    known.put(field, value);
  }

  /** Whether the command line asked for JSON. */
  public boolean json() {
    return common.json;
  }

  /** The one JSON object a failing command prints with --json: the error (its stderr line), then what is known. */
  public String failure(String command, String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error);
    if (command != null && !command.isEmpty()) {
      m.put("command", command);
    }
    known.forEach(m::putIfAbsent);
    try {
      return JSON.writeValueAsString(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // What was known does not serialize: the error alone still does.
      return JSON.createObjectNode().put("error", error).toString();
    }
  }

  /** Prints the JSON form with --json, else the text, with what could act on a terminal shown instead. */
  void print(CommonOptions common, Object json, String text) {
    if (common.json) {
      try {
        out.println(JSON.writeValueAsString(json));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write the result as JSON", e);
      }
    } else {
      String shown = VisibleText.safe(text);
      out.print(shown.endsWith("\n") ? shown : shown + "\n");
    }
    out.flush();
  }
}
