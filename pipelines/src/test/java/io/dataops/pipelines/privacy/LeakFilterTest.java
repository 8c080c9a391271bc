package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leak check's filter built in parallel parts and merged is the filter of all the raw values. */
class LeakFilterTest {
  @TempDir Path dir;

  private static final long LIMIT = 1 << 20;

  /** Raw personal values: resident ID numbers, mobile numbers and names. */
  private static List<String> raw(int n) {
    SplittableRandom r = new SplittableRandom(9);
    String[] surnames = {"张", "王", "李", "欧阳", "司马"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder id = new StringBuilder(String.format("4403%02d19%02d%02d%02d%03d", r.nextInt(1, 8),
          50 + r.nextInt(50), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(1000)));
      id.append(PrcIdentifiers.idCardCheckChar(id));
      out.add(id.toString());
      out.add("1" + (3 + r.nextInt(7)) + String.format("%09d", r.nextInt(1_000_000_000)));
      out.add(surnames[r.nextInt(surnames.length)] + "家" + (char) ('甲' + r.nextInt(40)));
    }
    return out;
  }

  /** The values dealt at random over {@code n} filters of the whole input's size, each shipped as bytes. */
  private static List<LeakFilter> parts(List<String> values, int n, long expected) throws IOException {
    SplittableRandom r = new SplittableRandom(n);
    List<LeakFilter> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add(new LeakFilter(expected, LIMIT));
    }
    values.forEach(v -> parts.get(r.nextInt(n)).add(v));
    List<LeakFilter> shipped = new ArrayList<>();
    for (LeakFilter p : parts) {
      shipped.add(LeakFilter.fromBytes(p.toBytes()));
    }
    return shipped;
  }

  @Test
  void partsMergedByOrAreBitForBitTheFilterOfAllValues() throws Exception {
    List<String> values = raw(20_000);
    LeakFilter whole = new LeakFilter(values.size(), LIMIT);
    values.forEach(whole::add);
    for (int n : new int[] {1, 2, 5}) {
      List<LeakFilter> parts = parts(values, n, values.size());
      LeakFilter merged = parts.get(parts.size() - 1);
      for (int i = parts.size() - 2; i >= 0; i--) {
        merged = parts.get(i).merge(merged);
      }
      assertThat(merged.toBytes()).as(n + " parts").isEqualTo(whole.toBytes());
      assertThat(merged.rawValues()).isEqualTo(values.size());
    }
    LeakFilter utf8 = new LeakFilter(values.size(), LIMIT);
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      utf8.addUtf8(b, b.length);
    }
    assertThat(utf8.toBytes()).as("from a columnar reader's bytes").isEqualTo(whole.toBytes());
  }

  @Test
  void aLeakIsFoundThroughAMergedFilterAsThroughOneFilter() throws Exception {
    List<String> values = raw(5_000);
    List<String> columns = List.of("name", "id_card", "phone");
    List<Object[]> output = List.of(
        new Object[] {"张**", "440304********1231", "138****5678"},
        new Object[] {values.get(2), values.get(300).substring(0, 17) + "*", "139****0000"}, // a raw name; a rebuildable ID
        new Object[] {"李*", "4403**********123X", values.get(4)}); // a raw mobile number
    LeakFilter merged = parts(values, 4, values.size()).stream().reduce(LeakFilter::merge).orElseThrow();
    LeakCheck.Result fromParts = check(new LeakCheck(columns, new boolean[3], merged), values, output);
    LeakCheck single = new LeakCheck(columns, new boolean[3], values.size(), LIMIT);
    values.forEach(single::addRaw);
    LeakCheck.Result reference = check(single, values, output);

    assertThat(fromParts).isEqualTo(reference);
    assertThat(fromParts.passed()).isFalse();
    assertThat(fromParts.equalToRaw()).containsEntry("name", 1L).containsEntry("phone", 1L);
    assertThat(fromParts.rebuildable()).containsEntry("id_card", 1L);
    assertThat(fromParts.rawValues()).isEqualTo(values.size());
    assertThat(fromParts.toString()).doesNotContain(values.get(2)).doesNotContain(values.get(4));
  }

  private static LeakCheck.Result check(LeakCheck c, List<String> raw, List<Object[]> output) {
    output.forEach(c::check);
    assertThat(c.needsConfirmation()).isTrue();
    raw.forEach(c::confirm);
    return c.result();
  }

  @Test
  void filtersOfTheFirstFormatStillReadSavedFilesAreCheckedAndOtherFormatsAreRefused() throws Exception {
    List<String> values = raw(1000);
    LeakFilter filter = new LeakFilter(values.size(), LIMIT);
    values.forEach(filter::add);
    byte[] bytes = filter.toBytes();

    // The first format: the block count, the count of values and the bits, without the header.
    byte[] first = Arrays.copyOfRange(bytes, 8 + 4 + 4 + 4, bytes.length);
    assertThat(LeakFilter.fromBytes(first).toBytes()).isEqualTo(bytes);

    // A run's saved filter: a magic number, the filter's bytes and their SHA-256. A file saved by an older build (no
    // digest) is refused like a torn one, and the run builds its filter again.
    LeakCheck saving = new LeakCheck(List.of("v"), new boolean[1], filter);
    Path saved = dir.resolve("saved.bin");
    saving.saveFilter(saved);
    byte[] file = Files.readAllBytes(saved);
    assertThat(file).hasSize(8 + bytes.length + 32);
    assertThat(Arrays.copyOfRange(file, 8, 8 + bytes.length)).isEqualTo(bytes);
    LeakCheck loaded = LeakCheck.loadFilter(saved, List.of("v"), new boolean[1]);
    loaded.check(new Object[] {values.get(0)});
    loaded.confirm(values.get(0));
    assertThat(loaded.result().equalToRaw()).containsEntry("v", 1L);
    Path old = dir.resolve("leak-filter.bin");
    Files.write(old, first);
    assertThatThrownBy(() -> LeakCheck.loadFilter(old, List.of("v"), new boolean[1]))
        .isInstanceOf(io.dataops.core.files.CheckedFiles.Refused.class);
    byte[] zeros = new byte[file.length];
    Files.write(old, zeros);
    assertThatThrownBy(() -> LeakCheck.loadFilter(old, List.of("v"), new boolean[1]))
        .isInstanceOf(io.dataops.core.files.CheckedFiles.Refused.class);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    filter.writeTo(out);
    out.write(7);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertThat(LeakFilter.readFrom(in).toBytes()).isEqualTo(bytes);
    assertThat(in.read()).as("only the filter's bytes were read").isEqualTo(7);

    assertThatThrownBy(() -> LeakFilter.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(IOException.class).hasMessage("the leak filter is cut short");
    byte[] newer = bytes.clone();
    newer[11] = 2;
    assertThatThrownBy(() -> LeakFilter.fromBytes(newer)).isInstanceOf(IOException.class)
        .hasMessage("a leak filter of format version 2; this build reads version 1");
    byte[] otherHash = bytes.clone();
    otherHash[19] = 7;
    assertThatThrownBy(() -> LeakFilter.fromBytes(otherHash)).isInstanceOf(IOException.class)
        .hasMessage("a leak filter hashed with 512-bit blocks and 7 probes; this build uses 512 and 11");
    assertThatThrownBy(() -> filter.merge(new LeakFilter(10 * values.size(), LIMIT)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("build every part with the same expected");
  }

  @Test
  void probesInABatchSayWhatProbesOneAtATimeSay() {
    // A crowded filter (ten thousand hashes where it was sized for a thousand), probed with hashes a third of which
    // were added.
    LeakFilter filter = new LeakFilter(1000, LIMIT);
    SplittableRandom r = new SplittableRandom(11);
    int n = 30_000;
    long[] h1 = new long[n];
    long[] h2 = new long[n];
    for (int i = 0; i < n; i++) {
      h1[i] = r.nextLong();
      h2[i] = r.nextLong();
      if (i % 3 == 0 || i < 2000) {
        filter.insert(h1[i], h2[i]);
      }
    }
    boolean[] hit = new boolean[n];
    filter.mightContainAll(h1, h2, n, new int[n], hit);
    int hits = 0;
    for (int i = 0; i < n; i++) {
      assertThat(hit[i]).as("hash %d", i).isEqualTo(filter.mightContain(h1[i], h2[i]));
      hits += hit[i] ? 1 : 0;
    }
    assertThat(hits).isBetween(n / 3, n - 1000);
  }
}
