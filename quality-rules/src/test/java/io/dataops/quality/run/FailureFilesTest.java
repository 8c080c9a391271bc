package io.dataops.quality.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.testing.Tables;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.Expectation;
import io.dataops.quality.suite.SuiteParser;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failing rows' files of one run: a run that fails before its commit deletes the files it wrote, and a commit
 * reports its own snapshot even when other runs commit to the same table right after it.
 */
class FailureFilesTest extends QualityFixture {
  private static final List<Expectation> EXPECTATIONS = SuiteParser.parse("""
      name: failures
      expectations:
        - {type: expect_column_values_to_not_be_null, kwargs: {column: code}}
      """, "suite.yaml").expectations();
  private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 2, 5, 0, 0, 0, ZoneOffset.UTC);

  private Table table;

  @BeforeEach
  void createTable() {
    table = lakehouse.createOrLoad(QualityRunner.ROW_FAILURES, new Schema(RowFailureWriter.SCHEMA.columns()), Map.of());
  }

  @Test
  void aRunThatFailsBeforeItsCommitLeavesNoFiles() {
    FailureFiles files = failureFiles(table, "run-failed");
    fail(files.writer(0), 3);
    fail(files.writer(1), 2);
    files.writer(2); // a slot that found nothing opens no file

    files.close();

    List<DataFile> written = files.writtenFiles();
    assertThat(written).as("one file per slot that failed rows").hasSize(2);
    for (DataFile f : written) {
      assertThat(table.io().newInputFile(f.location()).exists()).as(f.location()).isFalse();
    }
    table.refresh();
    assertThat(table.currentSnapshot()).as("nothing committed").isNull();
  }

  @Test
  void aCommittedRunKeepsItsFilesAndNamesItsOwnSnapshot() throws Exception {
    FailureFiles first = failureFiles(table, "run-1");
    fail(first.writer(0), 4);
    FailureFiles.Committed committed = first.commit();
    first.close();

    // Another process appends right after: its snapshot is current now, the first run's is its parent.
    Table other = lakehouse.load(QualityRunner.ROW_FAILURES);
    try (FailureFiles second = failureFiles(other, "run-2")) {
      fail(second.writer(0), 1);
      assertThat(second.commit().snapshotId()).isNotEqualTo(committed.snapshotId());
    }
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isNotEqualTo(committed.snapshotId());
    assertThat(FailureFiles.snapshotOf(table, "run-1")).isEqualTo(committed.snapshotId());
    assertThat(table.snapshot(committed.snapshotId()).summary()).containsEntry("dataops.run-id", "run-1");

    assertThat(committed.rows()).isEqualTo(4);
    assertThat(runRows("run-1")).isEqualTo(4);
    assertThat(runRows("run-2")).isEqualTo(1);
  }

  @Test
  void runsCommittingAtOnceEachReportTheirOwnSnapshot() throws Exception {
    for (int round = 0; round < 4; round++) {
      List<CompletableFuture<Long>> commits = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        String runId = "run-" + round + "-" + r;
        Table own = lakehouse.load(QualityRunner.ROW_FAILURES);
        commits.add(CompletableFuture.supplyAsync(() -> {
          try (FailureFiles files = failureFiles(own, runId)) {
            fail(files.writer(0), 2);
            return files.commit().snapshotId();
          }
        }));
      }
      table.refresh();
      for (int r = 0; r < 2; r++) {
        long snapshot = commits.get(r).get();
        table.refresh();
        assertThat(table.snapshot(snapshot).summary()).containsEntry("dataops.run-id", "run-" + round + "-" + r);
      }
    }
    assertThat(runRows("run-3-1")).isEqualTo(2);
  }

  @Test
  void aCommitWithoutFailingRowsRecordsNothing() {
    try (FailureFiles files = failureFiles(table, "run-clean")) {
      files.writer(0);
      FailureFiles.Committed committed = files.commit();
      assertThat(committed.rows()).isZero();
      assertThat(committed.snapshotId()).isNull();
    }
    table.refresh();
    assertThat(table.currentSnapshot()).isNull();
  }

  @Test
  void aCommitWithoutARaisedExpectationKeepsOnlyTheOthersRowsAndLeavesNoFileBehind() {
    List<Expectation> two = SuiteParser.parse("""
        name: failures
        expectations:
          - {id: kept, type: expect_column_values_to_not_be_null, kwargs: {column: code}}
          - {id: raised, type: expect_column_values_to_match_regex, kwargs: {column: code, regex: '^C'}}
        """, "suite.yaml").expectations();
    BitSet raised = new BitSet();
    raised.set(1);
    FailureFiles.Committed committed;
    try (FailureFiles files = new FailureFiles(table, "run-raised", "ods.dept__t", 42L, two, List.of("code", "code"),
        AT)) {
      RowFailureWriter mixed = files.writer(0);
      fail(mixed, 0, 3);
      fail(mixed, 1, 2);
      fail(files.writer(1), 1, 4); // only the raised expectation's rows: nothing of it stays
      fail(files.writer(2), 0, 1); // nothing to drop: its file stays as written
      committed = files.commit(raised);
    }

    assertThat(committed.rows()).isEqualTo(4);
    List<Record> rows = Tables.rows(table);
    assertThat(rows).extracting(r -> r.getField("expectation_id") + ":" + r.getField("row_key"))
        .containsExactlyInAnyOrder("kept:k0", "kept:k1", "kept:k2", "kept:k0");
    List<String> committedFiles = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(f -> committedFiles.add(name(f.location())));
    assertThat(committedFiles).hasSize(2);
    assertThat(Tables.parquetFiles(lakehouse)).extracting(FailureFilesTest::name)
        .as("the files written before the drop are deleted").containsExactlyInAnyOrderElementsOf(committedFiles);
  }

  private static String name(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static FailureFiles failureFiles(Table table, String runId) {
    return new FailureFiles(table, runId, "ods.dept__t", 42L, EXPECTATIONS, List.of("code"), AT);
  }

  private static void fail(RowFailureWriter writer, int rows) {
    fail(writer, 0, rows);
  }

  private static void fail(RowFailureWriter writer, int expectation, int rows) {
    for (int i = 0; i < rows; i++) {
      writer.fail(expectation, "k" + i, "feed-1", i + 1, "null", null);
    }
  }

  private long runRows(String runId) throws Exception {
    table.refresh();
    long n = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        if (runId.equals(r.getField("run_id"))) {
          n++;
        }
      }
    }
    return n;
  }
}
