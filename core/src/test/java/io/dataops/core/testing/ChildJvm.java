package io.dataops.core.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM a test starts (a command killed at a commit point, a second process racing the
 * first, a user's process meeting the home): this JVM's {@code java}, the flags it inherits from the test JVM, the
 * test's own flags, the class path, the main class and its arguments.
 *
 * <p>Inherited: the opened packages (DuckDB's Arrow export and Flink need them) and the compiler setting of the root
 * pom's {@code dataops.test.jit}, so that one property sets both. A child's cost is its cold start (Spring Batch,
 * Flink, Iceberg): C2 compiling code a test runs a few times. The demo in a child: 54 s CPU with both compilers, 28 s
 * with C1 only (wall 30 s and 20 s). The heap is inherited unless {@code flags} sets one. The list is mutable: a
 * caller may add arguments.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** {@code java}, the inherited flags, {@code flags}, {@code -cp} the test class path, {@code main}, {@code args}. */
  public static List<String> command(Class<?> main, List<String> flags, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    boolean ownHeap = flags.stream().anyMatch(f -> f.startsWith("-Xmx"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-XX:TieredStopAtLevel")
          || !ownHeap && a.startsWith("-Xmx")) {
        cmd.add(a);
      }
    }
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(args);
    return cmd;
  }
}
