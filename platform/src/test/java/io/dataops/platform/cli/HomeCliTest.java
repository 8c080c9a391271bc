package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command-line test on one home in its temporary folder, every command run in this JVM as a named user: the
 * {@code run}, {@code ok} and {@code refused} the governed-half tests share.
 */
abstract class HomeCliTest {
  @TempDir Path dir;

  /** The home the commands run on. */
  Path home() {
    return dir.resolve("home");
  }

  /** The commands' environment (DATAOPS_* settings); none unless a test needs some. */
  Map<String, String> env() {
    return Map.of();
  }

  /** {@code args} on {@link #home()} as {@code as}. */
  Run run(String as, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home().toString(), "--as", as));
    return CliTest.exactly(env(), all.toArray(String[]::new));
  }

  /** As {@link #run}, which must succeed. */
  Run ok(String as, String... args) {
    Run r = run(as, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  /** A suite file {@code name}.yaml in the test's folder with {@code expectations} (YAML list items). */
  Path suite(String name, String expectations) throws java.io.IOException {
    Path file = dir.resolve(name + ".yaml");
    java.nio.file.Files.writeString(file, "name: " + name + "\nexpectations:\n" + expectations);
    return file;
  }

  /** As {@link #run}, which must be refused: exit 2 and one line on stderr that contains {@code expected}. */
  Run refused(String as, String expected, String... args) {
    Run r = run(as, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains(expected);
    return r;
  }
}
