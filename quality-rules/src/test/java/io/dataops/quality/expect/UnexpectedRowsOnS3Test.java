package io.dataops.quality.expect;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.testing.TestStorage;
import java.nio.file.Path;

/** Every case of {@link UnexpectedRowsTest} with the table in a bucket (S3Proxy, Iceberg's S3FileIO). */
class UnexpectedRowsOnS3Test extends UnexpectedRowsTest {
  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }
}
