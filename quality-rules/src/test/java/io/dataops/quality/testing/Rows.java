package io.dataops.quality.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads a small test table whole. */
public final class Rows {
  private Rows() {}

  public static List<Record> of(Table table) {
    table.refresh();
    List<Record> out = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
