package io.dataops.pipelines.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.types.ValueType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The constructs outside the subset both engines run, refused on DuckDB's own parse tree with the line they are on
 * (the transform starts at line 10 of p.yaml).
 */
class SqlSubsetTest {
  static final int FIRST_LINE = 10;
  Connection duck;
  final Map<String, Map<String, ValueType>> inputs = new LinkedHashMap<>();

  @BeforeEach
  void open() throws Exception {
    duck = DriverManager.getConnection("jdbc:duckdb:");
    Map<String, ValueType> citizens = new LinkedHashMap<>();
    citizens.put("id_card", ValueType.STRING);
    citizens.put("gender", ValueType.STRING);
    citizens.put("district_code", ValueType.STRING);
    citizens.put("monthly_income", ValueType.DECIMAL);
    inputs.put("citizens", citizens);
    inputs.put("contributions", Map.of("id_card", ValueType.STRING, "base_salary", ValueType.DECIMAL));
  }

  @AfterEach
  void close() throws Exception {
    duck.close();
  }

  private SqlSubset.Analysis analyze(String sql) {
    return SqlSubset.analyze(duck, "p.yaml", sql, FIRST_LINE, inputs);
  }

  @Test
  void theSubsetItselfPasses() {
    SqlSubset.Analysis a = analyze("""
        SELECT citizens.district_code, count(*) AS people, sum(contributions.base_salary) AS salaries
        FROM citizens LEFT JOIN contributions ON contributions.id_card = citizens.id_card
        WHERE citizens.gender IN ('M', 'F')
        GROUP BY citizens.district_code
        HAVING count(*) > 5""");
    assertThat(a.aggregates()).isTrue();
    assertThat(a.joins()).isTrue();
    assertThat(a.columns()).extracting(SqlSubset.OutputColumn::name).containsExactly("district_code", "people",
        "salaries");
  }

  @Test
  void limitIsRefused() {
    assertThatThrownBy(() -> analyze("SELECT gender\nFROM citizens\nLIMIT 10"))
        .isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:12: transform: LIMIT is not allowed: it makes the product depend on the order rows happen "
            + "to be read in");
    assertThatThrownBy(() -> analyze("SELECT gender FROM citizens\nLIMIT 10 PERCENT"))
        .hasMessageStartingWith("p.yaml:11: transform: LIMIT is not allowed");
  }

  @Test
  void withIsRefused() {
    assertThatThrownBy(() -> analyze("WITH men AS (SELECT * FROM citizens WHERE gender = 'M')\nSELECT gender FROM men"))
        .isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:10: transform: WITH is not in the subset both engines run: list the inputs and join them");
  }

  @Test
  void windowFunctionsAreRefusedAtTheirLine() {
    assertThatThrownBy(() -> analyze("SELECT gender,\n  count(*) OVER (PARTITION BY district_code) AS n\n"
        + "FROM citizens")).isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:11: transform: window functions are not in the subset both engines run");
    assertThatThrownBy(() -> analyze("SELECT gender,\n  row_number() OVER () AS n\nFROM citizens"))
        .hasMessage("p.yaml:11: transform: window functions are not in the subset both engines run");
    assertThatThrownBy(() -> analyze("SELECT gender\nFROM citizens\nQUALIFY count(*) OVER (PARTITION BY gender) > 1"))
        .hasMessageStartingWith("p.yaml:10: transform: QUALIFY and USING SAMPLE are not in the subset");
  }

  @Test
  void positionalGroupByIsRefused() {
    assertThatThrownBy(() -> analyze("SELECT district_code, count(*) AS people\nFROM citizens\nGROUP BY 1"))
        .isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:12: transform: GROUP BY names columns or expressions, not positions");
    assertThatThrownBy(() -> analyze("SELECT district_code, count(*) AS people\nFROM citizens\nGROUP BY ALL"))
        .hasMessage("p.yaml:10: transform: GROUP BY ALL is DuckDB's own: name the grouping columns");
  }

  @Test
  void tablesThatAreNotInputsAreRefused() {
    assertThatThrownBy(() -> analyze("SELECT citizens.gender\nFROM citizens\nJOIN salaries ON salaries.id = "
        + "citizens.id_card")).isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:12: transform: 'salaries' is not one of the pipeline's inputs (citizens, contributions)");
    assertThatThrownBy(() -> analyze("SELECT gender\nFROM ods.public_security__citizens"))
        .hasMessage("p.yaml:11: transform: refer to inputs by their names (citizens, contributions), not "
            + "'ods.public_security__citizens'");
    assertThatThrownBy(() -> analyze("SELECT *\nFROM read_parquet('/data/warehouse/ods/x.parquet')"))
        .hasMessageStartingWith("p.yaml:11: transform: FROM table function is not in the subset");
    assertThatThrownBy(() -> analyze("SELECT gender FROM citizens\nWHERE id_card IN (SELECT id_card FROM secrets)"))
        .hasMessageContaining("transform: subqueries are not in the subset");
    assertThatThrownBy(() -> analyze("SELECT secrets.gender\nFROM citizens"))
        .hasMessage("p.yaml:10: transform: 'secrets' is not one of the pipeline's inputs (citizens, contributions)");
  }
}
