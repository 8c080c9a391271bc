package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.data.Record;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Parquet feeds a probe crafted: lying footers and page headers, damaged pages, types the platform cannot land,
 * unsigned integers, column names alike or shaped like personal data. Files are written with parquet-java as other
 * producers write them, then landed through the landing.
 */
class ParquetFeedTest extends LandingFixture {

  private static final String CONTRACT = """
      format: parquet
      columns:
        - {name: rid, type: string, required: true}
        - {name: txt, type: string}
      """;

  @SafeVarargs
  private Path write(String name, String schema, CompressionCodecName codec, boolean checksums, int rows,
      Consumer<Group>... perRow) throws IOException {
    return write(name, MessageTypeParser.parseMessageType(schema), codec, checksums, rows, perRow);
  }

  /** rid, then optional text columns of these names (which Parquet's schema syntax cannot spell). */
  private static MessageType ridAnd(String... names) {
    var b = Types.buildMessage().required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
        .named("rid");
    for (String n : names) {
      b = b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(n);
    }
    return b.named("m");
  }

  @SafeVarargs
  private Path write(String name, MessageType type, CompressionCodecName codec, boolean checksums, int rows,
      Consumer<Group>... perRow) throws IOException {
    return write(name, type, codec, checksums, false, rows, perRow);
  }

  @SafeVarargs
  private Path write(String name, MessageType type, CompressionCodecName codec, boolean checksums,
      boolean dictionary, int rows, Consumer<Group>... perRow) throws IOException {
    Path file = dir.resolve(name);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (var w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(type).withCompressionCodec(codec)
        .withDictionaryEncoding(dictionary).withPageWriteChecksumEnabled(checksums).build()) {
      for (int r = 0; r < rows; r++) {
        Group g = groups.newGroup();
        perRow[Math.min(r, perRow.length - 1)].accept(g);
        w.write(g);
      }
    }
    return file;
  }

  private LandingResult land(String contract, Path file) {
    LandingResult r = new Landing(lakehouse, 2, ProgressListener.NONE).land(new LandingRequest("dept", "data",
        FeedFile.local(file), ContractParser.parse(contract, "c"), null, Replaces.option(null)));
    assertThat(r.rowsRead()).as("every row read is landed or quarantined")
        .isEqualTo(r.rowsLanded() + r.rowsQuarantined());
    return r;
  }

  private Path textFile(String name, CompressionCodecName codec, boolean checksums) throws IOException {
    int[] n = {0};
    return write(name, "message m { required binary rid (UTF8); optional binary txt (UTF8); }", codec, checksums, 3,
        g -> g.append("rid", "r" + n[0]).append("txt", "hello-row-" + n[0]++));
  }

  /** The file's footer, changed by {@code edit}, written back (its data left as it is). */
  private static void editFooter(Path file, Consumer<FileMetaData> edit) throws IOException {
    byte[] b = Files.readAllBytes(file);
    int len = ByteBuffer.wrap(b, b.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int start = b.length - 8 - len;
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(b, start, len));
    edit.accept(meta);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, start);
    Util.writeFileMetaData(meta, out);
    int newLen = out.size() - start;
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(newLen).array());
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    Files.write(file, out.toByteArray());
  }

  /** Found by a probe: a 600 KB file whose footer claimed 2 GB column chunks ran the landing out of memory. */
  @Test
  void aFooterClaimingAChunkBeyondTheFileIsRefused() throws Exception {
    Path file = textFile("chunk.parquet", CompressionCodecName.ZSTD, true);
    long size = Files.size(file);
    editFooter(file, meta -> {
      for (RowGroup g : meta.getRow_groups()) {
        for (ColumnChunk c : g.getColumns()) {
          c.getMeta_data().setTotal_compressed_size((1L << 31) - 101);
        }
      }
    });
    assertThatThrownBy(() -> land(CONTRACT, file)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("damaged Parquet file: column chunk 'rid' claims 2,147,483,547 bytes")
        .hasMessageContaining("in a file of " + String.format("%,d", Files.size(file)));
    assertThat(Files.size(file)).isGreaterThan(size / 2);
  }

  /**
   * A page header whose uncompressed size is a lie (1.5 GB for a page of a few bytes) is refused before parquet-java
   * allocates it: the chunk lies within the file, so the footer's check cannot see it.
   */
  @Test
  void aPageClaimingMoreUncompressedBytesThanAPageMayHoldIsRefused() throws Exception {
    Path file = write("page.parquet", "message m { required binary rid (UTF8); }", CompressionCodecName.ZSTD, true, 3,
        g -> g.append("rid", "r1"));
    byte[] b = Files.readAllBytes(file);
    // One column chunk of one page, right after the leading "PAR1": its header grows by a few bytes.
    CountingInput in = new CountingInput(new ByteArrayInputStream(b, 4, b.length - 4));
    PageHeader header = Util.readPageHeader(in);
    int oldLen = in.count;
    header.setUncompressed_page_size(1_500_000_000);
    ByteArrayOutputStream newHeader = new ByteArrayOutputStream();
    Util.writePageHeader(header, newHeader);
    int delta = newHeader.size() - oldLen;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, 4);
    newHeader.writeTo(out);
    out.write(b, 4 + oldLen, b.length - 4 - oldLen);
    Files.write(file, out.toByteArray());
    editFooter(file, meta -> {
      for (RowGroup g : meta.getRow_groups()) {
        g.setTotal_byte_size(g.getTotal_byte_size() + delta);
        for (ColumnChunk c : g.getColumns()) {
          c.getMeta_data().setTotal_compressed_size(c.getMeta_data().getTotal_compressed_size() + delta);
          c.setColumn_index_offsetIsSet(false);
          c.setColumn_index_lengthIsSet(false);
          c.setOffset_index_offsetIsSet(false);
          c.setOffset_index_lengthIsSet(false);
        }
      }
    });
    List<ILoggingEvent> logged = logsOf(() -> assertThatThrownBy(() -> land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
        """, file)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("damaged Parquet file: a page claims 1,500,000,000 bytes uncompressed"));
    assertThat(logged).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null);
  }

  /** What is logged, from every logger, while {@code action} runs. */
  static List<ILoggingEvent> logsOf(Runnable action) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    root.addAppender(events);
    try {
      action.run();
    } finally {
      root.detachAppender(events);
    }
    return List.copyOf(events.list);
  }

  private static final class CountingInput extends InputStream {
    private final InputStream in;
    int count;

    CountingInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int c = in.read();
      count += c < 0 ? 0 : 1;
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }

  private static Path corruptFirst(Path file, String text) throws IOException {
    byte[] b = Files.readAllBytes(file);
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + t.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + t.length, t, 0, t.length)) {
        b[i] ^= 0x02; // 'h' becomes 'j': the value still decodes, only the checksum can tell
        Files.write(file, b);
        return file;
      }
    }
    throw new AssertionError("no " + text + " in the file");
  }

  /** Found by a probe: bytes damaged in transit landed as garbage values, with no problem recorded. */
  @Test
  void aDataPageFailingItsChecksumRefusesTheFeed() throws Exception {
    Path file = corruptFirst(textFile("crc.parquet", CompressionCodecName.UNCOMPRESSED, true), "hello-row-1");
    // Found by a probe: Iceberg's Parquet reader logged an ERROR with a stack trace before the refusal.
    List<ILoggingEvent> logged = logsOf(() -> assertThatThrownBy(() -> land(CONTRACT, file))
        .isInstanceOf(BadInputException.class)
        .hasMessage("the Parquet file is damaged after row 0 (a data page fails its checksum)"));
    assertThat(logged).as("nothing but the refusal is told").noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
        || e.getThrowableProxy() != null || e.getFormattedMessage().contains("row-"));
    assertThat(lakehouse.exists(TableNames.ods("dept", "data")) ? odsRows() : List.of()).isEmpty();

    // A writer that wrote no checksums: nothing to check the page against, as the README says.
    Path unchecked = corruptFirst(textFile("nocrc.parquet", CompressionCodecName.UNCOMPRESSED, false), "hello-row-1");
    LandingResult r = land(CONTRACT, unchecked);
    assertThat(r.rowsLanded()).isEqualTo(3);
    assertThat(odsRows()).extracting(x -> x.getField("txt")).contains("jello-row-1");
  }

  /** Found by a probe: these were "internal error" (exit 1) or "damaged after row 0", naming no column. */
  @Test
  void aColumnOfATypeThePlatformCannotLandIsRefusedByName() throws Exception {
    String[][] cases = {
        {"optional fixed_len_byte_array(40) txt (DECIMAL(90,2))", "DECIMAL(90,2)"},
        {"optional fixed_len_byte_array(12) txt (INTERVAL)", "INTERVAL"},
        {"optional int64 txt (TIME(NANOS,true))", "TIME(NANOS)"}};
    for (String[] c : cases) {
      Path file = write(c[1].replaceAll("\\W", "") + ".parquet", "message m { required binary rid (UTF8); " + c[0]
          + "; }", CompressionCodecName.ZSTD, true, 1, g -> g.append("rid", "r"));
      assertThatThrownBy(() -> land(CONTRACT, file)).as(c[1]).isInstanceOf(BadInputException.class)
          .hasMessageStartingWith("the Parquet file's column 'txt' is of type " + c[1]);
    }
    Path mobile = write("mobile.parquet", Types.buildMessage().required(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType()).named("rid").optional(PrimitiveTypeName.INT64)
        .as(LogicalTypeAnnotation.timeType(true, LogicalTypeAnnotation.TimeUnit.NANOS)).named("13800138000")
        .named("m"), CompressionCodecName.ZSTD, true, 1, g -> g.append("rid", "r"));
    assertThatThrownBy(() -> land(CONTRACT, mobile)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the Parquet file's column 2 (its name not shown: it looks like a value) is of type "
            + "TIME(NANOS)").message().doesNotContain("13800138000");
  }

  /** Found by a probe: UINT_32 4294967295 landed as -1 and UINT_16 65534 as -2 (pyarrow writes them so). */
  @Test
  void unsignedIntegersLandAsTheirUnsignedValue() throws Exception {
    String schema = "message m { required binary rid (UTF8); optional int32 n (UINT_32); optional int32 i (UINT_16);"
        + " optional int32 b (UINT_8); optional int64 big (UINT_64); optional int64 small (UINT_64);"
        + " optional int32 narrow (UINT_32); }";
    Path file = write("uint.parquet", schema, CompressionCodecName.ZSTD, true, 3,
        g -> g.append("rid", "r0").append("n", -1).append("i", -2).append("b", 255).append("big", -1L)
            .append("small", 7L).append("narrow", 12),
        g -> g.append("rid", "r1").append("n", 5).append("i", 1).append("b", 0).append("big", 5L)
            .append("small", -1L),
        g -> g.append("rid", "r2").append("narrow", -1));
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: n, type: long}
          - {name: i, type: int}
          - {name: b, type: int}
          - {name: big, type: "decimal(20,0)"}
          - {name: small, type: long}
          - {name: narrow, type: int}
        """, file);
    assertThat(r.rowsRead()).isEqualTo(3);
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(r.rowsQuarantined()).isEqualTo(2);
    Record ok = odsRows().get(0);
    assertThat(ok.getField("n")).isEqualTo(4_294_967_295L);
    assertThat(ok.getField("i")).isEqualTo(65_534);
    assertThat(ok.getField("b")).isEqualTo(255);
    assertThat(ok.getField("big")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(ok.getField("small")).isEqualTo(7L);
    assertThat(ok.getField("narrow")).isEqualTo(12);
    assertThat(quarantineRows()).extracting(x -> x.getField("rule")).containsOnly(Problem.BAD_VALUE);
    assertThat(quarantineRows()).extracting(x -> (String) x.getField("reason"))
        .anySatisfy(reason -> assertThat(reason).contains("small").contains("range of long"))
        .anySatisfy(reason -> assertThat(reason).contains("narrow").contains("range of int"));
  }

  /**
   * Found by a probe: UINT_8 300 landed as 44, its low bits, as Arrow reads it (Iceberg reads the whole int, so INT_8
   * 128 would have landed as 128): the file misstates its type, so which value it means is unknown.
   */
  @Test
  void aNarrowIntegerStoredBeyondItsWidthIsQuarantinedNotCut() throws Exception {
    String schema = "message m { required binary rid (UTF8); required int32 b (UINT_8); optional int32 s (UINT_16);"
        + " optional int32 i8 (INT_8); optional int32 i16 (INT_16); }";
    Path file = write("narrow.parquet", schema, CompressionCodecName.ZSTD, true, 7,
        g -> g.append("rid", "r0").append("b", 255).append("s", 65535).append("i8", -128).append("i16", 32767),
        // sign-extended, as a Java writer holding a byte or a short writes UINT_8 200 and UINT_16 65534
        g -> g.append("rid", "r1").append("b", -56).append("s", -2).append("i8", 127).append("i16", -32768),
        g -> g.append("rid", "r2").append("b", 300),
        g -> g.append("rid", "r3").append("b", 1).append("s", 70000),
        g -> g.append("rid", "r4").append("b", 1).append("i8", 128),
        g -> g.append("rid", "r5").append("b", 1).append("i16", -40000),
        g -> g.append("rid", "r6").append("b", -129));
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: b, type: int, required: true}
          - {name: s, type: long}
          - {name: i8, type: int}
          - {name: i16, type: int}
        """, file);
    assertThat(r.rowsRead()).isEqualTo(7);
    assertThat(odsRows()).extracting(x -> x.getField("rid")).containsExactly("r0", "r1");
    assertThat(odsRows()).extracting(x -> x.getField("b")).containsExactly(255, 200);
    assertThat(odsRows()).extracting(x -> x.getField("s")).containsExactly(65_535L, 65_534L);
    assertThat(odsRows()).extracting(x -> x.getField("i8")).containsExactly(-128, 127);
    assertThat(odsRows()).extracting(x -> x.getField("i16")).containsExactly(32_767, -32_768);
    assertThat(quarantineRows()).extracting(x -> x.getField("row_number")).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(quarantineRows()).extracting(x -> x.getField("rule")).containsOnly(Problem.BAD_VALUE);
    assertThat(quarantineRows()).extracting(x -> x.getField("column_name")).containsExactly("b", "s", "i8", "i16", "b");
    String lie = ": the file misstates the column's type, so the value is not known";
    assertThat(quarantineRows()).extracting(x -> (String) x.getField("reason")).containsExactly(
        "column b: the file stores a value beyond its Parquet type UINT_8 (0 to 255)" + lie,
        "column s: the file stores a value beyond its Parquet type UINT_16 (0 to 65535)" + lie,
        "column i8: the file stores a value beyond its Parquet type INT_8 (-128 to 127)" + lie,
        "column i16: the file stores a value beyond its Parquet type INT_16 (-32768 to 32767)" + lie,
        "column b: the file stores a value beyond its Parquet type UINT_8 (0 to 255)" + lie);
    // the raw row keeps what the file stores, for the department to find
    assertThat((String) quarantineRows().get(0).getField("raw_text")).contains("\"b\": 300");
  }

  /**
   * A row's problems are all told, in contract column order, as a CSV row's are: a value the reader could not read
   * (bytes that are not UTF-8, a narrow integer beyond its width) stopped the row's other columns being checked, so
   * the reason named only that one, and the department, correcting it, had the row quarantined again for the next.
   */
  @Test
  void aRowsReasonTellsEveryColumnsProblemInColumnOrder() throws Exception {
    String schema = "message m { optional binary rid (UTF8); optional binary n (UTF8); optional int32 b (UINT_8);"
        + " optional binary txt (UTF8); optional binary note (UTF8); }";
    Path file = write("every.parquet", schema, CompressionCodecName.ZSTD, true, 2,
        g -> g.append("n", "x1").append("b", 300).append("txt", Binary.fromConstantByteArray(new byte[] {'a',
            (byte) 0xFF})).append("note", "longer than four"),
        g -> g.append("rid", "r1").append("n", "7").append("b", 1).append("txt", "ok").append("note", "ok"));
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: n, type: int}
          - {name: b, type: int}
          - {name: txt, type: string}
          - {name: note, type: string, maxLength: 4}
        """, file);
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(quarantineRows()).hasSize(1);
    Record bad = quarantineRows().get(0);
    assertThat(bad.getField("reason")).isEqualTo("column rid: required value is missing; "
        + "column n: not a whole number (int); "
        + "column b: the file stores a value beyond its Parquet type UINT_8 (0 to 255): the file misstates the "
        + "column's type, so the value is not known; "
        + "column txt: bytes are not valid UTF-8; "
        + "column note: length 16 exceeds maxLength 4");
    assertThat(bad.getField("rule")).as("the first problem's").isEqualTo(Problem.MISSING_REQUIRED);
    assertThat(bad.getField("column_name")).isEqualTo("rid");
    assertThat((String) bad.getField("raw_text")).contains("\"b\": 300").contains("\"txt\": \"base64:Yf8=\"");
  }

  /**
   * In Parquet null and "" are two values: "" lands as "" (a required column has it), not as null, unless the contract
   * names it among its nullValues; a CSV field's empty value, the only null CSV has, is null by default.
   */
  @Test
  void anEmptyStringLandsAsItselfUnlessTheContractSaysItIsNull() throws Exception {
    Path file = write("empty.parquet", ridAnd("txt"), CompressionCodecName.ZSTD, true, 4,
        g -> g.append("rid", "").append("txt", ""),
        g -> g.append("rid", "r1").append("txt", "NULL"),
        g -> g.append("rid", "r2"),
        g -> g.append("rid", "r3").append("txt", " "));
    LandingResult r = land(CONTRACT, file);
    assertThat(r.rowsLanded()).isEqualTo(4);
    assertThat(odsRows()).extracting(x -> x.getField("rid"), x -> x.getField("txt")).containsExactly(
        org.assertj.core.groups.Tuple.tuple("", ""), org.assertj.core.groups.Tuple.tuple("r1", "NULL"),
        org.assertj.core.groups.Tuple.tuple("r2", null), org.assertj.core.groups.Tuple.tuple("r3", " "));

    LandingResult named = new Landing(lakehouse, 2, ProgressListener.NONE).land(new LandingRequest("dept", "named",
        FeedFile.local(file), ContractParser.parse(CONTRACT + "nullValues: [\"\", \"NULL\"]\n", "c"), null,
        Replaces.option(null)));
    assertThat(named.rowsLanded()).isEqualTo(3);
    assertThat(io.dataops.lakehouse.testing.Tables.rowsBy(lakehouse.load(TableNames.ods("dept", "named")),
        FeedTables.ROW_NUMBER)).extracting(x -> x.getField("rid"), x -> x.getField("txt"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple("r1", null), org.assertj.core.groups.Tuple.tuple("r2",
            null), org.assertj.core.groups.Tuple.tuple("r3", " "));
    assertThat(io.dataops.lakehouse.testing.Tables.rowsBy(lakehouse.load(TableNames.quarantine("dept", "named")),
        "row_number")).extracting(x -> x.getField("reason"))
        .containsExactly("column rid: required value is missing");
  }

  /** Found by a probe: columns txt and TXT landed one of them, silently losing the other. */
  @Test
  void columnsNamedAlikeAreRefusedNamingBoth() throws Exception {
    Path file = write("case.parquet", "message m { required binary rid (UTF8); optional binary txt (UTF8);"
        + " optional binary TXT (UTF8); }", CompressionCodecName.ZSTD, true, 1,
        g -> g.append("rid", "r").append("txt", "a").append("TXT", "b"));
    assertThatThrownBy(() -> land(CONTRACT, file)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the file has two columns named alike, column 'txt' and column 'TXT'");
    Path spaced = write("space.parquet", ridAnd("rid "), CompressionCodecName.ZSTD, true, 1, g -> g.append("rid", "r"));
    assertThatThrownBy(() -> land(CONTRACT, spaced)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the file has two columns named alike, column 'rid' and column 'rid'");
  }

  /** Found by a probe: an ID number and a mobile as column names reached the refusal, the log and the audit trail. */
  @Test
  void columnNamesThatLookLikePersonalDataAreNotEchoed() throws Exception {
    Path file = write("ids.parquet", ridAnd("110101199003077774", "13800138000", "\u001b[2Jnote"),
        CompressionCodecName.ZSTD, true, 1, g -> g.append("rid", "r"));
    assertThatThrownBy(() -> land(CONTRACT, file)).isInstanceOf(BadInputException.class)
        .hasMessage("the file has 3 columns the contract does not declare (not shown: some look like values, not "
            + "names) (add them to the contract or remove them from the file)");
    Path one = write("esc.parquet", ridAnd("\u001b[2Jnote"), CompressionCodecName.ZSTD, true, 1, g -> g.append("rid", "r"));
    assertThatThrownBy(() -> land(CONTRACT, one)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("columns the contract does not declare: \u241b[2jnote");
    Path nested = write("nested.parquet", Types.buildMessage().required(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType()).named("rid").optionalGroup().optional(PrimitiveTypeName.BINARY)
        .named("110101199003077774").named("txt").named("m"), CompressionCodecName.ZSTD, true, 1,
        g -> g.append("rid", "r"));
    assertThatThrownBy(() -> land(CONTRACT, nested)).isInstanceOf(BadInputException.class)
        .hasMessage("Parquet column 'txt' is nested (a struct); the contract promises a single value");
  }

  private static final String IDS_CONTRACT = """
      format: parquet
      columns:
        - {name: id, type: string, required: true}
        - {name: small, type: int}
        - {name: amount, type: long}
      """;

  /**
   * Found by a probe: with field ids on some columns only, the id-less column landed as null in every row, silently
   * (the file's ids were used as soon as one column had one, and the column without one was not read).
   */
  @Test
  void aColumnWithoutAFieldIdAmongColumnsWithIdsLandsItsValues() throws Exception {
    Path file = write("partid.parquet", "message m { required binary id (STRING) = 1; optional int32 small;"
        + " optional int64 amount = 3; }", CompressionCodecName.ZSTD, true, 2,
        g -> g.append("id", "b1").append("small", 5).append("amount", 10L),
        g -> g.append("id", "b2").append("small", 6));
    LandingResult r = land(IDS_CONTRACT, file);
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(odsRows()).extracting(x -> x.getField("small")).containsExactly(5, 6);
    assertThat(odsRows()).extracting(x -> x.getField("amount")).containsExactly(10L, null);
  }

  /**
   * Found by a probe: two columns with one field id were refused as "a column of a type the platform cannot read".
   * Columns are matched to the contract by name, so the file's ids do not matter: the columns land by name.
   */
  @Test
  void columnsSharingAFieldIdLandByName() throws Exception {
    Path file = write("dupid.parquet", "message m { required binary id (STRING) = 1; optional int32 small = 1;"
        + " optional int64 amount = 1; }", CompressionCodecName.ZSTD, true, 2,
        g -> g.append("id", "b1").append("small", 5).append("amount", 10L),
        g -> g.append("id", "b2").append("small", 6).append("amount", 11L));
    LandingResult r = land(IDS_CONTRACT, file);
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(odsRows()).extracting(x -> x.getField("id")).containsExactly("b1", "b2");
    assertThat(odsRows()).extracting(x -> x.getField("small")).containsExactly(5, 6);
    assertThat(odsRows()).extracting(x -> x.getField("amount")).containsExactly(10L, 11L);
  }

  /** Found by a probe: a Parquet timestamp with a zone in a date column was "a date, not a date". */
  @Test
  void aTimestampInADateColumnIsCalledATimestamp() throws Exception {
    Path file = write("tsz.parquet", "message m { required binary rid (UTF8); optional int64 ts (TIMESTAMP(MICROS,"
        + "true)); }", CompressionCodecName.ZSTD, true, 2,
        g -> g.append("rid", "r0").append("ts", 1_704_067_200_123_456L), g -> g.append("rid", "r1"));
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: ts, type: date}
        """, file);
    assertThat(r.rowsQuarantined()).isEqualTo(1);
    assertThat(quarantineRows()).extracting(x -> (String) x.getField("reason"))
        .containsExactly("column ts: a timestamp, not a date");
  }

  /**
   * A Parquet timestamp adjusted to UTC is an instant, which a timestamp column reads in China Standard Time: in a
   * date column it is that date where it is midnight there (a date written at midnight in the district is stored as
   * 16:00 UTC the day before, and was quarantined as a timestamp). Midnight UTC is 08:00 there: a timestamp.
   */
  @Test
  void aZonedTimestampAtMidnightInChinaStandardTimeLandsAsThatDate() throws Exception {
    long midnightHere = 1_710_432_000_000_000L; // 2024-03-15T00:00+08:00, 2024-03-14T16:00Z
    long midnightUtc = 1_710_460_800_000_000L; // 2024-03-15T00:00Z, as a naive timestamp 2024-03-15 00:00
    Path file = write("zdate.parquet", "message m { required binary rid (UTF8); optional int64 d (TIMESTAMP(MICROS,"
        + "true)); optional int64 n (TIMESTAMP(MICROS,false)); }", CompressionCodecName.ZSTD, true, 3,
        g -> g.append("rid", "r0").append("d", midnightHere).append("n", midnightUtc),
        g -> g.append("rid", "r1").append("d", midnightUtc),
        g -> g.append("rid", "r2").append("d", midnightHere + 1));
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: d, type: date}
          - {name: n, type: date}
        """, file);
    assertThat(r.rowsLanded()).isEqualTo(1);
    Record landed = odsRows().get(0);
    assertThat(landed.getField("d")).isEqualTo(java.time.LocalDate.of(2024, 3, 15));
    assertThat(landed.getField("n")).as("a naive timestamp at midnight").isEqualTo(java.time.LocalDate.of(2024, 3, 15));
    assertThat(quarantineRows()).extracting(x -> (String) x.getField("reason"))
        .containsExactly("column d: a timestamp, not a date", "column d: a timestamp, not a date");
  }

  /**
   * Older writers store text as plain BINARY, without the STRING annotation: it is binary data where text was
   * promised unless the contract says the column's bytes are UTF-8 text.
   */
  @Test
  void plainBinaryIsBinaryDataWhereTheContractDoesNotSayItIsText() throws Exception {
    Path file = plainBinaryFile();
    LandingResult r = land(CONTRACT, file);
    assertThat(r.rowsLanded()).as("only the row without txt").isEqualTo(1);
    assertThat(quarantineRows()).extracting(x -> (String) x.getField("reason"))
        .containsOnly("column txt: binary data where text was promised");
  }

  /**
   * With {@code binaryAsUtf8} a plain BINARY column is read as UTF-8 text, strictly: bytes that are not UTF-8 are
   * quarantined as a CSV field's are, the reason naming the column but not the value, the bytes kept in the raw row.
   */
  @Test
  void plainBinaryLandsAsTextWhereTheContractSaysItIsUtf8() throws Exception {
    Path file = plainBinaryFile();
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: txt, type: string, maxLength: 12, binaryAsUtf8: true}
        """, file);
    assertThat(r.rowsLanded()).isEqualTo(3);
    assertThat(odsRows()).extracting(x -> x.getField("rid"), x -> x.getField("txt")).containsExactly(
        org.assertj.core.groups.Tuple.tuple("r0", "福田区 text"), org.assertj.core.groups.Tuple.tuple("r2", ""),
        org.assertj.core.groups.Tuple.tuple("r3", null));
    Record bad = quarantineRows().get(0);
    assertThat(quarantineRows()).hasSize(1);
    assertThat(bad.getField("rule")).isEqualTo(Problem.UNDECODABLE);
    assertThat(bad.getField("column_name")).isEqualTo("txt");
    assertThat(bad.getField("reason")).isEqualTo("column txt: bytes are not valid UTF-8");
    assertThat((String) bad.getField("raw_text")).contains("base64:aWQtMTM4MDAxMzgwMDD/");
  }

  /**
   * ENUM and JSON columns are text as STRING is, read as their bytes and checked as strict UTF-8: valid text lands as
   * the file holds it, bytes that are not UTF-8 quarantine the row as undecodable, each column named in its reason,
   * the bytes kept in the raw row (Iceberg's string reader would have landed them with replacement characters).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void enumAndJsonColumnsAreTextCheckedAsUtf8(boolean dictionary) throws Exception {
    MessageType type = Types.buildMessage()
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("rid")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.enumType()).named("kind")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType()).named("doc")
        .named("m");
    Binary enumBad = Binary.fromConstantByteArray(new byte[] {'A', (byte) 0xC0, (byte) 0xAF}); // an overlong '/'
    Binary jsonBad = Binary.fromConstantByteArray(new byte[] {'{', '"', 'a', '"', ':', (byte) 0xED, (byte) 0xA0,
        (byte) 0x80, '}'}); // a UTF-16 surrogate
    String json = "{\"街道\": \"福田\", \"n\": 1}";
    Path file = write("enumjson.parquet", type, CompressionCodecName.ZSTD, true, dictionary, 5,
        g -> g.append("rid", "r0").append("kind", "居民").append("doc", json),
        g -> g.append("rid", "r1").append("kind", enumBad).append("doc", json),
        g -> g.append("rid", "r2").append("kind", "居民").append("doc", jsonBad),
        g -> g.append("rid", "r3").append("kind", enumBad).append("doc", jsonBad),
        g -> g.append("rid", "r4"));
    try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(
        file))) {
      var read = reader.getFooter().getFileMetaData().getSchema();
      assertThat(read.getType("kind").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.enumType());
      assertThat(read.getType("doc").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.jsonType());
      assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(1).hasDictionaryPage())
          .as("the file is written as the test means").isEqualTo(dictionary);
    }
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: kind, type: string}
          - {name: doc, type: string}
        """, file);
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(odsRows()).extracting(x -> x.getField("rid"), x -> x.getField("kind"), x -> x.getField("doc"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple("r0", "居民", json),
            org.assertj.core.groups.Tuple.tuple("r4", null, null));
    assertThat(quarantineRows()).extracting(x -> x.getField("row_number"), x -> x.getField("rule"), x -> x.getField("column_name"), x -> x.getField("reason")).containsExactly(
        org.assertj.core.groups.Tuple.tuple(2L, Problem.UNDECODABLE, "kind", "column kind: bytes are not valid UTF-8"),
        org.assertj.core.groups.Tuple.tuple(3L, Problem.UNDECODABLE, "doc", "column doc: bytes are not valid UTF-8"),
        org.assertj.core.groups.Tuple.tuple(4L, Problem.UNDECODABLE, "kind", "column kind: bytes are not valid UTF-8;"
            + " column doc: bytes are not valid UTF-8"));
    assertThat(quarantineRows()).extracting(x -> (String) x.getField("raw_text")).allSatisfy(raw -> assertThat(raw)
        .doesNotContain("\uFFFD")).satisfies(raws -> {
          assertThat(raws.get(0)).contains("\"kind\": \"base64:QcCv\"");
          assertThat(raws.get(1)).contains("\"doc\": \"base64:eyJhIjrtoIB9\"");
        });
  }

  /** r0 UTF-8 text, r1 bytes that are not UTF-8 (an ID's digits, then 0xFF), r2 empty, r3 none; txt plain BINARY. */
  private Path plainBinaryFile() throws IOException {
    byte[] notUtf8 = {'i', 'd', '-', '1', '3', '8', '0', '0', '1', '3', '8', '0', '0', '0', (byte) 0xFF};
    return write("plain.parquet", "message m { required binary rid (UTF8); optional binary txt; }",
        CompressionCodecName.ZSTD, true, 4,
        g -> g.append("rid", "r0").append("txt", Binary.fromConstantByteArray("福田区 text".getBytes(
            StandardCharsets.UTF_8))),
        g -> g.append("rid", "r1").append("txt", Binary.fromConstantByteArray(notUtf8)),
        g -> g.append("rid", "r2").append("txt", Binary.fromConstantByteArray(new byte[0])),
        g -> g.append("rid", "r3"));
  }

  /**
   * A STRING column is UTF-8 by its type, yet a writer can store any bytes in it: Iceberg's reader decoded them with
   * replacement characters, so "a" and 0xFF landed silently as "a\uFFFD". They are quarantined as a CSV field's are,
   * dictionary-encoded or not; valid text, a genuine U+FFFD among it, lands as it did.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void stringColumnBytesThatAreNotUtf8AreQuarantinedAsUndecodable(boolean dictionary) throws Exception {
    byte[] notUtf8 = {'a', (byte) 0xFF};
    String[] valid = {"", "\uD83D\uDE00 福田", "\uFFFD", "plain"};
    Path file = write("strings.parquet", ridAnd("txt"), CompressionCodecName.ZSTD, true, dictionary, 8,
        g -> g.append("rid", "r0").append("txt", Binary.fromConstantByteArray(notUtf8)),
        g -> g.append("rid", "r1").append("txt", valid[0]),
        g -> g.append("rid", "r2"),
        g -> g.append("rid", "r3").append("txt", valid[1]),
        g -> g.append("rid", "r4").append("txt", valid[2]),
        g -> g.append("rid", "r5").append("txt", "longer than six"),
        g -> g.append("rid", "r6").append("txt", Binary.fromConstantByteArray(notUtf8)),
        g -> g.append("rid", "r7").append("txt", valid[3]));
    try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(
        file))) {
      assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(1).hasDictionaryPage())
          .as("the file is written as the test means").isEqualTo(dictionary);
    }
    LandingResult r = land("""
        format: parquet
        columns:
          - {name: rid, type: string, required: true}
          - {name: txt, type: string, maxLength: 6}
        """, file);
    assertThat(odsRows()).extracting(x -> x.getField("rid"), x -> x.getField("txt")).containsExactly(
        org.assertj.core.groups.Tuple.tuple("r1", valid[0]), org.assertj.core.groups.Tuple.tuple("r2", null),
        org.assertj.core.groups.Tuple.tuple("r3", valid[1]), org.assertj.core.groups.Tuple.tuple("r4", valid[2]),
        org.assertj.core.groups.Tuple.tuple("r7", valid[3]));
    assertThat(r.rowsLanded()).isEqualTo(5);
    assertThat(quarantineRows()).extracting(x -> x.getField("rule"), x -> x.getField("reason")).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Problem.UNDECODABLE, "column txt: bytes are not valid UTF-8"),
        org.assertj.core.groups.Tuple.tuple(Problem.TOO_LONG, "column txt: length 15 exceeds maxLength 6"),
        org.assertj.core.groups.Tuple.tuple(Problem.UNDECODABLE, "column txt: bytes are not valid UTF-8"));
    assertThat((String) quarantineRows().get(0).getField("raw_text")).contains("base64:Yf8=");
  }
}
