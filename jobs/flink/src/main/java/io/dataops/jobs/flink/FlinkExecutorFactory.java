package io.dataops.jobs.flink;

import io.dataops.jobs.flink.sql.FlinkSql;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.plan.ExecutorEnvironment;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.products.publish.ProductPublisher;

/**
 * The Flink engine as the platform finds it (META-INF/services), after Spring Batch: versions published through the
 * products module's publisher, its settings from the platform's ({@link FlinkSettings}).
 */
public final class FlinkExecutorFactory implements PipelineExecutor.Factory {
  @Override
  public String engine() {
    return FlinkExecutor.ENGINE;
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public PipelineExecutor create(ExecutorEnvironment env) {
    return new FlinkExecutor(env.lakehouse(), env.service(ProductPublisher.class), env.workRoot(),
        FlinkSettings.of(env.settings()));
  }

  @Override
  public void warmUp() {
    WarmUp.start();
  }

  /** The transform must translate into Flink SQL with DuckDB's meaning; what cannot is refused at its line. */
  @Override
  public void validate(BoundPipeline pipeline) {
    FlinkSql.translate(pipeline);
  }
}
