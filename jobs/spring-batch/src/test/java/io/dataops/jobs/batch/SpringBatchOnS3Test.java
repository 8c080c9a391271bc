package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.storage.ReadThroughCache;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.lakehouse.testing.Tables;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.publish.ProductTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Spring Batch engine with the warehouse in a bucket (S3Proxy over HTTP, Iceberg's S3FileIO): DuckDB reads the
 * pinned files from the local read-through cache, the product is committed to the bucket, and its rows equal those of
 * the same run on a local warehouse.
 */
class SpringBatchOnS3Test extends SpringBatchExecutorTest {

  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return io.dataops.lakehouse.testing.TestStorage.onS3(home);
  }

  @Test
  void theProductOnS3EqualsTheProductOfALocalWarehouse() throws Exception {
    RunSettings small = new RunSettings("256MB", 2, 1 << 20, 500, 1000);
    PipelineRunResult onS3 = executor(small).run(bind(PROFILE));
    assertThat(lakehouse.load(ProductTables.id("citizens-profile")).location()).startsWith("s3://");
    Path cache = Path.of(lakehouse.config().extra().get(ReadThroughCache.DIR));
    try (Stream<Path> entries = Files.list(cache)) {
      List<String> names = entries.map(p -> p.getFileName().toString()).toList();
      List<String> copies = names.stream().filter(n -> !n.equals(".swept") && !n.endsWith(".location")).toList();
      assertThat(copies).as("DuckDB read local copies of the pinned files")
          .isNotEmpty().allMatch(n -> n.matches("[0-9a-f]{32}-\\d+\\.parquet"));
      assertThat(names).as("each copy has its object's location beside it, for the cache's sweep")
          .containsAll(copies.stream().map(n -> n + ".location").toList());
    }
    List<String> s3Rows = sortedRows(lakehouse);
    Path home = dir.resolve("home"); // with the catalog on PostgreSQL nothing at all is written there
    try (Stream<Path> under = Files.exists(home) ? Files.walk(home) : Stream.empty()) {
      assertThat(under.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .as("no data file under the home (the database, and the products' locks beside it)")
          .allMatch(n -> n.startsWith("catalog.db") || n.matches("[0-9a-f]{32}\\.lock"));
    }

    Lakehouse s3 = lakehouse;
    lakehouse = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("local-home")));
    try {
      landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
      PipelineRunResult local = executor(small).run(bind(PROFILE));
      assertThat(local.rowsOut()).isEqualTo(onS3.rowsOut());
      assertThat(local.rowsSuppressed()).isEqualTo(onS3.rowsSuppressed());
      assertThat(sortedRows(lakehouse)).isEqualTo(s3Rows);
    } finally {
      lakehouse.close();
      lakehouse = s3;
    }
  }

  private static List<String> sortedRows(Lakehouse lh) {
    return Tables.rows(lh.load(ProductTables.id("citizens-profile"))).stream().map(Object::toString)
        .sorted(Comparator.naturalOrder()).toList();
  }
}
