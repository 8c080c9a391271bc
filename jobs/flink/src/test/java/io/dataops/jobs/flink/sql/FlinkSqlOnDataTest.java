package io.dataops.jobs.flink.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.definition.PipelineParser;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transforms translated by {@link FlinkSql} and run on Flink (a local batch table environment, one task, the rows in
 * order) give DuckDB's rows for the same SQL over the same rows, or both refuse: decimal overflow, -0.0 and 0.0, NaN.
 * Fast: no lakehouse, the input is a VALUES list on both.
 */
class FlinkSqlOnDataTest {
  static final String MAX = "999999999999999999999999999999999999.99";
  /** The input e (g, amt DECIMAL(38,2), d DOUBLE), in order. */
  static final List<Object[]> ROWS = List.of(
      new Object[] {"ov", MAX, 1.0}, new Object[] {"ov", MAX, 2.0},
      new Object[] {"a", "12.34", 0.0}, new Object[] {"a", "-0.01", -0.0}, new Object[] {"a", "100.00", -0.0},
      new Object[] {"a", null, 1.5}, new Object[] {"a", "7.00", Double.NaN}, new Object[] {"a", "7.00", -Double.NaN},
      new Object[] {"a", "1.00", null}, new Object[] {"nz", "1.00", -0.0}, new Object[] {"nz", "2.00", -0.0},
      new Object[] {"n", "3.00", Double.NaN}, new Object[] {"n", "4.00", Double.POSITIVE_INFINITY});
  static final Map<String, ColumnType> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("g", ColumnType.of(ValueType.STRING));
    COLUMNS.put("amt", ColumnType.decimal(38, 2));
    COLUMNS.put("d", ColumnType.of(ValueType.DOUBLE));
  }

  static Connection duck;
  static TableEnvironment flink;

  @BeforeAll
  static void open() throws SQLException {
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute("CREATE TABLE e (g VARCHAR, amt DECIMAL(38,2), d DOUBLE)");
      for (Object[] r : ROWS) {
        s.execute("INSERT INTO e VALUES (" + (r[0] == null ? "NULL" : "'" + r[0] + "'") + ", " + (r[1] == null
            ? "NULL" : r[1] + "::DECIMAL(38,2)") + ", " + (r[2] == null ? "NULL" : "'" + r[2] + "'::DOUBLE") + ")");
      }
    }
    Configuration conf = new Configuration();
    conf.setString("parallelism.default", "1");
    flink = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
    FlinkFunctions.register(flink);
    StringJoiner values = new StringJoiner(", ");
    for (Object[] r : ROWS) {
      values.add("(CAST(" + (r[0] == null ? "NULL" : "'" + r[0] + "'") + " AS STRING), CAST(" + (r[1] == null ? "NULL"
          : "'" + r[1] + "'") + " AS DECIMAL(38, 2)), CAST(" + (r[2] == null ? "NULL"
          : String.valueOf(Double.doubleToRawLongBits((Double) r[2]))) + " AS BIGINT))");
    }
    // A DOUBLE constant loses the sign of -0.0 in Flink's planner (its literals are decimals): the doubles are made
    // from their bits by a function the planner does not fold, as rows read from Iceberg are.
    flink.createTemporarySystemFunction("test_bits_to_double", BitsToDouble.class);
    flink.createTemporaryView(FlinkTransform.quote(FlinkTransform.rawName("e")), flink.sqlQuery("SELECT g, amt, "
        + "test_bits_to_double(bits) AS d FROM (VALUES " + values + ") AS t(g, amt, bits)"));
  }

  public static final class BitsToDouble extends org.apache.flink.table.functions.ScalarFunction {
    public Double eval(Long bits) {
      return bits == null ? null : Double.longBitsToDouble(bits);
    }

    @Override
    public boolean isDeterministic() {
      return false;
    }
  }

  @AfterAll
  static void close() throws SQLException {
    duck.close();
  }

  /** The rows DuckDB gives, each value as text (a DOUBLE with its sign of zero), sorted; or the error's first line. */
  static List<String> onDuckDb(String sql) {
    try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
          row.add(r.getObject(i));
        }
        rows.add(shown(row));
      }
      return rows.stream().sorted().toList();
    } catch (SQLException e) {
      return List.of("failed: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  static List<String> onFlink(String transform) {
    FlinkTransform t = FlinkSql.translate(bind(transform));
    flink.createTemporaryView(FlinkTransform.quote("e"), flink.sqlQuery(t.inputs().get(0).select()));
    try (CloseableIterator<Row> it = flink.sqlQuery(t.sql()).execute().collect()) {
      List<String> rows = new ArrayList<>();
      while (it.hasNext()) {
        Row r = it.next();
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < r.getArity(); i++) {
          row.add(r.getField(i));
        }
        rows.add(shown(row));
      }
      return rows.stream().sorted().toList();
    } catch (Exception e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof TransformDataException) {
          return List.of("failed: " + c.getMessage());
        }
      }
      throw new AssertionError("Flink failed otherwise: " + e, e);
    } finally {
      flink.dropTemporaryView(FlinkTransform.quote("e"));
    }
  }

  static String shown(List<Object> row) {
    StringJoiner j = new StringJoiner(" | ");
    for (Object v : row) {
      j.add(v == null ? "∅" : v instanceof BigDecimal d ? d.toPlainString() : v instanceof Number n
          && !(v instanceof Double) ? String.valueOf(n.longValue()) : v.toString());
    }
    return j.toString();
  }

  /** The pipeline of {@code transform} over e, its columns typed as DuckDB types them (as the validator does). */
  static BoundPipeline bind(String transform) {
    String yaml = "name: t\nscenario: test\nowner: op\ninputs:\n  - {table: ods.t, as: e, columns: [g, amt, d]}\n"
        + "transform: |\n  " + transform + "\nproduct: t\n";
    PipelineDefinition d = PipelineParser.parse(yaml, "p.yaml");
    List<BoundColumn> columns = new ArrayList<>();
    try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery("DESCRIBE " + transform)) {
      while (r.next()) {
        DType t = DType.parse(r.getString("column_type"));
        ColumnType c = switch (t.kind()) {
          case VARCHAR -> ColumnType.of(ValueType.STRING);
          case BIGINT -> ColumnType.of(ValueType.LONG);
          case INTEGER -> ColumnType.of(ValueType.INT);
          case DOUBLE -> ColumnType.of(ValueType.DOUBLE);
          case DECIMAL -> ColumnType.decimal(t.precision(), t.scale());
          case HUGEINT -> ColumnType.decimal(38, 0);
          case BOOLEAN -> ColumnType.of(ValueType.BOOLEAN);
          default -> throw new IllegalStateException("not in these tests: " + t);
        };
        columns.add(new BoundColumn(r.getString("column_name"), c, null, c, List.of(), List.of(), List.of(), 1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new BoundPipeline(d, List.of(new BoundInput("e", TableIdentifier.parse("ods.t"), 1L, COLUMNS, Map.of(),
        null)), transform, false, false, columns, null, null, null, List.of());
  }

  static void same(String transform) {
    List<String> reference = onDuckDb(transform);
    assertThat(onFlink(transform)).as(transform + "\nDuckDB: " + reference).isEqualTo(reference);
  }

  static void bothFail(String transform, String duckSays) {
    assertThat(onDuckDb(transform)).as("DuckDB").singleElement().asString().startsWith("failed: ")
        .contains(duckSays);
    assertThat(onFlink(transform)).as("Flink").singleElement().asString().startsWith("failed: ")
        .contains("Out of Range Error: Overflow in");
  }

  @Test
  void decimalOverflowFailsTheRunOnFlinkAsOnDuckDb() {
    bothFail("SELECT sum(amt) AS s FROM e WHERE g = 'ov'", "Overflow in HUGEINT addition");
    bothFail("SELECT g, sum(amt) AS s, count(*) AS n FROM e GROUP BY g", "Overflow in HUGEINT addition");
    bothFail("SELECT amt + amt AS s FROM e WHERE g = 'ov'", "Overflow in addition of DECIMAL(38)");
    bothFail("SELECT amt - (-amt) AS s FROM e WHERE g = 'ov'", "Overflow in subtract of DECIMAL(38)");
    bothFail("SELECT amt * 10 AS s FROM e WHERE g = 'ov'", "Overflow in multiplication of DECIMAL(38)");
    bothFail("SELECT amt * 1.0 AS s FROM e WHERE g = 'ov'", "Overflow in multiplication of DECIMAL(38)");
  }

  @Test
  void decimalsThatFitStayExactOnBoth() {
    same("SELECT g, sum(amt) AS s, count(*) AS n FROM e WHERE g <> 'ov' GROUP BY g");
    same("SELECT amt - amt AS z, amt * 1 AS one, amt - 0.01 AS minus, -amt + 0.01 AS negative FROM e "
        + "WHERE g = 'ov'");
    same("SELECT amt * amt AS sq, amt * amt * amt AS cube, amt + amt AS twice, amt * 3 - amt AS x FROM e "
        + "WHERE g <> 'ov'");
    same("SELECT sum(CAST(amt AS DECIMAL(20,10)) * CAST(amt AS DECIMAL(20,10))) AS s FROM e WHERE g <> 'ov'");
    // DuckDB: DECIMAL(38,12), then DECIMAL(38,22); Flink's own * would keep 6 places (its types cut the scale)
    same("SELECT g, amt * 1.0000000003 * 1.0000000003 AS p FROM e WHERE g <> 'ov'");
    same("SELECT g, sum(length(g)) AS sl, sum(CAST(amt AS INTEGER)) AS si FROM e WHERE g <> 'ov' GROUP BY g");
  }

  @Test
  void negativeZeroIsZeroInGroupsDistinctMinAndMaxAsOnDuckDb() {
    same("SELECT d, count(*) AS n, sum(amt) AS s FROM e WHERE g <> 'ov' GROUP BY d");
    same("SELECT g, d, count(*) AS n FROM e WHERE g <> 'ov' GROUP BY g, d");
    same("SELECT DISTINCT d FROM e WHERE g <> 'ov'");
    same("SELECT DISTINCT g, d FROM e WHERE g <> 'ov'");
    same("SELECT g, count(DISTINCT d) AS n, min(d) AS mn, max(d) AS mx, sum(d) AS s FROM e WHERE g <> 'ov' GROUP BY g");
    same("SELECT d * 2 AS d2, count(*) AS n FROM e WHERE g <> 'ov' GROUP BY d HAVING d >= 0");
    same("SELECT g, d FROM e WHERE g <> 'ov'");
    same("SELECT g, avg(d) AS a, sum(d) AS s FROM e WHERE g = 'nz' GROUP BY g");
  }

  @Test
  void comparisonsOfDoublesFollowDuckDbsOrderWithNan() {
    same("SELECT g, d, d > 0 AS pos, d = 0 AS zero, d = d AS self, d <> d AS other, d >= 1.5 AS big, "
        + "d < 1e308 AS finite, d IN (1.5, 0.0) AS listed, d NOT IN (1.5) AS unlisted, d BETWEEN 0 AND 2 AS between02, "
        + "d IS DISTINCT FROM d AS distinct_self FROM e WHERE g <> 'ov'");
    same("SELECT g, count(*) AS n FROM e WHERE d > 1 GROUP BY g");
    same("SELECT g, d, CASE WHEN d > 1e300 THEN 'big' ELSE 'small' END AS size, nullif(d, d) AS nothing FROM e "
        + "WHERE d >= 0 OR d IS NULL");
  }
}
