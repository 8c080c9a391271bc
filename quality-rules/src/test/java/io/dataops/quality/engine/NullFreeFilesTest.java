package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.expect.Metrics;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.testing.Rows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A column read only for its nulls is left unread in a data file whose Parquet footer proves it holds none, and the
 * results stay those of reading it: a table of two feeds, one with nulls and one without; a required column (no null
 * by the file's schema), optional columns whose footers count nulls, a personal column whose footer has no statistics
 * (metrics mode none), and a column read both for its nulls and for its values.
 */
class NullFreeFilesTest extends QualityFixture {
  private static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: name, type: string, required: true, personal: name}
        - {name: note, type: string}
        - {name: phone, type: string, personal: mobile}
        - {name: code, type: string}
      """;
  private static final String SUITE = """
      name: nulls
      expectations:
        - {type: expect_column_values_to_not_be_null, kwargs: {column: name, result_format: COMPLETE}}
        - {type: expect_column_values_to_not_be_null, kwargs: {column: note, result_format: COMPLETE}}
        - {type: expect_column_values_to_not_be_null, kwargs: {column: phone, result_format: COMPLETE}}
        - {type: expect_column_values_to_not_be_null, kwargs: {column: code, result_format: COMPLETE}}
        - {type: expect_column_values_to_match_regex, kwargs: {column: code, regex: '^C[0-9]+$', result_format: COMPLETE}}
      """;
  private static final int ROWS = 3000;
  private DataFile withNulls;
  private DataFile without;

  @BeforeEach
  void feeds() throws Exception {
    withNulls = only(land("people", CONTRACT, feed(0, true)).snapshotId());
    without = only(land("people", CONTRACT, feed(1, false)).snapshotId());
  }

  /** Feed f: ids f*ROWS..; with nulls, some notes, phones and codes are empty (and some codes malformed). */
  private static String feed(int f, boolean nulls) {
    StringBuilder csv = new StringBuilder("id,name,note,phone,code\n");
    for (int i = 0; i < ROWS; i++) {
      long id = (long) f * ROWS + i;
      csv.append(id).append(",张").append(i).append(',')
          .append(nulls && i % 7 == 3 ? "" : "n" + i).append(',')
          .append(nulls && i % 11 == 5 ? "" : "1390000" + (1000 + i)).append(',')
          .append(nulls && i % 13 == 2 ? "" : i % 17 == 4 ? "X" + id : "C" + id).append('\n');
    }
    return csv.toString();
  }

  private DataFile only(Long snapshotId) {
    Table t = lakehouse.load(table("people"));
    List<DataFile> added = new ArrayList<>();
    t.snapshot(snapshotId).addedDataFiles(t.io()).forEach(added::add);
    assertThat(added).hasSize(1);
    return added.get(0);
  }

  @Test
  void footersProveWhichColumnsHoldNoNull() {
    Table t = lakehouse.load(table("people"));
    Map<Integer, String> candidates = new LinkedHashMap<>();
    for (String c : List.of("id", "name", "note", "phone", "code")) {
      candidates.put(t.schema().findField(c).fieldId(), c);
    }
    // name is REQUIRED in both files; note and code count their nulls (none in the second file); phone, personal,
    // carries no statistics, so nothing proves it free of nulls even where it has none.
    assertThat(NullFreeColumns.in(FileTail.read(t.io().newInputFile(withNulls.location(),
        withNulls.fileSizeInBytes())), candidates)).containsExactlyInAnyOrder("id", "name");
    assertThat(NullFreeColumns.in(FileTail.read(t.io().newInputFile(without.location(), without.fileSizeInBytes())),
        candidates)).containsExactlyInAnyOrder("id", "name", "note", "code");
  }

  /**
   * The footer is read from the file once: Iceberg's Arrow reader, given the tail's input, reads every row and reads
   * from the file only below the tail; the tail's input gives the file's own bytes wherever a read starts. Tails of
   * 64 KB (the whole of these small files), 1 KB and 64 bytes (shorter than the footer: the footer is then read whole).
   */
  @Test
  void theReaderTakesTheFooterFromTheTailAlreadyRead() throws Exception {
    Table t = lakehouse.load(table("people"));
    for (DataFile f : List.of(withNulls, without)) {
      byte[] whole = new byte[(int) f.fileSizeInBytes()];
      try (var in = t.io().newInputFile(f.location(), f.fileSizeInBytes()).newStream()) {
        org.apache.iceberg.relocated.com.google.common.io.ByteStreams.readFully(in, whole);
      }
      int footer = java.nio.ByteBuffer.wrap(whole, whole.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
      for (int minTail : List.of(FileTail.MIN_TAIL, 1024, 64)) {
        Reads reads = new Reads(t.io().newInputFile(f.location(), f.fileSizeInBytes()));
        FileTail tail = FileTail.read(reads, minTail);
        long start = Math.max(0, whole.length - Math.max(minTail, footer + 8));
        assertThat(tail.start()).as("tail " + minTail).isEqualTo(start);
        assertThat(reads.lowest).as("the tail's reads").isEqualTo(start);
        assertThat(reads.highestEnd).isEqualTo(whole.length);
        reads.clear();

        long rows = 0;
        try (var batches = org.apache.iceberg.formats.FormatModelRegistry
            .<org.apache.iceberg.arrow.vectorized.ColumnarBatch, Object>readBuilder(org.apache.iceberg.FileFormat.PARQUET,
                org.apache.iceberg.arrow.vectorized.ColumnarBatch.class, tail.input())
            .project(t.schema()).recordsPerBatch(1000).reuseContainers().build()) {
          for (var batch : batches) {
            rows += batch.numRows();
          }
        }
        assertThat(rows).isEqualTo(ROWS);
        if (start == 0) {
          assertThat(reads.highestEnd).as("the whole file was in the tail: nothing read again").isEqualTo(-1);
        } else {
          assertThat(reads.lowest).as("data pages read from the file").isLessThan(start);
          assertThat(reads.highestEnd).as("nothing from the tail's start on read again").isLessThanOrEqualTo(start);
        }

        // Any range, inside the tail, below it or across its start, reads as the file does.
        try (var in = tail.input().newStream()) {
          for (long from : List.of(0L, start - 100, start - 1, start, start + 7, whole.length - 8L)) {
            int at = (int) Math.max(0, from);
            in.seek(at);
            byte[] got = new byte[Math.min(300, whole.length - at)];
            org.apache.iceberg.relocated.com.google.common.io.ByteStreams.readFully(in, got);
            assertThat(got).as("from " + at).isEqualTo(java.util.Arrays.copyOfRange(whole, at, at + got.length));
          }
          in.seek(whole.length);
          assertThat(in.read()).as("the file's end").isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void theScanLeavesUnreadOnlyWhatTheFootersProve() {
    Table t = lakehouse.load(table("people"));
    List<Analyzer<?>> analyzers = List.of(new CompletenessAnalyzer("name"), new CompletenessAnalyzer("note"),
        new CompletenessAnalyzer("phone"), new CompletenessAnalyzer("code"), new ProfileAnalyzer("code"));
    ScanRunner.Outcome outcome = ScanRunner.run(t, t.currentSnapshot().snapshotId(), analyzers, List.of("id"), 2,
        slot -> context(dir.resolve("spill-" + slot)));
    // name in both files, note in the second; code is read for its values too, phone has no statistics.
    assertThat(outcome.columnsNotRead()).isEqualTo(3);
    assertThat(outcome.rows()).isEqualTo(2L * ROWS);
    for (String c : List.of("name", "note", "phone", "code")) {
      var s = (CompletenessAnalyzer.State) outcome.states().get("Completeness(" + c + ")");
      assertThat(s.rows).as(c).isEqualTo(2L * ROWS);
      assertThat(s.nonNull).as(c).isEqualTo(2L * ROWS - nullRows(c).size());
    }
    var codes = (ProfileAnalyzer.State) outcome.states().get(new ProfileAnalyzer("code").key());
    assertThat(codes.approxDistinct()).as("every code read, from both files").isGreaterThan(2 * ROWS * 0.9);
  }

  @Test
  void theNotNullChecksStillFindEveryNullRowWithItsRowNumber() {
    QualityReport report = run("people", SUITE);
    JsonNode results = json(report.validation()).get("results");
    List<String> columns = List.of("name", "note", "phone", "code");
    for (int e = 0; e < columns.size(); e++) {
      String c = columns.get(e);
      Set<String> expected = nullRows(c);
      assertThat(results.get(e).at("/result/unexpected_count").asLong()).as(c).isEqualTo(expected.size());
      assertThat(results.get(e).at("/result/element_count").asLong()).as(c).isEqualTo(2L * ROWS);
      assertThat(recordedFailures(report.runId(), "expect_column_values_to_not_be_null", c)).as(c)
          .isEqualTo(expected);
    }
    assertThat(nullRows("note")).as("the first feed has nulls").isNotEmpty();
    assertThat(nullRows("name")).isEmpty();
    // The code column is read (its regex needs its values) and its malformed codes found in both files.
    Set<String> malformed = new TreeSet<>();
    for (Record r : Rows.of(lakehouse.load(table("people")))) {
      Object code = r.getField("code");
      if (code != null && !code.toString().matches("^C[0-9]+$")) {
        malformed.add(r.getField("_feed_id") + "#" + r.getField("_row_number"));
      }
    }
    assertThat(results.get(4).at("/result/unexpected_count").asLong()).isEqualTo(malformed.size());
    assertThat(recordedFailures(report.runId(), "expect_column_values_to_match_regex", "code")).isEqualTo(malformed);
    for (String c : columns) {
      double completeness = 1 - nullRows(c).size() / (2.0 * ROWS);
      assertThat(report.metrics()).as(c).contains(new Metrics.Metric("Column", c, "Completeness", completeness));
    }
    assertThat(report.rowsScanned()).isEqualTo(2L * ROWS);
  }

  /** The rows (feed id # row number) where the column is null, as Iceberg's generic reader reads the table. */
  private Set<String> nullRows(String column) {
    Set<String> out = new TreeSet<>();
    for (Record r : Rows.of(lakehouse.load(table("people")))) {
      if (r.getField(column) == null) {
        out.add(r.getField("_feed_id") + "#" + r.getField("_row_number"));
      }
    }
    return out;
  }

  private Set<String> recordedFailures(String runId, String type, String column) {
    Set<String> out = new TreeSet<>();
    for (Record r : Rows.of(lakehouse.load(QualityRunner.ROW_FAILURES))) {
      if (runId.equals(r.getField("run_id")) && type.equals(r.getField("expectation_type"))
          && column.equals(r.getField("columns"))) {
        out.add(r.getField("feed_id") + "#" + r.getField("row_number"));
      }
    }
    return out;
  }

  /** A file whose streams note the lowest position read and the end of the highest read. */
  private static final class Reads implements org.apache.iceberg.io.InputFile {
    private final org.apache.iceberg.io.InputFile file;
    long lowest = Long.MAX_VALUE;
    long highestEnd = -1;

    Reads(org.apache.iceberg.io.InputFile file) {
      this.file = file;
    }

    void clear() {
      lowest = Long.MAX_VALUE;
      highestEnd = -1;
    }

    @Override
    public long getLength() {
      return file.getLength();
    }

    @Override
    public String location() {
      return file.location();
    }

    @Override
    public boolean exists() {
      return file.exists();
    }

    @Override
    public org.apache.iceberg.io.SeekableInputStream newStream() {
      org.apache.iceberg.io.SeekableInputStream in = file.newStream();
      return new org.apache.iceberg.io.SeekableInputStream() {
        @Override
        public long getPos() throws java.io.IOException {
          return in.getPos();
        }

        @Override
        public void seek(long pos) throws java.io.IOException {
          in.seek(pos);
        }

        @Override
        public int read() throws java.io.IOException {
          long pos = in.getPos();
          int b = in.read();
          noted(pos, b < 0 ? 0 : 1);
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
          long pos = in.getPos();
          int n = in.read(b, off, len);
          noted(pos, Math.max(0, n));
          return n;
        }

        @Override
        public void close() throws java.io.IOException {
          in.close();
        }
      };
    }

    private synchronized void noted(long pos, int n) {
      if (n > 0) {
        lowest = Math.min(lowest, pos);
        highestEnd = Math.max(highestEnd, pos + n);
      }
    }
  }

  private static ScanContext context(Path spill) {
    return new ScanContext() {
      @Override
      public FailureSink failures() {
        return (expectation, rowKey, feedId, rowNumber, reason, shownValue) -> {
          throw new AssertionError("no analyzer here fails rows");
        };
      }

      @Override
      public Path spillDirectory() {
        return spill;
      }

      @Override
      public long spillBudgetBytes() {
        return 1 << 20;
      }

      @Override
      public ValueMemory valueMemory() {
        return ValueMemory.unbounded();
      }

      @Override
      public String display(String column, String value) {
        return value;
      }

      @Override
      public RowLocator rowLocator() {
        return null;
      }
    };
  }
}
