package io.dataops.jobs.flink;

import io.dataops.core.audit.Actor;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.desensitize.TestKeys;
import io.dataops.pipelines.plan.ExecutorEnvironment;
import io.dataops.pipelines.plan.Executors;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.registry.ProductRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pipeline run in its own JVM, for the tests that kill it: arguments home, pipeline file, work folder, keys file,
 * engine; the pause point comes as a system property ({@code dataops.test.pause-at}, see CommitPoint).
 */
public final class IncrementalChild {
  private IncrementalChild() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path pipeline = Path.of(args[1]);
    TestKeys keys = new TestKeys().with("default", EnginesFixture.DEFAULT_KEY).with("fpe", EnginesFixture.FPE_KEY);
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(home))) {
      String url = lh.config().catalogUri();
      var bound = new PipelineValidator(lh, keys).bind(PipelineParser.parse(pipeline), pipeline.getParent());
      PipelineExecutor e = Executors.create(args[4], new ExecutorEnvironment(lh, keys, Path.of(args[2]), url, null,
          null, Map.of("keys.file", args[3], "flink.parallelism", "2"), Map.of(ProductPublisher.class,
              ProductPublisher.ungated(lh, new ProductRegistry(url, null, null)))));
      e.run(RunPlan.of(bound, keys, e.engine(), lh), RunControl.of(Actor.SYSTEM));
    }
  }
}
