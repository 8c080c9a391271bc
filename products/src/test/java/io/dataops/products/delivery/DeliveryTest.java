package io.dataops.products.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.AuditEvent;
import io.dataops.products.ProductFixture;
import io.dataops.products.registry.ProductVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A delivery reaches the partner's file only with its audit event recorded (metering counts deliveries from it). */
class DeliveryTest extends ProductFixture {
  @Test
  void aDeliveryWhoseEventCannotBeRecordedIsNotHandedOver() throws Exception {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    Path out = dir.resolve("partner/received/street-stats.csv");
    assertThatThrownBy(() -> new Delivery(lakehouse, registry, FULL).deliver(PRODUCT, v.version(), PARTNER, out))
        .hasMessageContaining("disk is full");
    assertThat(out).as("not handed over without its event").doesNotExist();
    assertThat(out.resolveSibling("street-stats.csv.part")).doesNotExist();

    Delivery.Result r = new Delivery(lakehouse, registry, audit).deliver(PRODUCT, v.version(), PARTNER, out);
    assertThat(r.rows()).isEqualTo(5);
    assertThat(Files.size(out)).isEqualTo(r.bytes());
    AuditEvent delivered = events.get(events.size() - 1);
    assertThat(delivered.action()).isEqualTo("product.deliver");
    assertThat(delivered.details()).containsEntry("bytes", r.bytes()).containsEntry("sha256", r.sha256());
  }
}
