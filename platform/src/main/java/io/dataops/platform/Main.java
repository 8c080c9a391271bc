package io.dataops.platform;

import io.dataops.core.BadInputException;
import io.dataops.core.StorageFullException;
import io.dataops.core.text.VisibleText;
import io.dataops.platform.cli.Cli;
import io.dataops.platform.cli.DataopsCommand;
import io.dataops.platform.config.PlatformConfig;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The {@code dataops} command. Exit status: 0 success, 2 bad input (one line on stderr saying why), 1 internal
 * failure (one line on stderr; the details are in the home's log file). With --json a failure also prints one JSON
 * object on stdout: the same line as {@code error}, and what the command knew.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, out, err, env, failure -> { });
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream, Map)}, handing {@code failed} what the command failed with (a
   * refused token, a refused role, bad input, an internal failure) before it becomes an exit status: the REST API
   * answers 401, 403, 400 or 500 from it, where the exit status says 2 for the first three alike.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
      java.util.function.Consumer<Throwable> failed) {
    // The log file lives in the home: say where before anything logs.
    System.setProperty("dataops.home", PlatformConfig.resolveHome(homeOption(args), env).toString());
    // Else picocli looks for Groovy's Closure class, and a class that is not there is looked for in every jar of the
    // class path (200, each opened). A command that opens the platform database opens them all anyway (slf4j's
    // provider lookup); --version, --help and argument errors start ~50 ms sooner (0.47 -> 0.42 s, 6 pairs).
    System.setProperty("picocli.disable.closures", "true");
    Cli cli = new Cli(out, err, env);
    CommandLine cmd = DataopsCommand.commandLine(args, new Factory(cli));
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    cmd.setParameterExceptionHandler((ex, a) -> {
      failed.accept(ex);
      String command = commandName(ex.getCommandLine());
      // The error may come before --json was read: look for it among the arguments.
      return fail(cli, out, err, 2, "dataops: " + ex.getMessage().lines().findFirst().orElse("bad arguments")
          + " (see: " + String.join(" ", "dataops", command).strip() + " --help)", command,
          cli.json() || Arrays.asList(args).contains("--json"));
    });
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable cause = ex;
      while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      failed.accept(cause);
      String command = commandName(commandLine);
      if (cause instanceof io.dataops.core.StateRefusedException refused) {
        cli.refused(refused);
      }
      if (cause instanceof BadInputException bad) {
        log().info("bad input: {}", oneLine(bad.getMessage()));
        return fail(cli, out, err, 2, "dataops: " + bad.getMessage(), command, cli.json());
      }
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof OutOfMemoryError) {
          // Whatever wrapped it (a worker's failure, a scan's): what the person can do is give the command more heap.
          log().error("out of memory", cause);
          return fail(cli, out, err, 1, "dataops: out of memory: dataops " + command + " needed more than its heap of "
              + (Runtime.getRuntime().maxMemory() >> 20) + " MB (very large cells or many rules that keep values, "
              + "such as uniqueness, need more): run it again with more, e.g. DATAOPS_HEAP=4g (" + details()
              + ")", command, cli.json());
        }
      }
      Throwable failure = cause;
      java.util.Optional<String> unreachable = io.dataops.platform.config.DatabaseUnreachable.recognize(failure)
          .or(() -> io.dataops.lakehouse.storage.ObjectStoreFailure.recognize(failure));
      if (unreachable.isPresent()) {
        log().error("platform database or object store unusable", cause);
        return fail(cli, out, err, 2, "dataops: " + unreachable.get(), command, cli.json());
      }
      java.util.Optional<StorageFullException> full = StorageFullException.recognize(cause,
          Path.of(System.getProperty("dataops.home")), "dataops " + command);
      if (full.isPresent()) {
        log().error("storage full", full.get());
        return fail(cli, out, err, 1, "dataops: " + full.get().getMessage() + " (" + details() + ")", command,
            cli.json());
      }
      log().error("internal failure", cause);
      // A library's message may quote the value it failed on: its identifiers masked, as in the log.
      return fail(cli, out, err, 1, "dataops: internal error: " + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + io.dataops.lakehouse.table.PreviewMask.maskIdentifiers(
              cause.getMessage().lines().findFirst().orElse("")))
          + " (" + details() + ")", command, cli.json());
    });
    cmd.setExecutionStrategy(parseResult -> {
      Integer help = CommandLine.executeHelpRequest(parseResult);
      if (help != null) {
        return help;
      }
      CommandLine leaf = parseResult.asCommandLineList().get(parseResult.asCommandLineList().size() - 1);
      if (leaf.getCommandSpec().userObject() instanceof java.util.concurrent.Callable<?>) {
        cli.command(commandName(leaf));
        try {
          cli.authorize();
        } catch (RuntimeException e) {
          throw new CommandLine.ExecutionException(leaf, String.valueOf(e.getMessage()), e);
        }
      }
      if (leaf.getCommandSpec().userObject() instanceof java.util.concurrent.Callable<?>) {
        checkTemporaryDirectory(leaf);
      }
      try {
        return new CommandLine.RunLast().execute(parseResult);
      } catch (OutOfMemoryError e) {
        // As a stack overflow: picocli let it through and the JVM printed its stack trace (found by a probe).
        throw new CommandLine.ExecutionException(leaf, "out of memory", e);
      } catch (StackOverflowError e) {
        // An Error passes picocli's handlers and printed thousands of frames on stderr: one line and the log instead.
        throw new CommandLine.ExecutionException(leaf, "stack overflow", new IllegalStateException(
            "an input nested too deeply to process (stack overflow)", e));
      } catch (LinkageError e) {
        // A native library that could not be unpacked or loaded (zstd, snappy, DuckDB): the same, not a stack trace.
        if (String.valueOf(e.getMessage()).contains("No space left on device")) {
          throw new CommandLine.ExecutionException(leaf, "temporary directory full", StorageFullException.of(e,
              "unpacking a native library into the temporary directory", "free some space there (or set "
                  + "DATAOPS_JAVA_OPTS=-Djava.io.tmpdir=DIR), then run the same command again",
              List.of(System.getProperty("java.io.tmpdir"))));
        }
        if (e instanceof UnsatisfiedLinkError && String.valueOf(e.getMessage()).contains("failed to map segment")) {
          // a temporary directory on a file system mounted noexec, as hardened hosts have /tmp
          throw new CommandLine.ExecutionException(leaf, "temporary directory noexec", new BadInputException(
              "the temporary directory " + System.getProperty("java.io.tmpdir") + " does not let native libraries "
                  + "load (is it mounted noexec?): zstd and snappy are unpacked and loaded from there; set "
                  + "DATAOPS_JAVA_OPTS=-Djava.io.tmpdir=DIR to a folder on a file system that allows it", e));
        }
        throw new CommandLine.ExecutionException(leaf, String.valueOf(e.getMessage()), new IllegalStateException(
            "a library could not be loaded: " + e, e));
      }
    });
    return cmd.execute(args);
  }

  /**
   * Refuses to start a command when the temporary directory is not a folder this user can write: native libraries
   * (zstd, snappy, DuckDB, SQLite) unpack there and scratch files go there, and each failed at its first use with a
   * library's stack trace (a mistyped {@code java.io.tmpdir}, a folder of another user).
   */
  private static void checkTemporaryDirectory(CommandLine leaf) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    if (!Files.isDirectory(tmp) || !Files.isWritable(tmp)) {
      throw new CommandLine.ExecutionException(leaf, "no temporary directory", new BadInputException(
          "the temporary directory " + tmp + " (java.io.tmpdir) is not a folder this user can write: native "
              + "libraries and scratch files go there; set DATAOPS_JAVA_OPTS=-Djava.io.tmpdir=DIR"));
    }
  }

  /** One line on stderr; with --json also one object on stdout whose error is that line. */
  private static int fail(Cli cli, PrintStream out, PrintStream err, int status, String message, String command,
      boolean json) {
    String line = oneLine(message);
    err.println(line);
    if (json) {
      out.println(cli.failure(command, line));
      out.flush();
    }
    return status;
  }

  /**
   * A failure's message as one printable line. Messages repeat what someone typed or sent (a name, a file's text, a
   * remote Airflow's reason): an escape sequence in it would act on the reader's terminal, a line break would start a
   * second line, and a bidirectional override or another invisible format character would reorder or hide what it
   * says. Line breaks and tabs become spaces; the rest is shown as {@link VisibleText#freeText} shows a line.
   */
  static String oneLine(String message) {
    StringBuilder b = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      b.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    return VisibleText.freeText(b.toString());
  }

  /** Where the details of an internal failure are: the home's log, unless this user cannot write it. */
  private static String details() {
    Path log = Path.of(System.getProperty("dataops.home"), "logs", "dataops.log");
    return Files.isWritable(log) ? "details in " + log : "no details logged: cannot write " + log;
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

  /** The names of the subcommands down to {@code c}, e.g. "table list" ("" for the top command). */
  private static String commandName(CommandLine c) {
    java.util.LinkedList<String> names = new java.util.LinkedList<>();
    for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) {
      names.addFirst(p.getCommandName());
    }
    return String.join(" ", names);
  }

  /** Builds commands, handing those that want it the {@link Cli}, and the common options the {@link Cli} holds. */
  private record Factory(Cli cli) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == io.dataops.platform.cli.CommonOptions.class) {
        return cls.cast(cli.common);
      }
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
