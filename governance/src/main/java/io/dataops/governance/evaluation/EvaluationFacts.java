package io.dataops.governance.evaluation;

import java.util.List;

/**
 * The facts an evaluation needs from modules that depend on this one (quality runs and tickets, the product
 * registry), as the platform hands them over. Times are ISO-8601 strings with an offset, as those modules record them.
 */
public interface EvaluationFacts {
  /** One feed's quality run: rules evaluated and met, and whether the feed passed them all. */
  record FeedRun(String at, int evaluated, int successful, boolean passed) {}

  /** A ticket's times (null: not reached) and whether it is still not verified. */
  record TicketTimes(String openedAt, String acknowledgedAt, String resolvedAt, String verifiedAt, boolean active) {}

  /** A product version: its owning operator and when it was published (null: not published). */
  record Version(String product, String label, String owner, String publishedAt) {}

  /** The department's feed runs, oldest first. */
  List<FeedRun> feedRuns(String department);

  List<TicketTimes> tickets(String department);

  List<Version> versions();
}
