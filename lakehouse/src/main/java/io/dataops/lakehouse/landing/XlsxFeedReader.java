package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.landing.ValueConverter.Unread;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.SharedStrings;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Excel .xlsx feeds, read as a stream of SAX events (a sheet is never held in memory). Values are taken as stored,
 * not as displayed: numbers as exact decimals, date-formatted numbers as dates, so a cell formatted "0.0" does not
 * lose digits. The first non-empty row is the header; the row number reported is the sheet's own. Cells are
 * placed by their reference; markup that cannot be read (a damaged reference, style, shared-string index or number)
 * quarantines its row naming the cell, never repeating its content. By default the first visible sheet is read.
 */
final class XlsxFeedReader implements FeedReader {
  private static final int BATCH_ROWS = 4096;

  private final FeedFile file;
  private final FeedContract contract;
  private final long size;
  private final long sharedStringsBudget;
  private long rowsRead;
  private long blankRows;
  private List<String> missing = List.of();

  XlsxFeedReader(FeedFile file, FeedContract contract) throws IOException {
    this(file, contract, Runtime.getRuntime().maxMemory() / 2);
  }

  XlsxFeedReader(FeedFile file, FeedContract contract, long sharedStringsBudget) throws IOException {
    this.file = file;
    this.contract = contract;
    this.size = file.length();
    this.sharedStringsBudget = sharedStringsBudget;
  }

  /**
   * The workbook as a local file: a zip is read by random access, which POI does only on a file (its stream variant
   * holds every part in memory). An object is copied to an owner-only temporary file, removed after the read.
   */
  private static boolean isLocal(FeedFile file) {
    return file.location().startsWith("/") || file.location().startsWith("file:");
  }

  private static Path localCopy(FeedFile file) throws IOException {
    String location = file.location();
    if (isLocal(file)) {
      return location.startsWith("file:") ? Path.of(java.net.URI.create(location.startsWith("file:/")
          && !location.startsWith("file://") ? "file://" + location.substring(5) : location)) : Path.of(location);
    }
    Path copy = io.dataops.core.files.ProcessScratch.newFile("feed-", ".xlsx"); // the raw feed: owner-only
    try (InputStream in = file.openStream()) {
      Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
    return copy;
  }

  @Override
  public void read(BatchSink sink) throws IOException, InterruptedException {
    Path local = localCopy(file);
    try {
      refuseOle2(local);
      try (OPCPackage pkg = OPCPackage.open(local.toFile(), PackageAccess.READ)) {
        read(pkg, sink);
      }
    } catch (SinkInterrupted e) {
      throw e.cause;
    } catch (BadInputException e) {
      throw e;
    } catch (OpenXML4JException | SAXException | javax.xml.parsers.ParserConfigurationException
             | org.apache.poi.UnsupportedFileFormatException | IllegalStateException e) {
      Throwable bad = e instanceof SAXException sax && sax.getException() instanceof BadInputException b ? b : null;
      if (bad != null) {
        throw (BadInputException) bad;
      }
      throw new BadInputException("the file is not a readable .xlsx workbook (" + e.getClass().getSimpleName() + ")");
    } catch (IOException e) {
      // POI refuses a part that inflates beyond 100 times its compressed size while reading it (its zip-bomb guard,
      // ZipSecureFile); a department's file doing that is refused like any unreadable workbook, not an internal error.
      if (e.getMessage() != null && e.getMessage().startsWith("Zip bomb detected")) {
        throw new BadInputException("the .xlsx file is refused: a part of it expands to more than 100 times its"
            + " compressed size, as a zip bomb does (a workbook saved by a spreadsheet program does not)");
      }
      throw e;
    } finally {
      if (!isLocal(file)) {
        Files.deleteIfExists(local);
      }
    }
  }

  private void read(OPCPackage pkg, BatchSink sink) throws IOException, OpenXML4JException, SAXException,
      javax.xml.parsers.ParserConfigurationException {
    XSSFReader reader = new XSSFReader(pkg);
    Map<String, Boolean> visible = new HashMap<>();
    boolean date1904 = workbook(reader, visible);
    refuseLargeSharedStrings(pkg);
    SharedStrings strings = new ReadOnlySharedStringsTable(pkg, false);
    StylesTable styles = reader.getStylesTable();
    XSSFReader.SheetIterator sheets = reader.getSheetIterator();
    InputStream chosen = null;
    List<String> names = new ArrayList<>();
    while (sheets.hasNext()) {
      InputStream s = sheets.next();
      String name = sheets.getSheetName();
      names.add(name);
      // By default the first sheet a person sees: a hidden sheet is a workbook's lookup table or scratch.
      boolean wanted = contract.sheet() == null ? visible.getOrDefault(name, true) : contract.sheet().equals(name);
      if (chosen == null && wanted) {
        chosen = s;
      } else {
        s.close();
      }
    }
    if (chosen == null) {
      throw new BadInputException(contract.sheet() == null ? "the workbook has no visible sheet"
          : "the workbook has no sheet named '" + contract.sheet() + "' (it has: " + String.join(", ", names) + ")");
    }
    SheetHandler handler = new SheetHandler(strings, styles, date1904, sink);
    try (InputStream sheet = chosen) {
      XMLReader xml = XMLHelper.newXMLReader();
      xml.setContentHandler(handler);
      xml.parse(new InputSource(sheet));
    }
    handler.flush();
  }

  /**
   * An OLE2 file is no .xlsx: an old .xls workbook, or an .xlsx saved with a password (Excel wraps the encrypted
   * workbook in an OLE2 file with an EncryptionInfo entry). Each is refused with what the department can do.
   */
  private static void refuseOle2(Path local) throws IOException {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(local)) {
      n = in.readNBytes(head, 0, 8);
    }
    if (n < 8 || org.apache.poi.poifs.filesystem.FileMagic.valueOf(head)
        != org.apache.poi.poifs.filesystem.FileMagic.OLE2) {
      return;
    }
    boolean encrypted;
    try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs =
             new org.apache.poi.poifs.filesystem.POIFSFileSystem(local.toFile(), true)) {
      encrypted = fs.getRoot().hasEntry("EncryptionInfo");
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("the file is not a readable .xlsx workbook (a damaged OLE2 file)");
    }
    throw new BadInputException(encrypted ? "the .xlsx workbook is password-protected: save it without a password"
        : "the file is an old .xls workbook, not .xlsx: save it as .xlsx");
  }

  /**
   * POI holds every shared string in memory (about four times the part's XML); a part that would not fit in half
   * the heap is refused before reading it, not left to run out of memory.
   */
  private void refuseLargeSharedStrings(OPCPackage pkg) throws OpenXML4JException {
    List<org.apache.poi.openxml4j.opc.PackagePart> parts =
        pkg.getPartsByContentType(org.apache.poi.xssf.usermodel.XSSFRelation.SHARED_STRINGS.getContentType());
    long bytes = parts.isEmpty() ? 0 : parts.get(0).getSize();
    if (bytes > 0 && bytes * 4 > sharedStringsBudget) {
      throw new BadInputException("the workbook's shared strings (" + Math.max(1, bytes >> 20) + " MB) exceed what"
          + " can be read in this heap; save the sheet as CSV");
    }
  }

  private static boolean workbook(XSSFReader reader, Map<String, Boolean> visible)
      throws IOException, OpenXML4JException {
    boolean[] flag = {false};
    try (InputStream wb = reader.getWorkbookData()) {
      XMLReader xml = XMLHelper.newXMLReader();
      xml.setContentHandler(new DefaultHandler() {
        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
          if ("workbookPr".equals(local)) {
            String v = atts.getValue("date1904");
            flag[0] = "1".equals(v) || "true".equals(v);
          } else if ("sheet".equals(local) && atts.getValue("name") != null) {
            String state = atts.getValue("state");
            visible.putIfAbsent(atts.getValue("name"), state == null || "visible".equals(state));
          }
        }
      });
      xml.parse(new InputSource(wb));
    } catch (SAXException | javax.xml.parsers.ParserConfigurationException e) {
      throw new BadInputException("the workbook part of the .xlsx file is damaged");
    }
    return flag[0];
  }

  @Override
  public long bytesRead() {
    return rowsRead == 0 ? 0 : Math.min(size, rowsRead * 64);
  }

  @Override
  public long blankLines() {
    return blankRows;
  }

  @Override
  public String encoding() {
    return null;
  }

  @Override
  public List<String> missingColumns() {
    return missing;
  }

  @Override
  public void close() {}

  private static final class SinkInterrupted extends RuntimeException {
    final InterruptedException cause;

    SinkInterrupted(InterruptedException cause) {
      super(null, null, false, false);
      this.cause = cause;
    }
  }

  /** The last column Excel has: XFD. */
  static final int MAX_COLUMNS = 16384;
  /** The last row Excel has. */
  static final long MAX_ROWS = 1_048_576;
  /** Excel keeps 15 significant digits of a number. */
  private static final java.math.MathContext EXCEL_DIGITS = new java.math.MathContext(15, java.math.RoundingMode.HALF_EVEN);

  /**
   * The column of a cell reference such as "AB12" (0-based), -1 when it is not one (lower case, no row digits,
   * anything else), -2 when its letters pass column XFD; {@code rowOut[0]} gets its row number.
   */
  static int columnOf(String ref, long[] rowOut) {
    int n = ref.length();
    int i = 0;
    long col = 0;
    while (i < n && ref.charAt(i) >= 'A' && ref.charAt(i) <= 'Z') {
      if (col <= MAX_COLUMNS) {
        col = col * 26 + (ref.charAt(i) - 'A' + 1);
      }
      i++;
    }
    if (i == 0 || i == n || n - i > 7) {
      return -1;
    }
    long row = 0;
    for (int j = i; j < n; j++) {
      char c = ref.charAt(j);
      if (c < '0' || c > '9') {
        return -1;
      }
      row = row * 10 + (c - '0');
    }
    if (row < 1 || row > MAX_ROWS) {
      return -1;
    }
    rowOut[0] = row;
    return col > MAX_COLUMNS ? -2 : (int) col - 1;
  }

  /** A row number or a small index: digits only, at most {@code maxDigits}; -1 otherwise. */
  static long digitsValue(String s, int maxDigits) {
    int n = s.length();
    if (n == 0 || n > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Decodes the {@code _xHHHH_} escapes Excel writes for characters XML cannot hold, as POI does for shared strings. */
  static String utfDecode(String value) {
    if (value.indexOf("_x") < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    int n = value.length();
    while (i < n) {
      char c = value.charAt(i);
      if (c == '_' && i + 6 < n && value.charAt(i + 1) == 'x' && value.charAt(i + 6) == '_') {
        int code = 0;
        boolean hex = true;
        for (int j = i + 2; j < i + 6; j++) {
          int d = Character.digit(value.charAt(j), 16);
          if (d < 0) {
            hex = false;
            break;
          }
          code = code * 16 + d;
        }
        if (hex) {
          out.append((char) code);
          i += 7;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private final class SheetHandler extends DefaultHandler {
    private final SharedStrings strings;
    private final StylesTable styles;
    private final boolean date1904;
    private final BatchSink sink;
    private final Map<Integer, Boolean> dateStyles = new HashMap<>();
    private final StringBuilder text = new StringBuilder();
    private final List<Object> cells = new ArrayList<>();
    private final List<Problem> rowProblems = new ArrayList<>();
    private final long[] refRow = new long[1];
    private final long maxRowBytes = contract.maxRecordBytes();
    private CsvFeedReader.Layout layout;
    private ValueBatch batch;
    private long sheetRow;
    private int nextCol;
    private int lastCol;
    private int cellCol;
    private String cellRef;
    private String cellType;
    private int cellStyle;
    private boolean inValue;
    private boolean inInlineText;
    private int inPhonetic;
    private boolean hasFormula;
    private boolean hasValue;
    private long rowBytes;
    private boolean rowTooLong;

    SheetHandler(SharedStrings strings, StylesTable styles, boolean date1904, BatchSink sink) {
      this.strings = strings;
      this.styles = styles;
      this.date1904 = date1904;
      this.sink = sink;
      this.batch = new ValueBatch(contract.columnNames());
    }

    private void problem(String message) {
      rowProblems.add(new Problem(Problem.BAD_VALUE, null, message));
    }

    /**
     * The current cell's value when it cannot be read ({@code what} follows the cell's name): told in its column's
     * place, so the row's other cells are still checked.
     */
    private Unread unread(String what) {
      return Unread.inCell(Problem.BAD_VALUE, cellName() + what);
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes atts) {
      switch (local) {
        case "row" -> {
          cells.clear();
          rowProblems.clear();
          nextCol = 0;
          lastCol = -1;
          rowBytes = 0;
          rowTooLong = false;
          String r = atts.getValue("r");
          long previous = sheetRow;
          long number = r == null ? sheetRow + 1 : digitsValue(r, 7);
          if (number < 1 || number > MAX_ROWS) {
            sheetRow = previous + 1;
            problem("sheet row " + sheetRow + " (the one after row " + previous + ") has a damaged row number");
          } else {
            sheetRow = number;
          }
        }
        case "c" -> {
          String ref = atts.getValue("r");
          if (ref == null) {
            cellCol = nextCol < MAX_COLUMNS ? nextCol : -2;
          } else {
            cellCol = columnOf(ref, refRow);
            if (cellCol >= 0 && refRow[0] != sheetRow) {
              problem("cell " + CellReference.convertNumToColString(cellCol) + refRow[0] + " is in sheet row "
                  + sheetRow);
              cellCol = -3;
            }
          }
          cellRef = cellCol >= 0 ? CellReference.convertNumToColString(cellCol) + sheetRow : null;
          if (cellCol == -1) {
            problem("a cell in sheet row " + sheetRow + " has a damaged reference");
          } else if (cellCol == -2) {
            problem("a cell in sheet row " + sheetRow + " is beyond column XFD, Excel's last");
          }
          cellType = atts.getValue("t");
          String s = atts.getValue("s");
          cellStyle = s == null ? -1 : (int) digitsValue(s, 9);
          if (s != null && cellStyle < 0) {
            problem(cellName() + " has a damaged style number");
          }
          text.setLength(0);
          hasFormula = false;
          hasValue = false;
          inPhonetic = 0;
        }
        case "v" -> {
          inValue = true;
          hasValue = true;
          text.setLength(0);
        }
        case "is" -> hasValue = true;
        case "f" -> hasFormula = true;
        case "rPh" -> inPhonetic++;
        case "t" -> {
          if ("inlineStr".equals(cellType) && inPhonetic == 0) {
            inInlineText = true;
          }
        }
        default -> { }
      }
    }

    private String cellName() {
      return cellRef != null ? "cell " + cellRef : "a cell in sheet row " + sheetRow;
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (inValue || inInlineText) {
        int kept = keep(ch, start, length);
        text.append(ch, start, kept);
      }
    }

    /**
     * How many of these characters fit in the row's maxRecordBytes (counted as UTF-8); past it the row is too long
     * and its text is no longer collected, so a 300-million-character cell does not land nor fill the heap.
     */
    private int keep(String s) {
      if (rowTooLong) {
        return 0;
      }
      for (int i = 0; i < s.length(); i++) {
        if (!counted(s.charAt(i))) {
          return i;
        }
      }
      return s.length();
    }

    /** {@link #keep(String)} of SAX's characters, read in place (it runs on every chunk of cell text). */
    private int keep(char[] ch, int start, int length) {
      if (rowTooLong) {
        return 0;
      }
      for (int i = 0; i < length; i++) {
        if (!counted(ch[start + i])) {
          return i;
        }
      }
      return length;
    }

    /** Adds {@code c}'s UTF-8 bytes to the row's; false (and the row too long) once past maxRecordBytes. */
    private boolean counted(char c) {
      rowBytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
      rowTooLong = rowBytes > maxRowBytes;
      return !rowTooLong;
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      switch (local) {
        case "v" -> inValue = false;
        case "t" -> inInlineText = false;
        case "rPh" -> inPhonetic--;
        case "c" -> endCell();
        case "row" -> endRow();
        default -> { }
      }
    }

    private void endCell() {
      if (cellCol < 0) {
        return; // reported
      }
      if (cellCol <= lastCol) {
        problem(cellName() + " comes after cell " + CellReference.convertNumToColString(lastCol) + sheetRow
            + " in the row: its cells are out of order or repeated");
        return;
      }
      Object value = cellValue();
      if (hasFormula && !hasValue && !(value instanceof Unread)) {
        value = unread(" is a formula without a computed value (open and save the workbook in Excel)");
      }
      while (cells.size() < cellCol) {
        cells.add(null);
      }
      cells.add(value);
      lastCol = cellCol;
      nextCol = cellCol + 1;
    }

    private Object cellValue() {
      String raw = text.toString();
      String type = cellType == null ? "n" : cellType;
      switch (type) {
        case "s" -> {
          if (raw.isEmpty()) {
            return null;
          }
          long index = digitsValue(raw.strip(), 9);
          String s;
          try {
            s = index < 0 ? null : strings.getItemAt((int) index).getString();
          } catch (RuntimeException e) { // POI says IllegalStateException, naming every string: never shown
            s = null;
          }
          if (s == null) {
            return unread(" refers to a shared string the workbook does not have");
          }
          int kept = keep(s);
          return kept < s.length() ? s.substring(0, kept) : s;
        }
        case "inlineStr", "str" -> {
          return utfDecode(raw);
        }
        case "b" -> {
          String b = raw.strip();
          if (!"1".equals(b) && !"0".equals(b)) {
            return b.isEmpty() ? null : unread(" is a true/false cell holding neither 1 nor 0");
          }
          return "1".equals(b);
        }
        case "e" -> {
          return unread(" holds an Excel error");
        }
        case "d" -> {
          return isoDate(raw);
        }
        case "n" -> {
          return number(raw);
        }
        default -> {
          return unread(" has a cell type Excel does not write");
        }
      }
    }

    private Object isoDate(String raw) {
      if (raw.isEmpty()) {
        return null;
      }
      try {
        return java.time.LocalDateTime.parse(raw);
      } catch (java.time.format.DateTimeParseException e) {
        // other forms below
      }
      try {
        return java.time.LocalDate.parse(raw).atStartOfDay();
      } catch (java.time.format.DateTimeParseException e) {
        // other forms below
      }
      try {
        return java.time.OffsetDateTime.parse(raw).atZoneSameInstant(
            io.dataops.lakehouse.contract.FeedSchedule.ZONE).toLocalDateTime();
      } catch (java.time.format.DateTimeParseException e) {
        return unread(" is a date cell not holding an ISO 8601 date");
      }
    }

    private Object number(String raw) {
      if (raw.isEmpty()) {
        return null;
      }
      BigDecimal number;
      try {
        if (raw.length() > 100) {
          throw new NumberFormatException();
        }
        number = new BigDecimal(raw);
      } catch (NumberFormatException e) {
        return unread(" is a number cell not holding a number");
      }
      long exponent = (long) number.precision() - number.scale() - 1;
      if (number.signum() != 0 && (exponent > 308 || exponent < -308)) {
        return unread(" holds a number beyond Excel's range (1E-308 to 1E+308)");
      }
      if (cellStyle >= 0 && isDateStyle(cellStyle)) {
        double d = number.doubleValue();
        if (DateUtil.isValidExcelDate(d)) {
          if (!date1904 && d >= 60 && d < 61) {
            return unread(" holds Excel's day 60, 1900-02-29, which did not exist");
          }
          if (d >= (date1904 ? 2957004 : 2958466)) {
            return unread(" holds a date after 9999-12-31, Excel's last");
          }
          return DateUtil.getLocalDateTime(d, date1904, true);
        }
      }
      // What Excel shows: 15 significant digits (113.00000000000001 is its 113, a binary fraction's noise).
      return number.precision() > 15 ? number.round(EXCEL_DIGITS).stripTrailingZeros() : number;
    }

    private boolean isDateStyle(int index) {
      return dateStyles.computeIfAbsent(index, i -> {
        XSSFCellStyle style = i < styles.getNumCellStyles() ? styles.getStyleAt(i) : null;
        return style != null && DateUtil.isADateFormat(style.getDataFormat(), style.getDataFormatString());
      });
    }

    private void endRow() {
      if (rowTooLong) {
        rowProblems.add(0, new Problem(Problem.RECORD_TOO_LONG, null, "the row is longer than maxRecordBytes ("
            + maxRowBytes + "); its first " + maxRowBytes + " bytes are kept"));
      }
      boolean blank = cells.stream().allMatch(c -> c == null || (c instanceof String s && s.isBlank()));
      if (blank && rowProblems.isEmpty()) {
        if (layout != null) {
          blankRows++;
        }
        return;
      }
      if (layout == null) {
        String problem = rowProblems.isEmpty() ? null : rowProblems.get(0).message();
        for (int f = 0; f < cells.size() && problem == null; f++) {
          problem = cells.get(f) instanceof Unread u ? u.reason() : null;
        }
        if (problem != null) {
          throw new BadInputException("sheet row " + sheetRow + " (the header): " + problem);
        }
        List<String> header = new ArrayList<>();
        for (Object c : cells) {
          header.add(c == null ? "" : c.toString());
        }
        while (!header.isEmpty() && header.get(header.size() - 1).isBlank()) {
          header.remove(header.size() - 1);
        }
        try {
          layout = CsvFeedReader.Layout.fromHeader(contract, null, header);
        } catch (BadInputException e) {
          throw new BadInputException("sheet row " + sheetRow + " (the header): " + e.getMessage());
        }
        missing = layout.missing;
        return;
      }
      Object[] values = new Object[layout.columnCount];
      Arrays.fill(values, ValueConverter.ABSENT);
      int fields = layout.fieldToColumn.length;
      for (int f = 0; f < fields; f++) {
        int column = layout.fieldToColumn[f];
        values[column] = f < cells.size() ? forColumn(cells.get(f), contract.columns().get(column), f) : null;
      }
      boolean beyond = false;
      for (int f = fields; f < cells.size(); f++) {
        if (cells.get(f) instanceof Unread u) {
          rowProblems.add(u.problem(null)); // a cell of no column: told with the row's own problems
        }
        if (cells.get(f) != null && !beyond) {
          beyond = true;
          rowProblems.add(new Problem(Problem.COLUMN_COUNT, null,
              "cell " + CellReference.convertNumToColString(f) + sheetRow + " is beyond the header's "
                  + fields + " columns"));
        }
      }
      rowsRead++;
      batch.add(rowsRead, sheetRow, values, rowProblems);
      if (batch.size() >= BATCH_ROWS) {
        flush();
      }
    }

    /**
     * A cell's value for its contract column. A number typed where text is promised becomes its digits, unless
     * Excel cannot have kept them (more than 15 significant digits: an 18-digit ID typed as a number lost its last
     * three) or the column holds IDs, bank cards or mobiles (a number cell there is an identifier typed as a
     * number). A date cell for text becomes the date as text, its time when it has one.
     */
    private Object forColumn(Object value, io.dataops.lakehouse.contract.ColumnSpec spec, int field) {
      if (value instanceof BigDecimal number) {
        String cell = "cell " + CellReference.convertNumToColString(field) + sheetRow;
        if (ValueConverter.holdsIdentifiers(spec)) {
          return Unread.inCell(Problem.BAD_VALUE, cell + " is typed as a number, in a column of "
              + spec.personal().spelling() + " values, which Excel can change when typed as numbers: format the column as"
              + " text and type the value again");
        }
        io.dataops.lakehouse.types.ValueType type = spec.type().type();
        boolean text = type == io.dataops.lakehouse.types.ValueType.STRING;
        if ((text || type == io.dataops.lakehouse.types.ValueType.LONG)
            && (long) number.precision() - number.scale() > 15) {
          return Unread.inCell(Problem.BAD_VALUE, cell + " holds a number of more than 15"
              + " digits, which Excel cannot keep exactly: format the column as text and type the value again");
        }
        return text ? number.toPlainString() : number;
      }
      if (value instanceof java.time.LocalDateTime t && spec.type().type() == io.dataops.lakehouse.types.ValueType.STRING) {
        return t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? t.toLocalDate().toString()
            : t.format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
      }
      return value;
    }

    void flush() {
      if (batch.size() == 0) {
        return;
      }
      try {
        sink.accept(batch);
      } catch (InterruptedException e) {
        throw new SinkInterrupted(e);
      }
      batch = new ValueBatch(contract.columnNames());
    }
  }
}
