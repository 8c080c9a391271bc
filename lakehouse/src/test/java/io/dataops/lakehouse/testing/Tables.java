package io.dataops.lakehouse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads whole (small) test tables. */
public final class Tables {
  private Tables() {}

  public static List<Record> rows(Table table) {
    table.refresh();
    if (table.currentSnapshot() == null) {
      return List.of();
    }
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The Parquet files under the lakehouse's warehouse, on whichever storage it is (listed through its FileIO, as
   * the platform would see them).
   */
  public static List<String> parquetFiles(io.dataops.lakehouse.catalog.Lakehouse lakehouse) {
    var io = (org.apache.iceberg.io.SupportsPrefixOperations) lakehouse.io();
    List<String> out = new ArrayList<>();
    io.listPrefix(lakehouse.config().warehouse()).forEach(f -> {
      if (f.location().endsWith(".parquet")) {
        out.add(f.location());
      }
    });
    return out;
  }

  /** Rows ordered by a long column (e.g. the row number). */
  public static List<Record> rowsBy(Table table, String longColumn) {
    List<Record> rows = new ArrayList<>(rows(table));
    rows.sort(Comparator.comparingLong(r -> (Long) r.getField(longColumn)));
    return rows;
  }

  /**
   * Commits a file of Iceberg's generic writer and one of ours, written from the same rows to two tables of one schema,
   * and checks that both hold the same rows (ordered by {@code longColumn}) with the same counts and bounds.
   */
  public static void assertSameRowsAndMetrics(Table generic, DataFile g, Table direct, DataFile d, String longColumn) {
    generic.newAppend().appendFile(g).commit();
    direct.newAppend().appendFile(d).commit();
    assertEquals(rowsBy(generic, longColumn).toString(), rowsBy(direct, longColumn).toString());
    assertEquals(g.recordCount(), d.recordCount());
    assertEquals(g.valueCounts(), d.valueCounts());
    assertEquals(g.nullValueCounts(), d.nullValueCounts());
    assertEquals(g.nanValueCounts(), d.nanValueCounts());
    assertEquals(g.lowerBounds(), d.lowerBounds());
    assertEquals(g.upperBounds(), d.upperBounds());
  }
}
