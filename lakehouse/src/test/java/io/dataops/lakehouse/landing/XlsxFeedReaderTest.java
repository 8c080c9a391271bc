package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.ContractParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.iceberg.data.Record;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Workbooks written part by part, as a hostile or unusual producer could: what each cell lands as, or why not. */
class XlsxFeedReaderTest extends LandingFixture {

  static final String CONTRACT = """
      format: xlsx
      columns:
        - {name: id, type: long, required: true}
        - {name: code, type: string}
        - {name: amount, type: "decimal(18,2)"}
        - {name: day, type: date}
      """;

  /** A workbook of one sheet "data" with these rows (sheet XML), shared strings and the header id, code, amount, day. */
  static byte[] workbook(String rows, String... shared) {
    return workbook(List.<String[]>of(new String[] {"data", null, header() + rows}), shared);
  }

  static String header() {
    return "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>code</t>"
        + "</is></c><c r=\"C1\" t=\"inlineStr\"><is><t>amount</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>day</t>"
        + "</is></c></row>";
  }

  /** Sheets as {name, state (null: visible), rows}. Style 1 is a date format (numFmt 14). */
  static byte[] workbook(List<String[]> sheets, String... shared) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        StringBuilder types = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas"
            + ".openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/"
            + "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
            + "spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd."
            + "openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>");
        StringBuilder wb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas"
            + ".openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
            + "2006/relationships\"><sheets>");
        StringBuilder rels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://"
            + "schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rS\" Type=\"http://schemas."
            + "openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship "
            + "Id=\"rT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
            + "Target=\"sharedStrings.xml\"/>");
        for (int i = 0; i < sheets.size(); i++) {
          String[] s = sheets.get(i);
          int n = i + 1;
          types.append("<Override PartName=\"/xl/worksheets/sheet").append(n).append(".xml\" ContentType=\"application/"
              + "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
          wb.append("<sheet name=\"").append(s[0]).append("\" sheetId=\"").append(n).append("\"")
              .append(s[1] == null ? "" : " state=\"" + s[1] + "\"").append(" r:id=\"r").append(n).append("\"/>");
          rels.append("<Relationship Id=\"r").append(n).append("\" Type=\"http://schemas.openxmlformats.org/"
              + "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet").append(n).append(".xml\"/>");
          put(zip, "xl/worksheets/sheet" + n + ".xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\""
              + "http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" + s[2]
              + "</sheetData></worksheet>");
        }
        put(zip, "[Content_Types].xml", types.append("</Types>").toString());
        put(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas."
            + "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
            + "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "</Relationships>");
        put(zip, "xl/workbook.xml", wb.append("</sheets></workbook>").toString());
        put(zip, "xl/_rels/workbook.xml.rels", rels.append("</Relationships>").toString());
        put(zip, "xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"http://schemas."
            + "openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/>"
            + "</fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/>"
            + "</cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" xfId=\"0\" "
            + "applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
        StringBuilder sst = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas."
            + "openxmlformats.org/spreadsheetml/2006/main\" count=\"" + shared.length + "\" uniqueCount=\""
            + shared.length + "\">");
        for (String s : shared) {
          sst.append("<si><t>").append(s).append("</t></si>");
        }
        put(zip, "xl/sharedStrings.xml", sst.append("</sst>").toString());
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  /** A row element numbered r holding these cells' XML. */
  static String row(int r, String... cells) {
    StringBuilder sb = new StringBuilder("<row r=\"" + r + "\">");
    for (String c : cells) {
      sb.append(c);
    }
    return sb.append("</row>").toString();
  }

  static String num(String ref, String v) {
    return "<c r=\"" + ref + "\"><v>" + v + "</v></c>";
  }

  static String inline(String ref, String inner) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is>" + inner + "</is></c>";
  }

  @Test
  void aNumberOfMoreThan15DigitsForTextIsQuarantinedAsExcelLostItsDigits() {
    String personal = CONTRACT.replace("{name: code, type: string}", "{name: code, type: string, personal: mobile}");
    LandingResult r = landXlsx(CONTRACT, workbook(row(2, num("A2", "1"), num("B2", "13800138000"))
        + row(3, num("A3", "2"), num("B3", "4.41302199805249E+17"))));
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(odsRows().get(0).getField("code")).isEqualTo("13800138000");
    assertThat(reasons()).containsExactly("cell B3 holds a number of more than 15 digits, which Excel cannot keep"
        + " exactly: format the column as text and type the value again");
    assertThat(quarantinedText().get(0)).doesNotContain("441302199805249");

    // A column of mobiles: any number cell there is an identifier typed as a number.
    r = landXlsx(personal, workbook(row(2, num("A2", "1"), num("B2", "13800138000"))
        + row(3, num("A3", "2"), inline("B3", "<t>13800138000</t>"))));
    assertThat(r.rowsQuarantined()).isEqualTo(1);
    assertThat(reasons()).anySatisfy(x -> assertThat(x).startsWith("cell B2 is typed as a number")
        .endsWith("format the column as text and type the value again").doesNotContain("13800138000"));
  }

  /**
   * A cell the reader could not hand on (a number for an identifier, an ID Excel rounded, an Excel error) stopped the
   * row's other cells being checked, so the department's feedback named one problem of a row with several: every
   * column's problem is told, in column order, each in its own words. A workbook written by POI, as Excel writes one.
   */
  @Test
  void aRowsReasonTellsEveryColumnsProblemInColumnOrder() throws IOException {
    String contract = """
        format: xlsx
        columns:
          - {name: id, type: long, required: true}
          - {name: mobile, type: string, personal: mobile}
          - {name: code, type: string}
          - {name: amount, type: "decimal(18,2)"}
          - {name: day, type: date}
        """;
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      Sheet sheet = wb.createSheet("data");
      Row header = sheet.createRow(0);
      String[] names = {"id", "mobile", "code", "amount", "day"};
      for (int i = 0; i < names.length; i++) {
        header.createCell(i).setCellValue(names[i]);
      }
      Row bad = sheet.createRow(1);
      bad.createCell(0).setCellValue(1.5);
      bad.createCell(1).setCellValue(13800138000d);
      bad.createCell(2).setCellValue(441302199805249111d);
      bad.createCell(3).setCellValue(1.005);
      bad.createCell(4).setCellErrorValue(FormulaError.NA.getCode());
      Row good = sheet.createRow(2);
      good.createCell(0).setCellValue(2);
      good.createCell(1).setCellValue("13800138000");
      Row beyond = sheet.createRow(3); // a problem of the row as a whole: its cells' problems come with it
      beyond.createCell(0).setCellValue(3);
      beyond.createCell(1).setCellValue(13800138000d);
      beyond.createCell(3).setCellValue(1.005);
      beyond.createCell(5).setCellErrorValue(FormulaError.DIV0.getCode());
      wb.write(file);
    }
    LandingResult r = landXlsx(contract, file.toByteArray());
    assertThat(r.rowsLanded()).isEqualTo(1);
    List<Record> bad = quarantineRows();
    assertThat(bad).extracting(x -> x.getField("row_number")).containsExactly(1L, 3L);
    assertThat(reasons()).containsExactly(
        "column id: not a whole number in the range of long; "
            + "cell B2 is typed as a number, in a column of mobile values, which Excel can change when typed as"
            + " numbers: format the column as text and type the value again; "
            + "cell C2 holds a number of more than 15 digits, which Excel cannot keep exactly: format the column as"
            + " text and type the value again; "
            + "column amount: has 3 decimal places, the contract allows 2; "
            + "cell E2 holds an Excel error",
        "cell F4 holds an Excel error; "
            + "cell F4 is beyond the header's 5 columns; "
            + "cell B4 is typed as a number, in a column of mobile values, which Excel can change when typed as"
            + " numbers: format the column as text and type the value again");
    assertThat(bad).extracting(x -> x.getField("rule")).containsExactly(Problem.BAD_VALUE, Problem.BAD_VALUE);
    assertThat(bad).extracting(x -> x.getField("column_name")).containsExactly("id", null);
    assertThat(quarantinedText()).noneMatch(t -> t.contains("13800138000") || t.contains("4413021998"));
  }

  @Test
  void cellsArePlacedByTheirReferenceAndABadReferenceQuarantinesTheRow() {
    LandingResult r = landXlsx(CONTRACT, workbook(
        row(2, num("A2", "1"), inline("B2", "<t>b</t>"), "<c r=\"D2\" s=\"1\"><v>45000</v></c>", num("C2", "5"))
        + row(3, num("A3", "3"), inline("B3", "<t>b</t>"), "<c r=\"D3\" s=\"1\"><v>45000</v></c>")
        + row(4, num("A4", "4"), num("A4", "5"))
        + row(5, num("A5", "5"), num("ZZZZZ5", "6"))
        + row(6, num("A6", "6"), num("x6", "7"))
        + "<row r=\"x7\">" + num("A7", "7") + "</row>"));
    assertThat(r.rowsRead()).isEqualTo(6);
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(odsRows().get(0).getField("day")).isEqualTo(LocalDate.of(2023, 3, 15));
    assertThat(odsRows().get(0).getField("amount")).isNull();
    assertThat(reasons()).containsExactly(
        "cell C2 comes after cell D2 in the row: its cells are out of order or repeated",
        "cell A4 comes after cell A4 in the row: its cells are out of order or repeated",
        "a cell in sheet row 5 is beyond column XFD, Excel's last",
        "a cell in sheet row 6 has a damaged reference",
        "sheet row 7 (the one after row 6) has a damaged row number");
  }

  @Test
  void unreadableCellMarkupIsAQuarantinedRowNamingTheCellNotItsContent() {
    LandingResult r = landXlsx(CONTRACT, workbook(
        row(2, num("A2", "1"), "<c r=\"B2\" t=\"s\"><v>110101199003077777</v></c>")
        + row(3, num("A3", "2"), "<c r=\"B3\" t=\"s\"><v>7</v></c>")
        + row(4, num("A4", "138-0013-8000"))
        + row(5, num("A5", " 5 "))
        + row(6, num("A6", "6"), "<c r=\"B6\" s=\"1x\"><v>1</v></c>")
        + row(7, num("A7", "7"), "<c r=\"D7\" t=\"d\"><v>2023-03-15T00:00:00</v></c>")
        + row(8, num("A8", "8"), "<c r=\"D8\" t=\"d\"><v>2023-03-15</v></c>")
        + row(9, num("A9", "9"), "<c r=\"D9\" t=\"d\"><v>15/03/2023</v></c>"), "only"));
    assertThat(r.rowsRead()).isEqualTo(8);
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(odsRows()).extracting(x -> x.getField("day")).containsExactly(LocalDate.of(2023, 3, 15),
        LocalDate.of(2023, 3, 15));
    assertThat(reasons()).containsExactly(
        "cell B2 refers to a shared string the workbook does not have",
        "cell B3 refers to a shared string the workbook does not have",
        "cell A4 is a number cell not holding a number",
        "cell A5 is a number cell not holding a number",
        "cell B6 has a damaged style number",
        "cell D9 is a date cell not holding an ISO 8601 date");
    assertThat(quarantinedText()).noneMatch(t -> t.contains("110101199003077777") || t.contains("138-0013"));
  }

  @Test
  void aNumberBeyondExcelsRangeIsQuarantinedWithoutBeingWrittenOut() {
    LandingResult r = landXlsx(CONTRACT, workbook(row(2, num("A2", "1"), num("B2", "1E999999999"))
        + row(3, num("A3", "2"), num("B3", "1E-999999999")) + row(4, num("A4", "3"), num("B4", "1E+99999999999"))
        + row(5, num("A5", "4"), num("B5", "1E-300"))));
    assertThat(r.rowsQuarantined()).isEqualTo(3);
    assertThat(odsRows().get(0).getField("code")).asString().hasSize(302);
    assertThat(reasons()).containsExactly("cell B2 holds a number beyond Excel's range (1E-308 to 1E+308)",
        "cell B3 holds a number beyond Excel's range (1E-308 to 1E+308)", "cell B4 is a number cell not holding a number");
  }

  @Test
  void aRowLongerThanMaxRecordBytesIsQuarantinedAndItsTextNotKept() {
    String contract = CONTRACT + "maxRecordBytes: 1024\n";
    String big = "x".repeat(5000);
    LandingResult r = landXlsx(contract, workbook(row(2, num("A2", "1"), inline("B2", "<t>" + big + "</t>"))
        + row(3, num("A3", "2"), "<c r=\"B3\" t=\"s\"><v>0</v></c>") + row(4, num("A4", "3")), big));
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(quarantineRows()).extracting(x -> x.getField("rule")).containsOnly(Problem.RECORD_TOO_LONG);
    assertThat(reasons().get(0)).isEqualTo("the row is longer than maxRecordBytes (1024); its first 1024 bytes are kept");
    assertThat(quarantinedText()).allMatch(t -> t.length() < 1300);
  }

  @Test
  void sharedStringsTooLargeForTheHeapAreRefusedBeforeReading() throws Exception {
    Path file = dir.resolve("big.xlsx");
    Files.write(file, workbook(row(2, num("A2", "1"), "<c r=\"B2\" t=\"s\"><v>0</v></c>"), randomText(3 << 20)));
    var contract = ContractParser.parse(CONTRACT, "c");
    assertThatThrownBy(() -> new XlsxFeedReader(FeedFile.local(file), contract, 8 << 20).read(b -> { }))
        .isInstanceOf(BadInputException.class).hasMessage("the workbook's shared strings (3 MB) exceed what can be"
            + " read in this heap; save the sheet as CSV");
    List<RecordBatch> batches = new ArrayList<>();
    new XlsxFeedReader(FeedFile.local(file), contract, 64 << 20).read(batches::add);
    assertThat(batches.get(0).size()).as("read when it fits").isEqualTo(1);
  }

  @Test
  void inlineStringsSkipPhoneticRunsAndDecodeEscapes() {
    LandingResult r = landXlsx(CONTRACT, workbook(
        row(2, num("A2", "1"), inline("B2", "<r><t>東京</t></r><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh>"))
        + row(3, num("A3", "2"), inline("B3", "<t>a_x000D_b</t>"))
        + row(4, num("A4", "3"), "<c r=\"B4\" t=\"str\"><f>A1</f><v>c_x0009_d</v></c>")));
    assertThat(r.rowsLanded()).isEqualTo(3);
    assertThat(odsRows()).extracting(x -> x.getField("code")).containsExactly("東京", "a\rb", "c\td");
  }

  @Test
  void aFormulaWithoutAComputedValueIsQuarantined() {
    LandingResult r = landXlsx(CONTRACT, workbook(row(2, num("A2", "1"), "<c r=\"C2\"><f>1+1</f></c>")
        + row(3, num("A3", "2"), "<c r=\"C3\"><f>1+1</f><v>2</v></c>")));
    assertThat(r.rowsLanded()).isEqualTo(1);
    assertThat(reasons()).containsExactly(
        "cell C2 is a formula without a computed value (open and save the workbook in Excel)");
  }

  @Test
  void excelsFloatingPointNoiseIsRoundedTo15Digits() {
    LandingResult r = landXlsx(CONTRACT, workbook(row(2, num("A2", "1"), num("C2", "113.00000000000001"))
        + row(3, num("A3", "2"), num("B3", "0.30000000000000004"), num("C3", "0.30000000000000004"))
        + row(4, num("A4", "3"), num("C4", "1.005"))));
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(odsRows()).extracting(x -> x.getField("amount")).containsExactly(new BigDecimal("113.00"),
        new BigDecimal("0.30"));
    assertThat(odsRows().get(1).getField("code")).isEqualTo("0.3");
    assertThat(reasons()).containsExactly("column amount: has 3 decimal places, the contract allows 2");
  }

  @Test
  void theFirstVisibleSheetIsReadByDefault() {
    LandingResult r = landXlsx(CONTRACT, workbook(List.of(
        new String[] {"lookup", "hidden", header() + row(2, num("A2", "9"))},
        new String[] {"data", null, header() + row(2, num("A2", "1")) + row(3, num("A3", "2"))})));
    assertThat(r.rowsLanded()).isEqualTo(2);
  }

  @Test
  void reasonsSpeakOfNumbersAndDatesAndDatesBecomeText() {
    LandingResult r = landXlsx(CONTRACT, workbook(
        row(2, num("A2", "1"), "<c r=\"B2\" s=\"1\"><v>45000</v></c>")
        + row(3, num("A3", "2"), "<c r=\"B3\" s=\"1\"><v>45000.5</v></c>")
        + row(4, num("A4", "3"), num("D4", "45000"))
        + row(5, "<c r=\"A5\" s=\"1\"><v>45000</v></c>")
        + row(6, num("A6", "6"), "<c r=\"D6\" s=\"1\"><v>60</v></c>")
        + row(7, num("A7", "7"), "<c r=\"D7\" s=\"1\"><v>61</v></c>")
        + row(8, num("A8", "8"), "<c r=\"D8\" s=\"1\"><v>2958466</v></c>")));
    assertThat(odsRows()).extracting(x -> x.getField("code")).containsExactly("2023-03-15", "2023-03-15 12:00:00",
        null);
    assertThat(odsRows().get(2).getField("day")).isEqualTo(LocalDate.of(1900, 3, 1));
    assertThat(reasons()).containsExactly("column day: a number, not a date (format the cell as a date)",
        "column id: a date, not a whole number",
        "cell D6 holds Excel's day 60, 1900-02-29, which did not exist",
        "cell D8 holds a date after 9999-12-31, Excel's last");
    assertThat(r.rowsLanded()).isEqualTo(3);
  }

  @Test
  void anEncryptedWorkbookAndAnOldXlsAreToldApart() throws Exception {
    Path xls = dir.resolve("old.xlsx");
    try (var wb = new org.apache.poi.hssf.usermodel.HSSFWorkbook(); var os = Files.newOutputStream(xls)) {
      wb.createSheet("data").createRow(0).createCell(0).setCellValue("id");
      wb.write(os);
    }
    Path encrypted = dir.resolve("secret.xlsx");
    try (var fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem(); var os = Files.newOutputStream(encrypted)) {
      fs.createDocument(new java.io.ByteArrayInputStream(new byte[16]), "EncryptionInfo");
      fs.createDocument(new java.io.ByteArrayInputStream(new byte[16]), "EncryptedPackage");
      fs.writeFilesystem(os);
    }
    var contract = ContractParser.parse(CONTRACT, "c");
    assertThatThrownBy(() -> new XlsxFeedReader(FeedFile.local(xls), contract).read(b -> { }))
        .isInstanceOf(BadInputException.class).hasMessage("the file is an old .xls workbook, not .xlsx: save it as .xlsx");
    assertThatThrownBy(() -> new XlsxFeedReader(FeedFile.local(encrypted), contract).read(b -> { }))
        .isInstanceOf(BadInputException.class)
        .hasMessage("the .xlsx workbook is password-protected: save it without a password");
  }

  private static String randomText(int length) {
    java.util.Random random = new java.util.Random(7);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }

  private LandingResult landXlsx(String contract, byte[] workbook) {
    LandingResult r = land(contract, "feed.xlsx", workbook);
    assertThat(r.rowsRead()).as("every row read lands or is quarantined")
        .isEqualTo(r.rowsLanded() + r.rowsQuarantined());
    return r;
  }

  private List<String> reasons() {
    List<String> out = new ArrayList<>();
    for (Record r : quarantineRows()) {
      out.add((String) r.getField("reason"));
    }
    return out;
  }

  private List<String> quarantinedText() {
    List<String> out = new ArrayList<>();
    for (Record r : quarantineRows()) {
      out.add(String.valueOf(r.getField("reason")) + " " + r.getField("raw_record"));
    }
    return out;
  }
}
