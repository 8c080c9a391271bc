package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.jobs.flink.sql.FlinkSql;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.ReadGrant;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.run.PipelineRunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads under a grant, on both engines from the one run plan: the reader keeps only the rows the grant's row filter
 * allows although the pipeline does not repeat it (Flink: pushed down to Iceberg's reader as far as it converts, and
 * evaluated on every row), reads a column the filter needs without giving it to the transform, and the plan refuses —
 * before anything is read — a column the grant does not give and every escape through the filter text.
 */
class GrantedReadsTest extends EnginesFixture {
  static final String CITIZENS = "ods.public_security__citizens";
  static final String PIPELINE = """
      name: granted
      scenario: test
      owner: op
      inputs:
        - {table: ods.public_security__citizens, as: citizens, columns: [district_code, monthly_income]}
      transform: SELECT district_code, count(*) AS people FROM citizens GROUP BY district_code
      product: granted
      """;
  static final List<String> GRANTED = List.of("district_code", "monthly_income");

  @BeforeEach
  void land() throws Exception {
    landSample(SampleDataset.CITIZENS, 600, 600, 3);
  }

  PipelineRunResult run(String engine, BoundPipeline p, List<ReadGrant> grants) {
    PipelineExecutor e = executor(engine, engine.equals("flink") ? Map.of("flink.parallelism", "2") : Map.of());
    return e.run(RunPlan.of(p, keys, e.engine(), lakehouse, grants), RunControl.of(Actor.SYSTEM));
  }

  /** People per sub-district among the rows of the ods table that {@code women} selects, read from Iceberg. */
  Map<List<Object>, Integer> expected(boolean women) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(lakehouse.load(
        org.apache.iceberg.catalog.TableIdentifier.parse(CITIZENS))).build()) {
      for (Record r : rows) {
        if (!women || "F".equals(r.getField("gender"))) {
          counts.merge((String) r.getField("district_code"), 1L, Long::sum);
        }
      }
    }
    Map<List<Object>, Integer> out = new HashMap<>();
    counts.forEach((d, n) -> out.put(List.of(d, n), 1));
    return out;
  }

  @Test
  void theGrantsRowFilterRemovesRowsOnBothEnginesThoughThePipelineDoesNotRepeatIt() throws Exception {
    BoundPipeline p = bind(PIPELINE);
    // gender is not an input column: the reader reads it to filter and the transform never sees it; the second
    // condition does not convert to an Iceberg expression, so Flink evaluates it on the rows themselves.
    List<ReadGrant> grant = List.of(new ReadGrant(7, CITIZENS, GRANTED,
        "gender = 'F' AND char_length(district_code) = 12"));
    Map<List<Object>, Integer> women = expected(true);
    assertThat(women).isNotEqualTo(expected(false));

    PipelineRunResult batch = run("spring-batch", p, grant);
    assertThat(rows(batch)).as("Spring Batch kept only the granted rows").isEqualTo(women);
    PipelineRunResult flink = run("flink", p, grant);
    assertThat(rows(flink)).as("Flink kept only the granted rows").isEqualTo(women);

    RunPlan plan = RunPlan.of(p, keys, "flink", lakehouse, grant);
    assertThat(plan.grantId()).isEqualTo(7L);
    var view = FlinkSql.translate(plan).inputs().get(0);
    assertThat(view.readColumns()).containsExactly("district_code", "monthly_income", "gender");
    assertThat(view.pushdown().toString()).as("pushed down to Iceberg's reader").contains("gender").contains("F")
        .doesNotContain("district_code");
    assertThat(view.select()).contains("`gender`").contains("dataops_length");
  }

  @Test
  void aColumnOrATableTheGrantDoesNotGiveIsRefusedBeforeAnythingIsRead() {
    BoundPipeline p = bind(PIPELINE);
    for (String engine : List.of("spring-batch", "flink")) {
      Throwable column = catchThrowable(() -> RunPlan.of(p, keys, engine, lakehouse,
          List.of(new ReadGrant(7, CITIZENS, List.of("district_code"), null))));
      // at the file's line of the input's columns (of the input for its table), as the file's other refusals
      String file = p.definition().source() + ":";
      assertThat(column).as(engine).isInstanceOf(BadInputException.class).hasMessage(file
          + p.definition().inputs().get(0).columnsLine() + ": column 'monthly_income' of " + CITIZENS
          + " is not granted by grant 7 (granted: district_code)");
      Throwable table = catchThrowable(() -> RunPlan.of(p, keys, engine, lakehouse,
          List.of(new ReadGrant(7, "ods.market_regulation__enterprises", GRANTED, null))));
      assertThat(table).as(engine).isInstanceOf(BadInputException.class).hasMessage(file
          + p.definition().inputs().get(0).line() + ": table " + CITIZENS
          + " is not covered by the run's grant 7: the operator applies for it");
    }
    assertThat(registry().byRunKey(RunPlan.of(p, keys, "flink", lakehouse).runKey())).isEmpty();
  }

  @Test
  void everyEscapeThroughTheFilterTextIsRefusedBeforeAnythingIsReadOnBothEngines() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");
    Path out = dir.resolve("written.csv");
    Path db = dir.resolve("other.db");
    List<String> escapes = List.of(
        "gender IN (SELECT gender FROM citizens)",
        "EXISTS (SELECT 1 FROM read_csv('" + secret + "'))",
        "(SELECT count(*) FROM '" + secret + "') > 0",
        "read_text('" + secret + "') IS NOT NULL",
        "query('SELECT 1') IS NOT NULL",
        "length(getenv('HOME')) > 0",
        "current_setting('allowed_paths') IS NOT NULL",
        "gender = 'F'; COPY (SELECT 1) TO '" + out + "'",
        "gender = 'F'; ATTACH '" + db + "' AS other",
        "gender = 'F'; SET enable_external_access = true",
        "gender = 'F'; INSTALL httpfs",
        "gender = 'F'; LOAD httpfs",
        "gender = 'F' -- the rest is a comment\n; COPY (SELECT 1) TO '" + out + "'",
        "gender = 'F' /* a comment */; ATTACH '" + db + "' AS other",
        "gender = 'F') OR (1 = 1",
        "gender = 'F' UNION SELECT 1",
        "gender = 'F' ORDER BY 1");
    BoundPipeline p = bind(PIPELINE);
    for (String engine : List.of("spring-batch", "flink")) {
      for (String escape : escapes) {
        Throwable grant = catchThrowable(() -> RunPlan.of(p, keys, engine, lakehouse,
            List.of(new ReadGrant(7, CITIZENS, List.of("district_code", "monthly_income", "gender"), escape))));
        assertThat(grant).as(engine + ": " + escape).isInstanceOf(BadInputException.class)
            .hasMessageStartingWith("the row filter of grant 7 on " + CITIZENS + " is refused, nothing was read: ");
        // the same text as the pipeline's own filter is refused when the pipeline is bound, before any plan
        String withFilter = PIPELINE.replace("columns: [district_code, monthly_income]}",
            "columns: [district_code, monthly_income, gender], filter: \"" + escape.replace("\\", "\\\\")
                .replace("\"", "\\\"").replace("\n", "\\n") + "\"}");
        Throwable input = catchThrowable(() -> bind(withFilter));
        assertThat(input).as(engine + " input filter: " + escape).isInstanceOf(BadInputException.class)
            .hasMessageStartingWith("p.yaml:");
      }
    }
    assertThat(out).as("COPY wrote nothing").doesNotExist();
    assertThat(db).as("ATTACH created nothing").doesNotExist();
  }
}
