package io.dataops.quality.engine;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.testing.TestStorage;
import java.nio.file.Path;

/** Every case of {@link NullFreeFilesTest} with the table in a bucket (S3Proxy, Iceberg's S3FileIO): footers read over HTTP. */
class NullFreeFilesOnS3Test extends NullFreeFilesTest {
  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }
}
