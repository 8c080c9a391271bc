package io.dataops.pipelines.privacy;

import java.util.List;
import java.util.Map;

/**
 * What the generalization search chose and what it costs, for the privacy report and the version's lineage.
 *
 * @param metric the information-loss metric's name
 * @param counted "people" (classes count distinct people of the person key) or "records"
 * @param meetsLimit false when no node met the model within the limit: the top node was applied
 * @param levels each quasi-identifier's chosen level (0: as its policy leaves it)
 * @param levelNames what each chosen level keeps, e.g. "month", "4 digits", "*"
 * @param loss the overall normalized loss (0: nothing lost, 1: every cell hidden)
 * @param lossByColumn the loss per quasi-identifier
 * @param discernibility the sum of kept classes' records squared plus records × suppressed records
 * @param cellsByLevel the share of quasi-identifier cells at each level ("level 0", "level 2", ..., "suppressed")
 * @param cellsByColumn per quasi-identifier, the share of its cells at each level ("level 1 (month)") and suppressed
 *     (full-domain generalization: a column's kept cells are all at its chosen level)
 * @param frontier the other nodes that meet the model with no meeting node below them, by loss
 * @param marketerRisk the expected share of records re-identified by an attacker matching every record: classes kept
 *     / records kept (people, with a person key)
 */
public record Generalization(
    String metric,
    String counted,
    double suppressionLimit,
    boolean meetsLimit,
    Map<String, Integer> levels,
    Map<String, String> levelNames,
    double loss,
    Map<String, Double> lossByColumn,
    long discernibility,
    long people,
    long peopleSuppressed,
    Map<String, Double> cellsByLevel,
    Map<String, Map<String, Double>> cellsByColumn,
    List<Alternative> frontier,
    int latticeNodes,
    int nodesEvaluated,
    double marketerRisk) {

  /** The name of {@link #loss}'s metric. */
  public static final String LOSS_METRIC = "ARX Loss (normalized generalization loss, suppressed cells 1)";

  /** A node of the frontier: its levels, loss and suppressed share. */
  public record Alternative(Map<String, Integer> levels, double loss, double suppressedShare) {}
}
