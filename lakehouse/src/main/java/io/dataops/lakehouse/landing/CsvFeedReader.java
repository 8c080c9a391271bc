package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import io.dataops.core.Listing;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.identifiers.IdentifierPatterns;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Frames an RFC 4180 CSV file into records at the byte level. The structural bytes (delimiter, quote, CR, LF)
 * are ASCII and never occur inside a multi-byte UTF-8, GBK or GB18030 character, so framing needs no decoding;
 * decoding happens per record in the workers. A quoted field may span lines and be longer than maxRecordBytes: it
 * is one record (too long, if it is). Only a quote never closed before the end of the file is unterminated: the line
 * where it opened is reported as its own bad record and reading resumes on the next line.
 */
final class CsvFeedReader extends BufferedFeedReader {
  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;

  private static final int BATCH_BYTES = 1 << 20;
  private static final int BATCH_ROWS = 8192;

  private final FeedContract contract;
  private final byte delimiter;
  private final byte quote;
  private final int maxRecordBytes;
  private final Charset charset;
  private final Layout layout;
  private final FramedBatch.Recycler<CsvBatch> batches;

  private long line = 1;
  private long row;
  private long blankLines;
  /** File offset to go back to before framing the next record, or -1. */
  private long resumeAt = -1;

  // The record most recently framed: buf[recStart, recEnd), starting at recLine.
  private int recStart;
  private int recEnd;
  private long recLine;
  private int recFlags;
  private String recNote;
  /** Whether the record most recently framed ended at a line feed (not at the end of the file). */
  private boolean recEndedByLf;
  private boolean firstFramed;

  CsvFeedReader(FeedFile file, FeedContract contract, MessageDigest digest) throws IOException {
    super(file, digest);
    this.contract = contract;
    this.delimiter = (byte) contract.delimiter();
    this.quote = (byte) contract.quote();
    this.maxRecordBytes = contract.maxRecordBytes();
    if (contract.delimiter() > 127 || contract.quote() > 127) {
      throw new BadInputException("delimiter and quote must be ASCII characters");
    }
    this.charset = detectCharset(contract.encoding(), "CSV", (byte) '\n', delimiter, quote);
    this.layout = contract.header() ? readHeader() : Layout.positional(contract, charset);
    this.batches = new FramedBatch.Recycler<>(() -> new CsvBatch(layout, 1024));
  }

  private Layout readHeader() throws IOException {
    if (!frame()) {
      return Layout.positional(contract, charset); // empty file: no header, no rows
    }
    if (recFlags != 0) {
      throw new BadInputException("the header line is malformed (an unterminated quote or over "
          + maxRecordBytes + " bytes)");
    }
    String text = new Scratch().decode(buf, recStart, recEnd, charset);
    if (text == null) {
      throw new BadInputException("the header line is not valid " + charset.name());
    }
    List<String> names = new ArrayList<>();
    splitFields(text, (char) delimiter, (char) quote, names);
    return Layout.fromHeader(contract, charset, names);
  }

  @Override
  public void read(BatchSink sink) throws IOException, InterruptedException {
    for (RecordBatch b = next(); b != null; b = next()) {
      sink.accept(b);
    }
  }

  private RecordBatch next() throws IOException {
    CsvBatch batch = null;
    while (frame()) {
      if (recEnd == recStart && recFlags == 0) {
        blankLines++;
        continue;
      }
      if (batch == null) {
        batch = batches.take();
      }
      batch.add(buf, recStart, recEnd, ++row, recLine, recFlags, recNote);
      if (batch.size() >= BATCH_ROWS || batch.byteSize() >= BATCH_BYTES) {
        break;
      }
    }
    return batch;
  }

  /**
   * Frames the next record into recStart/recEnd/recLine/recFlags; false at the end of the file. A record longer
   * than maxRecordBytes is read through to its true end (a quoted field may span many lines), keeping only its
   * first maxRecordBytes bytes, so memory stays bounded and its contents are never framed as rows.
   */
  private boolean frame() throws IOException {
    boolean framed = frameRecord();
    if (!firstFramed) {
      firstFramed = true;
      if (framed && !recEndedByLf && bareCarriageReturn(recStart, recEnd)) {
        throw new BadInputException("the file ends its lines with CR only (old Mac format): save it with LF or CRLF "
            + "line endings");
      }
    }
    return framed;
  }

  /**
   * Whether buf[start, end) holds a carriage return outside quotes. Checked on the first record only, and only when
   * it ran to the end of the file without a line feed: a file of old Mac "CSV (Macintosh)" lines, which would
   * otherwise be read as one header line or one row. It is refused rather than read with CR as the line end: a CR
   * inside a field of an LF or CRLF file stays data as before, and the line and row numbers reported stay those of
   * LF line ends (found by a probe: the refusal echoed every row of the file as header names).
   */
  private boolean bareCarriageReturn(int start, int end) {
    return carriageReturn(buf, start, end, quote);
  }

  /** Whether {@code b[from, to)} holds a CR outside quotes. */
  static boolean carriageReturn(byte[] b, int from, int to, byte quote) {
    boolean quoted = false;
    for (int i = from; i < to; i++) {
      if (b[i] == quote) {
        quoted = !quoted;
      } else if (b[i] == '\r' && !quoted) {
        return true;
      }
    }
    return false;
  }

  private boolean frameRecord() throws IOException {
    recFlags = 0;
    recNote = null;
    if (resumeAt >= 0) {
      rewindTo(resumeAt);
      resumeAt = -1;
    }
    // Most records hold no quote: such a record ends at the first line feed, found eight bytes at a time. Any
    // other record (a quote before the line feed, or no line feed in the buffer) takes the state machine below.
    int lineFeed = ByteScan.indexOfEither(buf, pos, limit, (byte) '\n', quote);
    if (lineFeed >= 0 && buf[lineFeed] == '\n' && lineFeed - pos <= maxRecordBytes) {
      return endRecord(pos, lineFeed + 1, line, false);
    }
    int start = pos;
    long startOffset = fileOffset(start);
    long startLine = line;
    int state = FIELD_START;
    int p = pos;
    boolean tooLong = false; // past maxRecordBytes: only buf[start, start + maxRecordBytes) is kept
    long quoteLine = 0; // the line where the open quoted field opened
    long quoteBreak = -1; // file offset of the first line break inside that field, -1 while there is none
    while (true) {
      if (p == limit) {
        if (tooLong) {
          keepOnly(start, maxRecordBytes);
          start = 0;
          p = maxRecordBytes;
        } else {
          int shift = compactFrom(start);
          start -= shift;
          p -= shift;
        }
        pos = p;
        if (!fill()) {
          return endOfFile(start, p, startOffset, startLine, state, tooLong, quoteLine, quoteBreak);
        }
        continue;
      }
      byte b = buf[p++];
      switch (state) {
        case FIELD_START -> {
          if (b == quote) {
            state = QUOTED;
            quoteLine = line;
            quoteBreak = -1;
          } else if (b == '\n') {
            return endRecord(start, p, startLine, tooLong);
          } else if (b != delimiter) {
            state = UNQUOTED;
          }
        }
        case UNQUOTED -> {
          if (b == delimiter) {
            state = FIELD_START;
          } else if (b == '\n') {
            return endRecord(start, p, startLine, tooLong);
          }
        }
        case QUOTED -> {
          if (b == quote) {
            state = QUOTE_IN_QUOTED;
          } else if (b == '\n') {
            if (quoteBreak < 0) {
              quoteBreak = fileOffset(p - 1);
            }
            line++;
          }
        }
        default -> { // QUOTE_IN_QUOTED: a doubled quote, or the end of the quoted field
          if (b == quote) {
            state = QUOTED;
          } else if (b == delimiter) {
            state = FIELD_START;
          } else if (b == '\n') {
            return endRecord(start, p, startLine, tooLong);
          } else {
            state = UNQUOTED; // text after the closing quote; the parser reports it
          }
        }
      }
      if (!tooLong && p - start > maxRecordBytes) {
        tooLong = true;
      }
    }
  }

  private boolean endRecord(int start, int p, long startLine, boolean tooLong) {
    recStart = start;
    recEnd = tooLong ? start + maxRecordBytes : trimCr(start, p - 1);
    recLine = startLine;
    recEndedByLf = true;
    if (tooLong) {
      markTooLong();
    }
    line++;
    pos = p;
    return true;
  }

  private void markTooLong() {
    recFlags = FramedBatch.FLAG_TOO_LONG;
    recNote = "the row is longer than maxRecordBytes (" + maxRecordBytes + "); its first " + maxRecordBytes
        + " bytes are kept";
  }

  /**
   * The file ended inside a record. A quoted field never closed is the only unterminated quote: the lines up to the
   * one where it opened are reported as the bad record and framing resumes on the line after it, so one stray quote
   * cannot swallow the rest of a feed (going back in the file when those bytes were not kept).
   */
  private boolean endOfFile(int start, int p, long startOffset, long startLine, int state, boolean tooLong,
      long quoteLine, long quoteBreak) throws IOException {
    if (p == start) {
      return false;
    }
    recStart = start;
    recLine = startLine;
    recEndedByLf = false;
    pos = p;
    if (state != QUOTED) {
      recEnd = tooLong ? start + maxRecordBytes : trimCr(start, p);
      if (tooLong) {
        markTooLong();
      }
      return true;
    }
    recFlags = FramedBatch.FLAG_UNTERMINATED;
    recNote = "the quoted field opened on line " + quoteLine + " is never closed before the end of the file";
    if (quoteBreak < 0) {
      recEnd = tooLong ? start + maxRecordBytes : trimCr(start, p);
      return true;
    }
    long toBreak = quoteBreak - startOffset;
    recEnd = toBreak <= maxRecordBytes ? trimCr(start, start + (int) toBreak) : start + maxRecordBytes;
    line = quoteLine + 1;
    if (tooLong) {
      resumeAt = quoteBreak + 1; // after this record is taken: its bytes are in the buffer until then
    } else {
      pos = start + (int) toBreak + 1;
    }
    return true;
  }

  private int trimCr(int start, int end) {
    return end > start && buf[end - 1] == '\r' ? end - 1 : end;
  }

  @Override
  public long blankLines() {
    return blankLines;
  }

  @Override
  public String encoding() {
    return charset.name();
  }

  @Override
  public List<String> missingColumns() {
    return layout.missing;
  }

  /**
   * Splits a decoded record into fields (RFC 4180: doubled quotes inside quoted fields). Returns null, or a
   * message for the first structural problem (text after a closing quote).
   */
  static String splitFields(String text, char delimiter, char quote, List<String> out) {
    out.clear();
    String problem = null;
    int n = text.length();
    int i = 0;
    StringBuilder sb = null;
    while (true) {
      if (i < n && text.charAt(i) == quote) {
        // Quoted field.
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.setLength(0);
        i++;
        while (i < n) {
          char c = text.charAt(i);
          if (c == quote) {
            if (i + 1 < n && text.charAt(i + 1) == quote) {
              sb.append(quote);
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(c);
          i++;
        }
        int after = i;
        while (i < n && text.charAt(i) != delimiter) {
          i++;
        }
        if (i > after) {
          if (problem == null) {
            problem = "field " + (out.size() + 1) + " has text after its closing quote";
          }
          sb.append(text, after, i);
        }
        out.add(sb.toString());
      } else {
        int start = i;
        while (i < n && text.charAt(i) != delimiter) {
          i++;
        }
        out.add(text.substring(start, i));
      }
      if (i >= n) {
        return problem;
      }
      i++; // the delimiter
    }
  }

  /** How the file's fields map onto the contract's columns. */
  static final class Layout {
    final Charset charset;
    final char delimiter;
    final char quote;
    final int[] fieldToColumn;
    final int columnCount;
    final List<String> missing;
    /** U+FEFF in the file's charset, or null where it cannot be written (GBK). */
    final byte[] byteOrderMark;
    private final byte[][] nullTokens;
    /** Bit {@code n} set when a null token is {@code n} bytes long (bit 63: 63 or more): most fields skip the loop. */
    private final long nullTokenLengths;

    private Layout(Charset charset, char delimiter, char quote, int[] fieldToColumn, int columnCount,
        List<String> missing, List<String> nullValues) {
      this.charset = charset;
      Charset cs = charset == null ? StandardCharsets.UTF_8 : charset;
      this.byteOrderMark = cs.newEncoder().canEncode('\uFEFF') ? "\uFEFF".getBytes(cs) : null;
      this.delimiter = delimiter;
      this.quote = quote;
      this.fieldToColumn = fieldToColumn;
      this.columnCount = columnCount;
      this.missing = List.copyOf(missing);
      this.nullTokens = new byte[nullValues.size()][];
      for (int i = 0; i < nullTokens.length; i++) {
        nullTokens[i] = nullValues.get(i).getBytes(charset == null ? StandardCharsets.UTF_8 : charset);
      }
      long lengths = 0;
      for (byte[] token : nullTokens) {
        lengths |= 1L << Math.min(token.length, 63);
      }
      this.nullTokenLengths = lengths;
    }

    /** True when the field spells one of the contract's null values. */
    boolean isNullToken(FieldBytes f) {
      if ((nullTokenLengths & 1L << Math.min(f.len, 63)) == 0) {
        return false;
      }
      for (byte[] token : nullTokens) {
        if (token.length == f.len && Arrays.equals(token, 0, token.length, f.bytes, f.off, f.off + f.len)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The undeclared columns of a header or a file's schema as a refusal names them: listed when every one looks like a
     * name ({@code shown}), else only counted ({@code count}, of which {@code valueLike} look like values), so that
     * a value in a header is never echoed.
     */
    static String undeclared(java.util.Collection<String> shown, int count, int valueLike, String noun) {
      return valueLike == 0 ? Listing.countIfMany(shown) + "columns the contract does not declare: "
          + Listing.some(shown)
          : String.format("%,d %s the contract does not declare (not shown: %s like %s, not %s)", count,
              count == 1 ? noun : noun + "s", valueLike == 1 ? "one looks" : "some look",
              valueLike == 1 ? "a value" : "values", valueLike == 1 ? "a name" : "names");
    }

    /**
     * Whether a header cell looks like a value rather than a column name, so it is never echoed: an ID, mobile or card
     * number (as people write them too), a run of six or more digits, a cell without a letter (a number, a date), or
     * one longer than a name is.
     */
    static boolean looksLikeValue(String cell) {
      if (cell.isEmpty()) {
        return false;
      }
      if (cell.length() > 64 || IdentifierPatterns.inText(cell)) {
        return true;
      }
      boolean letter = false;
      int digits = 0;
      for (int i = 0; i < cell.length(); i++) {
        char ch = cell.charAt(i);
        if (Character.isDigit(ch)) {
          if (++digits >= 6) {
            return true;
          }
        } else {
          digits = 0;
          letter |= Character.isLetter(ch);
        }
      }
      return !letter;
    }

    static Layout positional(FeedContract c, Charset cs) {
      int[] map = new int[c.columns().size()];
      for (int i = 0; i < map.length; i++) {
        map[i] = i;
      }
      return new Layout(cs, c.delimiter(), c.quote(), map, map.length, List.of(), c.nullValues());
    }

    /**
     * Matches header names to contract columns (case and surrounding spaces ignored). A header cell that names no
     * column is echoed in the refusal only when it looks like a name: a feed sent without its header row has a data
     * row there, and its values (an ID number, a mobile, a person's name) must not reach the message, the --json error
     * or the log (found by a probe). A row of which no cell names a column, or most cells look like values, is said
     * not to be a header, listing the contract's names instead.
     */
    static Layout fromHeader(FeedContract c, Charset cs, List<String> header) {
      Map<String, Integer> byName = new HashMap<>();
      for (int i = 0; i < c.columns().size(); i++) {
        byName.put(c.columns().get(i).name(), i);
      }
      int[] map = new int[header.size()];
      boolean[] seen = new boolean[c.columns().size()];
      List<String> unknown = new ArrayList<>();
      int matched = 0;
      int valueLike = 0;
      int unknownValueLike = 0;
      for (int f = 0; f < header.size(); f++) {
        String name = header.get(f).replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
        boolean value = looksLikeValue(name);
        if (value) {
          valueLike++;
        }
        Integer col = byName.get(name);
        if (col == null) {
          unknown.add(name.isEmpty() ? "(empty name at position " + (f + 1) + ")" : VisibleText.value(name));
          if (value) {
            unknownValueLike++;
          }
          continue;
        }
        matched++;
        if (seen[col]) {
          throw new BadInputException("the header names column '" + name + "' twice");
        }
        seen[col] = true;
        map[f] = col;
      }
      if (matched == 0 && !(header.size() == 1 && header.get(0).isBlank()) || valueLike * 2 > header.size()) {
        List<String> expected = c.columns().stream().map(ColumnSpec::name).toList();
        throw new BadInputException("the first row does not look like a header: " + (matched == 0
            ? (header.size() == 1 ? "its only cell names" : "none of its " + header.size() + " cells names")
            + " a column of the contract" : valueLike + " of its " + header.size() + " cells look like values")
            + " (expected: " + Listing.some(expected) + "); is the header row missing? (a file without one needs "
            + "'header: false' in the contract)");
      }
      if (header.size() > 1 && header.get(header.size() - 1).isBlank() && unknown.size() == 1) {
        // the usual cause: an export that ends every line with the delimiter
        throw new BadInputException("the header's last field (" + header.size() + ") has no name: the header line "
            + "ends with the delimiter " + (c.delimiter() == '\t' ? "(a tab)" : "'" + c.delimiter() + "'")
            + "; remove the delimiter at the end of every line");
      }
      if (!unknown.isEmpty()) {
        throw new BadInputException("the header has " + Layout.undeclared(unknown, unknown.size(), unknownValueLike,
            "cell") + " (add them to the contract or remove them from the file)");
      }
      List<String> missingRequired = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < seen.length; i++) {
        if (!seen[i]) {
          ColumnSpec spec = c.columns().get(i);
          (spec.required() ? missingRequired : missing).add(spec.name());
        }
      }
      if (!missingRequired.isEmpty()) {
        throw new BadInputException("the header lacks required columns: " + String.join(", ", missingRequired));
      }
      return new Layout(cs, c.delimiter(), c.quote(), map, c.columns().size(), missing, c.nullValues());
    }
  }

  /** Framed CSV records, split into fields and decoded on a worker. */
  static final class CsvBatch extends FramedBatch {
    /**
     * Told with a wrong field count when the row holds a CR outside quotes: a lone CR in an LF file (found by a
     * probe) joins two lines into one row, which otherwise read as a mere "found 13" (the trailing CR of a CRLF line
     * is not part of the row; a CR in a field of a row of the right count stays data).
     */
    static final String MIXED_LINE_ENDS = "; the row holds a carriage return (CR) outside quotes: the file mixes line "
        + "endings, save it with LF or CRLF line endings";

    private final Layout layout;
    private final List<String> fields = new ArrayList<>();

    CsvBatch(Layout layout, int capacity) {
      super(layout.charset, capacity);
      this.layout = layout;
    }

    /**
     * Splits the record's bytes into fields (RFC 4180 quoting; doubled quotes are undone into a scratch buffer)
     * and hands each field to the converter as bytes. The structural bytes are ASCII and never part of a
     * multi-byte character in the supported charsets, so splitting needs no decoding.
     */
    @Override
    public void parse(int i, Object[] values, List<Problem> problems, Scratch scratch) {
      if (framingProblem(i, problems)) {
        return;
      }
      final byte[] b = bytes;
      final int end = starts[i + 1];
      final byte delim = (byte) layout.delimiter;
      final byte q = (byte) layout.quote;
      if (scratch.unescaped.length < end - starts[i]) {
        scratch.unescaped = new byte[Math.max(end - starts[i], scratch.unescaped.length * 2)];
      }
      int unescapedUsed = 0;
      int p = starts[i];
      int n = 0;
      String structural = null;
      while (true) {
        FieldBytes field = scratch.field(n);
        if (p < end && b[p] == q) {
          boolean ascii = true;
          int from = ++p;
          boolean doubled = false;
          while (p < end) {
            byte c = b[p];
            if (c == q) {
              if (p + 1 < end && b[p + 1] == q) {
                doubled = true;
                p += 2;
                continue;
              }
              break;
            }
            ascii &= c >= 0;
            p++;
          }
          int to = p;
          if (p < end) {
            p++; // the closing quote
          }
          if (doubled) {
            byte[] u = scratch.unescaped;
            int start = unescapedUsed;
            for (int k = from; k < to; k++) {
              u[unescapedUsed++] = b[k];
              if (b[k] == q) {
                k++; // skip the second quote of a pair
              }
            }
            field.set(u, start, unescapedUsed - start, ascii, charset);
          } else {
            field.set(b, from, to - from, ascii, charset);
          }
          if (p < end && b[p] != delim) {
            if (structural == null) {
              structural = "field " + (n + 1) + " has text after its closing quote";
            }
            while (p < end && b[p] != delim) {
              p++;
            }
          }
        } else {
          int from = p;
          int d = ByteScan.indexOf(b, p, end, delim);
          p = d < 0 ? end : d;
          field.set(b, from, p - from, ByteScan.isAscii(b, from, p), charset);
        }
        n++;
        if (p >= end) {
          break;
        }
        p++; // the delimiter
      }
      int[] map = layout.fieldToColumn;
      if (n != map.length) {
        problems.add(new Problem(Problem.COLUMN_COUNT, null, "expected " + map.length + " fields, found " + n
            + (carriageReturn(b, starts[i], end, q) ? MIXED_LINE_ENDS : "")));
        return;
      }
      if (structural != null) {
        problems.add(new Problem(Problem.MALFORMED_RECORD, null, structural));
        return;
      }
      if (layout.missing.size() > 0) {
        Arrays.fill(values, 0, layout.columnCount, ValueConverter.ABSENT);
      }
      boolean nul = ByteScan.indexOf(b, starts[i], end, (byte) 0) >= 0;
      for (int f = 0; f < n; f++) {
        FieldBytes field = scratch.field(f);
        values[map[f]] = layout.isNullToken(field) ? null : field;
        if (nul || !field.ascii) {
          String held = invisible(field, nul);
          if (held != null) {
            // told in its column's place by the converter, the row's other fields still checked
            values[map[f]] = new ValueConverter.Unread(null, Problem.BAD_VALUE, "holds " + held);
          }
        }
      }
    }

    /**
     * A character no department means to send that a field holds, named for the reason, or null: a NUL (a C
     * program's end of text, which cuts a cell short in some readers) or U+FEFF, a byte-order mark in the middle of the
     * file (two files joined, each with its mark: the key {@code r2} became {@code \uFEFFr2}, found by a probe). Only
     * the mark at the very start of the file says its encoding, and it is not part of a field.
     */
    private String invisible(FieldBytes f, boolean nulInRecord) {
      int end = f.off + f.len;
      if (nulInRecord && ByteScan.indexOf(f.bytes, f.off, end, (byte) 0) >= 0) {
        return ValueConverter.NUL_HELD;
      }
      byte[] bom = layout.byteOrderMark;
      if (f.ascii || bom == null) {
        return null;
      }
      boolean utf8 = charset == null || charset.equals(StandardCharsets.UTF_8);
      for (int i = ByteScan.indexOf(f.bytes, f.off, end, bom[0]); i >= 0 && i <= end - bom.length;
          i = ByteScan.indexOf(f.bytes, i + 1, end, bom[0])) {
        if (Arrays.equals(f.bytes, i, i + bom.length, bom, 0, bom.length)) {
          // UTF-8 is self-synchronizing: the bytes are the character. Elsewhere they may straddle two characters.
          if (utf8) {
            return ValueConverter.BOM_HELD;
          }
          String text = f.charset == null ? null : new String(f.bytes, f.off, f.len, f.charset);
          return text != null && text.indexOf('\uFEFF') >= 0 ? ValueConverter.BOM_HELD : null;
        }
      }
      return null;
    }

  }
}
