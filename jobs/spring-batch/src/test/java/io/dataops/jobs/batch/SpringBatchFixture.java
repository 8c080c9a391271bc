package io.dataops.jobs.batch;

import io.dataops.core.audit.Actor;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.pipelines.testing.PipelineFixture;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the Spring Batch engine's test classes share: the profile pipeline, the landed citizens, the executor as the
 * platform uses it, the registry, and the job repository's rows. The tests are split in two classes
 * ({@link SpringBatchExecutorTest}, {@link SpringBatchRestartTest}) so that the module's two test JVMs share them.
 */
abstract class SpringBatchFixture extends PipelineFixture {
  @BeforeEach
  void landData() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
  }

  BoundPipeline bind(String yaml) {
    return new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(yaml, "p.yaml"), dir);
  }

  /** The executor as the platform uses it: through the engine-neutral interface, with the plan of a pipeline. */
  record Engine(PipelineExecutor executor, SpringBatchFixture test) {
    PipelineRunResult run(BoundPipeline p) {
      return executor.run(RunPlan.of(p, test.keys, executor.engine(), test.lakehouse), RunControl.of(Actor.SYSTEM));
    }
  }

  Engine executor(RunSettings settings) {
    String url = lakehouse.config().catalogUri();
    return through(new SpringBatchExecutor(lakehouse, new BatchInfrastructure(url, lakehouse.config().catalogUser(), lakehouse.config().catalogPassword()),
        ProductPublisher.ungated(lakehouse, registry()), keys, dir.resolve("work"), settings));
  }

  /** The registry in the lakehouse's catalog database (with its credentials on PostgreSQL). */
  ProductRegistry registry() {
    return new ProductRegistry(lakehouse.config().catalogUri(), lakehouse.config().catalogUser(), lakehouse.config().catalogPassword());
  }

  Engine through(PipelineExecutor executor) {
    return new Engine(executor, this);
  }

  /** Each row's columns joined by a space, of a query of the job repository given the job's name. */
  List<String> repositoryRows(String sql, String job) throws Exception {
    var config = lakehouse.config();
    try (var c = io.dataops.core.db.PlatformDatabase.connect(config.catalogUri(),
            io.dataops.core.db.PlatformDatabase.prepare(config.catalogUri(), config.catalogUser(),
                config.catalogPassword()));
        var s = c.prepareStatement(sql)) {
      s.setString(1, job);
      List<String> out = new java.util.ArrayList<>();
      try (var r = s.executeQuery()) {
        int columns = r.getMetaData().getColumnCount();
        while (r.next()) {
          StringBuilder row = new StringBuilder(r.getString(1));
          for (int i = 2; i <= columns; i++) {
            row.append(' ').append(r.getString(i));
          }
          out.add(row.toString());
        }
      }
      return out;
    }
  }

}
