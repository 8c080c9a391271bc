package io.dataops.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.Test;

class AuditTrailTest extends TrailFixture {
  private final Principal alice = new Principal("alice", "futian-data-operator", Set.of(Role.OPERATOR));
  private final Principal zhao = new Principal("zhao", "futian-bureau", Set.of(Role.AUTHORITY, Role.AUDITOR));

  @Test
  void eachEventHashesThePreviousHashAndItsCanonicalJsonWithSm3() {
    trail.record(AuditEvent.ok("feed.land", List.of("table:ods.x"), Map.of("rowsLanded", 10, "feedId", "f1")));
    clock.advance(Duration.ofSeconds(1));
    trail.as(alice, Role.OPERATOR).record(AuditEvent.ok("pipeline.run", List.of("product:p@1", "snapshot:7"),
        Map.of()));
    List<AuditRecord> events = trail.list(AuditFilter.newest().oldestFirst());
    assertThat(events).hasSize(2);

    AuditRecord first = events.get(0);
    String canonical = "{\"action\":\"feed.land\",\"actor\":\"system\",\"at\":\"2026-03-01T08:00:00.000000Z\","
        + "\"details\":{\"feedId\":\"f1\",\"rowsLanded\":10},\"digest\":\"sm3\",\"objects\":[\"table:ods.x\"],"
        + "\"organization\":null,\"outcome\":\"ok\",\"role\":null,\"seq\":1}";
    assertThat(first.prevHash()).isEqualTo("0".repeat(64));
    assertThat(first.hash()).isEqualTo(sm3(new byte[32], canonical));

    AuditRecord second = events.get(1);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.at()).isEqualTo(Instant.parse("2026-03-01T08:00:01Z"));
    assertThat(second.actor()).isEqualTo("alice");
    assertThat(second.organization()).isEqualTo("futian-data-operator");
    assertThat(second.role()).isEqualTo("operator");
    assertThat(second.objects()).containsExactly("product:p@1", "snapshot:7");
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(trail.head()).isEqualTo(new AuditTrail.Head(2, second.hash()));
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.good(2, 0));
  }

  @Test
  void sha256IsSelectableAndEachEventNamesItsDigest() throws Exception {
    trail.record(AuditEvent.ok("feed.land", List.of("table:ods.x"), Map.of()));
    AuditTrail sha = new AuditTrail(db, DigestAlgorithm.SHA256, clock);
    sha.record(AuditEvent.ok("feed.land", List.of("table:ods.y"), Map.of()));
    List<AuditRecord> events = trail.list(AuditFilter.newest().oldestFirst());
    assertThat(events).extracting(AuditRecord::digest).containsExactly("sm3", "sha256");
    ChainEntry second = row(2);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(HexFormat.of().parseHex(second.prevHash()));
    md.update(second.canonical().getBytes(StandardCharsets.UTF_8));
    assertThat(second.hash()).isEqualTo(HexFormat.of().formatHex(md.digest()));
    assertThat(trail.verify(lakehouse).ok()).isTrue();
  }

  @Test
  void detailsOfAnyTextSurviveTheDatabaseAndStillVerify() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reason", "列 身份证号 缺失\n第 2 行\t\"引号\" \\ \u0000 \ud800");
    details.put("ratio", 0.25);
    details.put("nested", Map.of("b", List.of(1, 2), "a", true));
    trail.as(zhao, Role.AUDITOR).record(new AuditEvent("audit.verify", List.of("audit:trail"), AuditEvent.FAILED,
        details));
    assertThat(trail.verify(lakehouse).ok()).isTrue();
    AuditRecord r = trail.list(AuditFilter.newest()).get(0);
    assertThat(r.details()).containsEntry("reason", details.get("reason")).containsEntry("ratio", 0.25)
        .containsEntry("nested", Map.of("a", true, "b", List.of(1, 2)));
    assertThat(row(1).details()).startsWith("{\"nested\":{\"a\":true,\"b\":[1,2]},\"ratio\":0.25,");
  }

  @Test
  void theTrailSaysWhetherItHoldsAnActionsEventOnAnObjectAndRecordsALateOneOnlyWhenItDoesNot() {
    trail.as(alice, Role.OPERATOR).record(AuditEvent.ok("feed.land", List.of("table:ods.x", "snapshot:7"), Map.of()));
    trail.as(zhao).record(new AuditEvent("feed.land", List.of("snapshot:8"), AuditEvent.REFUSED, Map.of()));
    assertThat(trail.holds("feed.land", "snapshot:7")).isTrue();
    assertThat(trail.holds("feed.land", "snapshot:8")).as("a refusal is not the action done").isFalse();
    assertThat(trail.holds("feed.land", "snapshot:70")).as("objects match whole").isFalse();
    assertThat(trail.holds("pipeline.run", "snapshot:7")).isFalse();
    trail.as(alice, Role.OPERATOR).record(AuditEvent.ok("pipeline.run", List.of("product:p"),
        Map.of("runKey", "abcd", "version", 1)));
    assertThat(trail.holds("pipeline.run", "product:p", "runKey", "abcd")).isTrue();
    assertThat(trail.holds("pipeline.run", "product:p", "runKey", "abc")).as("values match whole").isFalse();
    assertThat(trail.holds("pipeline.run", "product:q", "runKey", "abcd")).isFalse();
    assertThat(trail.holds("pipeline.run", "product:p", "version", "1")).as("text, not the number 1").isFalse();

    // Through any command's sink: recorded only where the trail does not hold the event yet.
    AuditEvent landed7 = AuditEvent.ok("feed.land", List.of("snapshot:7"), Map.of("recordedLate", true));
    AuditEvent landed8 = AuditEvent.ok("feed.land", List.of("snapshot:8"), Map.of("recordedLate", true));
    for (io.dataops.core.audit.AuditSink sink : List.of(trail, trail.as(zhao), trail.as(alice, Role.OPERATOR))) {
      assertThat(sink.recordUnlessHeld(landed7, "snapshot:7")).isFalse();
      assertThat(sink.recordUnlessHeld(AuditEvent.ok("pipeline.run", List.of("product:p"), Map.of("runKey", "abcd")),
          "product:p", "runKey", "abcd")).isFalse();
    }
    assertThat(trail.as(zhao).recordUnlessHeld(landed8, "snapshot:8")).as("the refusal was not it").isTrue();
    assertThat(trail.recordUnlessHeld(landed8, "snapshot:8")).isFalse();
    assertThat(trail.as(zhao).recordUnlessHeld(AuditEvent.ok("pipeline.run", List.of("product:p"),
        Map.of("runKey", "abc")), "product:p", "runKey", "abc")).isTrue();
    assertThat(trail.list(AuditFilter.newest().oldestFirst())).extracting(AuditRecord::actor)
        .containsExactly("alice", "zhao", "alice", "zhao", "zhao");
    assertThat(trail.verify(lakehouse).ok()).isTrue();
  }

  /** Two commands finding the same lost event at once record it once: the look and the append are one transaction. */
  @Test
  void commandsRecordingTheSameLateEventAtOnceRecordItOnce() throws Exception {
    assertThat(recordTheSameLateEventAtOnce(6)).isEqualTo(1);
    assertThat(trail.list(AuditFilter.newest().object("snapshot:9"))).hasSize(1);
  }

  @Test
  void listFiltersByActorObjectActionOutcomeAndTime() {
    trail.as(alice, Role.OPERATOR).record(AuditEvent.ok("pipeline.run",
        List.of("pipeline:enterprise-employment", "table:ods.human_resources__social_insurance", "product:ee@1"),
        Map.of()));
    clock.advance(Duration.ofHours(1));
    trail.as(zhao, Role.AUTHORITY).record(AuditEvent.ok("product.approve", List.of("product:ee@1"), Map.of()));
    clock.advance(Duration.ofHours(1));
    trail.as(alice).record(new AuditEvent("command.refused", List.of("product:ee@1"), AuditEvent.REFUSED,
        Map.of("command", "product approve")));
    clock.advance(Duration.ofHours(1));
    trail.record(AuditEvent.ok("feed.land", List.of("table:ods.Human_Resources__x"), Map.of()));

    assertThat(seqs(AuditFilter.newest())).containsExactly(4L, 3L, 2L, 1L);
    assertThat(seqs(AuditFilter.newest().oldestFirst().limit(2))).containsExactly(1L, 2L);
    assertThat(seqs(AuditFilter.newest().actor("alice"))).containsExactly(3L, 1L);
    assertThat(seqs(AuditFilter.newest().organization("futian-bureau"))).containsExactly(2L);
    assertThat(seqs(AuditFilter.newest().object("product:ee@1"))).containsExactly(3L, 2L, 1L);
    assertThat(seqs(AuditFilter.newest().object("product:ee"))).isEmpty();
    assertThat(seqs(AuditFilter.newest().objectContains("human_resources"))).containsExactly(1L);
    assertThat(seqs(AuditFilter.newest().objectContains("ee@"))).containsExactly(3L, 2L, 1L);
    assertThat(seqs(AuditFilter.newest().action("product.approve"))).containsExactly(2L);
    assertThat(seqs(AuditFilter.newest().action("product.*"))).containsExactly(2L);
    assertThat(seqs(AuditFilter.newest().outcome("refused"))).containsExactly(3L);
    assertThat(seqs(AuditFilter.newest().between(Instant.parse("2026-03-01T09:00:00Z"),
        Instant.parse("2026-03-01T10:00:00Z")))).containsExactly(2L);
    assertThat(seqs(AuditFilter.newest().between(Instant.parse("2026-03-01T09:00:00.000001Z"), null)))
        .containsExactly(4L, 3L);
    AuditRecord refused = trail.list(AuditFilter.newest().outcome("refused")).get(0);
    assertThat(refused.role()).isNull();
    assertThat(refused.details()).containsEntry("command", "product approve");
    assertThatThrownBy(() -> AuditFilter.newest().limit(0)).hasMessage("the limit of audit events to list is 1 to"
        + " 10000, not 0");
  }

  /** A reader's next page of one object's events (a version's deliveries), through the index of objects. */
  @Test
  void theEventsAfterASeqNamingOneObjectComeInPagesInTheOrderOfTheChain() {
    for (int i = 0; i < 5; i++) {
      trail.record(AuditEvent.ok("product.deliver", List.of("product:p@1", "user:u" + i), Map.of("rows", i)));
      trail.record(AuditEvent.ok("product.deliver", List.of("product:p@2"), Map.of("rows", i)));
      trail.record(AuditEvent.ok("product.seal", List.of("product:p@1"), Map.of()));
    }
    trail.record(AuditEvent.ok("product.deliver", List.of("product:p@10"), Map.of()));

    List<AuditRecord> first = trail.after(0, List.of("product.deliver"), "product:p@1", 3);
    assertThat(first).extracting(AuditRecord::seq).containsExactly(1L, 4L, 7L);
    List<AuditRecord> rest = trail.after(7, List.of("product.deliver"), "product:p@1", 3);
    assertThat(rest).extracting(AuditRecord::seq).containsExactly(10L, 13L);
    assertThat(rest).allSatisfy(r -> assertThat(r.objects()).contains("product:p@1"));
    assertThat(trail.after(13, List.of("product.deliver"), "product:p@1", 3)).isEmpty();
    assertThat(trail.after(0, List.of("product.deliver"), null, 100)).as("null: any object").hasSize(11);
  }

  @Test
  void eventsOutsideTheRulesAreRefusedBeforeTheyReachTheChain() {
    assertThatThrownBy(() -> trail.record(AuditEvent.ok("Feed Land", List.of(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> trail.record(new AuditEvent("feed.land", List.of(), "maybe", Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> trail.record(AuditEvent.ok("feed.land", List.of("x".repeat(501)), Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> trail.as(alice, Role.ADMIN)).isInstanceOf(IllegalArgumentException.class);
    assertThat(count()).isZero();
    assertThat(trail.head()).isEqualTo(new AuditTrail.Head(0, "0".repeat(64)));
  }

  private List<Long> seqs(AuditFilter f) {
    return trail.list(f).stream().map(AuditRecord::seq).toList();
  }

  private static String sm3(byte[] prev, String canonical) {
    SM3Digest d = new SM3Digest();
    d.update(prev, 0, prev.length);
    byte[] text = canonical.getBytes(StandardCharsets.UTF_8);
    d.update(text, 0, text.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return HexFormat.of().formatHex(out);
  }
}
