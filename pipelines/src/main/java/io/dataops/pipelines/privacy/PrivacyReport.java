package io.dataops.pipelines.privacy;

import java.util.List;
import java.util.Map;

/**
 * What the privacy check found and did. Records are weighted (by the product's count column when it is an aggregate,
 * else one per row). Risks are prosecutor risks over the records kept: the highest is 1 / the smallest class, the
 * average is classes / records. With the generalization search ({@code generalization} not null) classes are formed
 * after the chosen generalization and, with a person key, sized by their distinct people.
 *
 * @param quasiIdentifiers the columns the classes were formed on: those declared plus {@code added}
 * @param added columns that became quasi-identifiers because their policy keeps part of a personal value, with why
 * @param riskThreshold the risk above which a kept record counts as at risk
 * @param recordsAtRisk kept records whose prosecutor risk (1 / their class's size) is above the threshold;
 *     {@code shareAtRisk} their share of the records kept
 * @param journalist the journalist risk against the pipeline's population table (null: none given)
 * @param discernibility the discernibility metric: the sum over kept classes of their records squared, plus the
 *     records in × the records suppressed (a suppressed record is indistinguishable from every record)
 * @param tCloseness t-closeness's column, distance and t, the highest distance of a kept class and the classes
 *     suppressed for being farther than t (null: no t-closeness)
 */
public record PrivacyReport(
    int k,
    Integer l,
    String sensitive,
    String weightColumn,
    List<String> quasiIdentifiers,
    Map<String, String> added,
    long recordsIn,
    long recordsOut,
    long recordsSuppressed,
    long classes,
    long classesSuppressed,
    long smallestClass,
    double maxRisk,
    double avgRisk,
    long spilledBytes,
    Generalization generalization,
    double riskThreshold,
    long recordsAtRisk,
    double shareAtRisk,
    JournalistRisk journalist,
    long discernibility,
    Closeness.Result tCloseness) {

  /** A report of suppression only (no generalization search), no record above the default threshold's risk. */
  public PrivacyReport(int k, Integer l, String sensitive, String weightColumn, List<String> quasiIdentifiers,
      Map<String, String> added, long recordsIn, long recordsOut, long recordsSuppressed, long classes,
      long classesSuppressed, long smallestClass, double maxRisk, double avgRisk, long spilledBytes) {
    this(k, l, sensitive, weightColumn, quasiIdentifiers, added, recordsIn, recordsOut, recordsSuppressed, classes,
        classesSuppressed, smallestClass, maxRisk, avgRisk, spilledBytes, null,
        io.dataops.pipelines.definition.PipelineDefinition.PrivacySpec.DEFAULT_RISK_THRESHOLD, 0, 0, null, 0, null);
  }

  /** True when every kept class has at least k records (always, after suppression) and some records are kept. */
  public boolean satisfied() {
    return recordsOut == 0 || smallestClass >= k;
  }
}
