package io.dataops.platform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.testing.ChildJvm;
import io.dataops.platform.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Commands run in a child JVM on the test's class path, started through a prefix (a shell that sets a umask, a
 * process without the privilege to override file permissions), as a user's process would meet the home. Several
 * commands share one JVM (separated by {@value #THEN}); the child prints each one's exit status and output as JSON.
 */
final class ChildCli {
  static final String THEN = "--then";

  private ChildCli() {}

  /** Runs the commands (each an argument list) in one child JVM, started through {@code prefix}. */
  static List<CliTest.Run> run(List<String> prefix, Path log, List<List<String>> commands) throws Exception {
    return run(prefix, Map.of(), log, commands);
  }

  /** The same, with {@code env} added to the child's environment (the AWS SDK's variables, say). */
  static List<CliTest.Run> run(List<String> prefix, Map<String, String> env, Path log, List<List<String>> commands)
      throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(ChildJvm.command(ChildCli.class, List.of(), List.of()));
    for (List<String> c : commands) {
      cmd.addAll(c);
      cmd.add(THEN);
    }
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(log.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not finish");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("the child JVM failed (" + p.exitValue() + "): " + Files.readString(log));
    }
    List<CliTest.Run> runs = new ArrayList<>();
    String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\n");
    for (var r : new ObjectMapper().readTree(lines[lines.length - 1])) {
      runs.add(new CliTest.Run(r.get("exit").asInt(), r.get("out").asText(), r.get("err").asText()));
    }
    return runs;
  }

  public static void main(String[] args) throws Exception {
    List<Map<String, Object>> results = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(THEN)) {
        String[] command = Arrays.copyOfRange(args, start, i);
        start = i + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), System.getenv());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("exit", exit);
        r.put("out", out.toString(StandardCharsets.UTF_8));
        r.put("err", err.toString(StandardCharsets.UTF_8));
        results.add(r);
      }
    }
    System.out.println(new ObjectMapper().writeValueAsString(results));
    System.exit(0);
  }
}
