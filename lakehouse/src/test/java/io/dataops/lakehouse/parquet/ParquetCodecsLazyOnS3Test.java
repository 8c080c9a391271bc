package io.dataops.lakehouse.parquet;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.testing.TestStorage;
import java.nio.file.Path;

/** {@link ParquetCodecsLazyTest} with the warehouse in a bucket (S3Proxy over HTTP, the warehouse's S3FileIO). */
class ParquetCodecsLazyOnS3Test extends ParquetCodecsLazyTest {
  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }
}
