package io.dataops.quality.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.iceberg.types.Type;

/**
 * Where a row came from, as a few bytes: its row number in the feed's file, the feed (an index into a dictionary
 * shared by the run's threads), and its primary-key values unless the grouped value is the key itself. Spilled
 * with every value that might turn out duplicated; turned into text only for rows that do.
 */
public final class RowLocator {
  private final List<String> keyColumns;
  private final List<Type> keyTypes;
  private final BiFunction<String, String, String> display;
  private final Map<String, Integer> feedIndex = new ConcurrentHashMap<>();
  private final List<String> feeds = new ArrayList<>();

  public RowLocator(List<String> keyColumns, List<Type> keyTypes, BiFunction<String, String, String> display) {
    this.keyColumns = List.copyOf(keyColumns);
    this.keyTypes = List.copyOf(keyTypes);
    this.display = display;
  }

  /** The row as it is reported. */
  public record Ref(String rowKey, String feedId, long rowNumber) {}

  /** Per-thread scratch: the last feed seen (a data file holds one feed, so this nearly always hits). */
  static final class Cursor {
    private String lastFeed;
    private int lastIndex = -1;
    final KeyBuffer part = new KeyBuffer();
  }

  /** True when the grouped columns are exactly the key, so the key need not be stored twice. */
  boolean keyIs(List<String> columns) {
    return !keyColumns.isEmpty() && keyColumns.equals(columns);
  }

  void append(Batch batch, int row, KeyBuffer out, Cursor cursor, boolean keyIsValue) {
    out.putLong(batch.sourceRowNumber(row));
    out.putInt(feedIndex(batch.feedId(row), cursor));
    out.put((byte) (keyIsValue ? 1 : 0));
    if (keyIsValue) {
      return;
    }
    for (int i = 0; i < keyColumns.size(); i++) { // by index: an iterator per row was 2% of a scan's allocation
      ColumnView c = batch.column(keyColumns.get(i));
      if (c == null || c.isNull(row)) {
        out.putInt(-1);
        continue;
      }
      cursor.part.clear();
      c.appendKey(row, cursor.part);
      out.putInt(cursor.part.length());
      out.put(cursor.part.array(), 0, cursor.part.length());
    }
  }

  private int feedIndex(String feed, Cursor cursor) {
    if (feed == null) {
      return -1;
    }
    if (feed == cursor.lastFeed || feed.equals(cursor.lastFeed)) {
      return cursor.lastIndex;
    }
    int index = feedIndex.computeIfAbsent(feed, f -> {
      synchronized (feeds) {
        feeds.add(f);
        return feeds.size() - 1;
      }
    });
    cursor.lastFeed = feed;
    cursor.lastIndex = index;
    return index;
  }

  /** Decodes a locator; {@code shownValue} is the (masked) value, used as the key when the value is the key. */
  Ref decode(byte[] b, int off, String shownValue) {
    long rowNumber = KeyRendering.readLong(b, off);
    int feed = SortedValueRecords.getInt(b, off + 8);
    String feedId;
    synchronized (feeds) {
      feedId = feed < 0 ? null : feeds.get(feed);
    }
    int p = off + 12;
    boolean keyIsValue = b[p++] == 1;
    if (keyColumns.isEmpty()) {
      return new Ref(null, feedId, rowNumber);
    }
    if (keyIsValue) {
      return new Ref(keyColumns.get(0) + "=" + shownValue, feedId, rowNumber);
    }
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < keyColumns.size(); i++) {
      int len = SortedValueRecords.getInt(b, p);
      p += 4;
      key.append(i > 0 ? ", " : "").append(keyColumns.get(i)).append('=');
      if (len < 0) {
        key.append("null");
      } else {
        key.append(display.apply(keyColumns.get(i), KeyRendering.render(keyTypes.get(i), b, p, len)));
        p += len;
      }
    }
    return new Ref(key.toString(), feedId, rowNumber);
  }
}
