package io.dataops.lakehouse.sample;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.ContractWriter;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.types.ValueType;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * Writes a deterministic synthetic feed and, next to it, the contract it was written by
 * ({@code FILE.contract.yaml}). The same request always gives the same bytes.
 */
public final class SampleGenerator {
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private SampleGenerator() {}

  public static Path contractPathFor(Path feed) {
    return io.dataops.lakehouse.contract.ContractRegistry.sidecarOf(feed);
  }

  public static GenerateResult generate(GenerateRequest req) {
    return generate(req, ProgressListener.NONE);
  }

  public static GenerateResult generate(GenerateRequest req, ProgressListener progress) {
    SampleDataset ds = req.dataset();
    FeedContract contract = ds.contract(req.format(), req.encoding());
    SampleDataset.Context ctx = new SampleDataset.Context(req.seed(), req.offset(), req.population(), req.enterprises());
    List<Defect> applicable = applicableDefects(req);
    Map<Defect, Long> planted = new EnumMap<>(Defect.class);
    Path out = req.out().toAbsolutePath();
    try {
      if (out.getParent() != null) {
        OwnerOnly.directories(out.getParent());
      }
      try (SampleWriter writer = open(req, contract, out)) {
        for (long i = 0; i < req.rows(); i++) {
          long index = req.offset() + i;
          String[] row = ds.row(ctx, index);
          SplittableRandom r = defectRandom(req, index);
          Defect defect = drawDefect(req, applicable, index, r);
          if (defect != null) {
            ds.plant(defect, row, ctx, index, r);
            planted.merge(defect, 1L, Long::sum);
          }
          writer.write(row, defect);
          if ((i & 0xFFFF) == 0) {
            progress.progress(i, req.rows(), i);
          }
        }
      }
      OwnerOnly.write(contractPathFor(out), ContractWriter.toBytes(contract));
      long expected = planted.entrySet().stream().filter(e -> e.getKey().isContractViolation())
          .mapToLong(Map.Entry::getValue).sum();
      Map<String, Long> defects = new TreeMap<>();
      planted.forEach((d, n) -> defects.put(d.spelling(), n));
      return new GenerateResult(ds.dataset(), ds.department(), out.toString(), contractPathFor(out).toString(),
          req.format().spelling(), req.format() == FeedFormat.PARQUET || req.format() == FeedFormat.XLSX
              ? null : req.encoding().name(),
          req.rows(), req.seed(), req.offset(), defects, expected, Files.size(out));
    } catch (IOException e) {
      throw new BadInputException("cannot write " + out + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The data rows (numbered from 1, as landing numbers them) in which {@code req} plants a defect that breaks the
   * contract: exactly the rows a landing of its file must quarantine. Drawn again from the seed; nothing is written.
   */
  public static LongStream contractViolationRows(GenerateRequest req) {
    List<Defect> applicable = applicableDefects(req);
    return LongStream.range(0, req.rows()).filter(i -> {
      long index = req.offset() + i;
      Defect d = drawDefect(req, applicable, index, defectRandom(req, index));
      return d != null && d.isContractViolation();
    }).map(i -> i + 1);
  }

  private static List<Defect> applicableDefects(GenerateRequest req) {
    return java.util.Arrays.stream(Defect.values())
        .filter(d -> d.appliesTo(req.format()) && req.dataset().supports(d)).toList();
  }

  private static SplittableRandom defectRandom(GenerateRequest req, long index) {
    return new SplittableRandom(Samples.mix(req.seed(), index, 0xDEFEC7L));
  }

  /** The defect row {@code index} gets, or null; planting it goes on drawing from {@code r}. */
  private static Defect drawDefect(GenerateRequest req, List<Defect> applicable, long index, SplittableRandom r) {
    if (req.defectRate() <= 0 || r.nextDouble() >= req.defectRate()) {
      return null;
    }
    Defect defect = applicable.get(r.nextInt(applicable.size()));
    return defect == Defect.DUPLICATE_KEY && index == req.offset() ? null : defect; // the first row has nothing to repeat
  }

  private interface SampleWriter extends Closeable {
    void write(String[] row, Defect defect) throws IOException;
  }

  private static SampleWriter open(GenerateRequest req, FeedContract contract, Path out) throws IOException {
    return switch (req.format()) {
      case CSV -> new CsvWriter(out, contract, req.encoding(), req.crlf());
      case JSONL -> new JsonLinesWriter(out, contract, req.encoding());
      case PARQUET -> new ParquetWriter(out, contract);
      case XLSX -> new XlsxWriter(out, contract);
    };
  }

  /** Text encoded in the feed's charset; the undecodable mark becomes the byte 0xFF. */
  private static void writeEncoded(OutputStream os, String text, Charset cs, boolean marked) throws IOException {
    byte[] bytes = text.getBytes(cs);
    if (marked) {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == 0) {
          bytes[i] = (byte) 0xFF;
        }
      }
    }
    os.write(bytes);
  }

  private static final class CsvWriter implements SampleWriter {
    private final OutputStream os;
    private final Charset cs;
    private final String eol;
    private final StringBuilder line = new StringBuilder(256);

    CsvWriter(Path out, FeedContract contract, Charset cs, boolean crlf) throws IOException {
      this.os = new BufferedOutputStream(OwnerOnly.newOutputStream(out), 1 << 20);
      this.cs = cs;
      this.eol = crlf ? "\r\n" : "\n";
      writeEncoded(os, String.join(",", contract.columnNames()) + eol, cs, false);
    }

    @Override
    public void write(String[] row, Defect defect) throws IOException {
      line.setLength(0);
      int fields = defect == Defect.COLUMN_COUNT ? row.length - 1 : row.length;
      for (int f = 0; f < fields; f++) {
        if (f > 0) {
          line.append(',');
        }
        String v = row[f];
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
          line.append('"').append(v.replace("\"", "\"\"")).append('"');
        } else {
          line.append(v);
        }
      }
      line.append(eol);
      writeEncoded(os, line.toString(), cs, defect == Defect.UNDECODABLE);
    }

    @Override
    public void close() throws IOException {
      os.close();
    }
  }

  private static final class JsonLinesWriter implements SampleWriter {
    private final OutputStream os;
    private final Charset cs;
    private final List<ColumnSpec> columns;
    private final StringBuilder line = new StringBuilder(512);

    JsonLinesWriter(Path out, FeedContract contract, Charset cs) throws IOException {
      this.os = new BufferedOutputStream(OwnerOnly.newOutputStream(out), 1 << 20);
      this.cs = cs;
      this.columns = contract.columns();
    }

    @Override
    public void write(String[] row, Defect defect) throws IOException {
      line.setLength(0);
      line.append('{');
      for (int f = 0; f < row.length; f++) {
        if (f > 0) {
          line.append(", ");
        }
        line.append('"').append(columns.get(f).name()).append("\": ");
        ValueType base = columns.get(f).type().type();
        String v = row[f];
        boolean numeric = base == ValueType.LONG || base == ValueType.INT
            || base == ValueType.DOUBLE || base == ValueType.DECIMAL;
        if (numeric && NUMBER.matcher(v).matches()) {
          line.append(v);
        } else {
          line.append('"');
          for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
              case '"' -> line.append("\\\"");
              case '\\' -> line.append("\\\\");
              case '\n' -> line.append("\\n");
              case '\r' -> line.append("\\r");
              case '\t' -> line.append("\\t");
              default -> line.append(c); // the undecodable mark stays raw; it becomes 0xFF below
            }
          }
          line.append('"');
        }
      }
      line.append("}\n");
      writeEncoded(os, line.toString(), cs, defect == Defect.UNDECODABLE);
    }

    @Override
    public void close() throws IOException {
      os.close();
    }
  }

  /** Typed Parquet (no field ids' meaning beyond the file): the way a department's database export looks. */
  private static final class ParquetWriter implements SampleWriter {
    private final FileAppender<Record> appender;
    private final Path out;
    private final List<ColumnSpec> columns;
    private final GenericRecord record;

    ParquetWriter(Path out, FeedContract contract) throws IOException {
      this.columns = contract.columns();
      NestedField[] fields = new NestedField[columns.size()];
      for (int i = 0; i < fields.length; i++) {
        fields[i] = NestedField.optional(i + 1, columns.get(i).name(), columns.get(i).type().toIceberg());
      }
      Schema schema = new Schema(fields);
      Files.deleteIfExists(out);
      this.appender = Parquet.write(org.apache.iceberg.Files.localOutput(out.toFile()))
          .schema(schema)
          .createWriterFunc(GenericParquetWriter::create)
          .build();
      this.out = out;
      this.record = GenericRecord.create(schema);
    }

    @Override
    public void write(String[] row, Defect defect) {
      for (int f = 0; f < row.length; f++) {
        record.set(f, typed(columns.get(f), row[f]));
      }
      appender.add(record);
    }

    @Override
    public void close() throws IOException {
      appender.close();
      OwnerOnly.restrict(out); // Iceberg's local output creates it with the process's umask
    }
  }

  private static Object typed(ColumnSpec c, String v) {
    if (v.isEmpty()) {
      return null;
    }
    return switch (c.type().type()) {
      case STRING -> v;
      case LONG -> Long.parseLong(v);
      case INT -> Integer.parseInt(v);
      case DOUBLE -> Double.parseDouble(v);
      case DECIMAL -> new BigDecimal(v).setScale(c.type().scale());
      case DATE -> LocalDate.parse(v);
      case TIMESTAMP -> LocalDateTime.parse(v, TS);
      case BOOLEAN -> Boolean.parseBoolean(v);
      case TIMESTAMPTZ -> throw new IllegalStateException("sample datasets have no timestamptz column");
    };
  }

  /** Excel through the streaming writer: typed cells, dates as real date cells, so readers see what Excel users send. */
  private static final class XlsxWriter implements SampleWriter {
    private final SXSSFWorkbook workbook = new SXSSFWorkbook(200);
    private final SXSSFSheet sheet;
    private final List<ColumnSpec> columns;
    private final Path out;
    private final CellStyle dateStyle;
    private final CellStyle timestampStyle;
    private int rowIndex;

    XlsxWriter(Path out, FeedContract contract) {
      this.out = out;
      this.columns = contract.columns();
      workbook.setCompressTempFiles(true);
      this.sheet = workbook.createSheet("data");
      this.dateStyle = workbook.createCellStyle();
      dateStyle.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd"));
      this.timestampStyle = workbook.createCellStyle();
      timestampStyle.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
      Row header = sheet.createRow(rowIndex++);
      for (int i = 0; i < columns.size(); i++) {
        header.createCell(i).setCellValue(columns.get(i).name());
      }
    }

    @Override
    public void write(String[] row, Defect defect) {
      if (rowIndex >= 1_048_576) {
        throw new BadInputException("an .xlsx sheet holds at most 1,048,575 data rows");
      }
      Row r = sheet.createRow(rowIndex++);
      for (int f = 0; f < row.length; f++) {
        String v = row[f];
        if (v.isEmpty()) {
          continue;
        }
        var cell = r.createCell(f);
        switch (columns.get(f).type().type()) {
          case LONG, INT, DOUBLE, DECIMAL -> {
            if (NUMBER.matcher(v).matches()) {
              cell.setCellValue(Double.parseDouble(v));
            } else {
              cell.setCellValue(v);
            }
          }
          case DATE -> {
            try {
              cell.setCellValue(LocalDate.parse(v));
              cell.setCellStyle(dateStyle);
            } catch (java.time.DateTimeException e) {
              cell.setCellValue(v); // a planted bad date stays text, as a person would type it
            }
          }
          case TIMESTAMP -> {
            try {
              cell.setCellValue(LocalDateTime.parse(v, TS));
              cell.setCellStyle(timestampStyle);
            } catch (java.time.DateTimeException e) {
              cell.setCellValue(v);
            }
          }
          default -> cell.setCellValue(v);
        }
      }
    }

    /**
     * Writes the workbook, then re-writes its zip with fixed entry times: POI stamps the creation time and the entry
     * times, and a generated feed must be the same bytes every time (landing recognizes a feed by its content).
     */
    @Override
    public void close() throws IOException {
      // a name of this writer's own, made new: two generators writing one file do not share (or follow a link at) it
      Path raw = out.resolveSibling(out.getFileName() + "." + ProcessHandle.current().pid() + "-"
          + java.util.UUID.randomUUID() + ".tmp");
      try {
        try (OutputStream os = OwnerOnly.newOutputStream(raw, java.nio.file.StandardOpenOption.CREATE_NEW)) {
          workbook.getXSSFWorkbook().getProperties().getCoreProperties()
              .setCreated(java.util.Optional.of(new java.util.Date(FIXED_TIME)));
          workbook.write(os);
        } finally {
          workbook.close();
        }
        rewriteWithFixedTimes(raw);
      } finally {
        Files.deleteIfExists(raw);
      }
    }

    private void rewriteWithFixedTimes(Path raw) throws IOException {
      try (var in = new java.util.zip.ZipFile(raw.toFile());
           var zip = new java.util.zip.ZipOutputStream(OwnerOnly.newOutputStream(out))) {
        for (var entries = in.entries(); entries.hasMoreElements(); ) {
          var e = entries.nextElement();
          var copy = new java.util.zip.ZipEntry(e.getName());
          copy.setTime(FIXED_TIME);
          zip.putNextEntry(copy);
          try (var data = in.getInputStream(e)) {
            data.transferTo(zip);
          }
          zip.closeEntry();
        }
      }
    }

    private static final long FIXED_TIME = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  }

}
