package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.parquet.ParquetCodecs;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.parquet.ParquetValueReader;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet feeds: columns are matched to the contract by name; typed values go to the workers for conversion
 * (a Parquet int64 in a decimal column, a string in a date column, and so on).
 */
final class ParquetFeedReader implements FeedReader {
  private static final int BATCH_ROWS = 4096;

  private final FeedFile file;
  private final FeedContract contract;
  private final Schema fileSchema;
  /** Per top-level file column: its integer annotation where the stored value needs reading through it, else null. */
  private final IntWidth[] widths;
  /** The file's type with every column, nested ones too, numbered in order: see {@link #numbered}. */
  private final MessageType numbered;
  /** {@link #numbered} as Iceberg is to read it ({@link #readType}): made once, for the schema and every read. */
  private final MessageType readable;
  private final int[] contractToFile;
  /**
   * Per contract column: its file column is text read as its bytes, to be checked as UTF-8 (see {@link #readType}):
   * a STRING (or ENUM or JSON) column, or a plain BINARY the contract says is UTF-8 text ({@code binaryAsUtf8}).
   */
  private final boolean[] utf8;
  private final List<String> missing = new ArrayList<>();
  private final long size;
  private long rowsSoFar;
  private long rowCount;

  ParquetFeedReader(FeedFile file, FeedContract contract) throws IOException {
    this.file = file;
    this.contract = contract;
    this.size = file.length();
    // A Parquet read, though not of a table file: the shared zstd codecs first, as the warehouse's FileIO does.
    ParquetCodecs.share();
    MessageType type;
    try (ParquetFileReader reader = ParquetFileReader.open(footerInput(file))) {
      type = reader.getFooter().getFileMetaData().getSchema();
      rowCount = reader.getRecordCount();
      checkChunks(reader.getFooter().getBlocks(), size);
    } catch (RuntimeException | IOException e) {
      if (e instanceof BadInputException bad) {
        throw bad;
      }
      throw new BadInputException("the file is not a readable Parquet file (" + e.getClass().getSimpleName() + ")");
    }
    List<Type> top = type.getFields();
    widths = new IntWidth[top.size()];
    for (int i = 0; i < top.size(); i++) {
      widths[i] = checkType(top.get(i), i);
    }
    this.numbered = numbered(type);
    this.readable = readType(numbered);
    try {
      this.fileSchema = ParquetSchemaUtil.convert(readable);
    } catch (RuntimeException e) {
      throw new BadInputException("the Parquet file has a column of a type the platform cannot read ("
          + e.getClass().getSimpleName() + ")");
    }

    Map<String, Integer> byName = new HashMap<>();
    Map<String, String> shownByKey = new HashMap<>();
    List<NestedField> fields = fileSchema.columns();
    for (int i = 0; i < fields.size(); i++) {
      String raw = fields.get(i).name().replace("\uFEFF", "").strip();
      String key = raw.toLowerCase(Locale.ROOT);
      Integer before = byName.put(key, i);
      if (before != null) {
        throw new BadInputException("the file has two columns named alike, " + clash(fields.get(before).name(),
            before, fields.get(i).name(), i) + ": names are matched to the contract without case or surrounding "
            + "spaces, so one of them would be lost (rename or remove one)");
      }
      if (!CsvFeedReader.Layout.looksLikeValue(key)) {
        shownByKey.put(key, key.isEmpty() ? "(empty name at position " + (i + 1) + ")" : VisibleText.value(key));
      }
    }
    contractToFile = new int[contract.columns().size()];
    utf8 = new boolean[contractToFile.length];
    List<String> missingRequired = new ArrayList<>();
    for (int c = 0; c < contractToFile.length; c++) {
      ColumnSpec spec = contract.columns().get(c);
      Integer f = byName.remove(spec.name());
      contractToFile[c] = f == null ? -1 : f;
      if (f == null) {
        (spec.required() ? missingRequired : missing).add(spec.name());
      } else if (!fields.get(f).type().isPrimitiveType()) {
        throw new BadInputException("Parquet column '" + spec.name() + "' is nested (a " + fields.get(f).type()
            .typeId().toString().toLowerCase(Locale.ROOT) + "); the contract promises a single value");
      } else {
        PrimitiveType p = top.get(f).asPrimitiveType();
        utf8[c] = isText(p) || spec.binaryAsUtf8() && p.getPrimitiveTypeName()
            == PrimitiveType.PrimitiveTypeName.BINARY && p.getLogicalTypeAnnotation() == null;
      }
    }
    if (!byName.isEmpty()) {
      var unknown = new java.util.TreeSet<String>();
      int unknownValueLike = 0;
      for (String key : byName.keySet()) {
        String shown = shownByKey.get(key);
        if (shown == null) {
          unknownValueLike++;
        } else {
          unknown.add(shown);
        }
      }
      // As CSV's header: a name that looks like a value (an ID number, a mobile) is never echoed (found by a probe).
      throw new BadInputException("the file has " + CsvFeedReader.Layout.undeclared(unknown, byName.size(),
          unknownValueLike, "column") + " (add them to the contract or remove them from the file)");
    }
    if (!missingRequired.isEmpty()) {
      throw new BadInputException("the file lacks required columns: " + String.join(", ", missingRequired));
    }
  }

  /** A column as a message may name it: its name when that looks like a name (made safe), else its position. */
  static String shownName(String name, int index) {
    String key = name.replace("\uFEFF", "").strip();
    if (key.isEmpty() || CsvFeedReader.Layout.looksLikeValue(key.toLowerCase(Locale.ROOT))) {
      return "column " + (index + 1) + " (its name not shown: " + (key.isEmpty() ? "it is empty" : "it looks like a "
          + "value") + ")";
    }
    return "column '" + VisibleText.value(key) + "'";
  }

  private static String clash(String a, int ia, String b, int ib) {
    return shownName(a, ia) + " and " + shownName(b, ib);
  }

  /**
   * Refuses a footer whose column chunks do not lie within the file: parquet-java allocates what a chunk claims, so a
   * file of a few hundred KB claiming a 2 GB chunk ran the landing out of memory (found by a probe).
   */
  private static void checkChunks(List<BlockMetaData> blocks, long fileLength) {
    // The data lies between the leading "PAR1" and the footer, itself followed by its length and "PAR1".
    long end = fileLength - 8;
    for (BlockMetaData block : blocks) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        long start = chunk.getStartingPos();
        long claimed = chunk.getTotalSize();
        if (start < 4 || claimed < 0 || claimed > end - start) {
          throw new BadInputException(String.format("damaged Parquet file: column chunk %s claims %,d bytes at offset "
              + "%,d in a file of %,d", chunkName(chunk), claimed, start, fileLength));
        }
        long uncompressed = chunk.getTotalUncompressedSize();
        if (uncompressed < 0) {
          throw new BadInputException(String.format("damaged Parquet file: column chunk %s claims %,d bytes "
              + "uncompressed", chunkName(chunk), uncompressed));
        }
      }
    }
  }

  private static String chunkName(ColumnChunkMetaData chunk) {
    String[] path = chunk.getPath().toArray();
    String name = String.join(".", path);
    return name.isEmpty() || CsvFeedReader.Layout.looksLikeValue(name.toLowerCase(Locale.ROOT)) ? "(name not shown)"
        : "'" + VisibleText.value(name) + "'";
  }

  /**
   * Refuses a top-level column of a type the landing cannot read exactly, naming it (found by a probe: these were
   * internal errors, or "damaged after row 0"); returns the column's integer annotation where a stored value must be
   * read through it (any unsigned one, and INT_8 and INT_16, narrower than the int32 that stores them), else null.
   */
  private static IntWidth checkType(Type column, int index) {
    if (!column.isPrimitive()) {
      return null;
    }
    PrimitiveType p = column.asPrimitiveType();
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    String unsupported = null;
    IntWidth width = null;
    if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d && d.getPrecision() > 38) {
      unsupported = "DECIMAL(" + d.getPrecision() + "," + d.getScale() + "), more than the 38 digits a decimal holds";
    } else if (logical instanceof LogicalTypeAnnotation.IntervalLogicalTypeAnnotation) {
      unsupported = "INTERVAL";
    } else if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t
        && t.getUnit() == LogicalTypeAnnotation.TimeUnit.NANOS) {
      unsupported = "TIME(NANOS)";
    } else if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
        && (!i.isSigned() || i.getBitWidth() < 32)) {
      width = new IntWidth(i.getBitWidth(), i.isSigned());
    }
    if (unsupported != null) {
      throw new BadInputException("the Parquet file's " + shownName(column.getName(), index) + " is of type "
          + unsupported + ", which the platform cannot land (convert the column in the file, e.g. to text)");
    }
    return width;
  }

  /**
   * The file's type with every field numbered 1, 2, 3... in schema order, whatever field ids the file gives: columns are
   * matched to the contract by name, and Iceberg's readers match a column to its value reader by id. The file's own
   * ids cannot be trusted for that: found by a probe, with ids on some columns only, the column without one was not
   * read and landed null in every row, silently; two columns sharing an id were refused as of a type the platform
   * cannot read.
   */
  private static MessageType numbered(MessageType type) {
    int[] next = {1};
    List<Type> fields = new ArrayList<>();
    for (Type field : type.getFields()) {
      fields.add(numbered(field, next));
    }
    return new MessageType(type.getName(), fields);
  }

  private static Type numbered(Type type, int[] next) {
    int id = next[0]++;
    if (type.isPrimitive()) {
      return type.withId(id);
    }
    List<Type> fields = new ArrayList<>();
    for (Type field : type.asGroupType().getFields()) {
      fields.add(numbered(field, next));
    }
    return type.asGroupType().withNewFields(fields).withId(id);
  }

  /**
   * The file's type as Iceberg is to read it, both the expected schema and the file type handed to its readers (so
   * they agree): UINT_64 as plain int64 (Iceberg refuses the annotation), {@link #read} then turning each value into
   * its unsigned number; and text columns ({@link #isText}) as plain BINARY, their bytes then checked and decoded
   * once by {@link #utf8}: Iceberg's string reader decodes with replacement characters, so bytes that are not UTF-8
   * landed silently as U+FFFD (found by a probe).
   */
  private static MessageType readType(MessageType type) {
    List<Type> fields = new ArrayList<>(type.getFields());
    boolean changed = false;
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).isPrimitive() && (isText(fields.get(i).asPrimitiveType())
          || fields.get(i).asPrimitiveType().getLogicalTypeAnnotation()
          instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation a && !a.isSigned() && a.getBitWidth() == 64)) {
        fields.set(i, fields.get(i).asPrimitiveType().withLogicalTypeAnnotation(null));
        changed = true;
      }
    }
    return changed ? new MessageType(type.getName(), fields) : type;
  }

  /** A BINARY column Parquet says is UTF-8 text: STRING, ENUM and JSON, each read by Iceberg as a string. */
  private static boolean isText(PrimitiveType p) {
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        && (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation);
  }

  /** Parquet's own view of the feed's InputFile, to read the footer (a local file or an object alike). */
  private static org.apache.parquet.io.InputFile footerInput(FeedFile file) {
    return new org.apache.parquet.io.InputFile() {
      @Override
      public long getLength() {
        return file.length();
      }

      @Override
      public org.apache.parquet.io.SeekableInputStream newStream() throws IOException {
        org.apache.iceberg.io.SeekableInputStream in = file.open();
        return new org.apache.parquet.io.DelegatingSeekableInputStream(in) {
          @Override
          public long getPos() throws IOException {
            return in.getPos();
          }

          @Override
          public void seek(long newPos) throws IOException {
            in.seek(newPos);
          }
        };
      }
    };
  }

  /**
   * Reads the row groups with parquet-java's reader and Iceberg's value readers, not Iceberg's ParquetReader: that one
   * logs a decoding failure (a page failing its checksum) as an ERROR with a stack trace before rethrowing it (found by
   * a probe), where the landing's one-line refusal says all there is to say about the department's file.
   */
  @Override
  public void read(BatchSink sink) throws IOException, InterruptedException {
    ParquetReadOptions base = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    // Page checksums are verified where the writer wrote them (parquet-java does since 1.12, Arrow since 12): a
    // page damaged in transit otherwise landed its garbage (found by a probe). A file without them is not checked.
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).copy(base)
        .usePageChecksumVerification(true)
        .withCodecFactory(new BoundedPages(base.getCodecFactory(), maxPageBytes(contract)))
        .build();
    List<String> names = contract.columnNames();
    ValueBatch batch = new ValueBatch(names);
    try (ParquetFileReader reader = ParquetFileReader.open(footerInput(file), options)) {
      // The footer as the constructor read it, numbered as fileSchema is (parquet-java requests columns by path).
      reader.setRequestedSchema(numbered);
      ParquetValueReader<Record> rows = GenericParquetReaders.buildReader(fileSchema, readable);
      for (PageReadStore pages = reader.readNextRowGroup(); pages != null; pages = reader.readNextRowGroup()) {
        rows.setPageSource(pages);
        for (long i = 0, n = pages.getRowCount(); i < n; i++) {
          Record r = rows.read(null);
          Object[] values = new Object[contractToFile.length];
          Arrays.fill(values, ValueConverter.ABSENT);
          for (int c = 0; c < contractToFile.length; c++) {
            int f = contractToFile[c];
            if (f < 0) {
              continue;
            }
            Object stored = r.get(f);
            IntWidth width = widths[f];
            Object value = width == null ? stored : width.value(stored);
            if (value == IntWidth.BEYOND) {
              // The stored value is kept for the quarantine's raw row; the reason names the type, not the value.
              value = new ValueConverter.Unread(stored, Problem.BAD_VALUE, "the file stores a value beyond its Parquet"
                  + " type " + width + " (" + width.range() + "): the file misstates the column's type, so the value"
                  + " is not known");
            } else if (utf8[c] && stored instanceof ByteBuffer bytes) {
              value = utf8(bytes);
              if (value == null) {
                // As a CSV field's: the bytes stay in the quarantine's raw row, the reason names only the column.
                value = new ValueConverter.Unread(stored, Problem.UNDECODABLE, "bytes are not valid UTF-8");
              }
            }
            values[c] = value;
          }
          rowsSoFar++;
          batch.add(rowsSoFar, 0, values, null);
          if (batch.size() >= BATCH_ROWS) {
            sink.accept(batch);
            batch = new ValueBatch(names);
          }
        }
      }
    } catch (RuntimeException | IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BadInputException bad) {
          throw bad; // a page's refusal, whatever parquet-java wrapped it in
        }
      }
      String what = String.valueOf(e.getMessage()).contains("CRC checksum verification failed")
          ? "a data page fails its checksum" : e.getClass().getSimpleName();
      throw new BadInputException("the Parquet file is damaged after row " + rowsSoFar + " (" + what + ")", e);
    }
    if (batch.size() > 0) {
      sink.accept(batch);
    }
  }

  /**
   * A text column's value ({@link #utf8}) as text, or null when it is not well-formed UTF-8 (checked as a CSV field
   * is, not decoded with replacement characters). Read in place: Iceberg hands each value in an array of its own.
   */
  private static String utf8(ByteBuffer stored) {
    int len = stored.remaining();
    byte[] bytes;
    int off;
    if (stored.hasArray()) {
      bytes = stored.array();
      off = stored.arrayOffset() + stored.position();
    } else {
      bytes = new byte[len];
      stored.duplicate().get(bytes);
      off = 0;
    }
    return Utf8Text.codePoints(bytes, off, len) < 0 ? null
        : new String(bytes, off, len, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A Parquet integer annotation whose values are stored in a wider physical type: UINT_8, UINT_16 and UINT_32 and
   * INT_8 and INT_16 in an int32, UINT_64 in an int64.
   */
  record IntWidth(int bits, boolean signed) {
    /** What {@link #value} returns for a stored value beyond the annotation. */
    static final Object BEYOND = new Object();

    /**
     * The value the annotation means. An unsigned value is read as the unsigned number it is (UINT_32 4294967295 is
     * stored as int32 -1, and came out as -1: found by a probe); a value beyond a long becomes a BigInteger, which a
     * long column quarantines as out of range. An 8- or 16-bit value stored beyond its width is {@link #BEYOND}:
     * Arrow reads only its low bits, Iceberg the whole int, so which number the file means is unknown (found by a
     * probe: UINT_8 300 landed as 44). A Java writer holding a byte or short writes UINT_8 200 or UINT_16 65534
     * sign-extended, as -56 or -2: that is the same bits, read as such.
     */
    Object value(Object stored) {
      if (!(stored instanceof Number n)) {
        return stored;
      }
      long v = n.longValue();
      if (bits == 64) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
      }
      if (bits == 32) {
        return v & 0xFFFF_FFFFL;
      }
      long half = 1L << (bits - 1);
      if (signed) {
        return v >= -half && v < half ? stored : BEYOND;
      }
      return v >= -half && v < 2 * half ? (Object) (v & (2 * half - 1)) : BEYOND;
    }

    String range() {
      long half = 1L << (bits - 1);
      return signed ? -half + " to " + (half - 1) : "0 to " + (2 * half - 1);
    }

    @Override
    public String toString() {
      return (signed ? "INT_" : "UINT_") + bits;
    }
  }

  /**
   * The most a page may claim uncompressed: a writer closes a page at its page size (1 MB by default in parquet-java,
   * Arrow and Spark), after at most one value as long as the contract lets a record be, so 64 MB plus
   * {@code maxRecordBytes} holds every page such writers make while a lying page header cannot make the landing
   * allocate gigabytes.
   */
  static long maxPageBytes(FeedContract contract) {
    return Math.min(Integer.MAX_VALUE - 16, (64L << 20) + contract.maxRecordBytes());
  }

  /** parquet-java's decompressors, refusing a page whose header claims more than {@code maxBytes} uncompressed. */
  private record BoundedPages(CompressionCodecFactory codecs, long maxBytes) implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      return codecs.getCompressor(codec);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      BytesInputDecompressor d = codecs.getDecompressor(codec);
      return new BytesInputDecompressor() {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
          check(uncompressedSize);
          return d.decompress(bytes, uncompressedSize);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
            throws IOException {
          check(uncompressedSize);
          d.decompress(input, compressedSize, output, uncompressedSize);
        }

        @Override
        public void release() {
          d.release();
        }
      };
    }

    private void check(int uncompressedSize) {
      if (uncompressedSize < 0 || uncompressedSize > maxBytes) {
        throw new BadInputException(String.format("damaged Parquet file: a page claims %,d bytes uncompressed, more "
            + "than the %,d a page may hold (64 MB and the contract's maxRecordBytes)", uncompressedSize, maxBytes));
      }
    }

    @Override
    public void release() {
      codecs.release();
    }
  }

  @Override
  public long bytesRead() {
    return rowCount == 0 ? size : (long) (size * (rowsSoFar / (double) rowCount));
  }

  @Override
  public String encoding() {
    return null;
  }

  @Override
  public List<String> missingColumns() {
    return List.copyOf(missing);
  }

  @Override
  public void close() {}
}
