package io.dataops.products;

import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.registry.ProductRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A destruction in its own JVM, for the test that kills it: when the named step is done it leaves a marker and
 * waits, so the parent's SIGKILL lands right after that step.
 */
public final class DestroyChild {
  private DestroyChild() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    String product = args[1];
    int version = Integer.parseInt(args[2]);
    String stopAfter = args[3];
    Path marker = Path.of(args[4]);
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(home))) {
      ProductRegistry registry = new ProductRegistry(lh.config().catalogUri(), null, null);
      new Destroyer(lh, registry, AuditSink.NONE, home.resolve("archive"), home.resolve("certificates"))
          .onStep(step -> {
            if (step.equals(stopAfter)) {
              try {
                Files.writeString(marker, step);
                Thread.sleep(600_000);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }).destroy(product, version, ProductFixture.AUTHORITY);
    }
  }
}
