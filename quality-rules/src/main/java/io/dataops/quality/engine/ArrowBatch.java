package io.dataops.quality.engine;

import io.dataops.lakehouse.arrow.ArrowValues;
import io.dataops.lakehouse.arrow.Utf8Scratch;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.arrow.vectorized.ColumnVector;
import org.apache.iceberg.arrow.vectorized.ColumnarBatch;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A batch read by Iceberg's vectorized Arrow reader. Nulls and dictionary-encoded pages go through Iceberg's column
 * accessors (its nullability holder, its dictionaries); plain pages of text and decimals are read from their Arrow
 * vectors in place, and every conversion to a value is {@link ArrowValues}', shared with the Spring Batch executor's
 * reader of DuckDB results.
 */
final class ArrowBatch implements Batch {
  private final int size;
  private final Map<String, ColumnView> columns = new HashMap<>();
  private final List<String> keyColumns;
  private final ColumnView feed;
  private final ColumnView rowNumber;
  private final ScanContext context;

  /** {@code unread}: columns the file's footer proved free of nulls, read only for their nulls, so not read. */
  ArrowBatch(ColumnarBatch batch, Schema projected, List<Types.NestedField> unread, List<String> keyColumns,
      ScanContext context) {
    this.size = batch.numRows();
    List<Types.NestedField> fields = projected.columns();
    for (int i = 0; i < fields.size(); i++) {
      columns.put(fields.get(i).name(), view(batch.column(i), fields.get(i).type()));
    }
    for (Types.NestedField f : unread) {
      columns.put(f.name(), new NoNullsView(f.name(), kindOf(f.type())));
    }
    this.keyColumns = keyColumns;
    this.feed = columns.get("_feed_id");
    this.rowNumber = columns.get("_row_number");
    this.context = context;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public ColumnView column(String name) {
    return columns.get(name);
  }

  @Override
  public String rowKey(int row) {
    if (keyColumns.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String k : keyColumns) {
      ColumnView c = columns.get(k);
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(k).append('=').append(c == null || c.isNull(row) ? "null" : context.display(k, c.getString(row)));
    }
    return sb.toString();
  }

  @Override
  public String feedId(int row) {
    return feed == null || feed.isNull(row) ? null : feed.getString(row);
  }

  @Override
  public long sourceRowNumber(int row) {
    return rowNumber == null || rowNumber.isNull(row) ? -1 : rowNumber.getLong(row);
  }

  static ColumnView view(ColumnVector v, Type type) {
    return switch (type.typeId()) {
      case STRING -> new StringView(v);
      case LONG -> new LongView(v, kindOf(type), false);
      case TIMESTAMP -> new LongView(v, kindOf(type), ((Types.TimestampType) type).shouldAdjustToUTC());
      case INTEGER, DATE -> new IntView(v, kindOf(type));
      case DOUBLE -> new DoubleView(v, false);
      case FLOAT -> new DoubleView(v, true);
      case DECIMAL -> new DecimalView(v, (Types.DecimalType) type);
      case BOOLEAN -> new BooleanView(v);
      default -> new OtherView(v);
    };
  }

  /** The kind {@link #view} gives a column of this type. */
  static ColumnView.Kind kindOf(Type type) {
    return switch (type.typeId()) {
      case STRING -> ColumnView.Kind.STRING;
      case LONG -> ColumnView.Kind.LONG;
      case INTEGER -> ColumnView.Kind.INT;
      case DATE -> ColumnView.Kind.DATE;
      case TIMESTAMP -> ColumnView.Kind.TIMESTAMP;
      case DOUBLE, FLOAT -> ColumnView.Kind.DOUBLE;
      case DECIMAL -> ColumnView.Kind.DECIMAL;
      case BOOLEAN -> ColumnView.Kind.BOOLEAN;
      default -> ColumnView.Kind.OTHER;
    };
  }

  private abstract static class Base implements ColumnView {
    final ColumnVector v;

    Base(ColumnVector v) {
      this.v = v;
    }

    @Override
    public boolean isNull(int row) {
      return v.isNullAt(row);
    }

    @Override
    public long getLong(int row) {
      throw new UnsupportedOperationException(kind() + " is not a whole number");
    }

    @Override
    public double getDouble(int row) {
      throw new UnsupportedOperationException(kind() + " is not a number");
    }

    @Override
    public BigDecimal getDecimal(int row) {
      return BigDecimal.valueOf(getDouble(row));
    }
  }

  /** A column not read from this file: its footer proved it holds no null, and only its nulls were asked for. */
  private record NoNullsView(String name, Kind kind) implements ColumnView {
    @Override
    public boolean isNull(int row) {
      return false;
    }

    private IllegalStateException notRead() {
      return new IllegalStateException("column '" + name + "' was not read from this file: only its nulls were "
          + "needed and the file holds none");
    }

    @Override
    public long getLong(int row) {
      throw notRead();
    }

    @Override
    public double getDouble(int row) {
      throw notRead();
    }

    @Override
    public BigDecimal getDecimal(int row) {
      throw notRead();
    }

    @Override
    public String getString(int row) {
      throw notRead();
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      throw notRead();
    }
  }

  private static final class StringView extends Base {
    /** Plain pages come as a VarCharVector whose bytes can be read in place. */
    private final org.apache.arrow.vector.VarCharVector varchar;
    /** Dictionary pages come as dictionary ids: decode each id once per batch. */
    private final org.apache.arrow.vector.IntVector ids;
    /**
     * Ids index the page's dictionary; batches are small, so {@value #DECODED} slots cover common cases. Made on
     * first use, each on its own: a check reads either strings or bytes, and eagerly the two were 4% of a scan's
     * allocation.
     */
    private String[] decoded;
    private byte[][] decodedBytes;
    private static final int DECODED = 4096;
    /** Plain pages' text decoded without a byte array per value; made on first use, as the caches above. */
    private Utf8Scratch scratch;

    StringView(ColumnVector v) {
      super(v);
      this.varchar = v.getFieldVector() instanceof org.apache.arrow.vector.VarCharVector vc ? vc : null;
      this.ids = v.getFieldVector() instanceof org.apache.arrow.vector.IntVector iv ? iv : null;
    }

    @Override
    public Kind kind() {
      return Kind.STRING;
    }

    @Override
    public String getString(int row) {
      if (ids != null) {
        // Read the id from the data buffer: the Arrow validity bits are not what Iceberg uses for nulls.
        int id = ids.getDataBuffer().getInt((long) row * 4);
        if (id < 0 || id >= DECODED) {
          return v.getString(row);
        }
        if (decoded == null) {
          decoded = new String[DECODED];
        }
        String s = decoded[id];
        if (s == null) {
          s = v.getString(row);
          decoded[id] = s;
        }
        return s;
      }
      if (varchar != null) {
        if (scratch == null) {
          scratch = new Utf8Scratch();
        }
        return scratch.string(varchar, row);
      }
      return v.getString(row);
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      if (varchar != null) {
        out.putUtf8(varchar, row);
      } else if (ids != null) {
        int id = ids.getDataBuffer().getInt((long) row * 4);
        boolean cached = id >= 0 && id < DECODED;
        if (cached && decodedBytes == null) {
          decodedBytes = new byte[DECODED][];
        }
        byte[] b = cached ? decodedBytes[id] : null;
        if (b == null) {
          b = v.getString(row).getBytes(StandardCharsets.UTF_8); // each id once: no string cache needed
          if (cached) {
            decodedBytes[id] = b;
          }
        }
        out.put(b, 0, b.length);
      } else {
        out.putString(getString(row));
      }
    }
  }

  private static final class LongView extends Base {
    private final Kind kind;
    /** A timestamp with zone (an instant): its text names UTC. */
    private final boolean zoned;

    LongView(ColumnVector v, Kind kind, boolean zoned) {
      super(v);
      this.kind = kind;
      this.zoned = zoned;
    }

    @Override
    public Kind kind() {
      return kind;
    }

    @Override
    public long getLong(int row) {
      return v.getLong(row);
    }

    @Override
    public double getDouble(int row) {
      return v.getLong(row);
    }

    @Override
    public BigDecimal getDecimal(int row) {
      return BigDecimal.valueOf(v.getLong(row));
    }

    @Override
    public String getString(int row) {
      long value = v.getLong(row);
      if (kind == Kind.TIMESTAMP) {
        return zoned ? ArrowValues.timestampTz(value).toString() : ArrowValues.timestamp(value).toString();
      }
      return Long.toString(value);
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      out.putLong(v.getLong(row));
    }
  }

  private static final class IntView extends Base {
    private final Kind kind;

    IntView(ColumnVector v, Kind kind) {
      super(v);
      this.kind = kind;
    }

    @Override
    public Kind kind() {
      return kind;
    }

    @Override
    public long getLong(int row) {
      return v.getInt(row);
    }

    @Override
    public double getDouble(int row) {
      return v.getInt(row);
    }

    @Override
    public BigDecimal getDecimal(int row) {
      return BigDecimal.valueOf(v.getInt(row));
    }

    @Override
    public String getString(int row) {
      int value = v.getInt(row);
      return kind == Kind.DATE ? ArrowValues.date(value).toString() : Integer.toString(value);
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      out.putLong(v.getInt(row));
    }
  }

  private static final class DoubleView extends Base {
    private final boolean isFloat;

    DoubleView(ColumnVector v, boolean isFloat) {
      super(v);
      this.isFloat = isFloat;
    }

    @Override
    public Kind kind() {
      return Kind.DOUBLE;
    }

    @Override
    public double getDouble(int row) {
      return isFloat ? v.getFloat(row) : v.getDouble(row);
    }

    @Override
    public String getString(int row) {
      return Double.toString(getDouble(row));
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      double d = getDouble(row);
      out.putLong(d == 0.0 ? 0L : Double.doubleToLongBits(d)); // -0.0 equals 0.0; all NaNs are one NaN
    }
  }

  private static final class DecimalView extends Base {
    private final int precision;
    private final int scale;
    /** Plain pages come as a DecimalVector: 16-byte little-endian unscaled values, read without a byte array. */
    private final org.apache.arrow.vector.DecimalVector decimals;
    /**
     * Or, for precisions up to 18 (Parquet INT64), as a BigIntVector of the unscaled values (dictionary pages come
     * as an IntVector of ids instead), where Iceberg's accessor made a BigDecimal per value read.
     */
    private final org.apache.arrow.vector.BigIntVector unscaledLongs;

    DecimalView(ColumnVector v, Types.DecimalType type) {
      super(v);
      this.precision = type.precision();
      this.scale = type.scale();
      this.decimals = v.getFieldVector() instanceof org.apache.arrow.vector.DecimalVector d ? d : null;
      this.unscaledLongs = v.getFieldVector() instanceof org.apache.arrow.vector.BigIntVector b ? b : null;
    }

    @Override
    public Kind kind() {
      return Kind.DECIMAL;
    }

    @Override
    public BigDecimal getDecimal(int row) {
      return decimals != null ? ArrowValues.decimal(decimals, row, scale) : v.getDecimal(row, precision, scale);
    }

    @Override
    public double getDouble(int row) {
      if (decimals != null) {
        return ArrowValues.decimalAsDouble(decimals, row);
      }
      if (unscaledLongs != null) {
        return ArrowValues.unscaledAsDouble(unscaledLongs.getDataBuffer().getLong((long) row * 8), scale);
      }
      return getDecimal(row).doubleValue();
    }

    @Override
    public String getString(int row) {
      return getDecimal(row).toPlainString();
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      byte[] b = getDecimal(row).unscaledValue().toByteArray();
      out.put(b, 0, b.length);
    }
  }

  private static final class BooleanView extends Base {
    BooleanView(ColumnVector v) {
      super(v);
    }

    @Override
    public Kind kind() {
      return Kind.BOOLEAN;
    }

    @Override
    public long getLong(int row) {
      return v.getBoolean(row) ? 1 : 0;
    }

    @Override
    public double getDouble(int row) {
      return v.getBoolean(row) ? 1 : 0;
    }

    @Override
    public String getString(int row) {
      return Boolean.toString(v.getBoolean(row));
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      out.put((byte) (v.getBoolean(row) ? 1 : 0));
    }
  }

  private static final class OtherView extends Base {
    OtherView(ColumnVector v) {
      super(v);
    }

    @Override
    public Kind kind() {
      return Kind.OTHER;
    }

    @Override
    public String getString(int row) {
      return new String(v.getBinary(row), StandardCharsets.UTF_8);
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      byte[] b = v.getBinary(row);
      out.put(b, 0, b.length);
    }
  }
}
