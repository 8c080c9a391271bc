package io.dataops.quality.feedback;

import io.dataops.core.csv.CsvFields;
import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.StaleCopies;
import io.dataops.core.sort.KeyedRecords;
import io.dataops.core.sort.RecordSort;
import io.dataops.core.sort.RunMerge;
import io.dataops.core.sort.SpillRuns;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.quality.run.QualityRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A run's failing rows as the department's CSV (UTF-8 with a byte-order mark, which Excel needs to open Chinese), in
 * report order — by expectation id, then row number, then the line (rows of several feeds share row numbers in a
 * table's run) — in bounded memory: the rows are read once from the failures table and kept per expectation as
 * (row number, CSV line) records up to {@link #BUFFER_BYTES}; beyond that the largest expectations' records are sorted
 * and spilled as runs (core's external sort: owner-only runs in the scratch folder, deleted after it; those a killed
 * process left are swept by {@link #sweep}), and each expectation's runs are merged at the end. A feed failing a rule on millions of rows used to be held
 * and sorted whole in the heap, which a 512 MB heap could not hold at 2 million.
 */
final class FailingRowsCsv {
  /** The lines held in memory, all expectations together, before they spill. */
  static final long BUFFER_BYTES = 16L << 20;
  /** How the scratch files of a write (the CSV before it is copied, spilled runs) begin. */
  static final String PREFIX = "failing-rows-";
  static final String HEADER =
      "expectation_id,expectation_type,columns,severity,row_key,feed_id,row_number,reason,value\n";

  private FailingRowsCsv() {}

  /** Writes the failing rows of run {@code runId} to {@code out}, spilling under {@code scratch} if need be. */
  static void write(Lakehouse lakehouse, String runId, Path scratch, OutputStream out) throws IOException {
    write(lakehouse, runId, scratch, out, BUFFER_BYTES);
  }

  static void write(Lakehouse lakehouse, String runId, Path scratch, OutputStream out, long bufferBytes)
      throws IOException {
    out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    out.write(HEADER.getBytes(StandardCharsets.UTF_8));
    if (!lakehouse.exists(QualityRunner.ROW_FAILURES)) {
      return;
    }
    OwnerOnly.directories(scratch);
    Map<String, Part> parts = new TreeMap<>();
    try {
      long held = 0;
      var table = lakehouse.load(QualityRunner.ROW_FAILURES);
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table)
          .where(Expressions.equal("run_id", runId)).build()) {
        for (Record r : rows) {
          String expectation = (String) r.getField("expectation_id");
          Long row = (Long) r.getField("row_number");
          byte[] line = (String.join(",", csv(expectation), csv(r.getField("expectation_type")),
              csv(r.getField("columns")), csv(r.getField("severity")), csv(r.getField("row_key")),
              csv(r.getField("feed_id")), csv(row), csv(r.getField("reason")), csv(r.getField("value"))) + "\n")
              .getBytes(StandardCharsets.UTF_8);
          parts.computeIfAbsent(expectation, e -> new Part(new SpillRuns(scratch, PREFIX + parts.size() + "-")))
              .add(row == null ? 0 : row + 1, line);
          held += line.length + Part.OVERHEAD;
          if (held > bufferBytes) {
            // The largest first, down to half the buffer: a rule failing on a few rows never spills, so a suite of
            // many rules does not make a run per rule at every spill.
            List<Part> largest = new ArrayList<>(parts.values());
            largest.sort(Comparator.comparingLong(Part::held).reversed());
            for (Part p : largest) {
              if (held <= bufferBytes / 2) {
                break;
              }
              held -= p.held();
              p.spill();
            }
          }
        }
      }
      for (Part p : parts.values()) {
        p.writeTo(out);
      }
    } finally {
      for (Part p : parts.values()) {
        p.runs.close();
      }
    }
  }

  /** One expectation's lines: in memory by row number, and the runs it spilled. */
  private static final class Part {
    /** Memory a record takes besides its line: its key, offset and length. */
    static final int OVERHEAD = 16;
    final SpillRuns runs;
    long[] keys = new long[256];
    int[] offsets = new int[256];
    int[] lengths = new int[256];
    byte[] bytes = new byte[16 << 10];
    int n;
    int used;

    Part(SpillRuns runs) {
      this.runs = runs;
    }

    void add(long key, byte[] line) {
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, n * 2);
        offsets = Arrays.copyOf(offsets, n * 2);
        lengths = Arrays.copyOf(lengths, n * 2);
      }
      if (used + line.length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(used + line.length, bytes.length * 2));
      }
      System.arraycopy(line, 0, bytes, used, line.length);
      keys[n] = key;
      offsets[n] = used;
      lengths[n] = line.length;
      used += line.length;
      n++;
    }

    /** Memory the records in memory take, as the buffer counts it. */
    long held() {
      return used + (long) n * OVERHEAD;
    }

    /** The records in memory by row number, then line (a radix sort; the few equal row numbers by their bytes). */
    int[] order() {
      int[] order = RecordSort.radixOrder(keys, n);
      for (int from = 0; from < n; ) {
        int to = from + 1;
        while (to < n && keys[order[to]] == keys[order[from]]) {
          to++;
        }
        if (to - from > 1) {
          Integer[] tied = new Integer[to - from];
          for (int i = from; i < to; i++) {
            tied[i - from] = order[i];
          }
          Arrays.sort(tied, (a, b) -> Arrays.compare(bytes, offsets[a], offsets[a] + lengths[a], bytes, offsets[b],
              offsets[b] + lengths[b]));
          for (int i = from; i < to; i++) {
            order[i] = tied[i - from];
          }
        }
        from = to;
      }
      return order;
    }

    /** Writes the records in memory as a sorted run and lets their memory go. */
    void spill() {
      if (n == 0) {
        return;
      }
      int[] order = order();
      runs.write(out -> {
        KeyedRecords.Writer w = new KeyedRecords.Writer(out);
        for (int i : order) {
          w.write(keys[i], bytes, offsets[i], lengths[i]);
        }
        w.flush();
      });
      keys = new long[256];
      offsets = new int[256];
      lengths = new int[256];
      bytes = new byte[16 << 10];
      n = 0;
      used = 0;
    }

    /** Writes every line of this expectation by row number: from memory, or merged from its runs. */
    void writeTo(OutputStream out) throws IOException {
      if (runs.isEmpty()) {
        for (int i : order()) {
          out.write(bytes, offsets[i], lengths[i]);
        }
        return;
      }
      spill();
      List<KeyedRecords> sources = new ArrayList<>();
      try {
        for (Path run : runs.files()) {
          sources.add(KeyedRecords.read(run));
        }
      } catch (IOException | RuntimeException e) {
        sources.forEach(KeyedRecords::close);
        throw e;
      }
      Comparator<KeyedRecords> byRowThenLine = Comparator.<KeyedRecords>comparingLong(s -> s.key).thenComparing(
          (a, b) -> Arrays.compare(a.buf, a.offset, a.offset + a.length, b.buf, b.offset, b.offset + b.length));
      try (RunMerge<KeyedRecords> merge = new RunMerge<>(sources, byRowThenLine)) {
        for (KeyedRecords r = merge.next(); r != null; r = merge.next()) {
          out.write(r.buf, r.offset, r.length);
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /**
   * Removes the scratch files a killed write left in {@code scratch} (a day old: no write takes that long, so none of
   * a write under way); returns how many.
   */
  static int sweep(Path scratch, Instant now) {
    return StaleCopies.sweep(scratch, PREFIX + "*", ANY, now.minus(Duration.ofDays(1)));
  }

  private static final Pattern ANY = Pattern.compile(Pattern.quote(PREFIX) + "[0-9A-Za-z.-]+");

  /** A field as the department's spreadsheet shows it: a value a feed made formula-like stays text. */
  private static String csv(Object v) {
    return CsvFields.forSpreadsheet(v == null ? null : v.toString());
  }
}
