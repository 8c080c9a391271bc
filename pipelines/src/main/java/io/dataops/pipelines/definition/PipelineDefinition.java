package io.dataops.pipelines.definition;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * An operator's pipeline as written in its YAML file: which granted tables it reads (and at which snapshot), the SQL
 * that shapes them, the policy of every output column, the privacy the product must satisfy, the product it makes and
 * the quality suite it must pass. Line numbers are kept so that every later check can point into the file.
 *
 * @param transform a SQL SELECT over the inputs' aliases, or null to take the single input as it is
 * @param asOf the day age bands are counted at; null: the day of the newest pinned input snapshot
 * @param incremental {@code mode: incremental}: each run reads only what was appended to the inputs since the
 *     product's last version, and adds its rows to the product's (the default, {@code full}, rebuilds the product)
 * @param modeLine the line of {@code mode} (0 when the file leaves it out)
 * @param schedule when the embedded scheduler should run it ({@code dataops schedule add-pipeline FILE}), or null
 */
public record PipelineDefinition(
    String source,
    String name,
    String scenario,
    String owner,
    String description,
    List<Input> inputs,
    String transform,
    int transformLine,
    Map<String, PolicySpec> policies,
    PrivacySpec privacy,
    String product,
    int productLine,
    QualitySpec quality,
    LocalDate asOf,
    String sha256,
    boolean incremental,
    int modeLine,
    ScheduleSpec schedule) {

  /**
   * One granted table. {@code snapshot} is "latest" or a snapshot id; a run pins the exact id either way.
   *
   * @param filter a SQL boolean expression over the table's columns, applied before the transform
   */
  public record Input(String table, String alias, List<String> columns, String filter, String snapshot, int line,
      int columnsLine, int filterLine) {
    public boolean latest() {
      return "latest".equals(snapshot);
    }
  }

  /** The policy of one output column as written: its kind (keep, mask, ...), its arguments, and its line. */
  public record PolicySpec(String column, String kind, String variant, Map<String, Object> args, int line) {}

  /**
   * @param weightColumn for aggregate products: the column that says how many people a row stands for
   * @param exempt columns the operator states are no quasi-identifiers although a policy keeps part of a personal
   *     value, each with the reason (recorded with every version, shown as a warning)
   * @param optimize search the generalization lattice for the least information loss that meets k (and l) within
   *     {@code suppressionLimit}, instead of only suppressing small classes
   * @param suppressionLimit the largest share of records (of people, with {@code personKey}) the search may suppress
   * @param personKey the column that says whose record a row is: classes count distinct people, not rows
   * @param hierarchies declared generalization hierarchies by column (the others are derived from the policy)
   * @param refuseUndeclared {@code undeclaredQuasiIdentifiers: refuse}: a kept column the validator finds placing
   *     people in groups smaller than k refuses the pipeline instead of becoming a quasi-identifier
   * @param population the table of the population a journalist attacker matches against (one row per person, a
   *     column of each quasi-identifier's name), or null; {@code populationLine} its line
   * @param riskThreshold the re-identification risk above which a record counts as at risk (reported)
   * @param tCloseness {@code privacy.tCloseness}: its column is {@code sensitive} (null: no t-closeness)
   */
  public record PrivacySpec(List<String> quasiIdentifiers, int k, Integer l, String sensitive, String weightColumn,
      Map<String, String> exempt, int line, boolean optimize, double suppressionLimit, String personKey,
      Map<String, io.dataops.pipelines.privacy.lattice.Hierarchies.Spec> hierarchies, boolean refuseUndeclared,
      String population, int populationLine, double riskThreshold,
      io.dataops.pipelines.privacy.Closeness tCloseness) {
    /** The suppression limit when the file gives none: ARX's customary 5%. */
    public static final double DEFAULT_SUPPRESSION_LIMIT = 0.05;
    /** The risk threshold when the file gives none: 0.2, the highest prosecutor risk k=5 allows. */
    public static final double DEFAULT_RISK_THRESHOLD = 0.2;
  }

  /**
   * {@code schedule:} in the file: what {@code dataops schedule add-pipeline FILE} uses when its flags leave it out.
   * The cron's syntax and the timeout are checked where the scheduler's parsers live (the platform), at
   * {@code cronLine} and {@code timeoutLine}.
   *
   * @param cron six-field cron with seconds, or null
   * @param onFeed run when an input table has a new snapshot
   * @param engine the engine to run on, or null for the default
   * @param maxAttempts attempts of a run failing for an internal reason, or null for the scheduler's default
   * @param timeout a run attempt's timeout as written ({@code 2h}, {@code 90m}, ISO-8601), or null: unsaid
   */
  public record ScheduleSpec(String cron, int cronLine, boolean onFeed, String engine, int engineLine,
      Integer maxAttempts, String timeout, int timeoutLine, int line) {}

  /** The suite the product must pass before it is committed; {@code path} is relative to the pipeline file. */
  public record QualitySpec(String suite, int line) {}

  /**
   * The line a refusal to read {@code table} is about (a grant's, say): the input reading it (its columns' line for a
   * column, when written), else the privacy population's, the only other table a pipeline reads; 0 when neither.
   */
  public int readLine(String table, boolean column) {
    for (Input in : inputs) {
      if (io.dataops.lakehouse.catalog.TableNames.parse(in.table()).toString().equals(table)) {
        return column && in.columnsLine() > 0 ? in.columnsLine() : in.line();
      }
    }
    return privacy == null ? 0 : privacy.populationLine();
  }
}
