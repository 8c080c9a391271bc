package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.testing.PipelineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transform's database is locked to the pinned files (defence in depth: the SQL subset check refuses these at
 * validate time; here the engine refuses them even if a statement got through).
 */
class DuckLockTest extends PipelineFixture {
  static final String PIPELINE = """
      name: lock-test
      scenario: test
      owner: op
      inputs:
        - {table: ods.public_security__citizens, as: citizens, columns: [gender, district_code]}
      transform: SELECT gender, district_code FROM citizens
      product: lock-test
      """;

  @Test
  void theTransformReadsItsPinnedFilesAndNothingElse() throws Exception {
    landSample(SampleDataset.CITIZENS, 300, 300, 1);
    Path secret = Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");
    Path outside = dir.resolve("written.csv");
    BoundPipeline p = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(PIPELINE, "p.yaml"), dir);
    RunPlan plan = RunPlan.of(p, keys, "spring-batch", lakehouse);
    try (DuckTransform t = new DuckTransform(plan, dir.resolve("spill"), "256MB", 1);
         Statement s = t.connection().createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM citizens")) {
        r.next();
        assertThat(r.getLong(1)).as("the pinned input reads").isEqualTo(300);
      }
      for (String escape : List.of(
          "SELECT * FROM read_csv('" + secret + "')",
          "SELECT * FROM read_text('/etc/passwd')",
          "SELECT * FROM '" + secret + "'",
          "COPY (SELECT 1) TO '" + outside + "'",
          "ATTACH '" + dir.resolve("other.db") + "' AS other",
          "INSTALL httpfs",
          "LOAD httpfs",
          "SET enable_external_access = true",
          "SET allowed_paths = ['" + secret + "']",
          "SELECT * FROM glob('" + dir + "/*')")) {
        Throwable refused = catchThrowable(() -> {
          try (ResultSet r = s.executeQuery(escape)) {
            while (r.next()) {
              // reading would be the escape
            }
          }
        });
        assertThat(refused).as(escape).isNotNull();
      }
      assertThat(outside).as("COPY wrote nothing").doesNotExist();
      assertThat(dir.resolve("other.db")).as("ATTACH created nothing").doesNotExist();
    }
  }
}
