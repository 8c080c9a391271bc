package io.dataops.pipelines.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPinsTest {
  @TempDir Path dir;

  /** A clock the test moves. */
  static final class Moving extends Clock {
    Instant now = Instant.parse("2026-12-04T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aRunKeepsItsSnapshotsUntilItEndsOrItsLastBeatIsOlderThanTheGrace() {
    Moving clock = new Moving();
    String url = "jdbc:sqlite:" + dir.resolve("platform.db");
    RunPins pins = new RunPins(url, null, null, clock);
    Map<String, Set<Long>> read = Map.of("ods.a__people", Set.of(5L, 3L), "ods.b__places", Set.of(9L));

    RunPins.Held going = pins.hold("k".repeat(64), "p1", read);
    RunPins.Held killed = pins.hold("x".repeat(64), "p2", Map.of("ods.a__people", Set.of(7L)));
    killed.close(); // its process died: no release, no more beats
    assertThat(pins.live(Duration.ofHours(1))).isEqualTo(Map.of("ods.a__people", Set.of(3L, 5L, 7L),
        "ods.b__places", Set.of(9L)));

    going.release();
    assertThat(pins.live(Duration.ofHours(1))).isEqualTo(Map.of("ods.a__people", Set.of(7L)));

    clock.now = clock.now.plus(Duration.ofMinutes(61));
    assertThat(pins.live(Duration.ofHours(1))).as("a killed run's pin lapses after the grace").isEmpty();
    clock.now = clock.now.minus(Duration.ofMinutes(61));
    assertThat(pins.live(Duration.ofHours(1))).as("and is dropped, not only ignored").isEmpty();
  }

  @Test
  void aResumedRunTakesItsPinOverAndTableNamesRoundTrip() {
    Moving clock = new Moving();
    RunPins pins = new RunPins("jdbc:sqlite:" + dir.resolve("platform.db"), null, null, clock);
    pins.hold("k".repeat(64), "p1", Map.of("ods.a__people", Set.of(1L))).close();
    clock.now = clock.now.plus(Duration.ofMinutes(50));
    try (RunPins.Held again = pins.hold("k".repeat(64), "p1", Map.of("ods.a__people", Set.of(1L)))) {
      clock.now = clock.now.plus(Duration.ofMinutes(30));
      assertThat(pins.live(Duration.ofHours(1))).as("counted from the resumed run's start")
          .isEqualTo(Map.of("ods.a__people", Set.of(1L)));
    }
    assertThat(RunPins.decode(RunPins.encode(Map.of("product.x", Set.of(-4L, 2L)))))
        .isEqualTo(Map.of("product.x", Set.of(-4L, 2L)));
  }
}
