package io.dataops.platform.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
import io.dataops.governance.identity.AuthenticationException;
import io.dataops.governance.identity.Credentials;
import io.dataops.platform.Main;
import io.dataops.platform.session.RemoteClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs a CLI command in this process with {@code --json}, as the user a bearer token names: the command
 * authenticates the token, checks roles, audits and meters exactly as on the command line. Commands share
 * process-wide state (the {@code dataops.home} property, the home's databases), so one runs at a time, on a thread of
 * its own (with a full stack: the threads that read requests have small ones).
 */
final class CommandRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String INTERNAL = "internal error (details in the server's log)";

  /** An HTTP status and the JSON body that goes with it. */
  record Outcome(int status, String json) {
    static Outcome error(int status, String message) {
      return new Outcome(status, JSON.createObjectNode().put("error", message).toString());
    }
  }

  private final Path home;
  private final Map<String, String> env;
  private final ExecutorService lane = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "dataops-serve-command");
    t.setDaemon(true);
    return t;
  });

  /** @param env the server's environment; a DATAOPS_TOKEN in it is never used for a request */
  CommandRunner(Path home, Map<String, String> env) {
    this.home = home;
    Map<String, String> e = new HashMap<>(env);
    e.remove(Credentials.ENV_TOKEN);
    this.env = Map.copyOf(e);
  }

  /**
   * {@code args} (each an argument of its own, never split or joined) on the home, acting as {@code token}'s user.
   * The token goes in through the environment, as {@code DATAOPS_TOKEN} does, never on the command line; the
   * client's address is noted in a refused login's audit event and in the log.
   */
  Outcome run(String token, List<String> args, String client) {
    if (token == null || token.isBlank()) {
      // Blank, the command would fall back to the home's credentials file: the server owner's tokens.
      throw new IllegalArgumentException("no token");
    }
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--json", "--home", home.toString()));
    Map<String, String> withToken = new HashMap<>(env);
    withToken.put(Credentials.ENV_TOKEN, token);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int exit;
    try {
      exit = lane.submit(() -> RemoteClient.runFor(client, () -> Main.run(all.toArray(String[]::new),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(java.io.OutputStream.nullOutputStream()) /* its line is in the JSON's error */, withToken,
          failure::set))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while its command waited or ran (the server is stopping)", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the command failed", e.getCause());
    }
    Outcome outcome = outcome(exit, failure.get(), out.toString(StandardCharsets.UTF_8).strip());
    if (outcome.status() == 401) {
      LOG.warn("refused the token of a request from {}: {}", client, error(outcome.json()));
    }
    return outcome;
  }

  /** Stops the command thread (a command under way is interrupted). */
  @Override
  public void close() {
    lane.shutdownNow();
  }

  /**
   * 0 is 200 with the command's JSON; a command that answered without failing (audit verify of a trail that does not
   * verify exits 1 with its JSON) is 200 with its answer; a refused token 401, a refused role or state 403, other bad
   * input 400, anything else 500 with no details (they are in the home's log).
   */
  private static Outcome outcome(int exit, Throwable failure, String out) {
    if (failure == null) {
      if (isJson(out)) {
        return new Outcome(200, out);
      }
      LOG.error("command exited {} without JSON", exit);
      return Outcome.error(500, INTERNAL);
    }
    if (failure instanceof AuthenticationException || failure instanceof Credentials.Unusable) {
      // The command's line names the variable it read the token from; a client sent it as the bearer token.
      return Outcome.error(401, error(out).replace(Credentials.ENV_TOKEN, "the bearer token"));
    }
    if (failure instanceof AccessDeniedException || failure instanceof StateRefusedException) {
      return Outcome.error(403, error(out));
    }
    if (failure instanceof io.dataops.core.NotFoundException) {
      return Outcome.error(404, error(out));
    }
    if (failure instanceof BadInputException || failure instanceof CommandLine.ParameterException) {
      return Outcome.error(400, error(out));
    }
    return Outcome.error(500, INTERNAL); // Main logged it
  }

  /** The failure's one line, as the CLI's JSON gives it (not the rest of that JSON: it names the home). */
  private static String error(String out) {
    try {
      String line = JSON.readTree(out).path("error").asText("");
      return line.startsWith("dataops: ") ? line.substring("dataops: ".length()) : line;
    } catch (java.io.IOException e) {
      return "refused";
    }
  }

  private static boolean isJson(String out) {
    try {
      JsonNode n = JSON.readTree(out);
      return n != null && (n.isObject() || n.isArray());
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
