package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.FeedContract;
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
 * lose digits. The first non-empty row is the header; the row number reported is the sheet's own.
 */
final class XlsxFeedReader implements FeedReader {
  private static final int BATCH_ROWS = 4096;

  private final FeedFile file;
  private final FeedContract contract;
  private final long size;
  private long rowsRead;
  private long blankRows;
  private List<String> missing = List.of();

  XlsxFeedReader(FeedFile file, FeedContract contract) throws IOException {
    this.file = file;
    this.contract = contract;
    this.size = file.length();
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
    try (OPCPackage pkg = OPCPackage.open(local.toFile(), PackageAccess.READ)) {
      XSSFReader reader = new XSSFReader(pkg);
      boolean date1904 = date1904(reader);
      SharedStrings strings = new ReadOnlySharedStringsTable(pkg, false);
      StylesTable styles = reader.getStylesTable();
      XSSFReader.SheetIterator sheets = reader.getSheetIterator();
      InputStream chosen = null;
      List<String> names = new ArrayList<>();
      while (sheets.hasNext()) {
        InputStream s = sheets.next();
        names.add(sheets.getSheetName());
        if (chosen == null && (contract.sheet() == null || contract.sheet().equals(sheets.getSheetName()))) {
          chosen = s;
        } else {
          s.close();
        }
      }
      if (chosen == null) {
        throw new BadInputException("the workbook has no sheet named '" + contract.sheet() + "' (it has: "
            + String.join(", ", names) + ")");
      }
      SheetHandler handler = new SheetHandler(strings, styles, date1904, sink);
      try (InputStream sheet = chosen) {
        XMLReader xml = XMLHelper.newXMLReader();
        xml.setContentHandler(handler);
        xml.parse(new InputSource(sheet));
      }
      handler.flush();
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

  private static boolean date1904(XSSFReader reader) throws IOException, OpenXML4JException {
    boolean[] flag = {false};
    try (InputStream wb = reader.getWorkbookData()) {
      XMLReader xml = XMLHelper.newXMLReader();
      xml.setContentHandler(new DefaultHandler() {
        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
          if ("workbookPr".equals(local)) {
            String v = atts.getValue("date1904");
            flag[0] = "1".equals(v) || "true".equals(v);
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

  private final class SheetHandler extends DefaultHandler {
    private final SharedStrings strings;
    private final StylesTable styles;
    private final boolean date1904;
    private final BatchSink sink;
    private final Map<Integer, Boolean> dateStyles = new HashMap<>();
    private final StringBuilder text = new StringBuilder();
    private final List<Object> cells = new ArrayList<>();
    private final List<Problem> rowProblems = new ArrayList<>();
    private CsvFeedReader.Layout layout;
    private ValueBatch batch;
    private long sheetRow;
    private int nextCol;
    private int cellCol;
    private String cellType;
    private int cellStyle;
    private boolean inValue;
    private boolean inInlineText;

    SheetHandler(SharedStrings strings, StylesTable styles, boolean date1904, BatchSink sink) {
      this.strings = strings;
      this.styles = styles;
      this.date1904 = date1904;
      this.sink = sink;
      this.batch = new ValueBatch(contract.columnNames());
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes atts) {
      switch (local) {
        case "row" -> {
          String r = atts.getValue("r");
          sheetRow = r != null ? Long.parseLong(r) : sheetRow + 1;
          cells.clear();
          rowProblems.clear();
          nextCol = 0;
        }
        case "c" -> {
          String ref = atts.getValue("r");
          cellCol = ref != null ? new CellReference(ref).getCol() : nextCol;
          nextCol = cellCol + 1;
          cellType = atts.getValue("t");
          String s = atts.getValue("s");
          cellStyle = s == null ? -1 : Integer.parseInt(s);
          text.setLength(0);
        }
        case "v" -> {
          inValue = true;
          text.setLength(0);
        }
        case "t" -> {
          if ("inlineStr".equals(cellType)) {
            inInlineText = true;
          }
        }
        default -> { }
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (inValue || inInlineText) {
        text.append(ch, start, length);
      }
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      switch (local) {
        case "v" -> inValue = false;
        case "t" -> inInlineText = false;
        case "c" -> {
          while (cells.size() < cellCol) {
            cells.add(null);
          }
          cells.add(cellValue());
        }
        case "row" -> endRow();
        default -> { }
      }
    }

    private Object cellValue() {
      String raw = text.toString();
      String type = cellType == null ? "n" : cellType;
      switch (type) {
        case "s" -> {
          return raw.isEmpty() ? null : strings.getItemAt(Integer.parseInt(raw.strip())).getString();
        }
        case "inlineStr", "str" -> {
          return raw;
        }
        case "b" -> {
          return "1".equals(raw.strip());
        }
        case "e" -> {
          rowProblems.add(new Problem(Problem.BAD_VALUE, null,
              "cell " + new CellReference((int) sheetRow - 1, cellCol).formatAsString() + " holds an Excel error"));
          return null;
        }
        default -> {
          if (raw.isEmpty()) {
            return null;
          }
          BigDecimal number = new BigDecimal(raw.strip());
          if (cellStyle >= 0 && isDateStyle(cellStyle)) {
            double d = number.doubleValue();
            if (DateUtil.isValidExcelDate(d)) {
              return DateUtil.getLocalDateTime(d, date1904, true);
            }
          }
          return number;
        }
      }
    }

    private boolean isDateStyle(int index) {
      return dateStyles.computeIfAbsent(index, i -> {
        XSSFCellStyle style = styles.getStyleAt(i);
        return style != null && DateUtil.isADateFormat(style.getDataFormat(), style.getDataFormatString());
      });
    }

    private void endRow() {
      boolean blank = cells.stream().allMatch(c -> c == null || (c instanceof String s && s.isBlank()));
      if (blank && rowProblems.isEmpty()) {
        if (layout != null) {
          blankRows++;
        }
        return;
      }
      if (layout == null) {
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
        values[layout.fieldToColumn[f]] = f < cells.size() ? cells.get(f) : null;
      }
      for (int f = fields; f < cells.size(); f++) {
        if (cells.get(f) != null) {
          rowProblems.add(new Problem(Problem.COLUMN_COUNT, null,
              "cell " + CellReference.convertNumToColString(f) + sheetRow + " is beyond the header's "
                  + fields + " columns"));
          break;
        }
      }
      rowsRead++;
      batch.add(rowsRead, sheetRow, values, rowProblems);
      if (batch.size() >= BATCH_ROWS) {
        flush();
      }
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
