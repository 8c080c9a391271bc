package io.dataops.quality.expect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.quality.engine.Batch;
import io.dataops.quality.engine.BoundedRegex;
import io.dataops.quality.engine.ColumnView;
import io.dataops.quality.engine.DistinctSampleAnalyzer;
import io.dataops.quality.engine.PythonRegex;
import io.dataops.quality.engine.RowCheck;
import io.dataops.quality.engine.ScanContext;
import io.dataops.quality.engine.SizeAnalyzer;
import io.dataops.quality.engine.TextOrder;
import io.dataops.quality.engine.ValueGroupsAnalyzer;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.suite.Expectation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.types.Type;

/**
 * Great Expectations core expectations beyond the first set: LIKE patterns, regular-expression lists, JSON text,
 * value pairs, values unique within a record, column types, the most common value and another table's row count.
 * Each is GX's semantics on our typed columns; differences are in the README.
 */
final class CoreExpectations {
  private CoreExpectations() {}

  static void register(Map<String, ExpectationCatalog.Factory> f) {
    f.put("expect_column_values_to_match_like_pattern", (a, i) -> like(a, i, "like_pattern", true));
    f.put("expect_column_values_to_not_match_like_pattern", (a, i) -> like(a, i, "like_pattern", false));
    f.put("expect_column_values_to_match_like_pattern_list", (a, i) -> like(a, i, "like_pattern_list", true));
    f.put("expect_column_values_to_not_match_like_pattern_list", (a, i) -> like(a, i, "like_pattern_list", false));
    f.put("expect_column_values_to_match_regex_list", (a, i) -> regexList(a, i, true));
    f.put("expect_column_values_to_not_match_regex_list", (a, i) -> regexList(a, i, false));
    f.put("expect_column_values_to_be_json_parseable", CoreExpectations::jsonParseable);
    f.put("expect_column_pair_values_to_be_in_set", CoreExpectations::pairInSet);
    f.put("expect_select_column_values_to_be_unique_within_record", CoreExpectations::uniqueWithinRecord);
    f.put("expect_column_values_to_be_of_type", (a, i) -> ofType(a, false));
    f.put("expect_column_values_to_be_in_type_list", (a, i) -> ofType(a, true));
    f.put("expect_column_most_common_value_to_be_in_set", CoreExpectations::mostCommon);
    f.put("expect_table_row_count_to_equal_other_table", CoreExpectations::otherTableRowCount);
    f.put("expect_column_values_to_be_increasing", (a, i) -> order(a, i, false));
    f.put("expect_column_values_to_be_decreasing", (a, i) -> order(a, i, true));
  }

  /** Each landed feed's place in the table's history: the sequence number of the snapshot that landed it. */
  private static Map<String, Long> feedOrder(TableFacts table) {
    Map<String, Long> order = new java.util.HashMap<>();
    if (table.snapshot() == null || table.lakehouse() == null) {
      return order;
    }
    org.apache.iceberg.Table t = table.lakehouse().load(io.dataops.lakehouse.catalog.TableNames.parse(table.table()));
    for (org.apache.iceberg.Snapshot s = table.snapshot(); s != null;
        s = s.parentId() == null ? null : t.snapshot(s.parentId())) {
      String feed = s.summary().get(io.dataops.lakehouse.landing.FeedTables.SUMMARY_FEED_ID);
      if (feed != null) {
        order.put(feed, s.sequenceNumber());
      }
    }
    return order;
  }

  // ---- order -------------------------------------------------------------------------------------------------

  /**
   * Each non-null value against the previous non-null one in row order (feeds as landed, then row numbers);
   * {@code strictly} forbids equal neighbours. Numbers, dates and timestamps.
   */
  private static CompiledExpectation order(Args a, int index, boolean decreasing) {
    String column = a.column("column");
    Type type = a.table().type(column);
    if (!ExpectationCatalog.isNumeric(type) && !ExpectationCatalog.isTemporal(type)) {
      throw a.error("column", "unsupported operand type(s) for -: the values of '" + column + "' (" + type
          + ") have no order GX can take differences of");
    }
    if (!a.table().hasColumn("_feed_id") || !a.table().hasColumn("_row_number")) {
      throw a.fail("column", "the row order is that of landed feeds (_feed_id, _row_number), which "
          + a.table().table() + " does not record");
    }
    boolean strictly = a.bool("strictly", false);
    double mostly = a.mostly();
    ResultFormat format = a.resultFormat();
    io.dataops.quality.engine.OrderAnalyzer analyzer = new io.dataops.quality.engine.OrderAnalyzer(index, column,
        decreasing, strictly, format.samplesNeeded(), feedOrder(a.table()));
    java.util.function.Function<String, Object> typed = ExpectationCatalog.typer(a, List.of(column));
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(analyzer), states -> {
      io.dataops.quality.engine.OrderAnalyzer.State s = states.of(analyzer);
      boolean ok = Results.mostlySuccess(s.considered(), s.unexpected, mostly);
      return ExpectationResult.of(e, ok, Results.map(format, s.rows, s.missing, s.unexpected, s.samples.list(),
          typed));
    });
  }

  // ---- patterns ----------------------------------------------------------------------------------------------

  /**
   * SQL LIKE: {@code %} any run of characters, {@code _} one character, the whole value must match (case-sensitive,
   * as PostgreSQL; GX has no pandas LIKE). A list matches on {@code any} (default) or {@code all} of its patterns;
   * "not" lists fail a value that matches any pattern.
   */
  private static CompiledExpectation like(Args a, int index, String key, boolean mustMatch) {
    String column = ExpectationCatalog.stringColumn(a, "column");
    List<String> patterns = key.equals("like_pattern") ? List.of(a.string(key, true)) : texts(a, key);
    if (patterns.isEmpty()) {
      throw a.error(key, "At least one like_pattern must be supplied in the like_pattern_list.");
    }
    boolean all = matchOnAll(a, mustMatch && key.endsWith("_list"));
    List<LikePattern> compiled = new ArrayList<>();
    for (String p : patterns) {
      try {
        compiled.add(new LikePattern(p));
      } catch (IllegalArgumentException e) {
        throw a.error(key, e.getMessage()); // PostgreSQL's error, which GX reports as the expectation's exception
      }
    }
    String reason = (mustMatch ? "does not match " : "matches ") + (all ? "all of " : "") + patterns;
    return ExpectationCatalog.map(a, index, List.of(column), RowChecks.simple(column, reason, (c, r) -> {
      String v = c.getString(r);
      boolean matched = all ? compiled.stream().allMatch(p -> p.matches(v))
          : compiled.stream().anyMatch(p -> p.matches(v));
      return matched == mustMatch;
    }));
  }

  /** GX's regex lists: each value (as text) searched with every pattern; any or all must match, or none. */
  private static CompiledExpectation regexList(Args a, int index, boolean mustMatch) {
    String column = a.column("column");
    List<String> regexes = texts(a, "regex_list");
    if (regexes.isEmpty()) {
      throw a.error("regex_list", "At least one regex must be supplied in the regex_list.");
    }
    boolean all = matchOnAll(a, mustMatch);
    List<BoundedRegex> compiled = new ArrayList<>();
    for (String r : regexes) {
      try {
        PythonRegex p = PythonRegex.compile(r); // GX (pandas) reads it with Python's re
        compiled.add(new BoundedRegex(p.pattern(), r));
      } catch (PythonRegex.Invalid e) {
        throw ExpectationCatalog.badPattern(a, "regex_list", e);
      }
    }
    String reason = (mustMatch ? "does not match " + (all ? "all of " : "any of ") : "matches one of ") + regexes;
    return ExpectationCatalog.map(a, index, List.of(column), RowChecks.simple(column, reason, (c, r) -> {
      String v = RowChecks.pythonText(c, r);
      boolean matched = all ? compiled.stream().allMatch(p -> p.find(v))
          : compiled.stream().anyMatch(p -> p.find(v));
      return matched == mustMatch;
    }));
  }

  private static boolean matchOnAll(Args a, boolean takesMatchOn) {
    if (!takesMatchOn) {
      return false;
    }
    String on = a.string("match_on", false);
    if (on != null && !on.equals("any") && !on.equals("all")) {
      throw a.fail("match_on", "match_on must be either 'any' or 'all'");
    }
    return "all".equals(on);
  }

  private static List<String> texts(Args a, String key) {
    List<Object> list = a.list(key, true);
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw a.fail(key, key + " must list text");
      }
      out.add(s);
    }
    return out;
  }

  // ---- JSON --------------------------------------------------------------------------------------------------

  /** Python's json.loads: one JSON value (a bare number, string, true or null too; NaN and Infinity accepted). */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static CompiledExpectation jsonParseable(Args a, int index) {
    String column = ExpectationCatalog.stringColumn(a, "column");
    return ExpectationCatalog.map(a, index, List.of(column), RowChecks.simple(column, "is not JSON", (c, r) -> {
      try {
        return !JSON.readTree(c.getString(r)).isMissingNode(); // Jackson reads "" as no value; json.loads raises
      } catch (java.io.IOException e) {
        return false;
      }
    }));
  }

  // ---- column pairs and records ------------------------------------------------------------------------------

  /**
   * The (A, B) value pairs must be listed in {@code value_pairs_set} (a null set: every pair passes). Rows are left
   * out by {@code ignore_row_if} (default both_values_are_missing); a null on one side is the pair (value, null).
   */
  private static CompiledExpectation pairInSet(Args a, int index) {
    String ca = a.column("column_A");
    String cb = a.column("column_B");
    String ignore = ExpectationCatalog.ignoreRowIf(a, "both_values_are_missing");
    List<Object> pairs = a.list("value_pairs_set", false);
    Type ta = a.table().type(ca);
    Type tb = a.table().type(cb);
    Set<List<Object>> allowed = new HashSet<>();
    if (pairs != null) {
      for (Object p : pairs) {
        if (!(p instanceof List<?> pair) || pair.size() != 2) {
          throw a.fail("value_pairs_set", "value_pairs_set lists [A, B] pairs");
        }
        allowed.add(java.util.Arrays.asList(ExpectationCatalog.typedKey(pair.get(0)),
            ExpectationCatalog.typedKey(pair.get(1))));
      }
    }
    return ExpectationCatalog.map(a, index, List.of(ca, cb), new RowCheck() {
      @Override
      public int check(Batch batch, int row) {
        ColumnView va = batch.column(ca);
        ColumnView vb = batch.column(cb);
        boolean na = va.isNull(row);
        boolean nb = vb.isNull(row);
        if ((na && nb && !ignore.equals("neither")) || ((na || nb) && ignore.equals("either_value_is_missing"))) {
          return MISSING;
        }
        if (pairs == null) {
          return OK;
        }
        List<Object> pair = java.util.Arrays.asList(na ? null : key(va, row, ta), nb ? null : key(vb, row, tb));
        return allowed.contains(pair) ? OK : UNEXPECTED;
      }

      @Override
      public String reason(Batch batch, int row) {
        return "the pair (" + ca + ", " + cb + ") is not one of the allowed pairs";
      }

      @Override
      public String shownValue(Batch batch, int row, ScanContext context) {
        return "(" + shown(batch, ca, row, context) + ", " + shown(batch, cb, row, context) + ")";
      }
    });
  }

  private static Object key(ColumnView c, int row, Type type) {
    return ExpectationCatalog.typedKey(ExpectationCatalog.typed(c.getString(row), type));
  }

  private static String shown(Batch batch, String column, int row, ScanContext context) {
    ColumnView c = batch.column(column);
    return c.isNull(row) ? "null" : context.display(column, c.getString(row));
  }

  /**
   * The listed columns hold different values in every row (pandas' nunique with dropna=False: two nulls are equal,
   * 1 and 1.0 are equal). Rows are left out by {@code ignore_row_if} (default all_values_are_missing).
   */
  private static CompiledExpectation uniqueWithinRecord(Args a, int index) {
    List<String> columns = a.columns("column_list");
    ValueGroupsAnalyzer.Ignore ignore = ExpectationCatalog.multicolumnIgnoreRowIf(a);
    List<Type> types = columns.stream().map(c -> a.table().type(c)).toList();
    return ExpectationCatalog.map(a, index, columns, new RowCheck() {
      @Override
      public int check(Batch batch, int row) {
        Set<Object> seen = new HashSet<>();
        int nulls = 0;
        boolean repeated = false;
        for (int i = 0; i < columns.size(); i++) {
          ColumnView c = batch.column(columns.get(i));
          Object v = c.isNull(row) ? null : key(c, row, types.get(i));
          nulls += v == null ? 1 : 0;
          repeated |= !seen.add(v == null ? NULL_KEY : v);
        }
        if (ignore.ignores(nulls, columns.size())) {
          return MISSING;
        }
        return repeated ? UNEXPECTED : OK;
      }

      @Override
      public String reason(Batch batch, int row) {
        return "a value repeats among " + String.join(", ", columns);
      }

      @Override
      public String shownValue(Batch batch, int row, ScanContext context) {
        StringBuilder sb = new StringBuilder("(");
        for (String c : columns) {
          sb.append(sb.length() > 1 ? ", " : "").append(shown(batch, c, row, context));
        }
        return sb.append(')').toString();
      }
    });
  }

  /** A null, equal to every other null of the record (pandas' nunique with dropna=False). */
  private static final Object NULL_KEY = new Object();

  // ---- types -------------------------------------------------------------------------------------------------

  /**
   * Type names as GX users write them for pandas, Spark and SQL backends, by our column type (case does not
   * matter). {@code int} and {@code float} are Python's: any whole or floating number.
   */
  static final Map<Type.TypeID, Set<String>> TYPE_NAMES = Map.of(
      Type.TypeID.STRING, Set.of("str", "string", "object", "stringtype", "varchar", "text", "char", "nvarchar",
          "character varying", "unicode"),
      Type.TypeID.INTEGER, Set.of("int", "int32", "integertype", "integer", "int4", "integral"),
      Type.TypeID.LONG, Set.of("int", "int64", "longtype", "bigint", "int8", "long", "integral"),
      Type.TypeID.DOUBLE, Set.of("float", "float64", "doubletype", "double", "double precision", "double_precision",
          "float8"),
      Type.TypeID.FLOAT, Set.of("float", "float32", "floattype", "real", "float4"),
      Type.TypeID.DECIMAL, Set.of("decimal", "decimaltype", "numeric"),
      Type.TypeID.BOOLEAN, Set.of("bool", "boolean", "booleantype", "bool_"),
      Type.TypeID.DATE, Set.of("date", "datetype", "datetime.date"),
      Type.TypeID.TIMESTAMP, Set.of("datetime64", "datetime64[ns]", "timestamp", "timestamptype", "timestampntztype",
          "datetime", "timestamp without time zone", "datetime.datetime"));

  /** GX's type expectations on our typed columns: the column's type is checked, not each value. */
  private static CompiledExpectation ofType(Args a, boolean list) {
    String column = a.column("column");
    a.mostly();
    List<String> wanted;
    if (list) {
      List<Object> given = a.list("type_list", false);
      wanted = given == null ? null : given.stream().map(String::valueOf).toList();
    } else {
      wanted = List.of(a.string("type_", true));
    }
    Type type = a.table().type(column);
    Set<String> names = TYPE_NAMES.getOrDefault(type.typeId(), Set.of());
    boolean ok = wanted == null || wanted.stream().anyMatch(w -> names.contains(w.strip().toLowerCase(Locale.ROOT)));
    Map<String, Object> r = Results.observed(type.toString());
    r.put("details", Map.of("accepted_type_names", new java.util.TreeSet<>(names)));
    return ExpectationCatalog.fixed(a.expectation(), ok, r);
  }

  // ---- aggregates --------------------------------------------------------------------------------------------

  /**
   * The most common value (every value sharing the highest count) is in {@code value_set}; with ties, only
   * {@code ties_okay} lets one of them be enough. Counted exactly for categorical columns (10,000 values at most).
   */
  private static CompiledExpectation mostCommon(Args a, int index) {
    String column = a.column("column");
    List<Object> set = a.list("value_set", false);
    boolean tiesOkay = a.bool("ties_okay", false);
    Type type = a.table().type(column);
    Set<Object> expected = new HashSet<>();
    for (Object o : set == null ? List.of() : set) {
      expected.add(ExpectationCatalog.memberKey(o, type));
    }
    String personal = a.table().personal() == null ? null : a.table().personal().get(column);
    DistinctSampleAnalyzer counts = new DistinctSampleAnalyzer(column, 10_000);
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(counts), states -> {
      DistinctSampleAnalyzer.State s = states.of(counts);
      if (s.overflowed) {
        return ExpectationResult.error(e, "the column has more than 10000 distinct values; the most common value is "
            + "counted for categorical columns");
      }
      Map<Object, Long> byValue = new TreeMap<>(TextOrder::compareText);
      // A value as first read: pandas' mode counts -0.0 and 0.0 as one value and shows the one it saw first.
      Map<Object, String> read = new HashMap<>();
      s.counts.forEach((v, n) -> {
        Object key = ExpectationCatalog.typedKey(ExpectationCatalog.typed(v, type));
        byValue.merge(key, n, Long::sum);
        read.putIfAbsent(key, v);
      });
      long top = byValue.values().stream().mapToLong(Long::longValue).max().orElse(0);
      List<Object> modes = new ArrayList<>();
      byValue.forEach((v, n) -> {
        if (n == top) {
          modes.add(v);
        }
      });
      long hits = modes.stream().filter(expected::contains).count();
      boolean ok = tiesOkay ? hits > 0 : modes.size() == 1 && hits == 1;
      return ExpectationResult.of(e, ok,
          Results.observed(modes.stream().map(v -> ExpectationCatalog.isFloating(type) && v instanceof BigDecimal
              ? Results.shown(Double.valueOf(read.get(v)), type, personal) : Results.shown(v, type, personal)).toList()));
    });
  }

  /**
   * Row counts of this table and {@code other_table_name} (at the snapshot the run reads it at, from Iceberg's own
   * count).
   */
  private static CompiledExpectation otherTableRowCount(Args a, int index) {
    String name = a.string("other_table_name", true);
    org.apache.iceberg.catalog.TableIdentifier other;
    try {
      other = io.dataops.lakehouse.catalog.TableNames.parse(name);
    } catch (io.dataops.core.BadInputException ex) {
      throw a.fail("other_table_name", ex.getMessage());
    }
    if (a.table().lakehouse() == null || !a.table().lakehouse().exists(other)) {
      throw a.fail("other_table_name", "table '" + name + "' does not exist");
    }
    org.apache.iceberg.Snapshot snapshot = a.table().referenceSnapshot(a.table().lakehouse().load(other), other);
    long otherRows = snapshot == null ? 0 : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(SizeAnalyzer.INSTANCE), states -> {
      long rows = states.of(SizeAnalyzer.INSTANCE).rows;
      Map<String, Object> observed = new LinkedHashMap<>();
      observed.put("self", rows);
      observed.put("other", otherRows);
      Map<String, Object> r = Results.observed(observed);
      r.put("details", Map.of("other_table", other.toString(), "other_snapshot_id",
          snapshot == null ? "none" : String.valueOf(snapshot.snapshotId())));
      return ExpectationResult.of(e, rows == otherRows, r);
    });
  }
}
