package io.dataops.quality.suggest;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.quality.engine.Analyzer;
import io.dataops.quality.engine.AnalyzerState;
import io.dataops.quality.engine.CompletenessAnalyzer;
import io.dataops.quality.engine.DistinctSampleAnalyzer;
import io.dataops.quality.engine.FailureSink;
import io.dataops.quality.engine.NumericStatsAnalyzer;
import io.dataops.quality.engine.ProfileAnalyzer;
import io.dataops.quality.engine.RowLocator;
import io.dataops.quality.engine.ScanContext;
import io.dataops.quality.engine.ScanRunner;
import io.dataops.quality.engine.SizeAnalyzer;
import io.dataops.quality.engine.ValueGroupsAnalyzer;
import io.dataops.quality.engine.ValueMemory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Profiles a table (a few columns per scan) and proposes a starter suite, in the spirit of
 * Deequ's suggestion rules:
 * complete-if-complete, retain-completeness, non-negative numbers, categorical range, plus uniqueness (counted
 * exactly) of columns whose values nearly all occur once, fixed lengths of codes, and PRC identifier rules where
 * nearly every value has the shape.
 * Each suggestion says why (in its meta), so a person can keep or drop it.
 */
public final class Suggester {
  static final int CATEGORICAL = 20;
  /** Columns profiled by one scan of a table whose batches are full. */
  static final int COLUMNS_PER_SCAN = 128;
  /**
   * Columns profiled by one scan at most, however short the table: each column's states (a distinct-count sketch, a
   * sample, counters) take a few kilobytes a thread whatever its rows.
   */
  static final int MAX_COLUMNS_PER_SCAN = 1024;
  /** What one scan's exact value groups may hold in memory before spilling sorted runs, all threads together. */
  static final long SPILL_BUDGET = 256L << 20;

  private final Lakehouse lakehouse;
  private final Path workDir;
  private final int threads;

  public Suggester(Lakehouse lakehouse, Path workDir, int threads) {
    this.lakehouse = lakehouse;
    this.workDir = workDir;
    this.threads = threads;
  }

  /** A proposed suite in Great Expectations 1.x form, and what the profile saw. */
  public record Suggestion(Map<String, Object> suite, long rows, List<Map<String, Object>> profile) {}

  public Suggestion suggest(TableIdentifier id) {
    if (!lakehouse.exists(id)) {
      throw new BadInputException("no table " + id + " (see: dataops table list)");
    }
    Table table = lakehouse.load(id);
    Snapshot snapshot = table.currentSnapshot();
    List<NestedField> columns = table.schema().columns().stream().filter(f -> !f.name().startsWith("_")).toList();
    List<Map<String, Object>> expectations = new ArrayList<>();
    List<Map<String, Object>> profile = new ArrayList<>();
    long rows = 0;
    // A few columns per scan, their states turned into suggestions before the next scan: memory (Arrow vectors,
    // states, spill buffers) grows with the columns of one scan, never with the width of the table.
    String records = snapshot == null ? null : snapshot.summary().get("total-records");
    int perScan = columnsPerScan(records == null ? ScanRunner.BATCH_ROWS : Long.parseLong(records));
    for (int from = 0; from == 0 || from < columns.size(); from += perScan) {
      List<NestedField> group = columns.subList(from, Math.min(columns.size(), from + perScan));
      Map<String, AnalyzerState<?>> states = scan(table, snapshot, group);
      rows = ((SizeAnalyzer.State) states.get(SizeAnalyzer.INSTANCE.key())).rows;
      for (NestedField f : group) {
        suggest(table, f, states, rows, expectations, profile);
      }
    }
    expectations.add(0, expectation("expect_table_row_count_to_be_between", kw("min_value", 1),
        "the table had " + rows + " rows"));
    Map<String, Object> suite = new LinkedHashMap<>();
    suite.put("name", id + ".suggested");
    suite.put("expectations", expectations);
    suite.put("meta", Map.of("generated_by", "dataops quality suggest", "profiled_rows", rows,
        "snapshot_id", snapshot == null ? "none" : String.valueOf(snapshot.snapshotId())));
    return new Suggestion(suite, rows, profile);
  }

  /**
   * How many columns one scan profiles: the values a batch holds (its columns times its rows) stay those of
   * {@value #COLUMNS_PER_SCAN} full columns, so a short table is profiled in fewer scans (each scan reads every data
   * file's footer, which for a table of thousands of columns costs more than its rows).
   */
  static int columnsPerScan(long tableRows) {
    long batchRows = Math.max(1, Math.min(tableRows, ScanRunner.BATCH_ROWS));
    return (int) Math.min(MAX_COLUMNS_PER_SCAN, (long) COLUMNS_PER_SCAN * ScanRunner.BATCH_ROWS / batchRows);
  }

  /** One scan profiling {@code columns} (and counting rows). */
  private Map<String, AnalyzerState<?>> scan(Table table, Snapshot snapshot, List<NestedField> columns) {
    List<Analyzer<?>> analyzers = new ArrayList<>();
    analyzers.add(SizeAnalyzer.INSTANCE);
    int grouped = 0;
    for (NestedField f : columns) {
      analyzers.add(new CompletenessAnalyzer(f.name()));
      analyzers.add(new ProfileAnalyzer(f.name()));
      analyzers.add(new DistinctSampleAnalyzer(f.name(), CATEGORICAL));
      if (numeric(f.type())) {
        analyzers.add(new NumericStatsAnalyzer(f.name()));
      }
      if (keyLike(f.type())) {
        analyzers.add(new ValueGroupsAnalyzer(List.of(f.name()), List.of(f.type()), false));
        grouped++;
      }
    }
    // The scan's spill budget is shared by its value groups, in every thread.
    long perGroup = Math.min(32L << 20, SPILL_BUDGET / Math.max(1, (long) grouped * threads));
    ValueMemory memory = ValueMemory.forRun();
    return ScanRunner.run(table, snapshot == null ? null : snapshot.snapshotId(), analyzers, List.of(), threads,
        slot -> context(perGroup, memory)).states();
  }

  /** What the profile of one column suggests. */
  private static void suggest(Table table, NestedField f, Map<String, AnalyzerState<?>> states, long rows,
      List<Map<String, Object>> expectations, List<Map<String, Object>> profile) {
    String c = f.name();
    var completeness = (CompletenessAnalyzer.State) states.get("Completeness(" + c + ")");
    var prof = (ProfileAnalyzer.State) states.get("Profile(" + c + ")");
    var sample = (DistinctSampleAnalyzer.State) states.get("DistinctSample(" + c + "," + CATEGORICAL + ")");
    var stats = (NumericStatsAnalyzer.State) states.get("NumericStats(" + c + ")");
    double complete = completeness.completeness();
    long values = prof.values;
    double distinct = Math.min(prof.approxDistinct(), values);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("column", c);
    p.put("type", f.type().toString());
    p.put("completeness", complete);
    p.put("approx_distinct", Math.round(distinct));
    profile.add(p);
    if (rows == 0) {
      return;
    }
    if (complete == 1.0) {
      expectations.add(expectation("expect_column_values_to_not_be_null", kw("column", c),
          "complete-if-complete: every value was present"));
    } else if (complete >= 0.2) {
      expectations.add(expectation("expect_column_values_to_not_be_null", kw("column", c, "mostly",
          floor(complete - 0.01)), String.format("retain-completeness: %.2f%% were present", complete * 100)));
    }
    var groups = (ValueGroupsAnalyzer.State) states.get("ValueGroups(" + c + ")");
    if (groups != null && groups.values >= 50 && groups.singletons >= 0.98 * groups.values) {
      // Exact: the share of values that occur once. Uniqueness with "mostly" when a few repeat.
      double share = groups.singletons / (double) groups.values;
      Map<String, Object> kwargs = new LinkedHashMap<>();
      kwargs.put("column", c);
      if (share < 1.0) {
        kwargs.put("mostly", floor(share));
      }
      expectations.add(expectation("expect_column_values_to_be_unique", kwargs, String.format(
          "%d of %d values occur once", groups.singletons, groups.values)));
    }
    boolean personal = table.properties().containsKey("dataops.personal." + c);
    // Never list a personal column's values: a suite is shared, and values would be raw personal data.
    // Nor values that hold ID, mobile or card numbers, as people write them too, in a column the contract does not
    // call personal (found by probes: "441302/19980524/9405" and "+86 137-1234-5678" were listed).
    if (!personal && !sample.overflowed && !sample.values.isEmpty() && values >= 4L * sample.values.size()
        && !numericContinuous(f.type()) && sample.values.stream().noneMatch(v -> io.dataops.lakehouse.identifiers
            .IdentifierPatterns.inText(String.valueOf(v)))) {
      expectations.add(expectation("expect_column_values_to_be_in_set", kw("column", c, "value_set",
          valueSet(sample.values, f.type())), "categorical: " + sample.values.size() + " distinct values"));
    }
    if (stats != null && stats.count > 0 && stats.min >= 0) {
      expectations.add(expectation("expect_column_values_to_be_between", kw("column", c, "min_value", 0),
          "non-negative numbers: the smallest value was " + (integral(f.type()) ? String.valueOf((long) stats.min)
              : String.valueOf(stats.min))));
    }
    if (f.type().typeId() == Type.TypeID.STRING && values > 0) {
      if (prof.idCards >= 0.9 * values) {
        expectations.add(prc("expect_column_values_to_be_valid_prc_id_card", c, prof.idCards, values));
      } else if (prof.mobiles >= 0.9 * values) {
        expectations.add(prc("expect_column_values_to_be_valid_prc_mobile", c, prof.mobiles, values));
      } else if (prof.creditCodes >= 0.9 * values) {
        expectations.add(prc("expect_column_values_to_be_valid_unified_social_credit_code", c, prof.creditCodes, values));
      } else if (prof.minLength == prof.maxLength && prof.minLength > 0 && sample.overflowed) {
        expectations.add(expectation("expect_column_value_lengths_to_equal", kw("column", c, "value",
            prof.minLength), "every value had " + prof.minLength + " characters"));
      }
    }
  }

  /**
   * A categorical column's values, sorted, in its type: the engine compares an int or long column's values with
   * numbers and a boolean column's with booleans, so text members would fail every row (found by a probe: "1", "10"
   * for an int column). Other types' sampled values are their text, as the engine compares them.
   */
  static List<?> valueSet(java.util.Collection<String> values, Type type) {
    if (integral(type)) {
      return values.stream().map(Long::valueOf).sorted().toList();
    }
    if (type.typeId() == Type.TypeID.BOOLEAN) {
      return values.stream().map(Boolean::valueOf).sorted().toList();
    }
    return values.stream().sorted().toList();
  }

  private static boolean integral(Type t) {
    return t.typeId() == Type.TypeID.INTEGER || t.typeId() == Type.TypeID.LONG;
  }

  private static Map<String, Object> prc(String type, String column, long valid, long values) {
    double share = valid / (double) values;
    Map<String, Object> kwargs = new LinkedHashMap<>();
    kwargs.put("column", column);
    if (share < 1.0) {
      kwargs.put("mostly", floor(share));
    }
    return expectation(type, kwargs, String.format("%.2f%% of the values were valid", share * 100));
  }

  /** Keyword arguments in the order given (the column first, as people read them). */
  private static Map<String, Object> kw(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> expectation(String type, Map<String, Object> kwargs, String why) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put("kwargs", new LinkedHashMap<>(kwargs));
    e.put("meta", Map.of("suggested_because", why));
    return e;
  }

  private static double floor(double v) {
    return BigDecimal.valueOf(Math.max(0, v)).setScale(2, RoundingMode.FLOOR).doubleValue();
  }

  private static boolean numeric(Type t) {
    return switch (t.typeId()) {
      case INTEGER, LONG, FLOAT, DOUBLE, DECIMAL -> true;
      default -> false;
    };
  }

  private static boolean keyLike(Type t) {
    return t.typeId() == Type.TypeID.STRING || t.typeId() == Type.TypeID.LONG || t.typeId() == Type.TypeID.INTEGER;
  }

  private static boolean numericContinuous(Type t) {
    return t.typeId() == Type.TypeID.DOUBLE || t.typeId() == Type.TypeID.FLOAT || t.typeId() == Type.TypeID.DECIMAL
        || t.typeId() == Type.TypeID.TIMESTAMP || t.typeId() == Type.TypeID.DATE;
  }

  private ScanContext context(long spillBudget, ValueMemory memory) {
    return new ScanContext() {
      @Override
      public ValueMemory valueMemory() {
        return memory;
      }

      @Override
      public FailureSink failures() {
        return (e, k, f, r, reason, v) -> { };
      }

      @Override
      public Path spillDirectory() {
        return workDir;
      }

      @Override
      public long spillBudgetBytes() {
        return spillBudget;
      }

      @Override
      public String display(String column, String value) {
        return value;
      }

      @Override
      public RowLocator rowLocator() {
        return new RowLocator(List.of(), List.of(), (c, v) -> v);
      }
    };
  }
}
