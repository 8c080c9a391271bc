package io.dataops.jobs.batch;

import io.dataops.pipelines.plan.ExecutorEnvironment;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.products.publish.ProductPublisher;

/**
 * The Spring Batch engine as the platform finds it (META-INF/services): its job repository in the platform database,
 * versions published through the products module's publisher. The default engine.
 */
public final class SpringBatchExecutorFactory implements PipelineExecutor.Factory {
  @Override
  public String engine() {
    return SpringBatchExecutor.ENGINE;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public PipelineExecutor create(ExecutorEnvironment env) {
    return new SpringBatchExecutor(env.lakehouse(), new BatchInfrastructure(env.databaseUrl(), env.databaseUser(),
        env.databasePassword()), env.service(ProductPublisher.class), env.keys(), env.workRoot(),
        RunSettings.defaults());
  }
}
