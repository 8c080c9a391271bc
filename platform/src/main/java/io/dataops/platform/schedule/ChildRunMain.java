package io.dataops.platform.schedule;

import io.dataops.platform.Main;

/**
 * A scheduled run's own JVM: runs one {@code dataops} command and exits with its status, but halts at once when the
 * scheduler that started it dies (its parent process is gone). So a scheduler killed with SIGKILL takes its runs with
 * it, as if they ran inside it, and the next scheduler runs them again; and each run has its own heap and its own
 * engine state (Spring Batch tells a dead run from a live one by its process).
 */
public final class ChildRunMain {
  private ChildRunMain() {}

  public static void main(String[] args) {
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    Thread watchdog = new Thread(() -> {
      while (true) {
        if (parent == null || !parent.isAlive()) {
          Runtime.getRuntime().halt(137);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "dataops-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    System.exit(Main.run(args, System.out, System.err, System.getenv()));
  }
}
