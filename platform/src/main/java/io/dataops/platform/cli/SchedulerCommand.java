package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.schedule.ScheduleServices;
import io.dataops.scheduler.embedded.EmbeddedScheduler;
import io.dataops.scheduler.embedded.SchedulerSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dataops scheduler start}: the embedded scheduler in the foreground, until stopped (SIGTERM, Ctrl-C). */
@Command(name = "scheduler", mixinStandardHelpOptions = true, description = "The embedded scheduler.",
    subcommands = {SchedulerCommand.Start.class})
final class SchedulerCommand {
  private SchedulerCommand() {}

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Run the schedules in the foreground until stopped (SIGTERM or Ctrl-C: no new runs, running ones "
          + "finish). One scheduler per platform database runs at a time; a second waits for the first's lease. "
          + "Platform admin.")
  static final class Start implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--max-concurrent", defaultValue = "2", paramLabel = "N", description = "Runs at once.")
    int maxConcurrent;
    @Option(names = "--tick-seconds", defaultValue = "5", paramLabel = "S") long tickSeconds;
    @Option(names = "--lease-seconds", defaultValue = "60", paramLabel = "S",
        description = "A scheduler that died is replaced after this long.") long leaseSeconds;
    @Option(names = "--backoff-seconds", defaultValue = "30", paramLabel = "S",
        description = "Wait before a failed run's second attempt, doubled for each further one.") long backoffSeconds;

    Start(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() throws InterruptedException {
      if (tickSeconds < 1 || leaseSeconds < 1) {
        throw new BadInputException("--tick-seconds and --lease-seconds must be positive");
      }
      if (backoffSeconds < 0) {
        throw new BadInputException("--backoff-seconds must be 0 or more, not " + backoffSeconds);
      }
      PlatformConfig config = cli.config(common);
      SchedulerSettings settings = new SchedulerSettings(maxConcurrent, Duration.ofSeconds(tickSeconds),
          Duration.ofSeconds(leaseSeconds), Duration.ofSeconds(backoffSeconds));
      try (Lakehouse lh = cli.lakehouse(config);
          EmbeddedScheduler scheduler = ScheduleServices.scheduler(config, lh, cli.env, settings, cli.audit())) {
        Thread hook = new Thread(() -> {
          scheduler.stop();
          try {
            // Let running attempts finish and the lease be released (not a join: the main thread exits the JVM).
            scheduler.awaitStopped(Duration.ofHours(1));
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
        }, "dataops-scheduler-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        // Recorded once the lease is held: a scheduler waiting behind another one has started nothing yet.
        scheduler.run(holder -> cli.err.println("waiting for the scheduler lease held by " + holder
            + " (one scheduler per platform database runs at a time)"), () -> {
              cli.audit().record(io.dataops.core.audit.AuditEvent.ok("scheduler.start", java.util.List.of(
                  "scheduler:" + scheduler.owner()), Map.of("maxConcurrent", maxConcurrent)));
              cli.err.println("scheduler " + scheduler.owner() + " running (" + maxConcurrent
                  + " runs at most at once); stop with Ctrl-C");
            });
      }
      cli.print(common, Map.of("stopped", true), "scheduler stopped");
      return 0;
    }
  }
}
