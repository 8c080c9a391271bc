package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.audit.Actor;
import io.dataops.lakehouse.storage.Documents;
import io.dataops.products.delivery.DeliveredCopy;
import io.dataops.products.delivery.Delivery;
import io.dataops.products.destroy.DestructionCertificate.CopiesOutside;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.Sealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A destruction removes what the platform holds, never the copies partners took away: its certificate lists each
 * delivery of the version and says they are not destroyed (or that none was made), and each organization that
 * received the version is sent one notice to delete them.
 */
class DestroyCopiesOutsideTest extends ProductFixture {
  private static final Actor OTHER_PARTNER = new Actor("petra", "nanshan-partner", Set.of("partner"));

  private final TestTrail trail = new TestTrail();
  private Lifecycle lifecycle;

  @BeforeEach
  void modules() {
    lifecycle = new Lifecycle(lakehouse, registry, audit);
  }

  private Path outbox() {
    return dir.resolve("home/outbox");
  }

  private Destroyer destroyer() {
    return new Destroyer(lakehouse, registry, trail.as(AUTHORITY), archiveRoot(), certificates())
        .copiesOutside(trail, Documents.local(outbox()));
  }

  private void release(int n) {
    lifecycle.submit(PRODUCT, n, OPERATOR);
    lifecycle.approve(PRODUCT, n, AUTHORITY, null);
    lifecycle.publish(PRODUCT, n, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open licence");
  }

  /** Version 1 (30 rows) delivered by {@code deliveries} while published, then superseded by version 2 and sealed. */
  private List<Delivery.Result> sealedAfter(Actor... deliveries) {
    publish(false, dataFile(1, 30));
    release(1);
    List<Delivery.Result> out = new ArrayList<>();
    for (Actor partner : deliveries) {
      out.add(new Delivery(lakehouse, registry, trail.as(partner)).deliver(PRODUCT, 1, partner,
          dir.resolve(partner.organization() + "/received/street-stats.csv")));
    }
    publish(false, dataFile(31, 60));
    release(2);
    new Delivery(lakehouse, registry, trail.as(PARTNER)).deliver(PRODUCT, 2, PARTNER, dir.resolve("v2.csv"));
    new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, 1, AUTHORITY);
    return out;
  }

  private List<Path> notices() throws Exception {
    if (!Files.exists(outbox())) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(outbox())) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void theCertificateListsEveryDeliveryOfTheVersionAndEachPartnerIsToldToDeleteItsCopies() throws Exception {
    List<Delivery.Result> delivered = sealedAfter(PARTNER, OTHER_PARTNER);

    Destroyer.Result r = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    CopiesOutside outside = r.certificate().copiesOutside();
    assertThat(outside.deliveries()).as("both deliveries of v1, not the one of v2").hasSize(2);
    assertThat(outside.deliveries()).extracting(DeliveredCopy::organization, DeliveredCopy::user, DeliveredCopy::via,
        DeliveredCopy::rows, DeliveredCopy::bytes, DeliveredCopy::sha256).containsExactly(
        org.assertj.core.groups.Tuple.tuple("shenzhen-partner", "paul", "deliver", 30L, delivered.get(0).bytes(),
            delivered.get(0).sha256()),
        org.assertj.core.groups.Tuple.tuple("nanshan-partner", "petra", "deliver", 30L, delivered.get(1).bytes(),
            delivered.get(1).sha256()));
    assertThat(outside.statement()).startsWith("2 deliveries of this version to 2 organizations left the platform")
        .contains("NOT removed by this destruction");
    assertThat(outside.organizationsNotified()).containsExactly("nanshan-partner", "shenzhen-partner");

    JsonNode json = new ObjectMapper().readTree(Path.of(r.json()).toFile());
    assertThat(json.at("/copiesOutside/deliveries")).hasSize(2);
    assertThat(json.at("/copiesOutside/deliveries/0/sha256").asText()).isEqualTo(delivered.get(0).sha256());
    assertThat(json.at("/copiesOutside/deliveries/1/rows").asLong()).isEqualTo(30);
    assertThat(json.at("/copiesOutside/deliveries/0").has("file")).as("no path of the partner's machine").isFalse();
    assertThat(io.dataops.core.digest.Digests.hex(io.dataops.core.digest.DigestAlgorithm.SM3,
        Files.readAllBytes(Path.of(r.json())))).as("the digest audited is the JSON's, deliveries included")
        .isEqualTo(r.certificateDigest());
    String html = Files.readString(Path.of(r.html()));
    assertThat(html).contains("Copies outside the platform", delivered.get(1).sha256(), "nanshan-partner",
        "NOT removed by this destruction");

    assertThat(notices()).containsExactly(
        outbox().resolve("nanshan-partner/notices/street-stats-v1-destroyed.json"),
        outbox().resolve("shenzhen-partner/notices/street-stats-v1-destroyed.json"));
    JsonNode notice = new ObjectMapper().readTree(notices().get(1).toFile());
    assertThat(notice.get("to").asText()).isEqualTo("shenzhen-partner");
    assertThat(notice.get("certificateDigest").asText()).isEqualTo(r.certificateDigest());
    assertThat(notice.get("message").asText()).contains("was destroyed on " + r.certificate().finishedAt()
        .substring(0, 10), "please delete them");
    assertThat(notice.get("deliveries")).hasSize(1);
    assertThat(notice.at("/deliveries/0/sha256").asText()).isEqualTo(delivered.get(0).sha256());

    assertThat(trail.of(Destroyer.NOTICE_ACTION)).extracting(e -> e.details().get("organization"))
        .containsExactly("nanshan-partner", "shenzhen-partner");
    assertThat(trail.of("product.destroy")).singleElement().satisfies(e -> assertThat(e.details())
        .containsEntry("copiesOutside", 2)
        .containsEntry("organizationsNotified", List.of("nanshan-partner", "shenzhen-partner")));
  }

  @Test
  void aVersionNeverDeliveredHasACertificateSayingSoAndNoNotice() throws Exception {
    sealedAfter();

    Destroyer.Result r = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    assertThat(r.certificate().copiesOutside().deliveries()).isEmpty();
    assertThat(r.certificate().copiesOutside().statement()).startsWith("no delivery of this version was made");
    assertThat(new ObjectMapper().readTree(Path.of(r.json()).toFile()).at("/copiesOutside/statement").asText())
        .startsWith("no delivery of this version was made");
    assertThat(Files.readString(Path.of(r.html()))).contains("no delivery of this version was made");
    assertThat(notices()).isEmpty();
    assertThat(trail.of(Destroyer.NOTICE_ACTION)).isEmpty();
  }

  @Test
  void aDestructionStoppedAfterItsNoticesNotifiesEachPartnerOnceWhenRunAgain() throws Exception {
    sealedAfter(PARTNER, OTHER_PARTNER, PARTNER);

    assertThatThrownBy(() -> destroyer().onStep(step -> {
      if (step.equals("notified")) {
        throw new IllegalStateException("stopped after " + step);
      }
    }).destroy(PRODUCT, 1, AUTHORITY)).hasMessage("stopped after notified");
    assertThat(version(1).state()).isEqualTo(VersionState.DESTROYING);
    assertThat(trail.of(Destroyer.NOTICE_ACTION)).hasSize(2);

    Destroyer.Result r = destroyer().destroy(PRODUCT, 1, AUTHORITY);

    assertThat(version(1).state()).isEqualTo(VersionState.DESTROYED);
    assertThat(r.certificate().copiesOutside().deliveries()).as("each delivery once").hasSize(3)
        .extracting(DeliveredCopy::auditSeq).doesNotHaveDuplicates();
    assertThat(trail.of(Destroyer.NOTICE_ACTION)).as("each organization told once")
        .extracting(e -> e.details().get("organization")).containsExactly("nanshan-partner", "shenzhen-partner");
    assertThat(notices()).hasSize(2);
    JsonNode notice = new ObjectMapper().readTree(outbox().resolve(
        "shenzhen-partner/notices/street-stats-v1-destroyed.json").toFile());
    assertThat(notice.get("deliveries")).hasSize(2);
    assertThat(notice.get("certificateDigest").asText()).as("the notice names the certificate that stands")
        .isEqualTo(r.certificateDigest());
  }
}
