package io.dataops.lakehouse.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatColumnWritersTest {
  private static final OffsetDateTime EPOCH = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void microsAreCountedAsChronoUnitCountsThem() {
    Random random = new Random(7);
    for (int k = 0; k < 20_000; k++) {
      LocalDateTime t = LocalDateTime.of(1 + random.nextInt(9998), 1 + random.nextInt(12), 1 + random.nextInt(28),
          random.nextInt(24), random.nextInt(60), random.nextInt(60), k % 3 == 0 ? 0 : random.nextInt(1_000_000_000));
      assertEquals(ChronoUnit.MICROS.between(EPOCH, t.atOffset(ZoneOffset.UTC)), FlatColumnWriters.micros(t),
          t::toString);
    }
    for (LocalDateTime t : List.of(LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999),
        LocalDateTime.of(1969, 12, 31, 0, 0, 0, 1), LocalDateTime.of(1970, 1, 1, 0, 0, 0, 999))) {
      assertEquals(ChronoUnit.MICROS.between(EPOCH, t.atOffset(ZoneOffset.UTC)), FlatColumnWriters.micros(t),
          t::toString);
    }
  }
}
