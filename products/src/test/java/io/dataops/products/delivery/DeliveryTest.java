package io.dataops.products.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.AuditEvent;
import io.dataops.products.ProductFixture;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    try (var left = Files.list(out.getParent())) {
      assertThat(left).as("nothing half-written left").isEmpty();
    }

    Delivery.Result r = new Delivery(lakehouse, registry, audit).deliver(PRODUCT, v.version(), PARTNER, out);
    assertThat(r.rows()).isEqualTo(5);
    assertThat(Files.size(out)).isEqualTo(r.bytes());
    AuditEvent delivered = events.get(events.size() - 1);
    assertThat(delivered.action()).isEqualTo("product.deliver");
    assertThat(delivered.details()).containsEntry("bytes", r.bytes()).containsEntry("sha256", r.sha256());
  }

  /**
   * A version is handed over only while its operator may still provide it (the grant it was made under): asked before
   * the rows are written and again before the hand-over, each refusal a refused {@code product.deliver} event.
   */
  @Test
  void aVersionItsOperatorMayNoLongerProvideIsNotHandedOver() throws Exception {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    Path out = dir.resolve("partner/received/street-stats.csv");
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    DeliveryCheck.Verdict ended = DeliveryCheck.Verdict.refused("grant 7 was revoked", List.of(7L));
    int at = events.size();

    assertThatThrownBy(() -> new Delivery(lakehouse, registry, audit).checkingBeforeDelivery(x -> ended)
        .deliver(PRODUCT, v.version(), PARTNER, out)).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessage(v.label() + " is not delivered: grant 7 was revoked");
    assertThat(out.getParent()).as("nothing written").doesNotExist();

    // Live when the rows are written, revoked before the hand-over.
    assertThatThrownBy(() -> new Delivery(lakehouse, registry, audit).checkingBeforeDelivery(x ->
        asked.incrementAndGet() == 1 ? DeliveryCheck.Verdict.under(7) : ended)
        .deliver(PRODUCT, v.version(), PARTNER, out)).hasMessage(v.label() + " is not delivered: grant 7 was revoked");
    assertThat(asked).hasValue(2);
    assertThat(out).doesNotExist();
    try (var left = Files.list(out.getParent())) {
      assertThat(left).as("no part file left").isEmpty();
    }
    assertThat(events.subList(at, events.size())).hasSize(2).allSatisfy(e -> {
      assertThat(e.action()).isEqualTo("product.deliver");
      assertThat(e.outcome()).isEqualTo(AuditEvent.REFUSED);
      assertThat(e.objects()).contains("product:" + PRODUCT + "@" + v.version(), "grant:7");
      assertThat(e.details()).containsEntry("reason", "grant 7 was revoked").containsEntry("grants", List.of(7L))
          .containsEntry("via", "deliver");
    });

    Delivery.Result r = new Delivery(lakehouse, registry, audit)
        .checkingBeforeDelivery(x -> DeliveryCheck.Verdict.under(8)).deliver(PRODUCT, v.version(), PARTNER, out);
    assertThat(r.rows()).isEqualTo(5);
    assertThat(events.get(events.size() - 1).details()).as("the grant it was provided under").containsEntry("grant",
        8L);
  }

  /**
   * A seal between a delivery's last check and its event: the event was recorded for a version sealed meanwhile, so a
   * destruction after the seal could list the version's deliveries before it and certify without this copy. The
   * event is now recorded in one transaction with the version's state, and the delivery is refused once sealed.
   */
  @Test
  void aVersionSealedBetweenTheLastCheckAndTheEventIsNotHandedOver() throws Exception {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    Path out = dir.resolve("partner/received/street-stats.csv");
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    int at = events.size();
    // The check is the last thing asked before the event: the second time, the authority seals the version then.
    DeliveryCheck sealedRightAfter = x -> {
      if (asked.incrementAndGet() == 2) {
        assertThat(registry.move(PRODUCT, v.version(), VersionState.PUBLISHED, VersionState.SEALED, AUTHORITY,
            "authority", "end of life", null, audit, AuditEvent.ok("product.seal", List.of("product:" + PRODUCT + "@"
                + v.version()), java.util.Map.of()))).isTrue();
      }
      return DeliveryCheck.Verdict.under(7);
    };

    assertThatThrownBy(() -> new Delivery(lakehouse, registry, audit).checkingBeforeDelivery(sealedRightAfter)
        .deliver(PRODUCT, v.version(), PARTNER, out)).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessage(v.label() + " is sealed: only a published version is delivered");
    assertThat(asked).hasValue(2);
    assertThat(out).doesNotExist();
    assertThat(events.subList(at, events.size())).extracting(AuditEvent::action).as("no delivery event")
        .containsExactly("product.seal");
  }

  @Test
  void deliveriesToOneFileAtOnceEachWriteTheirOwnAndAllAreHandedOver() throws Exception {
    // Found by a probe: three `product deliver --out F` at once shared one scratch name; two ended in internal
    // errors after their events were recorded, and a delivery could truncate another's half-written file.
    ProductVersion v = publishedForPartners(dataFile(1, 2000));
    Path out = dir.resolve("partner/received/street-stats.csv");
    int at = events.size();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Delivery.Result>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit(() -> new Delivery(lakehouse, registry, audit).deliver(PRODUCT, v.version(), PARTNER,
            out)));
      }
      for (var r : results) {
        assertThat(r.get().rows()).isEqualTo(2000);
        assertThat(r.get().sha256()).isEqualTo(results.get(0).get().sha256());
      }
      assertThat(io.dataops.core.digest.Digests.toHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(out)))).isEqualTo(results.get(0).get().sha256());
    } finally {
      pool.shutdown();
    }
    try (var left = Files.list(out.getParent())) {
      assertThat(left).containsExactly(out);
    }
    assertThat(events.subList(at, events.size())).filteredOn(e -> e.action().equals("product.deliver"))
        .hasSize(4).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.OK));
    assertThat(events.subList(at, events.size())).filteredOn(e -> e.action().equals(Delivery.BEGUN)).hasSize(4);
  }

  /**
   * Found by a probe: the move of the written file over its name failed (an immutable file there) after the
   * delivery's event was recorded, so a delivery that never reached the partner was metered, billed and listed in the
   * destruction certificate. Here a folder appears at the name between the last check and the move.
   */
  @Test
  void aDeliveryWhoseFileCannotTakeItsNameIsRecordedAsFailedNotDelivered() throws Exception {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    Path out = dir.resolve("partner/received/street-stats.csv");
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    DeliveryCheck folderAppears = x -> {
      if (asked.incrementAndGet() == 2) { // the last check, after the rows are written
        try {
          Files.createDirectories(out.resolve("inside"));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return DeliveryCheck.Verdict.UNGOVERNED;
    };
    int at = events.size();

    assertThatThrownBy(() -> new Delivery(lakehouse, registry, audit).checkingBeforeDelivery(folderAppears)
        .deliver(PRODUCT, v.version(), PARTNER, out)).isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageContaining("cannot write the delivery").hasMessageContaining("it is a folder");
    List<AuditEvent> recorded = events.subList(at, events.size());
    assertThat(recorded).extracting(AuditEvent::action).containsExactly(Delivery.BEGUN, Delivery.ACTION);
    assertThat(recorded.get(1).outcome()).as("metering counts only deliveries that succeeded")
        .isEqualTo(AuditEvent.FAILED);
    assertThat(recorded.get(1).details()).containsEntry(Delivery.BEGUN_ID, recorded.get(0).details()
        .get(Delivery.BEGUN_ID)).containsEntry("reason", "it is a folder");
    DeliveredCopies.Fold fold = new DeliveredCopies.Fold();
    for (int i = 0; i < recorded.size(); i++) {
      fold.add(i + 1, "now", "wu-xia", recorded.get(i).action(), recorded.get(i).outcome(), recorded.get(i).details());
    }
    assertThat(fold.copies()).as("no copy for a certificate to list").isEmpty();
    try (var left = Files.list(out.getParent())) {
      assertThat(left).as("no part file left").containsExactly(out);
    }
  }

  /** Found by a probe: --out lnk/../x.csv was written beside lnk, where the OS goes up from where lnk leads. */
  @Test
  void aDotDotAfterALinkIsResolvedAsTheOsResolvesIt() throws Exception {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    Path far = Files.createDirectories(dir.resolve("far/inner"));
    Path near = Files.createDirectories(dir.resolve("near"));
    Files.createSymbolicLink(near.resolve("lnk"), far);
    Path typed = near.resolve("lnk/../x.csv");
    Delivery.Result r = new Delivery(lakehouse, registry, audit).deliver(PRODUCT, v.version(), PARTNER, typed);
    assertThat(r.file()).isEqualTo(dir.toRealPath().resolve("far/x.csv"));
    assertThat(Files.size(r.file())).isEqualTo(r.bytes());
    assertThat(near.resolve("x.csv")).doesNotExist();
  }

  /** The delivery's event cannot be recorded once the file has its name: the file goes (not handed over). */
  @Test
  void aDeliveryWhoseEventFailsAfterTheMoveIsRemoved() throws Exception {
    ProductVersion v = publishedForPartners(dataFile(1, 5));
    Path out = dir.resolve("partner/received/street-stats.csv");
    io.dataops.core.audit.AuditSink fullAfterBegun = e -> {
      if (e.action().equals(Delivery.ACTION)) {
        FULL.record(e);
      }
      audit.record(e);
    };
    assertThatThrownBy(() -> new Delivery(lakehouse, registry, fullAfterBegun).deliver(PRODUCT, v.version(), PARTNER,
        out)).hasMessageContaining("disk is full");
    assertThat(out).doesNotExist();
    AuditEvent begun = events.get(events.size() - 1);
    assertThat(begun.action()).isEqualTo(Delivery.BEGUN);
    // Its end not recorded: a certificate lists the begun delivery as a copy that may be outside (the side to err on).
    DeliveredCopies.Fold fold = new DeliveredCopies.Fold();
    fold.add(1, "now", "wu-xia", begun.action(), begun.outcome(), begun.details());
    assertThat(fold.copies()).singleElement().satisfies(c -> assertThat(c.via()).startsWith("deliver (unfinished"));
  }
}
