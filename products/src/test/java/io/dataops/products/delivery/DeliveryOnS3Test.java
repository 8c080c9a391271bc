package io.dataops.products.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.lakehouse.testing.TestStorage;
import io.dataops.products.ProductFixture;
import io.dataops.products.registry.ProductVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A delivery by presigned URL (S3Proxy over HTTP): the URL is handed out only with its audit event, and an object
 * whose event could not be recorded does not stay in the bucket.
 */
class DeliveryOnS3Test extends ProductFixture {
  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }

  private List<String> delivered(int version) {
    String prefix = Delivery.prefixOf(lakehouse.config().warehouse(), PRODUCT, version);
    try (S3Client s3 = S3Server.client()) {
      return s3.listObjectsV2(r -> r.bucket(ObjectStore.bucketOf(prefix)).prefix(ObjectStore.keyOf(prefix)))
          .contents().stream().map(S3Object::key).toList();
    }
  }

  @Test
  void aUrlWhoseEventCannotBeRecordedIsNotHandedOutAndItsObjectIsRemoved() {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    assertThatThrownBy(() -> new Delivery(lakehouse, registry, FULL).deliverByUrl(PRODUCT, v.version(), PARTNER,
        Duration.ofMinutes(5))).hasMessageContaining("disk is full");
    assertThat(delivered(v.version())).as("no object left without its event").isEmpty();

    Delivery.Presigned p = new Delivery(lakehouse, registry, audit).deliverByUrl(PRODUCT, v.version(), PARTNER,
        Duration.ofMinutes(5));
    assertThat(p.rows()).isEqualTo(5);
    assertThat(delivered(v.version())).containsExactly(ObjectStore.keyOf(p.object()));
    assertThat(events.get(events.size() - 1).details()).containsEntry("via", "presigned-url")
        .containsEntry("object", p.object());
  }

  /**
   * A seal killed right after its state move (before it could remove what was written meanwhile) leaves no URL of the
   * version working: a hand-out in flight waits for the seal's hand-out lock and is then refused, its object removed.
   * Before, its last check could pass between the seal's removal and its move, and the URL worked until it expired.
   */
  @Test
  void aUrlInFlightWhileASealMovesIsRefusedEvenWhenTheSealDiesAfterItsMove() throws Exception {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    java.util.concurrent.CompletableFuture<Delivery.Presigned> handout;
    // What Sealer does under the lock: remove the version's objects, move it to sealed; then it dies (the lock goes
    // with its process), so nothing after the move removes what a hand-out wrote meanwhile.
    try (var seal = registry.handouts(PRODUCT, v.version(), "sealing (a test)")) {
      handout = java.util.concurrent.CompletableFuture.supplyAsync(() -> new Delivery(lakehouse, registry, audit)
          .deliverByUrl(PRODUCT, v.version(), PARTNER, Duration.ofMinutes(5)));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (delivered(v.version()).isEmpty() && !handout.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(delivered(v.version())).as("the hand-out wrote its object").hasSize(1);
      Thread.sleep(500); // time enough for a last check that did not wait for the lock
      assertThat(handout).as("the hand-out waits for the seal's move").isNotDone();
      Delivery.removeObjects(lakehouse, PRODUCT, v.version()); // before its object was written: removes nothing
      assertThat(registry.move(PRODUCT, v.version(), v.state(), io.dataops.products.registry.VersionState.SEALED,
          AUTHORITY, "authority", null, null, audit, io.dataops.core.audit.AuditEvent.ok("product.seal",
              List.of("product:" + PRODUCT + "@" + v.version()), java.util.Map.of()))).isTrue();
    }
    assertThatThrownBy(() -> handout.get(60, java.util.concurrent.TimeUnit.SECONDS))
        .cause().isInstanceOf(io.dataops.core.AccessDeniedException.class).hasMessageContaining("is sealed");
    assertThat(delivered(v.version())).as("no object, so no URL of the sealed version works").isEmpty();
  }

  /** A grant that ends while the object is written stops the hand-out: no URL, no object, a refused event. */
  @Test
  void aUrlWhoseGrantEndsWhileItIsWrittenIsNotHandedOutAndItsObjectIsRemoved() {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    int at = events.size();
    assertThatThrownBy(() -> new Delivery(lakehouse, registry, audit).checkingBeforeDelivery(x ->
        asked.incrementAndGet() == 1 ? DeliveryCheck.Verdict.under(3)
            : DeliveryCheck.Verdict.refused("grant 3 expired", List.of(3L)))
        .deliverByUrl(PRODUCT, v.version(), PARTNER, Duration.ofMinutes(5)))
        .hasMessage(v.label() + " is not delivered: grant 3 expired");
    assertThat(asked).hasValue(2);
    assertThat(delivered(v.version())).as("the object written before the refusal is removed").isEmpty();
    assertThat(events.subList(at, events.size())).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(io.dataops.core.audit.AuditEvent.REFUSED);
      assertThat(e.details()).containsEntry("via", "presigned-url").containsEntry("reason", "grant 3 expired");
    });
  }
}
