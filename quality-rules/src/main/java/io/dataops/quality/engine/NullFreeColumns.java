package io.dataops.quality.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Util;

/**
 * Which top-level columns a Parquet data file's footer proves to hold no null: the column is REQUIRED in the file's
 * schema, or every row group's chunk of it counts its nulls (statistics' null_count) and counts none. Columns are
 * matched by Iceberg field id. Anything else (no statistics, as for personal columns with metrics mode {@code none};
 * a column missing from the file; an encrypted footer) proves nothing, and the column is read as before. The footer is
 * the one {@link FileTail} read, which the scan's reader then reads from memory.
 */
final class NullFreeColumns {
  private NullFreeColumns() {}

  /** The names among {@code candidates} (field id to column name) that hold no null in the file {@code tail} ends. */
  static Set<String> in(FileTail tail, Map<Integer, String> candidates) {
    FileMetaData footer = footer(tail);
    if (footer == null) {
      return Set.of();
    }
    // Top-level primitive columns of the file, by name: their field id and whether they are REQUIRED.
    Map<String, Integer> ids = new HashMap<>();
    Set<String> required = new HashSet<>();
    List<SchemaElement> schema = footer.getSchema();
    int i = 1;
    while (i < schema.size()) {
      SchemaElement e = schema.get(i);
      if (e.isSetNum_children() && e.getNum_children() > 0) {
        i = skipGroup(schema, i);
        continue;
      }
      if (e.isSetField_id() && candidates.containsKey(e.getField_id())) {
        ids.put(e.getName(), e.getField_id());
        if (e.getRepetition_type() == FieldRepetitionType.REQUIRED) {
          required.add(e.getName());
        }
      }
      i++;
    }
    Set<String> counted = new HashSet<>(ids.keySet());
    counted.removeAll(required);
    for (RowGroup group : footer.getRow_groups()) {
      Set<String> seen = new HashSet<>();
      for (ColumnChunk chunk : group.getColumns()) {
        if (chunk.getMeta_data() == null || chunk.getMeta_data().getPath_in_schema().size() != 1) {
          continue;
        }
        String name = chunk.getMeta_data().getPath_in_schema().get(0);
        Statistics stats = chunk.getMeta_data().getStatistics();
        if (counted.contains(name) && stats != null && stats.isSetNull_count() && stats.getNull_count() == 0) {
          seen.add(name);
        }
      }
      counted.retainAll(seen);
    }
    Set<String> free = new HashSet<>();
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      if (required.contains(e.getKey()) || counted.contains(e.getKey())) {
        free.add(candidates.get(e.getValue()));
      }
    }
    return free;
  }

  /** The index after the group at {@code i} and all its descendants. */
  private static int skipGroup(List<SchemaElement> schema, int i) {
    int pending = 1;
    while (pending > 0 && i < schema.size()) {
      SchemaElement e = schema.get(i++);
      pending--;
      if (e.isSetNum_children()) {
        pending += e.getNum_children();
      }
    }
    return i;
  }

  /** The footer, or null when the file does not end in a plain footer (an encrypted one, say). */
  private static FileMetaData footer(FileTail tail) {
    ByteBuffer bytes = tail.footer();
    if (bytes == null) {
      return null;
    }
    try {
      return Util.readFileMetaData(new ByteArrayInputStream(bytes.array(), bytes.position(), bytes.remaining()));
    } catch (IOException e) {
      throw new UncheckedIOException("reading a data file's footer failed", e);
    }
  }
}
