package io.dataops.jobs.batch;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.desensitize.TestKeys;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.registry.ProductRegistry;
import java.nio.file.Path;

/**
 * A pipeline run in its own JVM, for the tests that kill it (or run two at once): {@link HeldChild} holds its threads
 * at exact points of the code, so the parent's SIGKILL lands where the test says.
 */
public final class SpringBatchChild {
  static final RunSettings SETTINGS = new RunSettings("256MB", 2, 1 << 20, 100, 200);

  private SpringBatchChild() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path pipeline = Path.of(args[1]);
    Path work = Path.of(args[2]);
    TestKeys keys = new TestKeys().with("default", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        .with("fpe", "2B7E151628AED2A6ABF7158809CF4F3C");
    try (Lakehouse lh = Lakehouse.open(io.dataops.lakehouse.testing.TestStorage.inChild(home))) {
      String url = lh.config().catalogUri();
      var bound = new PipelineValidator(lh, keys).bind(PipelineParser.parse(pipeline), pipeline.getParent());
      SpringBatchExecutor executor = new SpringBatchExecutor(lh, new BatchInfrastructure(url, lh.config().catalogUser(), lh.config().catalogPassword()),
          ProductPublisher.ungated(lh, new ProductRegistry(url, lh.config().catalogUser(), lh.config().catalogPassword())), keys, work, SETTINGS);
      executor.run(executor.plan(bound), new io.dataops.pipelines.plan.RunControl(io.dataops.core.audit.Actor.SYSTEM,
          rows -> { }));
    }
  }
}
