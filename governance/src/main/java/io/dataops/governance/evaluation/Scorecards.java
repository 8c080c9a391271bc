package io.dataops.governance.evaluation;

import java.util.List;
import java.util.Map;

/**
 * A month's evaluation (成效评估): a scorecard per source department and per authorized operator, each figure counted
 * from what the platform recorded (the audit trail, contracts, quality runs and tickets, the product registry,
 * metering, grants and supervision's alerts), never estimated. Null means no fact to judge by.
 *
 * @param period the month, {@code YYYY-MM}, in China Standard Time
 * @param countedUntil the end of the month, or the time of the evaluation when the month is not over: feeds due and
 *     grants in force are counted up to it
 * @param partial whether the month was not over when evaluated (the figures are the month's so far)
 */
public record Scorecards(String period, String zone, String generatedAt, String countedUntil, boolean partial,
    List<Department> departments, List<Operator> operators, List<String> sources) {

  /** A source department: are its feeds on time, do they pass its rules, does it answer its tickets. */
  public record Department(String department, String name, Timeliness timeliness, Quality quality, Tickets tickets) {}

  /**
   * Feeds against each dataset's declared schedule; {@code percent} of the feeds due that came on time (null: no
   * schedule declared, or none due this month). Only feeds whose due time has passed ({@code countedUntil}) and fell
   * after their dataset's contract was registered are due; {@code counted} says so in a sentence.
   */
  public record Timeliness(String counted, int due, int onTime, int late, int missed, Double percent,
      List<Dataset> datasets) {}

  /**
   * One dataset: its schedule as declared (null: none) and since when (its contract's first registration; null: none
   * recorded), what was due and how it came, the feeds landed.
   */
  public record Dataset(String dataset, String schedule, String scheduleSince, int due, int onTime, int late,
      int missed, int landed) {}

  /**
   * The month's quality runs of its feeds: rules met over rules evaluated; {@code trend} each feed's share in order,
   * {@code previousPercent} the month before's (null: no runs).
   */
  public record Quality(int feeds, int feedsPassed, Double percent, Double previousPercent, List<Double> trend) {}

  /** Tickets opened this month and how fast they were answered (hours from opening), and those still not verified. */
  public record Tickets(int opened, int acknowledged, Double meanHoursToAcknowledge, int resolved,
      Double meanHoursToResolve, int verified, Double meanHoursToVerify, int stillActive) {}

  /** An authorized operator: what it published, how it was used, incidents, and its grants against its reads. */
  public record Operator(String operator, String name, List<String> published, Usage usage, Incidents incidents,
      List<GrantUse> grants) {}

  /** Deliveries of its products to partners this month. */
  public record Usage(int deliveries, long rows, long bytes, List<String> partners, Map<String, Integer> byProduct) {}

  /**
   * Alerts supervision raised on its people's actions this month (by rule), and its pipeline runs refused (of which
   * stopped by the leak check).
   */
  public record Incidents(int alerts, Map<String, Integer> alertsByRule, int runsRefused, int leakChecksFailed) {}

  /**
   * A grant in force during the month (approved, its period begun, before the month ended or the evaluation was made):
   * the tables granted and those its runs read under it.
   */
  public record GrantUse(long grant, String scenario, List<String> tablesGranted, int columnsGranted,
      List<String> tablesRead, int runs, long rowsRead, Double percentUsed) {}
}
