package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.product.ProductServices;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code table show} of a version whose destruction stopped part-way (state destroying). */
class DestroyingVersionReadCliTest extends HomeCliTest {

  /**
   * Found by a probe: by its tag, which the destruction had removed, the version read as a tag never made ("has no
   * tag v1 (tags: none)"), while by its snapshot it was said to be being destroyed. Both now say the destruction is
   * unfinished and how to complete it.
   */
  @Test
  void aVersionBeingDestroyedIsSaidToBeByItsTagAsByItsSnapshot() throws Exception {
    DeliveryCliTest.granted(dir);
    ok(TestCast.OPERATOR, "pipeline", "run", dir.resolve("pipelines/income.yaml").toString());
    long snapshot = ok(TestCast.OPERATOR, "product", "show", "income-by-street", "1", "--json").json()
        .get("snapshotId").asLong();
    ok(TestCast.OPERATOR, "product", "submit", "income-by-street", "1");
    ok(TestCast.AUTHORITY, "product", "reject", "income-by-street", "1", "--reason", "not fit for release");
    PlatformConfig config = PlatformConfig.load(home(), env());
    try (Lakehouse lakehouse = Lakehouse.open(config.lakehouse())) {
      // As a destruction killed after the version's tag and files went: its certificate is not written yet.
      assertThatThrownBy(() -> ProductServices.of(config, lakehouse, AuditSink.NONE).destroyer().onStep(step -> {
        if (step.equals("archive-removed")) {
          throw new IllegalStateException("the process stops here");
        }
      }).destroy("income-by-street", 1, new Actor(TestCast.AUTHORITY, "bureau", Set.of("authority"))))
          .hasMessage("the process stops here");
    }
    String unfinished = "income-by-street v1 is being destroyed: its destruction is unfinished; run dataops product "
        + "destroy income-by-street 1 again to complete it";
    refused(TestCast.AUTHORITY, unfinished, "table", "show", "product.income_by_street", "--snapshot",
        String.valueOf(snapshot));
    refused(TestCast.AUTHORITY, unfinished, "table", "show", "product.income_by_street", "--tag", "v1");
    refused(TestCast.OPERATOR, unfinished, "table", "show", "product.income_by_street", "--tag", "v1");
    // A tag no version had is still said as such.
    assertThat(run(TestCast.AUTHORITY, "table", "show", "product.income_by_street", "--tag", "v9").err())
        .contains("has no tag v9");
    ok(TestCast.AUTHORITY, "product", "destroy", "income-by-street", "1");
    assertThat(run(TestCast.AUTHORITY, "table", "show", "product.income_by_street", "--tag", "v1").err())
        .as("once destroyed, as before").contains("has no tag v1");
  }
}
