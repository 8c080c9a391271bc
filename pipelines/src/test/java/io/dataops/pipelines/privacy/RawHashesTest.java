package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batched hashes give the filter {@link LeakFilter#add} gives, bit for bit: the old definition (the ValueKey of
 * each value's canonical text) against text hashed in place in a batch's data, dates and decimals written without
 * their Java objects, over batches of more than {@link RawHashes#CAPACITY} values.
 */
class RawHashesTest {
  private static final long EXPECTED = 50_000;
  private static final long MEMORY = 1 << 20;

  @Test
  void textHashedInPlaceGivesTheFilterOfEachValuesText() {
    List<String> values = new ArrayList<>(List.of("", "a", "é", "张", "😀", "ab", "张伟", "😀x", "a😀", "𠀀𝄞",
        "440304199001011234", "广东省深圳市福田区华富街道莲花一村12栋", "x".repeat(70_000), "长".repeat(25_000)));
    Random random = new Random(7);
    for (int i = 0; i < 3_000; i++) {
      values.add(random.nextInt(10) == 0 ? "" : "v" + random.nextInt(100_000) + (i % 3 == 0 ? "省" : ""));
    }
    LeakFilter expected = new LeakFilter(EXPECTED, MEMORY);
    values.forEach(expected::add);

    // One batch's data, values back to back, hashed in a shuffled order: each call leaves the data as it found it.
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int[] offsets = new int[values.size() + 1];
    for (int i = 0; i < values.size(); i++) {
      data.writeBytes(values.get(i).getBytes(StandardCharsets.UTF_8));
      offsets[i + 1] = data.size();
    }
    byte[] bytes = data.toByteArray();
    LeakFilter batched = new LeakFilter(EXPECTED, MEMORY);
    RawHashes hashes = new RawHashes(batched);
    byte[] buffer = hashes.textBuffer(bytes.length);
    System.arraycopy(bytes, 0, buffer, RawHashes.TEXT_AT, bytes.length);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    for (int i : order) {
      hashes.addText(offsets[i], offsets[i + 1]);
    }
    hashes.flush();
    assertThat(java.util.Arrays.copyOfRange(buffer, RawHashes.TEXT_AT, RawHashes.TEXT_AT + bytes.length))
        .as("the data is left as it was").isEqualTo(bytes);
    assertThat(batched.rawValues()).isEqualTo(expected.rawValues()).isLessThan(values.size());
    assertThat(batched.toBytes()).isEqualTo(expected.toBytes());
  }

  @Test
  void datesAndDecimalsGiveTheFilterOfTheirText() {
    LeakFilter expected = new LeakFilter(EXPECTED, MEMORY);
    LeakFilter batched = new LeakFilter(EXPECTED, MEMORY);
    RawHashes hashes = new RawHashes(batched);
    // Days from before year 0 to after 9999 (signed and five-digit years take the general path), leap days included.
    int[] days = {0, -1, 1, (int) LocalDate.of(0, 1, 1).toEpochDay(), (int) LocalDate.of(-44, 3, 15).toEpochDay(),
        (int) LocalDate.of(9999, 12, 31).toEpochDay(), (int) LocalDate.of(10000, 1, 1).toEpochDay(),
        (int) LocalDate.of(2000, 2, 29).toEpochDay(), (int) LocalDate.of(1, 1, 1).toEpochDay()};
    for (int d : days) {
      expected.add(LocalDate.ofEpochDay(d));
      hashes.addDate(d);
    }
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      int d = random.nextInt(-800_000, 3_000_000);
      expected.add(LocalDate.ofEpochDay(d));
      hashes.addDate(d);
    }
    long[] unscaled = {0, 1, -1, 5, -5, 9, 10, -10, 99, 100, 12_345, -12_345, 1_000_000_007L, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE + 1, 999_999_999_999_999_999L};
    for (long u : unscaled) {
      for (int scale = -2; scale <= 20; scale++) {
        expected.add(BigDecimal.valueOf(u, scale));
        hashes.addDecimal(u, scale);
      }
    }
    for (int i = 0; i < 5_000; i++) {
      long u = random.nextLong() >> random.nextInt(64);
      int scale = random.nextInt(19);
      expected.add(BigDecimal.valueOf(u, scale));
      hashes.addDecimal(u, scale);
    }
    // Other values through the general path, mixed in: negative zero, a lone character, an empty text.
    for (Object v : new Object[] {-0.0, 0.0, 7, -7, "", "z", "zz", true, Double.NaN}) {
      expected.add(v);
      hashes.addValue(v);
    }
    hashes.flush();
    assertThat(batched.rawValues()).isEqualTo(expected.rawValues());
    assertThat(batched.toBytes()).isEqualTo(expected.toBytes());
  }
}
