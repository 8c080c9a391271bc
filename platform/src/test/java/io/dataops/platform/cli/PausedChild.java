package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.ChildJvm;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command in a child JVM held at a {@code CommitPoint} ({@code -Ddataops.test.pause-at}) until the test has done
 * what must happen meanwhile (a seal, a revocation, a competing command), then let go on or killed there: what two
 * processes at once, or a crash at a commit point, do, in a fixed order.
 */
final class PausedChild implements AutoCloseable {
  private final Process process;
  private final Path paused;
  private final Path resume;
  private final Path out;
  private final Path err;

  private PausedChild(Process process, Path paused, Path resume, Path out, Path err) {
    this.process = process;
    this.paused = paused;
    this.resume = resume;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code args} (with {@code --home home --as as}) and waits until it holds at {@code point}. */
  static PausedChild at(String point, Path dir, Path home, String as, String... args) throws Exception {
    return at(point, dir, home, java.util.Map.of(), as, args);
  }

  /** As above, with {@code env} added to the child's environment (object storage settings). */
  static PausedChild at(String point, Path dir, Path home, java.util.Map<String, String> env, String as,
      String... args) throws Exception {
    long id = System.nanoTime();
    Path paused = dir.resolve("paused-" + id);
    Path resume = dir.resolve("resume-" + id);
    Path out = dir.resolve("child-" + id + ".out");
    Path err = dir.resolve("child-" + id + ".err");
    List<String> cmd = ChildJvm.command(io.dataops.platform.Main.class, List.of("-Ddataops.test.pause-at=" + point,
        "-Ddataops.test.pause-marker=" + paused, "-Ddataops.test.resume-marker=" + resume), List.of(args));
    cmd.addAll(List.of("--home", home.toString(), "--as", as));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process child = builder.start();
    PausedChild c = new PausedChild(child, paused, resume, out, err);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(paused) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!Files.exists(paused)) {
      c.close();
      assertThat(paused).as("the child never reached " + point + ": " + Files.readString(err)).exists();
    }
    return c;
  }

  /** Lets the command go on and waits for its end: its exit status, standard output and standard error. */
  Run resume() throws Exception {
    Files.createFile(resume);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the child ends once let go").isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Kills the command where it holds (SIGKILL: nothing of it runs on), and waits until it is gone. */
  void kill() throws Exception {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
