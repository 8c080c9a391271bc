package io.dataops.scheduler.embedded;

import java.util.List;

/**
 * What runs when: a pipeline or a department's quality suite, by cron and/or when a new snapshot of one of its input
 * tables arrives, as a configured identity.
 *
 * @param id {@code pipeline:<name>} or {@code quality:<table>}
 * @param command the {@code dataops} arguments a run executes (without --home, --as and --json)
 * @param cron a cron expression with seconds ({@code 0 0 2 * * *}: 02:00 every day), or null
 * @param onFeed whether a new snapshot of an input table starts a run
 * @param inputs the tables whose new snapshots start it
 * @param runAs the user every run acts as (and is audited as)
 * @param maxAttempts attempts of a run that fails for an internal reason (exit 1) before it is failed
 * @param lastDue the newest cron occurrence already claimed (epoch ms), or null
 * @param lastFeed the input snapshots seen last, or null
 */
public record Schedule(String id, String kind, String target, List<String> command, String cron, boolean onFeed,
    List<String> inputs, String runAs, int maxAttempts, boolean paused, long createdAt, String createdBy,
    Long lastDue, String lastFeed) {

  public Schedule {
    command = List.copyOf(command);
    inputs = List.copyOf(inputs);
  }
}
