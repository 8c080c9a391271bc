package io.dataops.jobs.flink;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.testing.TestStorage;
import java.nio.file.Path;

/**
 * Both engines with the warehouse in a bucket (S3Proxy, Iceberg's S3FileIO): every equivalence of
 * {@link EquivalenceTest} holds there too; Flink reads and writes through the table's FileIO, Spring Batch's DuckDB
 * through the local read-through cache.
 */
class EquivalenceOnS3Test extends EquivalenceTest {
  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }
}
