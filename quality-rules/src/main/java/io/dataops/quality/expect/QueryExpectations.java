package io.dataops.quality.expect;

import io.dataops.core.BadInputException;
import io.dataops.core.SourceLineException;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.table.PreviewMask;
import io.dataops.quality.suite.SuiteException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * GX's unexpected_rows_expectation: success when {@code unexpected_rows_query}, with the batch as {@code {batch}},
 * gives no rows. The query is pipeline SQL, checked and run by the {@link RowsQueryEngine} the platform provides
 * (the SQL subset, a locked DuckDB over the snapshot's files). It runs once before the scan, over the table at the
 * snapshot being checked; its result is kept as GX keeps it (the first {@link #MAX_RESULT_RECORDS} rows, GX's
 * {@code fetchmany}), personal values masked.
 */
final class QueryExpectations {
  private QueryExpectations() {}

  /** GX's MAX_RESULT_RECORDS: the rows a query metric fetches, and so the most "unexpected rows" it can observe. */
  static final int MAX_RESULT_RECORDS = 200;

  static void register(Map<String, ExpectationCatalog.Factory> f) {
    f.put("unexpected_rows_expectation", QueryExpectations::unexpectedRows);
  }

  private static CompiledExpectation unexpectedRows(Args a, int index) {
    String query = a.string("unexpected_rows_query", true);
    if (!query.contains("{batch}")) {
      throw a.fail("unexpected_rows_query", "the query must read the batch as {batch} (no other table is open to it)");
    }
    if (a.has("row_condition")) {
      throw a.fail("row_condition", "row_condition is not applied to a query: put the condition in its WHERE");
    }
    String sql = query.replace("{batch}", "batch").replace("{{", "{").replace("}}", "}");
    RowsQueryEngine engine = ServiceLoader.load(RowsQueryEngine.class).findFirst().orElseThrow(() -> a.fail(
        "unexpected_rows_query", "no SQL engine is available in this process (the platform provides pipelines' "
            + "DuckDB)"));
    TableFacts t = a.table();
    int line = a.expectation().lineOf("unexpected_rows_query");
    RowsQueryEngine.Rows rows;
    Path spill = null;
    try {
      spill = io.dataops.core.files.ProcessScratch.newFolder("rows"); // raw rows: gone with the process at the latest
      // The batch is the department's data: the business columns, lineage columns (_feed_id, ...) left out.
      org.apache.iceberg.Schema business = new org.apache.iceberg.Schema(t.schema().columns().stream()
          .filter(c -> !c.name().startsWith("_")).toList());
      rows = engine.run(t.lakehouse().load(TableNames.parse(t.table())), t.snapshot(), business, "batch", sql,
          a.source(), line, MAX_RESULT_RECORDS, spill);
    } catch (SourceLineException outside) {
      String problem = outside.getMessage().substring(Math.min(outside.getMessage().length(),
          outside.source().length() + (outside.line() > 0 ? String.valueOf(outside.line()).length() + 3 : 2)));
      throw new SuiteException(outside.source(), outside.line(), a.expectation().type() + ": unexpected_rows_query: "
          + problem.replaceFirst("^transform: ", ""));
    } catch (BadInputException failed) {
      throw a.error("unexpected_rows_query", failed.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(spill);
    }
    long found = Math.min(rows.count(), MAX_RESULT_RECORDS);
    List<Object> shown = new ArrayList<>();
    for (List<Object> row : rows.rows()) {
      Map<String, Object> r = new LinkedHashMap<>();
      for (int i = 0; i < rows.columns().size(); i++) {
        String column = rows.columns().get(i);
        String kind = personalKind(t, rows.carried().getOrDefault(column, List.of()));
        Object v = row.get(i);
        // A column not carrying a personal one may still hold an ID or mobile number (probe: a note column's
        // "inj 110101199003071233" in every later feed's validation.json), and a cell may be 200 KB: as reports show.
        r.put(column, v == null ? null : kind != null ? Results.shown(String.valueOf(v), kind)
            : v instanceof String text ? Results.shortened(PreviewMask.maskIdentifiers(text))
            : v);
      }
      shown.add(r);
    }
    Map<String, Object> result = Results.observed(found + " unexpected " + (found == 1 ? "row" : "rows"));
    result.put("details", Map.of("unexpected_rows", shown));
    return ExpectationCatalog.fixed(a.expectation(), found == 0, result);
  }

  /** The personal-data kind of the first personal column an output column carries, or null. */
  private static String personalKind(TableFacts t, List<String> carried) {
    if (t.personal() == null) {
      return null;
    }
    return carried.stream().map(c -> t.personal().get(c)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
