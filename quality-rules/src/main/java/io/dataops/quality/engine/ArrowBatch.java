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
 * reader of DuckDB results, but for decimals held as Parquet bytes (see {@link DecimalView}).
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

  /**
   * Decimals. Iceberg's accessors read the unscaled value of Parquet FIXED_LEN_BYTE_ARRAY (and BINARY) decimals, plain
   * or dictionary-encoded, through {@code BigDecimal.valueOf(unscaled.longValue(), scale)} (iceberg-arrow 1.11's
   * {@code ArrowVectorAccessors.JavaDecimalFactory.ofBigDecimal}): past 64 bits they keep the low 64 bits, signed, so a
   * decimal(38,2) of 123456789012345678901.23 read as 48071159228778590.19. Those decimals (precisions 19 to 38 as
   * Iceberg writes them) are read here from their big-endian two's-complement bytes; Iceberg's accessors are asked
   * only for INT32 and INT64 decimals, which they read exactly.
   */
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
    /**
     * Or, for Parquet FIXED_LEN_BYTE_ARRAY (Iceberg's writer uses it for precisions 19 to 38, other writers for any),
     * plain pages as big-endian unscaled bytes: read as a long where the value fits one.
     */
    private final org.apache.arrow.vector.FixedSizeBinaryVector fixed;
    private final int width;
    /** Or, for Parquet BINARY decimals, plain pages as big-endian unscaled bytes of any length. */
    private final org.apache.arrow.vector.VarBinaryVector varBytes;
    /** Or dictionary pages of FIXED_LEN_BYTE_ARRAY or BINARY decimals: their ids, and the page's dictionary. */
    private final org.apache.arrow.vector.IntVector ids;
    private final org.apache.parquet.column.Dictionary dictionary;
    /** Dictionary values decoded once per id (the first {@value #DECODED} ids), made on first use. */
    private BigDecimal[] decoded;
    private double[] decodedDoubles;
    private static final int DECODED = 4096;

    DecimalView(ColumnVector v, Types.DecimalType type) {
      super(v);
      this.precision = type.precision();
      this.scale = type.scale();
      org.apache.arrow.vector.FieldVector f = v.getFieldVector();
      this.decimals = f instanceof org.apache.arrow.vector.DecimalVector d ? d : null;
      this.unscaledLongs = f instanceof org.apache.arrow.vector.BigIntVector b ? b : null;
      this.fixed = f instanceof org.apache.arrow.vector.FixedSizeBinaryVector x ? x : null;
      this.width = fixed == null ? 0 : fixed.getByteWidth();
      this.varBytes = f instanceof org.apache.arrow.vector.VarBinaryVector x ? x : null;
      org.apache.parquet.column.Dictionary dict = f instanceof org.apache.arrow.vector.IntVector
          ? binaryDictionary(v, precision) : null;
      this.ids = dict == null ? null : (org.apache.arrow.vector.IntVector) f;
      this.dictionary = dict;
    }

    @Override
    public Kind kind() {
      return Kind.DECIMAL;
    }

    @Override
    public BigDecimal getDecimal(int row) {
      if (decimals != null) {
        return ArrowValues.decimal(decimals, row, scale);
      }
      if (fixed != null) {
        long at = (long) row * width;
        return fitsLong(at) ? BigDecimal.valueOf(fixedLong(at), scale) : new BigDecimal(wide(row), scale);
      }
      if (varBytes != null) {
        return new BigDecimal(new java.math.BigInteger(varBytes.get(row)), scale);
      }
      if (ids != null) {
        int id = id(row);
        return id >= 0 && id < DECODED ? decodedAt(id) : decode(id);
      }
      return v.getDecimal(row, precision, scale); // INT32 and INT64 decimals, plain or dictionary-encoded
    }

    @Override
    public double getDouble(int row) {
      if (decimals != null) {
        return ArrowValues.decimalAsDouble(decimals, row);
      }
      if (unscaledLongs != null) {
        return ArrowValues.unscaledAsDouble(unscaledLongs.getDataBuffer().getLong((long) row * 8), scale);
      }
      if (fixed != null) {
        long at = (long) row * width;
        return fitsLong(at) ? ArrowValues.unscaledAsDouble(fixedLong(at), scale)
            : new BigDecimal(wide(row), scale).doubleValue();
      }
      if (ids != null) {
        int id = id(row);
        if (id >= 0 && id < DECODED) {
          decodedAt(id);
          return decodedDoubles[id];
        }
        return decode(id).doubleValue();
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

    /** Whether the fixed-width value at byte {@code at} fits in a long: its bytes above the low 8 only extend its sign. */
    private boolean fitsLong(long at) {
      if (width <= 8) {
        return true;
      }
      org.apache.arrow.memory.ArrowBuf data = fixed.getDataBuffer();
      byte sign = (byte) (data.getByte(at + width - 8) >> 7);
      for (int i = 0; i < width - 8; i++) {
        if (data.getByte(at + i) != sign) {
          return false;
        }
      }
      return true;
    }

    /** The fixed-width big-endian value at byte {@code at} as a long: its low 8 bytes (or all, sign-extended). */
    private long fixedLong(long at) {
      org.apache.arrow.memory.ArrowBuf data = fixed.getDataBuffer();
      if (width >= 8) {
        return Long.reverseBytes(data.getLong(at + width - 8));
      }
      long x = data.getByte(at); // sign-extended
      for (int i = 1; i < width; i++) {
        x = (x << 8) | (data.getByte(at + i) & 0xFF);
      }
      return x;
    }

    private java.math.BigInteger wide(int row) {
      return new java.math.BigInteger(fixed.get(row));
    }

    private int id(int row) {
      // Read the id from the data buffer: the Arrow validity bits are not what Iceberg uses for nulls.
      return ids.getDataBuffer().getInt((long) row * 4);
    }

    private BigDecimal decodedAt(int id) {
      if (decoded == null) {
        decoded = new BigDecimal[DECODED];
        decodedDoubles = new double[DECODED];
      }
      BigDecimal d = decoded[id];
      if (d == null) {
        d = decode(id);
        decoded[id] = d;
        decodedDoubles[id] = d.doubleValue();
      }
      return d;
    }

    private BigDecimal decode(int id) {
      return new BigDecimal(new java.math.BigInteger(dictionary.decodeToBinary(id).getBytes()), scale);
    }

    /**
     * The dictionary of a page of FIXED_LEN_BYTE_ARRAY or BINARY decimals read as ids, or null for other columns (ids
     * of INT32 or INT64 decimals, plain INT32 decimals), whose Iceberg accessors read them exactly. Iceberg's column
     * vector keeps its dictionary to itself: read from its holder.
     */
    private static org.apache.parquet.column.Dictionary binaryDictionary(ColumnVector v, int precision) {
      org.apache.iceberg.arrow.vectorized.VectorHolder holder;
      try {
        holder = (org.apache.iceberg.arrow.vectorized.VectorHolder) HOLDER.get(v);
      } catch (ReflectiveOperationException | RuntimeException e) {
        if (precision <= 18) {
          return null; // its values fit in a long: Iceberg's accessor reads them exactly whatever their encoding
        }
        throw new IllegalStateException("cannot read the dictionary of a decimal(" + precision + ") column from "
            + "Iceberg's column vector: Iceberg's own accessor would misread its values past 64 bits", e);
      }
      if (holder == null || !holder.isDictionaryEncoded() || holder.dictionary() == null
          || holder.descriptor() == null) {
        return null;
      }
      var physical = holder.descriptor().getPrimitiveType().getPrimitiveTypeName();
      return physical == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
          || physical == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY ? holder.dictionary() : null;
    }

    private static final java.lang.reflect.Field HOLDER = holderField();

    private static java.lang.reflect.Field holderField() {
      try {
        java.lang.reflect.Field f = ColumnVector.class.getDeclaredField("vectorHolder");
        f.setAccessible(true);
        return f;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // reported on first use, by a column that needs it
      }
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
