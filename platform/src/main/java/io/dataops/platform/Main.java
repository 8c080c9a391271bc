package io.dataops.platform;

import io.dataops.core.BadInputException;
import io.dataops.core.StorageFullException;
import io.dataops.platform.cli.Cli;
import io.dataops.platform.cli.DataopsCommand;
import io.dataops.platform.config.PlatformConfig;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The {@code dataops} command. Exit status: 0 success, 2 bad input (one line on stderr saying why), 1 internal
 * failure (one line on stderr; the details are in the home's log file).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    // The log file lives in the home: say where before anything logs.
    System.setProperty("dataops.home", PlatformConfig.resolveHome(homeOption(args), env).toString());
    Cli cli = new Cli(out, err, env);
    CommandLine cmd = new CommandLine(new DataopsCommand(), new Factory(cli));
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    cmd.setParameterExceptionHandler((ex, a) -> {
      err.println("dataops: " + ex.getMessage().lines().findFirst().orElse("bad arguments")
          + " (see: dataops " + String.join(" ", commandPath(ex.getCommandLine())) + " --help)");
      return 2;
    });
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable cause = ex;
      while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof BadInputException bad) {
        err.println("dataops: " + bad.getMessage());
        log().info("bad input: {}", bad.getMessage());
        return 2;
      }
      if (cause instanceof StorageFullException full) {
        log().error("storage full", full);
        err.println("dataops: " + full.getMessage() + " (details in " + System.getProperty("dataops.home")
            + "/logs/dataops.log)");
        return 1;
      }
      log().error("internal failure", cause);
      err.println("dataops: internal error: " + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse(""))
          + " (details in " + System.getProperty("dataops.home") + "/logs/dataops.log)");
      return 1;
    });
    return cmd.execute(args);
  }

  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
  }

  private static String homeOption(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--home") && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith("--home=")) {
        return args[i].substring("--home=".length());
      }
    }
    return null;
  }

  private static java.util.List<String> commandPath(CommandLine c) {
    java.util.LinkedList<String> names = new java.util.LinkedList<>();
    for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) {
      names.addFirst(p.getCommandName());
    }
    return names;
  }

  /** Builds commands, handing those that want it the {@link Cli}. */
  private record Factory(Cli cli) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> withCli = cls.getDeclaredConstructor(Cli.class);
        withCli.setAccessible(true);
        return withCli.newInstance(cli);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
