package io.dataops.quality.expect;

import io.dataops.lakehouse.table.PreviewMask;
import io.dataops.quality.engine.Analyzer;
import io.dataops.quality.engine.ComplianceAnalyzer;
import io.dataops.quality.engine.CompletenessAnalyzer;
import io.dataops.quality.engine.DecimalExtremesAnalyzer;
import io.dataops.quality.engine.DistinctSampleAnalyzer;
import io.dataops.quality.engine.NumericStatsAnalyzer;
import io.dataops.quality.engine.WholeStatsAnalyzer;
import io.dataops.quality.engine.PythonRegex;
import io.dataops.quality.engine.QuantileAnalyzer;
import io.dataops.quality.engine.RowCheck;
import io.dataops.quality.engine.SizeAnalyzer;
import io.dataops.quality.engine.TextExtremesAnalyzer;
import io.dataops.quality.engine.TextOrder;
import io.dataops.quality.engine.ValueGroupsAnalyzer;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.result.PythonFloat;
import io.dataops.quality.suite.Expectation;
import io.dataops.quality.suite.ExpectationSuite;
import io.dataops.quality.suite.SuiteException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.iceberg.types.Type;

/**
 * The expectations this engine knows, by their Great Expectations names, plus PRC rules. Compiling a suite
 * checks every expectation against the table (types known, columns present, arguments well formed) before any
 * data is read, and says which analyzers each needs.
 */
public final class ExpectationCatalog {
  private ExpectationCatalog() {}

  @FunctionalInterface
  interface Factory {
    CompiledExpectation compile(Args args, int index);
  }

  record Compiled(Expectation config, List<Analyzer<?>> analyzers, Function<States, ExpectationResult> eval)
      implements CompiledExpectation {
    @Override
    public ExpectationResult evaluate(States states) {
      return eval.apply(states);
    }
  }

  /** An expectation as compiled, with what registration warns about it (see {@link CompiledExpectation#notices}). */
  private record Noticed(CompiledExpectation compiled, List<String> notices) implements CompiledExpectation {
    @Override
    public Expectation config() {
      return compiled.config();
    }

    @Override
    public List<Analyzer<?>> analyzers() {
      return compiled.analyzers();
    }

    @Override
    public ExpectationResult evaluate(States states) {
      return compiled.evaluate(states);
    }

    @Override
    public List<Analyzer<?>> secondPass(States first) {
      return compiled.secondPass(first);
    }
  }

  /** An expectation whose arguments GX raises on while validating: an error result every run, as in GX. */
  private record Raised(Expectation config, String raised) implements CompiledExpectation {
    @Override
    public List<Analyzer<?>> analyzers() {
      return List.of();
    }

    @Override
    public ExpectationResult evaluate(States states) {
      return ExpectationResult.error(config, raised);
    }
  }

  private static final Map<String, Factory> FACTORIES = new TreeMap<>();

  static {
    // Table-level.
    FACTORIES.put("expect_table_row_count_to_be_between", ExpectationCatalog::rowCountBetween);
    FACTORIES.put("expect_table_row_count_to_equal", ExpectationCatalog::rowCountEqual);
    FACTORIES.put("expect_table_columns_to_match_set", ExpectationCatalog::columnsMatchSet);
    FACTORIES.put("expect_table_columns_to_match_ordered_list", ExpectationCatalog::columnsMatchOrderedList);
    FACTORIES.put("expect_table_column_count_to_equal", ExpectationCatalog::columnCountEqual);
    FACTORIES.put("expect_table_column_count_to_be_between", ExpectationCatalog::columnCountBetween);
    FACTORIES.put("expect_column_to_exist", ExpectationCatalog::columnToExist);
    FACTORIES.put("expect_table_data_to_be_fresh", ExpectationCatalog::fresh);
    FACTORIES.put("expect_metric_to_not_be_anomalous", ExpectationCatalog::notAnomalous);
    // Row-level (map) expectations.
    FACTORIES.put("expect_column_values_to_not_be_null", (a, i) -> map(a, i, List.of(a.column("column")),
        RowChecks.notNull(a.kwargs().get("column").toString()), false));
    FACTORIES.put("expect_column_values_to_be_null", (a, i) -> map(a, i, List.of(a.column("column")),
        RowChecks.isNull(a.kwargs().get("column").toString()), false));
    FACTORIES.put("expect_column_values_to_be_in_set", (a, i) -> inSet(a, i, true));
    FACTORIES.put("expect_column_values_to_not_be_in_set", (a, i) -> inSet(a, i, false));
    FACTORIES.put("expect_column_values_to_be_between", ExpectationCatalog::valuesBetween);
    FACTORIES.put("expect_column_values_to_match_regex", (a, i) -> regex(a, i, true));
    FACTORIES.put("expect_column_values_to_not_match_regex", (a, i) -> regex(a, i, false));
    FACTORIES.put("expect_column_value_lengths_to_be_between", ExpectationCatalog::lengthsBetween);
    FACTORIES.put("expect_column_value_lengths_to_equal", ExpectationCatalog::lengthsEqual);
    FACTORIES.put("expect_column_values_to_match_strftime_format", ExpectationCatalog::strftime);
    FACTORIES.put("expect_column_values_to_be_unique", ExpectationCatalog::unique);
    FACTORIES.put("expect_compound_columns_to_be_unique", ExpectationCatalog::compoundUnique);
    FACTORIES.put("expect_column_pair_values_a_to_be_greater_than_b", ExpectationCatalog::pairGreater);
    FACTORIES.put("expect_column_pair_values_to_be_equal", ExpectationCatalog::pairEqual);
    FACTORIES.put("expect_multicolumn_sum_to_equal", ExpectationCatalog::multicolumnSum);
    FACTORIES.put("expect_column_values_to_be_valid_prc_id_card", (a, i) -> {
      String c = stringColumn(a, "column");
      return map(a, i, List.of(c), RowChecks.prcIdCard(c, LocalDate.now(ZoneOffset.ofHours(8))));
    });
    FACTORIES.put("expect_column_values_to_be_valid_unified_social_credit_code", (a, i) -> {
      String c = stringColumn(a, "column");
      return map(a, i, List.of(c), RowChecks.creditCode(c));
    });
    FACTORIES.put("expect_column_values_to_exist_in_table", ExpectationCatalog::existInTable);
    FACTORIES.put("expect_column_values_to_be_valid_prc_mobile", (a, i) -> {
      String c = stringColumn(a, "column");
      return map(a, i, List.of(c), RowChecks.mobile(c));
    });
    // Aggregate expectations.
    FACTORIES.put("expect_column_min_to_be_between", (a, i) -> stat(a, i, "min"));
    FACTORIES.put("expect_column_max_to_be_between", (a, i) -> stat(a, i, "max"));
    FACTORIES.put("expect_column_mean_to_be_between", (a, i) -> stat(a, i, "mean"));
    FACTORIES.put("expect_column_sum_to_be_between", (a, i) -> stat(a, i, "sum"));
    FACTORIES.put("expect_column_stdev_to_be_between", (a, i) -> stat(a, i, "stdev"));
    FACTORIES.put("expect_column_median_to_be_between", ExpectationCatalog::median);
    FACTORIES.put("expect_column_quantile_values_to_be_between", ExpectationCatalog::quantiles);
    FACTORIES.put("expect_column_unique_value_count_to_be_between", (a, i) -> distinctCount(a, i, false));
    FACTORIES.put("expect_column_proportion_of_unique_values_to_be_between", (a, i) -> distinctCount(a, i, true));
    FACTORIES.put("expect_column_distinct_values_to_be_in_set", (a, i) -> distinctValues(a, i, "in_set"));
    FACTORIES.put("expect_column_distinct_values_to_contain_set", (a, i) -> distinctValues(a, i, "contain_set"));
    FACTORIES.put("expect_column_distinct_values_to_equal_set", (a, i) -> distinctValues(a, i, "equal_set"));
    CoreExpectations.register(FACTORIES);
    DistributionExpectations.register(FACTORIES);
    TextExpectations.register(FACTORIES);
    DivergenceExpectations.register(FACTORIES);
    QueryExpectations.register(FACTORIES);
  }

  /** A rule's identity across suites and runs: its type and canonical arguments (not its position or id). */
  public static String ruleKey(Expectation e) {
    try {
      java.util.Map<String, Object> kwargs = new TreeMap<>(e.kwargs());
      kwargs.keySet().removeAll(Args.COMMON);
      kwargs.remove("mostly"); // a threshold on the counts, not part of them
      return e.type() + " " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(kwargs);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  public static Set<String> knownTypes() {
    return FACTORIES.keySet();
  }

  /** The expectations that read another table, and the argument naming it. */
  private static final Map<String, String> REFERENCE_ARGUMENTS = Map.of(
      "expect_column_values_to_exist_in_table", "table",
      "expect_table_row_count_to_equal_other_table", "other_table_name");

  /**
   * The other tables the suite reads (its references, in order of first mention; the table itself left out). A name
   * that is no table name, or not yet given (a parameter), is left to compiling, which refuses it.
   */
  public static List<org.apache.iceberg.catalog.TableIdentifier> references(ExpectationSuite suite, String table) {
    Set<org.apache.iceberg.catalog.TableIdentifier> out = new java.util.LinkedHashSet<>();
    for (Expectation e : suite.expectations()) {
      String argument = REFERENCE_ARGUMENTS.get(e.type());
      if (argument != null && e.kwargs().get(argument) instanceof String name) {
        try {
          out.add(io.dataops.lakehouse.catalog.TableNames.parse(name));
        } catch (io.dataops.core.BadInputException notAName) {
          // compiling says so at the argument's line
        }
      }
    }
    out.removeIf(id -> id.toString().equals(table));
    return List.copyOf(out);
  }

  /**
   * Compiles every expectation of the suite; the first problem is raised, naming its file and line. The caller's
   * read of every other table the suite refers to is checked first: compiling loads their schemas (and its messages
   * name their columns and types), running reads their rows.
   */
  public static List<CompiledExpectation> compile(ExpectationSuite suite, TableFacts table) {
    for (var other : references(suite, table.table())) {
      table.reads().check(other, table.referenceSnapshots().get(other.toString())); // the snapshot it reads
    }
    List<CompiledExpectation> out = new ArrayList<>();
    for (int i = 0; i < suite.expectations().size(); i++) {
      Expectation e = suite.expectations().get(i);
      Factory f = FACTORIES.get(e.type());
      if (f == null) {
        throw new SuiteException(suite.source(), e.line(), "unknown expectation type '" + e.type() + "'"
            + suggestion(e.type()));
      }
      for (Map.Entry<String, Object> kv : e.kwargs().entrySet()) {
        if (kv.getValue() instanceof Map<?, ?> ref && ref.containsKey("$PARAMETER")) {
          throw new SuiteException(suite.source(), e.lineOf(kv.getKey()), e.type() + ": kwarg '" + kv.getKey()
              + "' refers to suite parameter '" + ref.get("$PARAMETER") + "', which is given neither by the suite "
              + "nor at run time (quality run --param NAME=VALUE)");
        }
      }
      Args args = new Args(e, suite.source(), table);
      CompiledExpectation c;
      try {
        c = f.compile(args, i);
      } catch (Args.Raised raised) {
        if (!args.catchExceptions()) {
          throw args.fail(raised.kwarg, raised.getMessage());
        }
        out.add(new Raised(e, raised.getMessage()));
        continue; // the arguments after the one that raised are not read, as in GX
      }
      RowCondition condition = RowCondition.of(args);
      if (condition != null && !c.analyzers().isEmpty()) {
        c = filteredBy(c, condition);
      }
      args.noOthers();
      if (args.resultFormat().level() == ResultFormat.Level.BOOLEAN_ONLY) {
        c = booleanOnly(c);
      }
      out.add(args.notices().isEmpty() ? c : new Noticed(c, args.notices()));
    }
    return out;
  }

  /**
   * What registration warns about in the compiled suite, each as its file, line and problem: the expectations that
   * report an error every run (see {@link CompiledExpectation#raised}), then what the others note (see
   * {@link CompiledExpectation#notices}).
   */
  public static List<String> warnings(ExpectationSuite suite, List<CompiledExpectation> compiled) {
    List<String> out = new ArrayList<>();
    for (CompiledExpectation c : compiled) {
      if (c.raised() != null) {
        out.add(suite.source() + " line " + c.config().line() + ": " + c.config().type() + ": " + c.raised()
            + ": this expectation reports an error at every run, as Great Expectations does (with catch_exceptions:"
            + " false the suite is refused instead)");
      }
    }
    compiled.forEach(c -> out.addAll(c.notices()));
    return out;
  }

  private static String suggestion(String type) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : FACTORIES.keySet()) {
      int d = distance(type, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return bestDistance <= Math.max(3, type.length() / 5) ? " (did you mean " + best + "?)" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---- map expectations -----------------------------------------------------------------------------------

  static CompiledExpectation map(Args a, int index, List<String> columns, RowCheck check) {
    return map(a, index, columns, check, true);
  }

  /** {@code withMissing}: false for GX's null expectations, whose every row counts (none is missing). */
  static CompiledExpectation map(Args a, int index, List<String> columns, RowCheck check, boolean withMissing) {
    double mostly = a.mostly();
    ResultFormat format = a.resultFormat();
    ComplianceAnalyzer analyzer = new ComplianceAnalyzer(index, a.expectation().id(), ruleKey(a.expectation()), columns,
        check, format.samplesNeeded());
    java.util.function.Function<String, Object> typed = typer(a, columns);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(analyzer), states -> {
      ComplianceAnalyzer.State s = states.of(analyzer);
      if (s.overrun != null) { // raised, as GX reports it: no counts or rows of a check that did not finish
        return ExpectationResult.error(e, s.overrun.message());
      }
      boolean ok = Results.mostlySuccess(s.considered(), s.unexpected, mostly);
      return ExpectationResult.of(e, ok, Results.map(format, s.rows, s.missing, s.unexpected, s.samples.list(), typed,
          withMissing));
    });
  }

  /**
   * Shown values back in their column's type (numbers as numbers, a floating column's as Python floats, -0.0 kept);
   * masked or multi-column values stay text.
   */
  static java.util.function.Function<String, Object> typer(Args a, List<String> columns) {
    if (columns.size() != 1) {
      return v -> v;
    }
    Type type = a.table().type(columns.get(0));
    return v -> {
      try {
        return isFloating(type) ? new PythonFloat(Double.parseDouble(v)) : Results.shown(typed(v, type), null);
      } catch (NumberFormatException masked) {
        return v;
      }
    };
  }

  static String stringColumn(Args a, String name) {
    String c = a.column(name);
    if (a.table().type(c).typeId() != Type.TypeID.STRING) {
      throw a.fail(name, "column '" + c + "' is " + a.table().type(c) + "; this expectation checks text");
    }
    return c;
  }

  private static CompiledExpectation inSet(Args a, int index, boolean mustBeIn) {
    String column = a.column("column");
    List<Object> set = a.list("value_set", true);
    Type type = a.table().type(column);
    // GX's pandas isin compares as Python's ==: 1 == 1.0 and True == 1, but "1" != 1. So a number or boolean column
    // matches the set's numbers and booleans (a boolean is 1 or 0) and never its text, a text column only its text.
    boolean numeric = isNumeric(type) || type.typeId() == Type.TypeID.BOOLEAN;
    boolean text = type.typeId() == Type.TypeID.STRING;
    // A whole-number column compares its longs exactly with the set's (Python's int == int, int == float); a float
    // column matches an int member only if a double holds it exactly (found by a probe: past 2^53, neighbours matched).
    boolean whole = isWhole(type);
    // A decimal column holds decimal.Decimal objects, equal to an int or a float only exactly (Decimal('1.00') == 1,
    // Decimal('0.10') == 0.1 is False): its set is the members' exact values (and their doubles, to rule out most
    // values without reading them as BigDecimals).
    boolean decimal = type.typeId() == Type.TypeID.DECIMAL;
    Set<Double> numbers = new HashSet<>();
    Set<Long> longs = new HashSet<>();
    Set<BigDecimal> exact = new java.util.TreeSet<>(); // compareTo: 1.00 and 1 are one member
    Set<String> texts = new HashSet<>();
    for (Object o : set) {
      if (o == null) {
        continue;
      }
      if (numeric) {
        if (o instanceof Number n) {
          Double d = type.typeId() == Type.TypeID.DOUBLE || type.typeId() == Type.TypeID.FLOAT
              ? PythonNumbers.asDouble(n) : (Double) n.doubleValue();
          Long l = PythonNumbers.asLong(n);
          if (d != null) {
            numbers.add(d);
          }
          if (l != null) {
            longs.add(l);
          }
          BigDecimal x = PythonNumbers.exact(n);
          if (x != null) { // NaN and the infinities equal no decimal
            exact.add(x);
          }
        } else if (o instanceof Boolean b) {
          numbers.add(b ? 1.0 : 0.0);
          longs.add(b ? 1L : 0L);
          exact.add(b ? BigDecimal.ONE : BigDecimal.ZERO);
        }
      } else if (!text || o instanceof String) {
        texts.add(String.valueOf(o)); // dates and timestamps compare with ISO text
      }
    }
    long never = set.stream().filter(o -> o != null && (numeric ? !(o instanceof Number || o instanceof Boolean)
        : text && !(o instanceof String))).count();
    if (never > 0) {
      // As GX: such a member matches nothing. Said, since a suite written as if "518000" were 518000 would otherwise
      // first show it as every row failing (or none forbidden) at the next feed.
      a.notice("value_set", never + " of the " + set.size() + " members " + (never == 1 ? "is " : "are ")
          + (numeric ? "text" : "numbers or booleans") + ", which never equal" + (never == 1 ? "s" : "") + " a value of the "
          + type + " column '" + column + "' (Great Expectations compares as Python's ==: \"518000\" != 518000), so "
          + (mustBeIn ? "every row not matching another member fails" : "it forbids nothing")
          + "; write " + (never == 1 ? "it" : "them") + " as " + (numeric ? "numbers" : "text"));
    }
    String reason = mustBeIn ? "is not one of the " + set.size() + " allowed values" : "is one of the forbidden values";
    RowCheck check = RowChecks.inSet(column, reason, numeric,
        numbers.stream().mapToDouble(Double::doubleValue).toArray(),
        whole ? longs.stream().mapToLong(Long::longValue).toArray() : null,
        decimal ? exact.toArray(BigDecimal[]::new) : null, texts, mustBeIn);
    return map(a, index, List.of(column), check);
  }

  private static CompiledExpectation valuesBetween(Args a, int index) {
    String column = a.column("column");
    Bounds b = Bounds.of(a, a.table().type(column), "min_value", "max_value").rejectInverted(a);
    String reason = "is outside " + b.describe();
    RowCheck check = b.text ? RowChecks.simple(column, reason, (c, r) -> b.containsText(c.getString(r)))
        : isWhole(a.table().type(column)) ? RowChecks.simple(column, reason, (c, r) -> b.containsWhole(c.getLong(r)))
        : a.table().type(column).typeId() == Type.TypeID.DECIMAL ? RowChecks.simple(column, reason, b::containsDecimal)
        : RowChecks.simple(column, reason, (c, r) -> b.contains(b.valueOf(c, r)));
    return map(a, index, List.of(column), check);
  }

  private static CompiledExpectation regex(Args a, int index, boolean mustMatch) {
    String column = a.column("column");
    // GX 1.2 defaults match_regex's regex to "(?s).*"; not_match_regex requires it.
    String regex = mustMatch ? a.string("regex", false) : a.string("regex", true);
    if (regex == null) {
      regex = "(?s).*";
    }
    PythonRegex p;
    try {
      p = PythonRegex.compile(regex); // GX (pandas) reads it with Python's re
    } catch (PythonRegex.Invalid ex) {
      throw badPattern(a, "regex", ex);
    }
    return map(a, index, List.of(column), RowChecks.regex(column, p, mustMatch,
        a.table().type(column).typeId() == Type.TypeID.STRING));
  }

  /**
   * A pattern Python's re refuses: GX raises re.error while validating, so the expectation reports it with
   * exception_info at every run (and the suite is refused with catch_exceptions: false); one Python takes but this
   * engine cannot run is refused at its line, as it can never be checked here.
   */
  static RuntimeException badPattern(Args a, String kwarg, PythonRegex.Invalid ex) {
    return ex.pythonRefuses() ? a.error(kwarg, ex.getMessage()) : a.fail(kwarg, ex.getMessage());
  }

  /**
   * The column of a value-length rule: GX's pandas measures {@code column.astype(str).str.len()}, so numbers and
   * booleans are measured as Python writes them ({@code -12} is 3, {@code 1e+16} 5, {@code True} 4). Dates and
   * timestamps are refused: pandas writes them in forms of its own.
   */
  private static String lengthColumn(Args a) {
    String c = a.column("column");
    Type t = a.table().type(c);
    if (t.typeId() != Type.TypeID.STRING && !isNumeric(t) && t.typeId() != Type.TypeID.BOOLEAN) {
      throw a.fail("column", "column '" + c + "' is " + t + "; this expectation measures text, numbers and booleans");
    }
    return c;
  }

  private static CompiledExpectation lengthsBetween(Args a, int index) {
    String column = lengthColumn(a);
    BigDecimal min = a.number("min_value", false);
    BigDecimal max = a.number("max_value", false);
    if (min == null && max == null) {
      throw a.fail(null, "give min_value, max_value or both");
    }
    return map(a, index, List.of(column), RowChecks.lengths(column, min, max));
  }

  private static CompiledExpectation lengthsEqual(Args a, int index) {
    String column = lengthColumn(a);
    BigDecimal value = a.number("value", true);
    return map(a, index, List.of(column), RowChecks.lengths(column, value, value));
  }

  private static CompiledExpectation strftime(Args a, int index) {
    String column = a.column("column");
    if (a.table().type(column).typeId() != Type.TypeID.STRING) {
      throw a.error("column", "Values passed to expect_column_values_to_match_strftime_format must be of type string.");
    }
    String format = a.string("strftime_format", true);
    StrftimeFormat f;
    try {
      f = StrftimeFormat.compile(format);
    } catch (IllegalArgumentException ex) {
      throw a.fail("strftime_format", "'" + format + "': " + ex.getMessage());
    }
    return map(a, index, List.of(column), RowChecks.strftime(column, f, format));
  }

  private static CompiledExpectation unique(Args a, int index) {
    String column = a.column("column");
    return groups(a, index, List.of(column), ValueGroupsAnalyzer.Ignore.ALL_VALUES_ARE_MISSING);
  }

  private static CompiledExpectation compoundUnique(Args a, int index) {
    List<String> columns = a.columns("column_list");
    return groups(a, index, columns, multicolumnIgnoreRowIf(a));
  }

  /** A multicolumn expectation's {@code ignore_row_if}: all_values_are_missing (default), any_value_is_missing, never. */
  static ValueGroupsAnalyzer.Ignore multicolumnIgnoreRowIf(Args a) {
    String ignore = a.string("ignore_row_if", false);
    if (ignore == null) {
      return ValueGroupsAnalyzer.Ignore.ALL_VALUES_ARE_MISSING;
    }
    if (!Set.of("all_values_are_missing", "any_value_is_missing", "never").contains(ignore)) {
      throw a.fail("ignore_row_if", "expected all_values_are_missing, any_value_is_missing or never");
    }
    return ValueGroupsAnalyzer.Ignore.valueOf(ignore.toUpperCase(java.util.Locale.ROOT));
  }

  /** Uniqueness: every row whose value (tuple) occurs more than once is unexpected. */
  private static CompiledExpectation groups(Args a, int index, List<String> columns, ValueGroupsAnalyzer.Ignore ignore) {
    double mostly = a.mostly();
    List<Type> types = columns.stream().map(c -> a.table().type(c)).toList();
    ValueGroupsAnalyzer groups = new ValueGroupsAnalyzer(columns, types, true, ignore);
    groups.reportDuplicatesAs(index);
    ResultFormat format = a.resultFormat();
    groups.keepSamples(format.samplesNeeded());
    java.util.function.Function<String, Object> typed = typer(a, columns);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(SizeAnalyzer.INSTANCE, groups), states -> {
      long rows = states.of(SizeAnalyzer.INSTANCE).rows;
      ValueGroupsAnalyzer.State g = states.of(groups);
      long missing = rows - g.values;
      boolean ok = Results.mostlySuccess(g.values, g.duplicateRows, mostly);
      return ExpectationResult.of(e, ok, Results.map(format, rows, missing, g.duplicateRows, g.samples.list(), typed));
    });
  }

  /**
   * Referential integrity: the column's values occur in {@code table}'s {@code table_column} (default: the same
   * name), e.g. contributions' employers in the enterprise register.
   */
  private static CompiledExpectation existInTable(Args a, int index) {
    String column = a.column("column");
    String tableName = a.string("table", true);
    String refColumn = a.has("table_column") ? a.string("table_column", true) : column;
    double mostly = a.mostly();
    org.apache.iceberg.catalog.TableIdentifier refId;
    try {
      refId = io.dataops.lakehouse.catalog.TableNames.parse(tableName);
    } catch (io.dataops.core.BadInputException e) {
      throw a.fail("table", e.getMessage());
    }
    if (a.table().lakehouse() == null || !a.table().lakehouse().exists(refId)) {
      throw a.fail("table", "table '" + tableName + "' does not exist");
    }
    org.apache.iceberg.Table ref = a.table().lakehouse().load(refId);
    // Read at the run's snapshot of it (its pin), and compiled against that snapshot's schema.
    org.apache.iceberg.Snapshot refSnapshot = a.table().referenceSnapshot(ref, refId);
    org.apache.iceberg.Schema refSchema = refSnapshot == null ? ref.schema() : ref.schemas().get(refSnapshot.schemaId());
    org.apache.iceberg.types.Types.NestedField refField = refSchema.findField(refColumn);
    if (refField == null) {
      throw a.fail(a.has("table_column") ? "table_column" : "column", "column '" + refColumn + "' does not exist in "
          + refId);
    }
    Type mine = a.table().type(column);
    if (!sameKind(mine, refField.type())) {
      throw a.fail("column", "'" + column + "' is " + mine + " but " + refId + "." + refColumn + " is "
          + refField.type() + ": values cannot match");
    }
    io.dataops.quality.engine.ReferenceAnalyzer analyzer = new io.dataops.quality.engine.ReferenceAnalyzer(index, column,
        mine, ref, refSnapshot == null ? null : refSnapshot.snapshotId(), refColumn);
    analyzer.displayWith((c, v) -> v);
    ResultFormat format = a.resultFormat();
    analyzer.keepSamples(format.samplesNeeded());
    java.util.function.Function<String, Object> typed = typer(a, List.of(column));
    Expectation e = a.expectation();
    return new Compiled(e, List.of(analyzer), states -> {
      io.dataops.quality.engine.ReferenceAnalyzer.State s = states.of(analyzer);
      boolean ok = Results.mostlySuccess(s.considered(), s.unexpected, mostly);
      Map<String, Object> r = Results.map(format, s.rows, s.missing, s.unexpected, s.samples.list(), typed);
      r.put("details", Map.of("reference_table", refId.toString(), "reference_column", refColumn,
          "reference_snapshot_id", String.valueOf(s.referenceSnapshot), "reference_values", s.referenceValues));
      return ExpectationResult.of(e, ok, r);
    });
  }

  /** Equal values have equal grouping bytes: whole numbers with whole numbers, text with text, and so on. */
  private static boolean sameKind(Type a, Type b) {
    boolean wholeA = a.typeId() == Type.TypeID.INTEGER || a.typeId() == Type.TypeID.LONG;
    boolean wholeB = b.typeId() == Type.TypeID.INTEGER || b.typeId() == Type.TypeID.LONG;
    return (wholeA && wholeB) || a.equals(b);
  }

  private static CompiledExpectation pairGreater(Args a, int index) {
    String ca = a.column("column_A");
    String cb = a.column("column_B");
    boolean orEqual = a.bool("or_equal", false);
    String ignore = ignoreRowIf(a, "both_values_are_missing");
    boolean numeric = comparableNumerically(a, ca, cb);
    return map(a, index, List.of(ca, cb), RowChecks.pair(ca, cb, ignore,
        ca + " is not greater than " + (orEqual ? "or equal to " : "") + cb, cmp -> orEqual ? cmp >= 0 : cmp > 0, numeric));
  }

  private static CompiledExpectation pairEqual(Args a, int index) {
    String ca = a.column("column_A");
    String cb = a.column("column_B");
    String ignore = ignoreRowIf(a, "both_values_are_missing");
    boolean numeric = comparableNumerically(a, ca, cb);
    return map(a, index, List.of(ca, cb), RowChecks.pair(ca, cb, ignore, ca + " differs from " + cb,
        cmp -> cmp == 0, numeric));
  }

  private static boolean comparableNumerically(Args a, String ca, String cb) {
    Type ta = a.table().type(ca);
    Type tb = a.table().type(cb);
    boolean na = isNumeric(ta) || isTemporal(ta);
    boolean nb = isNumeric(tb) || isTemporal(tb);
    if (na != nb || (isTemporal(ta) && !ta.equals(tb))) {
      throw a.fail(null, "columns '" + ca + "' (" + ta + ") and '" + cb + "' (" + tb + ") cannot be compared");
    }
    return na;
  }

  static String ignoreRowIf(Args a, String fallback) {
    String v = a.string("ignore_row_if", false);
    if (v == null) {
      return fallback;
    }
    if (!Set.of("both_values_are_missing", "either_value_is_missing", "neither").contains(v)) {
      throw a.fail("ignore_row_if", "expected both_values_are_missing, either_value_is_missing or neither");
    }
    return v;
  }

  /**
   * Each row's values add up to {@code sum_total} exactly (found by a probe: a tolerance passed 0.1 + 0.2 as 0.3, which
   * GX fails): in decimal when no column is floating-point, as a SQL engine adds whole and decimal numbers, else in
   * double. A missing value counts as 0, as on Spark ({@code COALESCE(c, 0)}; pandas makes the row's sum NaN). Rows
   * are left out by {@code ignore_row_if} (default all_values_are_missing).
   */
  private static CompiledExpectation multicolumnSum(Args a, int index) {
    List<String> columns = a.columns("column_list");
    boolean exact = true;
    for (String c : columns) {
      Type t = a.table().type(c);
      if (!isNumeric(t)) {
        throw a.fail("column_list", "column '" + c + "' is not numeric");
      }
      exact &= t.typeId() != Type.TypeID.FLOAT && t.typeId() != Type.TypeID.DOUBLE;
    }
    BigDecimal total = a.number("sum_total", true);
    return map(a, index, columns, RowChecks.sum(columns, total, exact, multicolumnIgnoreRowIf(a)));
  }

  // ---- aggregate expectations -----------------------------------------------------------------------------

  private static CompiledExpectation stat(Args a, int index, String which) {
    String column = a.column("column");
    Type type = a.table().type(column);
    boolean temporalOk = which.equals("min") || which.equals("max");
    // Python counts True as 1: GX's mean of [true, false, false, true] is 0.5.
    boolean booleanOk = !temporalOk && type.typeId() == Type.TypeID.BOOLEAN;
    if (temporalOk && type.typeId() == Type.TypeID.STRING) {
      return textExtreme(a, column, which.equals("max"));
    }
    if (!isNumeric(type) && !(temporalOk && isTemporal(type)) && !booleanOk) {
      throw a.fail("column", "column '" + column + "' is " + type + "; " + which + " needs a numeric column");
    }
    Bounds b = Bounds.orAnything(a, type, "min_value", "max_value");
    Expectation e = a.expectation();
    if (isWhole(type) && !which.equals("mean") && !which.equals("stdev")) {
      return wholeStat(e, b, column, which);
    }
    if (type.typeId() == Type.TypeID.DECIMAL && temporalOk) {
      return decimalExtreme(e, b, column, which.equals("max"));
    }
    NumericStatsAnalyzer stats = new NumericStatsAnalyzer(column);
    return new Compiled(e, List.of(stats), states -> {
      NumericStatsAnalyzer.State s = states.of(stats);
      double v = switch (which) {
        case "min" -> s.count == 0 ? Double.NaN : s.min;
        case "max" -> s.count == 0 ? Double.NaN : s.max;
        case "mean" -> s.count == 0 ? Double.NaN : s.mean;
        case "sum" -> s.sum;
        default -> s.sampleStdDev();
      };
      boolean ok = !Double.isNaN(v) && b.contains(v);
      // pandas' mean and std are floats; min, max and sum keep the column's type (an int column's are ints).
      boolean floating = which.equals("mean") || which.equals("stdev")
          || type.typeId() == Type.TypeID.DOUBLE || type.typeId() == Type.TypeID.FLOAT;
      return ExpectationResult.of(e, ok, Results.observed(floating ? Results.floating(v) : b.render(v)));
    });
  }

  /**
   * The min, max or sum of an int or long column, exact as pandas' int64 (through a double, past 2^53 a value was its
   * neighbour), compared exactly with the bounds. No value: min and max are null and fail; the sum is 0.
   */
  private static CompiledExpectation wholeStat(Expectation e, Bounds b, String column, String which) {
    WholeStatsAnalyzer stats = new WholeStatsAnalyzer(column);
    return new Compiled(e, List.of(stats), states -> {
      WholeStatsAnalyzer.State s = states.of(stats);
      if (which.equals("sum")) {
        BigInteger sum = s.sum();
        boolean ok = sum.bitLength() < 64 ? b.containsWhole(sum.longValue()) : b.contains(sum.doubleValue());
        return ExpectationResult.of(e, ok, Results.observed(sum.bitLength() < 64 ? (Object) sum.longValue() : sum));
      }
      if (s.count == 0) {
        return ExpectationResult.of(e, false, Results.observed(null));
      }
      long v = which.equals("min") ? s.min : s.max;
      return ExpectationResult.of(e, b.containsWhole(v), Results.observed(v));
    });
  }

  /**
   * The min or max of a decimal column: pandas' min and max of its Decimal objects, exact, compared exactly with the
   * bounds (GX's sum and mean convert the Decimals to floats first, and so do these). Shown as before, as a number.
   */
  private static CompiledExpectation decimalExtreme(Expectation e, Bounds b, String column, boolean max) {
    DecimalExtremesAnalyzer extremes = new DecimalExtremesAnalyzer(column);
    // The column's numeric stats still run: the history's Minimum, Maximum, Mean... of the column come from them.
    return new Compiled(e, List.of(extremes, new NumericStatsAnalyzer(column)), states -> {
      DecimalExtremesAnalyzer.State s = states.of(extremes);
      BigDecimal v = max ? s.max : s.min;
      return ExpectationResult.of(e, v != null && b.containsDecimal(v),
          Results.observed(v == null ? null : b.render(v.doubleValue())));
    });
  }

  /**
   * The least or greatest value of a text column, in Python's order (by code point), against text bounds: what GX
   * computes on every backend. Null when the column has no value, which fails, as a numeric column's does. Shown
   * with identifiers masked and cut at 200 characters, as reports show text.
   */
  private static CompiledExpectation textExtreme(Args a, String column, boolean max) {
    Bounds b = Bounds.orAnything(a, a.table().type(column), "min_value", "max_value");
    TextExtremesAnalyzer extremes = new TextExtremesAnalyzer(column);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(extremes), states -> {
      TextExtremesAnalyzer.State s = states.of(extremes);
      String v = max ? s.max : s.min;
      // One row's value: an ID or mobile in it is masked, as in the other text a result shows (a personal column's
      // value is masked whole: QualityRunner.maskRowValues).
      return ExpectationResult.of(e, v != null && b.containsText(v),
          Results.observed(v == null ? null : Results.shortened(PreviewMask.maskIdentifiers(v))));
    });
  }

  private static CompiledExpectation median(Args a, int index) {
    String column = numericColumn(a);
    Bounds b = Bounds.orAnything(a, a.table().type(column), "min_value", "max_value");
    QuantileAnalyzer q = new QuantileAnalyzer(column);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(q), states -> {
      QuantileAnalyzer.State s = states.of(q);
      double v = s.median();
      Map<String, Object> r = Results.observed(Results.floating(v)); // pandas' median is a float: 50.0
      r.put("details", Map.of("approximate", s.sketch.approximate(), "rank_error", s.rankError()));
      return ExpectationResult.of(e, !Double.isNaN(v) && b.contains(v), r);
    });
  }

  @SuppressWarnings("unchecked")
  private static CompiledExpectation quantiles(Args a, int index) {
    String column = numericColumn(a);
    a.allow("allow_relative_error");
    Object spec = a.kwargs().get("quantile_ranges");
    a.allow("quantile_ranges");
    if (!(spec instanceof Map<?, ?> m) || !(m.get("quantiles") instanceof List<?> qs)
        || !(m.get("value_ranges") instanceof List<?> ranges) || qs.size() != ranges.size()) {
      throw a.fail("quantile_ranges", "quantile_ranges needs 'quantiles' and 'value_ranges' lists of equal length");
    }
    List<Double> quantiles = new ArrayList<>();
    List<double[]> bounds = new ArrayList<>();
    for (int i = 0; i < qs.size(); i++) {
      if (!(qs.get(i) instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1
          || !(ranges.get(i) instanceof List<?> pair) || pair.size() != 2
          || pair.stream().anyMatch(x -> x != null && !(x instanceof Number))) {
        throw a.fail("quantile_ranges", "each quantile is a number from 0 to 1 with a [min, max] range");
      }
      quantiles.add(n.doubleValue());
      List<Object> r = (List<Object>) ranges.get(i);
      double lo = r.get(0) == null ? Double.NEGATIVE_INFINITY : ((Number) r.get(0)).doubleValue();
      double hi = r.get(1) == null ? Double.POSITIVE_INFINITY : ((Number) r.get(1)).doubleValue();
      if (lo > hi) {
        throw a.fail("quantile_ranges", "quantile_ranges must consist of ordered pairs");
      }
      bounds.add(new double[] {lo, hi});
    }
    QuantileAnalyzer q = new QuantileAnalyzer(column);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(q), states -> {
      QuantileAnalyzer.State s = states.of(q);
      List<Object> values = new ArrayList<>();
      boolean ok = !s.sketch.isEmpty();
      for (int i = 0; i < quantiles.size(); i++) {
        double v = s.quantile(quantiles.get(i));
        values.add(Results.number(v));
        double[] range = bounds.get(i);
        // GX accepts a value within a relative 1e-4 of either bound (its isclose).
        ok &= close(v, range[0]) || close(v, range[1]) || (v >= range[0] && v <= range[1]);
      }
      Map<String, Object> r = Results.observed(Map.of("quantiles", quantiles, "values", values));
      r.put("details", Map.of("approximate", s.sketch.approximate(), "rank_error", s.rankError()));
      return ExpectationResult.of(e, ok, r);
    });
  }

  private static boolean close(double a, double b) {
    return !Double.isInfinite(b) && Math.abs(a - b) <= 1e-8 + 1e-4 * Math.abs(b);
  }

  private static String numericColumn(Args a) {
    String column = a.column("column");
    if (!isNumeric(a.table().type(column))) {
      throw a.fail("column", "column '" + column + "' is " + a.table().type(column) + "; a numeric column is needed");
    }
    return column;
  }

  private static CompiledExpectation distinctCount(Args a, int index, boolean proportion) {
    String column = a.column("column");
    Bounds b = Bounds.orAnything(a, null, "min_value", "max_value");
    ValueGroupsAnalyzer groups = new ValueGroupsAnalyzer(List.of(column), List.of(a.table().type(column)), false);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(groups), states -> {
      ValueGroupsAnalyzer.State g = states.of(groups);
      double v = proportion ? (g.values == 0 ? Double.NaN : g.distinct / (double) g.values) : g.distinct;
      boolean ok = !Double.isNaN(v) && b.contains(v);
      return ExpectationResult.of(e, ok, Results.observed(Results.number(v)));
    });
  }

  /**
   * GX's distinct-value set expectations: observed values in the column's own type (numbers as numbers), sorted,
   * with their counts; {@code value_set: null} (or empty) makes "in set" vacuously true, while GX's "contain" and
   * "equal" raise on it.
   */
  private static CompiledExpectation distinctValues(Args a, int index, String mode) {
    String column = a.column("column");
    List<Object> set = a.list("value_set", false);
    if (set == null && !mode.equals("in_set")) {
      throw a.error("value_set", "'NoneType' object is not iterable");
    }
    Type type = a.table().type(column);
    Set<Object> expected = new HashSet<>();
    for (Object o : set == null ? List.of() : set) {
      expected.add(memberKey(o, type));
    }
    String personal = a.table().personal() == null ? null : a.table().personal().get(column);
    DistinctSampleAnalyzer sample = new DistinctSampleAnalyzer(column, 10_000);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(sample), states -> {
      DistinctSampleAnalyzer.State s = states.of(sample);
      if (s.overflowed) {
        return ExpectationResult.error(e, "the column has more than 10000 distinct values; this expectation is "
            + "meant for categorical columns");
      }
      Map<Object, Long> counts = new TreeMap<>(ExpectationCatalog::compareTyped);
      Map<Object, String> read = new HashMap<>(); // a value as read: a floating column's -0.0 has the key 0
      s.counts.forEach((v, n) -> {
        Object key = typedKey(typed(v, type));
        counts.merge(key, n, Long::sum);
        read.putIfAbsent(key, v);
      });
      Set<Object> observed = counts.keySet();
      boolean ok = switch (mode) {
        case "in_set" -> expected.isEmpty() || expected.containsAll(observed);
        case "contain_set" -> observed.containsAll(expected);
        default -> observed.equals(expected);
      };
      List<Object> shown = new ArrayList<>();
      List<Object> valueCounts = new ArrayList<>();
      counts.forEach((v, n) -> {
        Object out = isFloating(type) && v instanceof BigDecimal ? Results.shown(Double.valueOf(read.get(v)), type,
            personal) : Results.shown(v, personal);
        shown.add(out);
        Map<String, Object> vc = new LinkedHashMap<>();
        vc.put("value", out);
        vc.put("count", n);
        valueCounts.add(vc);
      });
      Map<String, Object> r = Results.observed(shown);
      r.put("details", Map.of("value_counts", valueCounts));
      return ExpectationResult.of(e, ok, r);
    });
  }

  /** A column value (as read) in its column's type: numbers, booleans, or text (dates as ISO text). */
  static Object typed(String value, Type type) {
    if (isNumeric(type)) {
      return finite(value) ? new BigDecimal(value) : Double.valueOf(value); // a double column's NaN and Infinity
    }
    if (type.typeId() == Type.TypeID.BOOLEAN) {
      return Boolean.valueOf(value);
    }
    return value;
  }

  /** Equal as Python compares them: 1, 1.0 and 1.00 are one number; text is text. */
  static Object typedKey(Object o) {
    if (o instanceof BigDecimal d) {
      return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
    if (o instanceof Number n) {
      // NaN and the infinities (YAML's .nan, .inf) have no decimal: they stay doubles, equal only to themselves.
      boolean nonFinite = (n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue());
      return nonFinite ? (Object) n.doubleValue() : typedKey(new BigDecimal(n.toString()));
    }
    return o;
  }

  /**
   * A value set's member as {@link #typedKey}, against a column of {@code type}: a decimal column's values (Decimal
   * objects in pandas) equal a number only exactly, so a float member is its binary value there
   * (Decimal('0.10') != 0.1, the float being 0.1000000000000000055...). Python's True == 1 and hash(True) ==
   * hash(1): a boolean member is the number 1 (0) to a number column, and a number equal to 1 (0) is True (False) to a
   * boolean column.
   */
  static Object memberKey(Object o, Type type) {
    if (o instanceof Boolean b && isNumeric(type)) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (o instanceof Number n && type.typeId() == Type.TypeID.BOOLEAN) {
      BigDecimal x = PythonNumbers.exact(n);
      if (x != null && (x.signum() == 0 || x.compareTo(BigDecimal.ONE) == 0)) {
        return x.signum() != 0;
      }
    }
    BigDecimal exact = type.typeId() == Type.TypeID.DECIMAL && o instanceof Number n ? PythonNumbers.exact(n) : null;
    return typedKey(exact != null ? exact : o);
  }

  private static boolean finite(String number) {
    return !number.endsWith("NaN") && !number.endsWith("Infinity");
  }

  private static int compareTyped(Object x, Object y) {
    if (x instanceof BigDecimal a && y instanceof BigDecimal b) {
      return a.compareTo(b);
    }
    if (x instanceof Boolean a && y instanceof Boolean b) {
      return a.compareTo(b);
    }
    return TextOrder.compareText(x, y);
  }

  // ---- table expectations ---------------------------------------------------------------------------------

  private static CompiledExpectation rowCountBetween(Args a, int index) {
    Bounds b = Bounds.orAnything(a, null, "min_value", "max_value").rejectInverted(a);
    Expectation e = a.expectation();
    return new Compiled(e, List.of(SizeAnalyzer.INSTANCE), states -> {
      long rows = states.of(SizeAnalyzer.INSTANCE).rows;
      return ExpectationResult.of(e, b.contains(rows), Results.observed(rows));
    });
  }

  private static CompiledExpectation rowCountEqual(Args a, int index) {
    long value = a.number("value", true).longValueExact();
    Expectation e = a.expectation();
    return new Compiled(e, List.of(SizeAnalyzer.INSTANCE), states -> {
      long rows = states.of(SizeAnalyzer.INSTANCE).rows;
      return ExpectationResult.of(e, rows == value, Results.observed(rows));
    });
  }

  /** As GX: a null set is the empty set, so it passes only without exact_match (every column is then unexpected). */
  private static CompiledExpectation columnsMatchSet(Args a, int index) {
    List<Object> wanted = a.list("column_set", false);
    boolean exact = a.bool("exact_match", true);
    List<String> have = a.table().businessColumns();
    Set<String> want = new TreeSet<>();
    if (wanted != null) {
      wanted.forEach(o -> want.add(String.valueOf(o)));
    }
    if (new TreeSet<>(have).equals(want)) {
      return fixed(a.expectation(), true, Results.observed(have));
    }
    Set<String> missing = new TreeSet<>(want);
    missing.removeAll(have);
    Set<String> unexpected = new TreeSet<>(have);
    unexpected.removeAll(want);
    Map<String, Object> mismatched = new LinkedHashMap<>();
    if (!unexpected.isEmpty()) {
      mismatched.put("unexpected", new ArrayList<>(unexpected));
    }
    if (!missing.isEmpty()) {
      mismatched.put("missing", new ArrayList<>(missing));
    }
    Map<String, Object> r = Results.observed(new ArrayList<>(new TreeSet<>(have)));
    r.put("details", Map.of("mismatched", mismatched));
    return fixed(a.expectation(), !exact && missing.isEmpty(), r);
  }

  /** As GX: a null list passes; a mismatch lists each position whose column differs. */
  private static CompiledExpectation columnsMatchOrderedList(Args a, int index) {
    List<Object> wanted = a.list("column_list", false);
    List<String> have = a.table().businessColumns();
    if (wanted == null || have.equals(wanted.stream().map(String::valueOf).toList())) {
      return fixed(a.expectation(), true, Results.observed(have));
    }
    List<Object> mismatched = new ArrayList<>();
    for (int i = 0; i < Math.max(have.size(), wanted.size()); i++) {
      Object expected = i < wanted.size() ? wanted.get(i) : null;
      String found = i < have.size() ? have.get(i) : null;
      if (!java.util.Objects.equals(expected == null ? null : String.valueOf(expected), found)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Expected Column Position", i);
        m.put("Expected", expected);
        m.put("Found", found);
        mismatched.add(m);
      }
    }
    Map<String, Object> r = Results.observed(have);
    r.put("details", Map.of("mismatched", mismatched));
    return fixed(a.expectation(), false, r);
  }

  private static CompiledExpectation columnCountEqual(Args a, int index) {
    long value = a.number("value", true).longValueExact();
    int have = a.table().businessColumns().size();
    return fixed(a.expectation(), have == value, Results.observed(have));
  }

  private static CompiledExpectation columnCountBetween(Args a, int index) {
    Bounds b = Bounds.orAnything(a, null, "min_value", "max_value").rejectInverted(a);
    int have = a.table().businessColumns().size();
    return fixed(a.expectation(), b.contains(have), Results.observed(have));
  }

  /**
   * A missing column is what this expectation finds out, not a suite error. GX takes column_index only as an int;
   * it is compared whole (cut to an int, 4294967297 was position 1).
   */
  private static CompiledExpectation columnToExist(Args a, int index) {
    String column = a.string("column", true);
    BigInteger position = a.integer("column_index", false);
    List<String> have = a.table().businessColumns();
    boolean ok = have.contains(column)
        && (position == null || BigInteger.valueOf(have.indexOf(column)).equals(position));
    return fixed(a.expectation(), ok, new LinkedHashMap<>());
  }

  /**
   * Timeliness: the newest data is recent. Without {@code column}, the age of the validated snapshot (when its
   * feed was landed); with a timestamp column, the age of the column's largest value (local time, UTC+8).
   */
  private static CompiledExpectation fresh(Args a, int index) {
    BigDecimal maxAge = a.number("max_age_hours", true);
    if (maxAge.signum() <= 0) {
      // A rule no feed can pass (found by a probe: -1 was accepted and failed every run).
      throw a.fail("max_age_hours", "max_age_hours must be a positive number of hours, not " + maxAge);
    }
    String column = a.has("column") ? a.column("column") : null;
    Expectation e = a.expectation();
    if (column == null) {
      var snapshot = a.table().snapshot();
      return new Compiled(e, List.of(SizeAnalyzer.INSTANCE), states -> {
        if (snapshot == null) {
          return ExpectationResult.of(e, false, Results.observed(null));
        }
        double hours = (System.currentTimeMillis() - snapshot.timestampMillis()) / 3_600_000.0;
        Map<String, Object> r = Results.observed(Math.round(hours * 100) / 100.0);
        r.put("details", Map.of("newest_feed_landed_at", Instant.ofEpochMilli(snapshot.timestampMillis()).toString()));
        return ExpectationResult.of(e, hours <= maxAge.doubleValue(), r);
      });
    }
    if (a.table().type(column).typeId() != Type.TypeID.TIMESTAMP) {
      throw a.fail("column", "column '" + column + "' is " + a.table().type(column) + "; a timestamp column is needed");
    }
    NumericStatsAnalyzer stats = new NumericStatsAnalyzer(column);
    return new Compiled(e, List.of(stats), states -> {
      NumericStatsAnalyzer.State s = states.of(stats);
      if (s.count == 0) {
        return ExpectationResult.of(e, false, Results.observed(null));
      }
      LocalDateTime newest = LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC).plusNanos((long) s.max * 1000);
      double hours = (LocalDateTime.now(ZoneOffset.ofHours(8)).toEpochSecond(ZoneOffset.UTC)
          - newest.toEpochSecond(ZoneOffset.UTC)) / 3600.0;
      Map<String, Object> r = Results.observed(Math.round(hours * 100) / 100.0);
      r.put("details", Map.of("newest_value", newest.toString()));
      return ExpectationResult.of(e, hours <= maxAge.doubleValue(), r);
    });
  }

  /**
   * Anomaly detection over the metric history (Deequ's anomaly checks): the run's value of {@code metric} (for
   * {@code column}) against earlier runs of the same table and scope, by the chosen {@code strategy}.
   */
  private static CompiledExpectation notAnomalous(Args a, int index) {
    String metric = a.string("metric", true);
    String column = a.has("column") ? a.column("column") : null;
    String strategyName = a.string("strategy", true);
    // Found by a probe: -1 and 2.5 were taken (the first ended the run as an internal error, the second was cut).
    // Compared as given: through a double, 100000.00000000000001 passed as 100000.
    BigDecimal size = a.has("history_size") ? a.number("history_size", true) : BigDecimal.valueOf(30);
    if (size.signum() <= 0 || size.compareTo(BigDecimal.valueOf(100_000)) > 0
        || size.stripTrailingZeros().scale() > 0) {
      throw a.fail("history_size", "history_size is a whole number of earlier runs from 1 to 100000, not " + size);
    }
    int historySize = size.intValueExact();
    Double ignoreStart = optionalDouble(a, "ignore_start_percentage");
    if (ignoreStart != null && !(ignoreStart >= 0 && ignoreStart < 1)) {
      throw a.fail("ignore_start_percentage", "ignore_start_percentage is the share of the history left out as a "
          + "warm-up, from 0 up to (not including) 1, not " + ignoreStart);
    }
    AnomalyStrategy strategy = switch (strategyName) {
      case "relative_rate_of_change" -> new AnomalyStrategy.RelativeRateOfChange(
          optionalDouble(a, "max_rate_decrease"), optionalDouble(a, "max_rate_increase"));
      case "absolute_change" -> new AnomalyStrategy.AbsoluteChange(
          optionalDouble(a, "max_decrease"), optionalDouble(a, "max_increase"));
      case "online_normal" -> new AnomalyStrategy.OnlineNormal(
          orDefault(a, "lower_deviation_factor", 3.0), orDefault(a, "upper_deviation_factor", 3.0),
          orDefault(a, "ignore_start_percentage", 0.1));
      default -> throw a.fail("strategy", "unknown strategy '" + strategyName
          + "' (expected relative_rate_of_change, absolute_change, online_normal)");
    };
    Analyzer<?> analyzer;
    java.util.function.Function<States, Double> value;
    if (metric.equals("Size")) {
      if (column != null) {
        throw a.fail("column", "Size is a metric of the table; leave out 'column'");
      }
      analyzer = SizeAnalyzer.INSTANCE;
      value = st -> (double) st.of(SizeAnalyzer.INSTANCE).rows;
    } else {
      if (column == null) {
        throw a.fail(null, "metric " + metric + " needs a 'column'");
      }
      switch (metric) {
        case "Completeness" -> {
          CompletenessAnalyzer c = new CompletenessAnalyzer(column);
          analyzer = c;
          value = st -> st.of(c).completeness();
        }
        case "Minimum", "Maximum", "Mean", "Sum", "StandardDeviation" -> {
          if ((metric.equals("Minimum") || metric.equals("Maximum")) && a.table().personal() != null
              && a.table().personal().containsKey(column)) {
            throw a.fail("metric", "metric " + metric + " of " + column + ", a personal column, is one person's "
                + "value: it is not kept in the history (check its Mean, Completeness or CountDistinct)");
          }
          if (!isNumeric(a.table().type(column))) {
            throw a.fail("column", "metric " + metric + " needs a numeric column");
          }
          NumericStatsAnalyzer n = new NumericStatsAnalyzer(column);
          analyzer = n;
          value = st -> {
            NumericStatsAnalyzer.State s = st.of(n);
            return s.count == 0 ? null : switch (metric) {
              case "Minimum" -> s.min;
              case "Maximum" -> s.max;
              case "Mean" -> s.mean;
              case "Sum" -> s.sum;
              default -> s.populationStdDev();
            };
          };
        }
        case "Distinctness", "Uniqueness", "CountDistinct" -> {
          ValueGroupsAnalyzer g = new ValueGroupsAnalyzer(List.of(column), List.of(a.table().type(column)), false);
          analyzer = g;
          value = st -> {
            ValueGroupsAnalyzer.State s = st.of(g);
            return s.values == 0 ? null : metric.equals("CountDistinct") ? (double) s.distinct
                : metric.equals("Distinctness") ? s.distinct / (double) s.values : s.singletons / (double) s.values;
          };
        }
        default -> throw a.fail("metric", "unknown metric '" + metric + "' (expected Size, Completeness, Minimum, "
            + "Maximum, Mean, Sum, StandardDeviation, Distinctness, Uniqueness, CountDistinct)");
      }
    }
    MetricHistory history = a.table().history();
    String instance = column == null ? "*" : column;
    Expectation e = a.expectation();
    return new Compiled(e, List.of(analyzer), states -> {
      Double current = value.apply(states);
      if (current == null) {
        return ExpectationResult.of(e, true, Results.observed(null));
      }
      List<MetricHistory.Point> previous = history.previous(metric, instance, historySize);
      AnomalyStrategy.Verdict v = strategy.judge(current, previous);
      Map<String, Object> r = Results.observed(Results.number(current));
      Map<String, Object> details = new LinkedHashMap<>(v.details());
      details.put("metric", metric);
      details.put("instance", instance);
      details.put("anomaly", v.anomalous());
      r.put("details", details);
      return ExpectationResult.of(e, !v.anomalous(), r);
    });
  }

  private static Double optionalDouble(Args a, String name) {
    BigDecimal v = a.number(name, false);
    return v == null ? null : v.doubleValue();
  }

  private static double orDefault(Args a, String name, double fallback) {
    Double v = optionalDouble(a, name);
    return v == null ? fallback : v;
  }

  static CompiledExpectation fixed(Expectation e, boolean ok, Map<String, Object> result) {
    return new Compiled(e, List.of(), states -> ExpectationResult.of(e, ok, result));
  }

  /** An int or long column: compared exactly as longs (a double holds a long only up to 2^53). */
  static boolean isWhole(Type t) {
    return t.typeId() == Type.TypeID.INTEGER || t.typeId() == Type.TypeID.LONG;
  }

  static boolean isNumeric(Type t) {
    return switch (t.typeId()) {
      case INTEGER, LONG, FLOAT, DOUBLE, DECIMAL -> true;
      default -> false;
    };
  }

  /** A double or float column: pandas holds its values as Python floats (1.0, -0.0). */
  static boolean isFloating(Type t) {
    return t.typeId() == Type.TypeID.DOUBLE || t.typeId() == Type.TypeID.FLOAT;
  }

  static boolean isTemporal(Type t) {
    return t.typeId() == Type.TypeID.DATE || t.typeId() == Type.TypeID.TIMESTAMP;
  }

  /** The expectation on the rows its condition selects: every analyzer, of either scan, sees only those. */
  private static CompiledExpectation filteredBy(CompiledExpectation c, RowCondition condition) {
    List<Analyzer<?>> wrapped = c.analyzers().stream().<Analyzer<?>>map(an -> filtered(an, condition)).toList();
    return new CompiledExpectation() {
      @Override
      public Expectation config() {
        return c.config();
      }

      @Override
      public List<Analyzer<?>> analyzers() {
        return wrapped;
      }

      @Override
      public ExpectationResult evaluate(States states) {
        return c.evaluate(states.filtered(condition));
      }

      @Override
      public List<Analyzer<?>> secondPass(States first) {
        return c.secondPass(first.filtered(condition)).stream().<Analyzer<?>>map(an -> filtered(an, condition))
            .toList();
      }
    };
  }

  /** GX's BOOLEAN_ONLY: the result says nothing but success (errors still carry their exception_info). */
  private static CompiledExpectation booleanOnly(CompiledExpectation c) {
    return new CompiledExpectation() {
      @Override
      public Expectation config() {
        return c.config();
      }

      @Override
      public List<Analyzer<?>> analyzers() {
        return c.analyzers();
      }

      @Override
      public ExpectationResult evaluate(States states) {
        ExpectationResult r = c.evaluate(states);
        return r.exceptionInfo() != null ? r : ExpectationResult.of(c.config(), r.success(), new LinkedHashMap<>());
      }

      @Override
      public List<Analyzer<?>> secondPass(States first) {
        return c.secondPass(first);
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Analyzer<?> filtered(Analyzer<?> an, RowCondition condition) {
    return new io.dataops.quality.engine.FilteredAnalyzer(an, condition);
  }

  private static Analyzer<?> unwrapped(Analyzer<?> an) {
    return an instanceof io.dataops.quality.engine.FilteredAnalyzer<?> f ? f.inner() : an;
  }

  /** Every analyzer the compiled expectations need, once each (scan sharing). */
  public static List<Analyzer<?>> analyzers(Collection<CompiledExpectation> compiled) {
    Map<String, Analyzer<?>> byKey = new LinkedHashMap<>();
    for (CompiledExpectation c : compiled) {
      for (Analyzer<?> an : c.analyzers()) {
        Analyzer<?> existing = byKey.putIfAbsent(an.key(), an);
        if (existing != null && existing != an && unwrapped(existing) instanceof ValueGroupsAnalyzer shared
            && unwrapped(an) instanceof ValueGroupsAnalyzer duplicate) {
          // Two uniqueness expectations on the same columns: one analyzer reports rows for both.
          duplicate.listeners().forEach(shared::reportDuplicatesAs);
          shared.keepSamples(duplicate.sampleCap());
        }
      }
    }
    return new ArrayList<>(byKey.values());
  }
}
