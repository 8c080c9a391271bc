package io.dataops.jobs.batch;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.nio.file.Path;

/**
 * {@link SpringBatchRestartTest} with the warehouse in a bucket, as {@link SpringBatchOnS3Test} runs the executor's
 * tests: a killed child's files are in object storage, read back from there by the run that resumes it.
 */
class SpringBatchRestartOnS3Test extends SpringBatchRestartTest {

  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return io.dataops.lakehouse.testing.TestStorage.onS3(home);
  }
}
