package io.dataops.quality.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
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
 * a column missing from the file; an encrypted footer) proves nothing, and the column is read as before.
 */
final class NullFreeColumns {
  /** One read from the end of the file: footers of flat tables fit, so usually a single request on object storage. */
  private static final int TAIL = 64 * 1024;
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  private NullFreeColumns() {}

  /** The names among {@code candidates} (field id to column name) that hold no null in {@code file}. */
  static Set<String> in(InputFile file, Map<Integer, String> candidates) {
    FileMetaData footer = footer(file);
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
  private static FileMetaData footer(InputFile file) {
    long length = file.getLength();
    if (length < 12) {
      return null;
    }
    try (SeekableInputStream in = file.newStream()) {
      int tail = (int) Math.min(TAIL, length);
      byte[] buf = new byte[tail];
      in.seek(length - tail);
      readFully(in, buf, 0, tail);
      for (int m = 0; m < 4; m++) {
        if (buf[tail - 4 + m] != MAGIC[m]) {
          return null;
        }
      }
      int footerLength = ByteBuffer.wrap(buf, tail - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (footerLength <= 0 || footerLength > length - 12) {
        return null;
      }
      if (footerLength + 8 <= tail) {
        return Util.readFileMetaData(new ByteArrayInputStream(buf, tail - 8 - footerLength, footerLength));
      }
      byte[] whole = new byte[footerLength];
      in.seek(length - 8 - footerLength);
      readFully(in, whole, 0, footerLength);
      return Util.readFileMetaData(new ByteArrayInputStream(whole));
    } catch (IOException e) {
      throw new UncheckedIOException("reading a data file's footer failed", e);
    }
  }

  private static void readFully(SeekableInputStream in, byte[] buf, int off, int len) throws IOException {
    while (len > 0) {
      int n = in.read(buf, off, len);
      if (n < 0) {
        throw new IOException("the file ended before its footer");
      }
      off += n;
      len -= n;
    }
  }
}
