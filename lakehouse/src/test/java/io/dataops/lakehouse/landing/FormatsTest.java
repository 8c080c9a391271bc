package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.testing.Tables;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class FormatsTest extends LandingFixture {

  private GenerateRequest request(SampleDataset ds, FeedFormat format, Charset cs, double defects, String name) {
    return new GenerateRequest(ds, 3_000, dir.resolve(name), format, cs, defects, 11, 0, 3_000, 300, false);
  }

  private GenerateResult generate(SampleDataset ds, FeedFormat format, Charset cs, double defects, String name) {
    return SampleGenerator.generate(request(ds, format, cs, defects, name));
  }

  private static LandingResult landGenerated(Lakehouse lh, SampleDataset ds, GenerateResult g) {
    Path file = Path.of(g.file());
    return new Landing(lh, 2, ProgressListener.NONE).land(new LandingRequest(ds.department(), ds.dataset(), file,
        ContractParser.parse(SampleGenerator.contractPathFor(file)), null));
  }

  /** The table's business columns, row by row, in file order: lineage columns left out. */
  private static List<List<Object>> content(Lakehouse lh, SampleDataset ds) {
    List<Record> rows = Tables.rowsBy(lh.load(TableNames.ods(ds.department(), ds.dataset())), FeedTables.ROW_NUMBER);
    List<List<Object>> out = new ArrayList<>();
    for (Record r : rows) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size() - FeedTables.LINEAGE_COLUMNS; i++) {
        values.add(r.get(i));
      }
      out.add(values);
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(SampleDataset.class)
  void everyFormatLandsTheSameRows(SampleDataset ds) {
    Map<FeedFormat, Charset> formats = Map.of(FeedFormat.CSV, Charset.forName("GBK"), FeedFormat.JSONL,
        StandardCharsets.UTF_8, FeedFormat.PARQUET, StandardCharsets.UTF_8, FeedFormat.XLSX, StandardCharsets.UTF_8);
    List<List<Object>> reference = null;
    for (var f : formats.entrySet()) {
      GenerateResult g = generate(ds, f.getKey(), f.getValue(), 0, ds.dataset() + "." + f.getKey().spelling());
      List<List<Object>> content;
      try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home-" + f.getKey().spelling())))) {
        LandingResult r = landGenerated(lh, ds, g);
        assertThat(r.rowsLanded()).as(f.getKey().spelling()).isEqualTo(3_000);
        content = content(lh, ds);
      }
      if (reference == null) {
        reference = content;
      } else {
        assertThat(content).as(f.getKey() + " equals the first format").isEqualTo(reference);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(FeedFormat.class)
  void plantedContractViolationsAreExactlyTheQuarantinedRows(FeedFormat format) {
    for (SampleDataset ds : SampleDataset.values()) {
      Charset cs = format == FeedFormat.CSV ? Charset.forName("GB18030") : StandardCharsets.UTF_8;
      GenerateRequest req = request(ds, format, cs, 0.1, ds.dataset() + "-defects." + format.spelling());
      GenerateResult g = SampleGenerator.generate(req);
      LandingResult r = landGenerated(lakehouse, ds, g);
      assertThat(g.expectedQuarantined()).as("defects were planted").isPositive();
      assertThat(r.rowsRead()).isEqualTo(3_000);
      assertThat(r.rowsQuarantined()).as(ds + " " + format).isEqualTo(g.expectedQuarantined());
      assertThat(r.rowsLanded()).isEqualTo(3_000 - g.expectedQuarantined());
      List<Long> quarantined = Tables.rowsBy(lakehouse.load(TableNames.quarantine(ds.department(), ds.dataset())),
          "row_number").stream().map(x -> (Long) x.getField("row_number")).toList();
      assertThat(quarantined).as(ds + " " + format + ": the very rows planted, not just as many")
          .isEqualTo(SampleGenerator.contractViolationRows(req).boxed().toList());
    }
  }

  // ---- JSON Lines -------------------------------------------------------------------------------------------

  static final String JSON_CONTRACT = """
      format: jsonl
      columns:
        - {name: id, type: long, required: true}
        - {name: name, type: string}
        - {name: amount, type: "decimal(8,2)"}
        - {name: day, type: date}
      """;

  @Test
  void aHugeJsonNumberForADecimalIsMeasuredWithoutBeingBuilt() {
    LandingResult r = land(JSON_CONTRACT, "feed.jsonl",
        "{\"id\": 1, \"amount\": 1e999999}\n{\"id\": 2, \"amount\": 0}\n".getBytes(StandardCharsets.UTF_8));
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(quarantineRows().get(0).getField("reason"))
        .isEqualTo("column amount: has 1000002 digits, decimal(8,2) allows 8");
    assertThat(odsRows().get(0).getField("amount")).isEqualTo(new BigDecimal("0.00"));
  }

  @Test
  void aJsonStringIsBoundedByTheContractAsACsvCellIs() {
    // Found by a probe: Jackson's own cap of 20,000,000 characters quarantined a string the contract allows, which
    // the same contract lands from CSV.
    String name = "x".repeat(21_000_000);
    LandingResult r = land(JSON_CONTRACT + "maxRecordBytes: 33554432\n", "feed.jsonl",
        ("{\"id\": 1, \"name\": \"" + name + "\"}\n").getBytes(StandardCharsets.UTF_8));
    assertThat(r.rowsQuarantined()).isZero();
    assertThat(odsRows().get(0).getField("name").toString()).hasSize(21_000_000);
  }

  @Test
  void jsonLinesProblemsAreQuarantinedPerLine() {
    String jsonl = "{\"id\": 1, \"name\": \"a\", \"amount\": 1.5, \"day\": \"2024-01-31\"}\n"
        + "{\"id\": \"2\", \"name\": \"b\", \"amount\": \"2.25\"}\n"          // strings for numbers, day absent
        + "{\"id\": 3, \"colour\": \"red\"}\n"                                // undeclared field
        + "{\"id\": 4, \"name\": {\"first\": \"x\"}}\n"                       // nested value
        + "{\"id\": 5, \"name\": \"unterminated}\n"                           // not JSON
        + "[1, 2]\n"                                                          // not an object
        + "\n"
        + "{\"id\": 7} {\"id\": 8}\n"                                          // two objects
        + "{\"id\": null, \"name\": \"no id\"}\n";                            // missing required
    LandingResult r = land(JSON_CONTRACT, "feed.jsonl", jsonl.getBytes(StandardCharsets.UTF_8));
    assertThat(r.rowsRead()).isEqualTo(8);
    assertThat(r.blankLines()).isEqualTo(1);
    assertThat(r.rowsLanded()).isEqualTo(2);
    List<Record> ok = odsRows();
    assertThat(ok.get(0).getField("amount")).isEqualTo(new BigDecimal("1.50"));
    assertThat(ok.get(0).getField("day")).isEqualTo(LocalDate.of(2024, 1, 31));
    assertThat(ok.get(1).getField("id")).isEqualTo(2L);
    assertThat(ok.get(1).getField("day")).isNull();
    List<Record> bad = quarantineRows();
    assertThat(bad).extracting(x -> x.getField("rule")).containsExactly(Problem.UNEXPECTED_FIELD, Problem.BAD_VALUE,
        Problem.MALFORMED_RECORD, Problem.MALFORMED_RECORD, Problem.MALFORMED_RECORD, Problem.MISSING_REQUIRED);
    assertThat(bad).extracting(x -> x.getField("line_number")).containsExactly(3L, 4L, 5L, 6L, 8L, 9L);
    assertThat((String) bad.get(0).getField("reason")).isEqualTo("field 'colour' is not declared in the contract");
  }

  @Test
  void aLineOfManyProblemsSpellsTheFirstTenAndCountsTheRest() {
    StringBuilder line = new StringBuilder("{\"id\": 1");
    for (int i = 0; i < 60_000; i++) {
      line.append(", \"f").append(i).append("\": 1");
    }
    LandingResult r = land(JSON_CONTRACT, "feed.jsonl", (line + "}\n{\"id\": 2}\n").getBytes(StandardCharsets.UTF_8));
    assertThat(r.rowsLanded()).isEqualTo(1);
    String reason = (String) quarantineRows().get(0).getField("reason");
    assertThat(reason).startsWith("field 'f0' is not declared in the contract; field 'f1' is not declared")
        .endsWith("field 'f9' is not declared in the contract; and 59990 more problems");
  }

  @Test
  void aFieldTwiceInALineIsQuarantined() {
    String jsonl = "{\"id\": 1, \"name\": \"a\", \"NAME\": \"b\"}\n{\"id\": 2, \"id\": 3}\n{\"id\": 4}\n";
    LandingResult r = land(JSON_CONTRACT, "feed.jsonl", jsonl.getBytes(StandardCharsets.UTF_8));
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(quarantineRows()).extracting(x -> x.getField("reason")).containsExactly(
        "field 'NAME' appears more than once in the line", "field 'id' appears more than once in the line");
  }

  @Test
  void jsonBeyondTheParsersLimitsIsQuarantinedNotAnInternalError() {
    // Found by a hostile feed: a value nested 100,000 deep made the parser throw an error without a location, and
    // the landing failed as an internal error instead of quarantining the line.
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    String jsonl = "{\"id\": 1, \"name\": \"a\"}\n"
        + "{\"id\": 2, \"name\": " + deep + "}\n"
        + "{\"id\": 3" + "7".repeat(5_000) + ", \"name\": \"c\"}\n"
        + "{\"id\": 4, \"name\": \"d\"}\n";
    LandingResult r = land(JSON_CONTRACT, "feed.jsonl", jsonl.getBytes(StandardCharsets.UTF_8));
    assertThat(r.rowsRead()).isEqualTo(4);
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(odsRows()).extracting(x -> x.getField("id")).containsExactly(1L, 4L);
    List<Record> bad = quarantineRows();
    assertThat(bad).extracting(x -> x.getField("line_number")).containsExactly(2L, 3L);
    // The deep value is first of all a nested value where one was promised (the parser's limit stops skipping it).
    assertThat(bad).extracting(x -> x.getField("rule")).containsExactly(Problem.BAD_VALUE, Problem.MALFORMED_RECORD);
    assertThat((String) bad.get(0).getField("reason")).isEqualTo("column name: nested JSON where a single value was"
        + " promised; the line's JSON is beyond a parser limit: Document nesting depth (1001) exceeds the maximum"
        + " allowed (1000)");
    assertThat((String) bad.get(1).getField("reason")).isEqualTo("the line's JSON is beyond a parser limit: Number"
        + " value length (5001) exceeds the maximum allowed (1000)");
  }

  // ---- Parquet ----------------------------------------------------------------------------------------------

  private Path parquet(String name, Schema schema, List<Object[]> rows) throws Exception {
    Path file = dir.resolve(name);
    try (FileAppender<Record> w = Parquet.write(org.apache.iceberg.Files.localOutput(file.toFile())).schema(schema)
        .createWriterFunc(GenericParquetWriter::create).build()) {
      for (Object[] values : rows) {
        GenericRecord rec = GenericRecord.create(schema);
        for (int i = 0; i < values.length; i++) {
          rec.set(i, values[i]);
        }
        w.add(rec);
      }
    }
    return file;
  }

  @Test
  void parquetColumnsAreMatchedByNameAndConverted() throws Exception {
    Schema s = new Schema(
        Types.NestedField.optional(1, "DAY", Types.StringType.get()),
        Types.NestedField.optional(2, "id", Types.IntegerType.get()),
        Types.NestedField.optional(3, "amount", Types.DoubleType.get()));
    Path file = parquet("f.parquet", s, List.of(new Object[] {"2024-02-29", 1, 2.5},
        new Object[] {"not a date", 2, 1.0}, new Object[] {null, null, 3.0}, new Object[] {"2024-03-01", 4, 0.123}));
    String contract = JSON_CONTRACT.replace("format: jsonl", "format: parquet");
    LandingResult r = new Landing(lakehouse).land(new LandingRequest("dept", "data", file,
        ContractParser.parse(contract, "c"), null));
    assertThat(r.rowsRead()).isEqualTo(4);
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(r.missingColumns()).containsExactly("name");
    Record ok = odsRows().get(0);
    assertThat(ok.getField("day")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(ok.getField("id")).isEqualTo(1L);
    assertThat(ok.getField("amount")).isEqualTo(new BigDecimal("2.50"));
    assertThat(quarantineRows()).extracting(x -> x.getField("rule"))
        .containsExactly(Problem.BAD_VALUE, Problem.MISSING_REQUIRED, Problem.BAD_VALUE);
    assertThat((String) quarantineRows().get(0).getField("raw_text")).contains("\"day\": \"not a date\"");
  }

  /**
   * Found by a probe: a Parquet feed landed NaN and infinities into a double column, which a CSV feed's "NaN" cannot
   * (and on which the two engines compare differently): the same values are refused in every format.
   */
  @Test
  void parquetNotANumberOrInfinityIsQuarantinedAsItsTextIs() throws Exception {
    Schema s = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "score", Types.DoubleType.get()));
    Path file = parquet("nan.parquet", s, List.of(new Object[] {1L, Double.NaN}, new Object[] {2L,
        Double.POSITIVE_INFINITY}, new Object[] {3L, Double.NEGATIVE_INFINITY}, new Object[] {4L, -0.0},
        new Object[] {5L, 1.5}));
    String contract = """
        format: parquet
        columns:
          - {name: id, type: long, required: true}
          - {name: score, type: double}
        """;
    LandingResult r = new Landing(lakehouse).land(new LandingRequest("dept", "data", file,
        ContractParser.parse(contract, "c"), null));
    assertThat(r.rowsRead()).isEqualTo(5);
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(quarantineRows()).extracting(x -> x.getField("reason")).allSatisfy(reason ->
        assertThat((String) reason).contains("not a finite number"));
    LandingResult text = land(contract.replace("parquet", "csv"), "nan.csv",
        "id,score\n6,NaN\n7,Infinity\n8,2.5\n".getBytes(StandardCharsets.UTF_8));
    assertThat(text.rowsLanded()).as("as the text is").isEqualTo(1);
  }

  /**
   * Found by a probe: 00:00 at -05:00, at Z and at +08:00 landed as one local 00:00, and 23:59:59.9999995 on the last
   * day of 1969 as 1970-01-01 00:00. An instant with an offset becomes the district's local time; finer than the
   * microsecond the table keeps is cut off, never carried into the next second.
   */
  @Test
  void timestampsWithAnOffsetAreTheDistrictsLocalTimeAndCutToTheMicrosecond() {
    land("""
        format: csv
        header: true
        timestampFormat: "yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS]XXX"
        columns:
          - {name: id, type: long, required: true}
          - {name: at, type: timestamp}
        """, "ts.csv", ("id,at\n1,2024-01-01T00:00:00-05:00\n2,2024-01-01T00:00:00Z\n3,2024-01-01T00:00:00+08:00\n"
        + "4,1969-12-31T23:59:59.999999500+08:00\n5,2024-01-01T23:59:59.999999999+08:00\n")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(odsRows()).extracting(r -> r.getField("at").toString()).containsExactly("2024-01-01T13:00",
        "2024-01-01T08:00", "2024-01-01T00:00", "1969-12-31T23:59:59.999999", "2024-01-01T23:59:59.999999");
  }

  @Test
  void parquetWithUndeclaredOrMissingRequiredColumnsIsRefused() throws Exception {
    Schema extra = new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "secret", Types.StringType.get()));
    Path file = parquet("extra.parquet", extra, List.<Object[]>of(new Object[] {1L, "x"}));
    String contract = JSON_CONTRACT.replace("format: jsonl", "format: parquet");
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("dept", "data", file,
        ContractParser.parse(contract, "c"), null))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("columns the contract does not declare: secret");
    Schema noId = new Schema(Types.NestedField.optional(1, "name", Types.StringType.get()));
    Path file2 = parquet("noid.parquet", noId, List.<Object[]>of(new Object[] {"x"}));
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("dept", "data", file2,
        ContractParser.parse(contract, "c"), null))).isInstanceOf(BadInputException.class)
        .hasMessage("the file lacks required columns: id");
    Path junk = dir.resolve("junk.parquet");
    Files.writeString(junk, "not parquet at all");
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("dept", "data", junk,
        ContractParser.parse(contract, "c"), null))).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the file is not a readable Parquet file");
  }

  // ---- Excel ------------------------------------------------------------------------------------------------

  @Test
  void anXlsxZipBombIsRefusedAsBadInput() throws Exception {
    // Found by a hostile file: a sheet padded with 800 MB of blanks (820 KB compressed) ended as an internal error.
    Path good = dir.resolve("good.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream os = Files.newOutputStream(good)) {
      Sheet sheet = wb.createSheet("data");
      sheet.createRow(0).createCell(0).setCellValue("id");
      sheet.createRow(1).createCell(0).setCellValue(1);
      wb.write(os);
    }
    Path bomb = dir.resolve("bomb.xlsx");
    try (ZipFile in = new ZipFile(good.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
      for (ZipEntry e : Collections.list(in.entries())) {
        byte[] part = in.getInputStream(e).readAllBytes();
        out.putNextEntry(new ZipEntry(e.getName()));
        String text = new String(part, StandardCharsets.UTF_8);
        int at = text.indexOf("<sheetData>");
        if (e.getName().endsWith("sheet1.xml") && at >= 0) {
          at += "<sheetData>".length();
          out.write(part, 0, at);
          byte[] blanks = new byte[1 << 20];
          Arrays.fill(blanks, (byte) ' ');
          for (int i = 0; i < 64; i++) {
            out.write(blanks);
          }
          out.write(part, at, part.length - at);
        } else {
          out.write(part);
        }
        out.closeEntry();
      }
    }
    String contract = JSON_CONTRACT.replace("format: jsonl", "format: xlsx");
    assertThat(new Landing(lakehouse).land(new LandingRequest("dept", "data", good, ContractParser.parse(contract, "c"),
        null)).rowsRead()).as("the same workbook without the padding").isEqualTo(1);
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("dept", "data2", bomb,
        ContractParser.parse(contract, "c"), null))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("a part of it expands to more than 100 times its compressed size");
    assertThat(lakehouse.exists(TableNames.ods("dept", "data2"))).as("no table left").isFalse();
  }

  @Test
  void aWorkbookWithoutItsHeaderRowIsRefusedWithoutEchoingItsFirstRow() throws Exception {
    Path file = dir.resolve("nohdr.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream os = Files.newOutputStream(file)) {
      Row r = wb.createSheet("s").createRow(0);
      r.createCell(0).setCellValue("110101199003077777");
      r.createCell(1).setCellValue("张三");
      r.createCell(2).setCellValue(1);
      r.createCell(3).setCellValue(LocalDate.of(2023, 3, 15));
      wb.write(os);
    }
    String contract = JSON_CONTRACT.replace("format: jsonl", "format: xlsx");
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("dept", "data", file,
        ContractParser.parse(contract, "c"), null))).isInstanceOf(BadInputException.class)
        .hasMessage("sheet row 1 (the header): the first row does not look like a header: none of its 4 cells names a "
            + "column of the contract (expected: id, name, amount, day); is the header row missing? (a file without one "
            + "needs 'header: false' in the contract)");
  }

  @Test
  void excelCellsAreReadAsStoredNotAsDisplayed() throws Exception {
    Path file = dir.resolve("sheet.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream os = Files.newOutputStream(file)) {
      wb.createSheet("notes").createRow(0).createCell(0).setCellValue("ignore me");
      Sheet sheet = wb.createSheet("上报数据");
      CellStyle dateStyle = wb.createCellStyle();
      dateStyle.setDataFormat(wb.createDataFormat().getFormat("yyyy\"年\"m\"月\"d\"日\""));
      CellStyle oneDecimal = wb.createCellStyle();
      oneDecimal.setDataFormat(wb.createDataFormat().getFormat("0.0"));
      sheet.createRow(2).createCell(0).setCellValue("id"); // the header after two empty rows
      Row h = sheet.getRow(2);
      h.createCell(1).setCellValue("name");
      h.createCell(2).setCellValue("amount");
      h.createCell(3).setCellValue("day");
      Row r1 = sheet.createRow(3);
      r1.createCell(0).setCellValue(1);
      r1.createCell(1).setCellValue(13800138000d); // a phone typed as a number
      r1.createCell(2).setCellValue(12.25);
      r1.getCell(2).setCellStyle(oneDecimal);      // displayed 12.3, stored 12.25
      r1.createCell(3).setCellValue(LocalDate.of(2024, 5, 6));
      r1.getCell(3).setCellStyle(dateStyle);
      Row r2 = sheet.createRow(4);
      r2.createCell(0).setCellValue(2);
      r2.createCell(3).setCellValue("2024-13-01");   // typed as text, not a date
      Row r3 = sheet.createRow(5);
      r3.createCell(0).setCellValue(3);
      r3.createCell(5).setCellValue("stray");        // beyond the header
      wb.write(os);
    }
    String contract = JSON_CONTRACT.replace("format: jsonl", "format: xlsx\nsheet: 上报数据");
    LandingResult r = new Landing(lakehouse).land(new LandingRequest("dept", "data", file,
        ContractParser.parse(contract, "c"), null));
    assertThat(r.rowsRead()).isEqualTo(3);
    assertThat(r.rowsLanded()).isEqualTo(1);
    Record ok = odsRows().get(0);
    assertThat(ok.getField("name")).isEqualTo("13800138000");
    assertThat(ok.getField("amount")).isEqualTo(new BigDecimal("12.25"));
    assertThat(ok.getField("day")).isEqualTo(LocalDate.of(2024, 5, 6));
    List<Record> bad = quarantineRows();
    assertThat(bad).extracting(x -> x.getField("rule")).containsExactly(Problem.BAD_VALUE, Problem.COLUMN_COUNT);
    assertThat(bad).extracting(x -> x.getField("line_number")).as("the sheet's own row numbers").containsExactly(5L, 6L);
    assertThat((String) bad.get(1).getField("reason")).isEqualTo("cell F6 is beyond the header's 4 columns");

    String wrongSheet = JSON_CONTRACT.replace("format: jsonl", "format: xlsx\nsheet: 汇总");
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("dept", "other", file,
        ContractParser.parse(wrongSheet, "c"), null))).isInstanceOf(BadInputException.class)
        .hasMessage("the workbook has no sheet named '汇总' (it has: notes, 上报数据)");
  }

  @Test
  void aFileWhoseNameContradictsTheContractIsRefused() throws Exception {
    Path file = dir.resolve("feed.xlsx");
    Files.writeString(file, "id\n1\n");
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("dept", "data", file,
        ContractParser.parse(CsvLandingTest.TWO, "c"), null))).isInstanceOf(BadInputException.class)
        .hasMessage("the contract promises csv but the file name says xlsx");
  }

}
