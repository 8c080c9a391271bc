package io.dataops.lakehouse.landing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.dataops.core.BadInputException;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.types.ValueType;
import java.io.IOException;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON Lines: one JSON object per line. Lines are framed on the reader thread (JSON strings cannot hold a raw
 * line break) and parsed with Jackson's streaming parser on the workers. A field the contract does not declare is
 * a problem of that row, as is nested JSON where a column value belongs.
 */
final class JsonLinesFeedReader extends BufferedFeedReader {
  private static final int BATCH_BYTES = 1 << 20;
  private static final int BATCH_ROWS = 8192;

  private final Charset charset;
  private final int maxRecordBytes;
  /**
   * The longest line this heap parses: a line is held as its bytes (in the read buffer and a batch), its text, the
   * parser's copy and buffer and the value, about eight times its size, and two may be parsed at once (found by a
   * probe: a 200 MB line, within maxRecordBytes, ran a 1 GB heap out of memory).
   */
  private final long heapRecordBytes = Runtime.getRuntime().maxMemory() / 16;
  private final Map<String, Integer> columnIndex = new HashMap<>();
  private final List<ColumnSpec> columns;
  private final List<String> columnNames;
  private final int columnCount;
  private final FramedBatch.Recycler<JsonBatch> batches = new FramedBatch.Recycler<>(() -> new JsonBatch(1024));

  private long line;
  private long row;
  private long blankLines;

  JsonLinesFeedReader(FeedFile file, FeedContract contract, MessageDigest digest) throws IOException {
    super(file, digest);
    this.maxRecordBytes = contract.maxRecordBytes();
    this.columns = contract.columns();
    this.columnNames = contract.columnNames();
    this.charset = detectCharset(contract.encoding(), "JSON Lines", (byte) '\n', (byte) '{', (byte) '"', (byte) ':',
        (byte) ',');
    for (int i = 0; i < contract.columns().size(); i++) {
      columnIndex.put(contract.columns().get(i).name(), i);
    }
    this.columnCount = contract.columns().size();
  }

  @Override
  public void read(BatchSink sink) throws IOException, InterruptedException {
    for (RecordBatch b = next(); b != null; b = next()) {
      sink.accept(b);
    }
  }

  private RecordBatch next() throws IOException {
    JsonBatch batch = null;
    while (true) {
      int nl = ByteScan.indexOf(buf, pos, limit, (byte) '\n');
      if (nl < 0 && limit - pos > maxRecordBytes) {
        // A line longer than allowed: keep its first maxRecordBytes bytes and drop the rest of it.
        line++;
        batch = batch != null ? batch : batches.take();
        addTooLong(batch, pos);
        skipRestOfLine();
        if (batch.size() >= BATCH_ROWS || batch.byteSize() >= BATCH_BYTES) {
          return batch;
        }
        continue;
      }
      if (nl < 0 && limit - pos > heapRecordBytes) {
        throw tooLargeForHeap(line + 1);
      }
      if (nl < 0) {
        compact();
        if (fill()) {
          continue;
        }
        if (pos == limit) {
          return batch;
        }
        nl = limit; // last line without a line break
      }
      line++;
      int start = pos;
      int end = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
      pos = Math.min(nl + 1, limit);
      if (end - start > maxRecordBytes) {
        // within the read buffer, the line is as long as one that is not (found by a probe: a 100,000-byte line
        // landed under a limit of 1,024 while a 5,000-byte one was quarantined)
        batch = batch != null ? batch : batches.take();
        addTooLong(batch, start);
      } else if (end - start > heapRecordBytes) {
        throw tooLargeForHeap(line);
      } else if (isBlank(start, end)) {
        blankLines++;
        continue;
      } else {
        batch = batch != null ? batch : batches.take();
        batch.add(buf, start, end, ++row, line, 0, null);
      }
      if (batch.size() >= BATCH_ROWS || batch.byteSize() >= BATCH_BYTES) {
        return batch;
      }
    }
  }

  private void addTooLong(JsonBatch batch, int start) {
    batch.add(buf, start, start + maxRecordBytes, ++row, line, FramedBatch.FLAG_TOO_LONG,
        "the row is longer than maxRecordBytes (" + maxRecordBytes + "); its first " + maxRecordBytes
            + " bytes are kept");
  }

  private BadInputException tooLargeForHeap(long lineNumber) {
    long mb = 1 << 20;
    return new BadInputException(String.format("line %,d is longer than %,d MB: maxRecordBytes (%,d) allows it, but"
        + " one JSON record can take at most a sixteenth of the heap (%,d MB) to parse; land the feed again with a"
        + " larger heap (DATAOPS_HEAP=4g parses records up to 256 MB) or lower maxRecordBytes", lineNumber,
        heapRecordBytes / mb, maxRecordBytes, Runtime.getRuntime().maxMemory() / mb));
  }

  private boolean isBlank(int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private void skipRestOfLine() throws IOException {
    while (true) {
      for (int p = pos; p < limit; p++) {
        if (buf[p] == '\n') {
          pos = p + 1;
          return;
        }
      }
      pos = limit;
      compact();
      if (!fill()) {
        return;
      }
    }
  }

  private void compact() {
    compactFrom(pos);
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
    return List.of();
  }

  private final class JsonBatch extends FramedBatch {
    JsonBatch(int capacity) {
      super(JsonLinesFeedReader.this.charset, capacity);
    }

    @Override
    public void parse(int i, Object[] values, List<Problem> problems, Scratch scratch) {
      if (framingProblem(i, problems)) {
        return;
      }
      String text = scratch.decode(bytes, starts[i], starts[i + 1], charset);
      if (text == null) {
        problems.add(new Problem(Problem.UNDECODABLE, null, "the row has bytes that are not valid " + charset.name()));
        return;
      }
      Arrays.fill(values, 0, columnCount, ValueConverter.ABSENT);
      try (JsonParser p = scratch.json.createParser(text)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          problems.add(new Problem(Problem.MALFORMED_RECORD, null, "the line is not a JSON object"));
          return;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          Integer col = columnIndex.get(name);
          if (col == null) {
            col = columnIndex.get(name.strip().toLowerCase(Locale.ROOT));
          }
          JsonToken v = p.nextToken();
          if (col == null) {
            problems.add(new Problem(Problem.UNEXPECTED_FIELD, null, CsvFeedReader.Layout.looksLikeValue(name.strip())
                ? "a field the contract does not declare (its name is not shown: it looks like a value, not a name)"
                : "field '" + safeName(name) + "' is not declared in the contract"));
            p.skipChildren();
            continue;
          }
          ColumnSpec spec = columns.get(col);
          String column = spec.name();
          if (values[col] != ValueConverter.ABSENT) {
            // Which of the values was meant is unknown (parsers differ: Jackson keeps the last, others the first).
            problems.add(new Problem(Problem.MALFORMED_RECORD, column,
                "field '" + safeName(name) + "' appears more than once in the line"));
            if (values[col] instanceof ValueConverter.Unread u) {
              problems.add(u.problem(column)); // told before the later value replaces it
            }
          }
          switch (v) {
            case VALUE_STRING -> {
              String value = p.getText();
              // as a CSV field holding them is (found by a probe: the JSON escapes of U+0000 and U+FEFF landed)
              String held = ValueConverter.invisibleIn(value);
              values[col] = held == null ? value : unread(Problem.BAD_VALUE, "holds " + held);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
              if (ValueConverter.holdsIdentifiers(spec)) {
                // as an Excel number cell there is (found by a probe: JavaScript writes 110101199003077774 as
                // 110101199003077780, which landed)
                values[col] = unread(Problem.BAD_VALUE, "a JSON number in a column of "
                    + spec.personal().spelling() + " values, which JSON writers can change (JavaScript keeps about 16"
                    + " digits): send the value as a JSON string");
              } else if (spec.type().type() == ValueType.DOUBLE) {
                // from its literal, as a CSV field is: a BigDecimal has no -0, and the same range check holds
                try {
                  values[col] = ValueConverter.parseDouble(p.getText());
                } catch (ValueConverter.BadValue e) {
                  values[col] = unread(e.rule, e.getMessage());
                }
              } else {
                try {
                  values[col] = v == JsonToken.VALUE_NUMBER_INT ? p.getNumberValue() : p.getDecimalValue();
                } catch (NumberFormatException e) { // 1e2147483648: its message repeats the value
                  values[col] = unread(Problem.BAD_VALUE, "a number whose exponent is out of range");
                }
              }
            }
            case VALUE_TRUE -> values[col] = Boolean.TRUE;
            case VALUE_FALSE -> values[col] = Boolean.FALSE;
            case VALUE_NULL -> values[col] = null;
            default -> {
              values[col] = unread(Problem.BAD_VALUE, "nested JSON where a single value was promised");
              p.skipChildren(); // may meet a parser limit: the value is told first
            }
          }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
          problems.add(new Problem(Problem.MALFORMED_RECORD, null, "the line holds more than one JSON object"));
        }
      } catch (StreamConstraintsException e) {
        // Nesting, a number or a text beyond the parser's limits; the message names the limit, never the content.
        ValueConverter.addUnread(values, columnNames, problems); // the values read before the parse stopped
        problems.add(new Problem(Problem.MALFORMED_RECORD, null, "the line's JSON is beyond a parser limit: "
            + e.getOriginalMessage().replaceFirst(", from `[^`]*`\\)", ")")));
        return;
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        ValueConverter.addUnread(values, columnNames, problems); // the values read before the parse stopped
        problems.add(new Problem(Problem.MALFORMED_RECORD, null, "the line is not valid JSON"
            + (at == null ? "" : " (at character " + at.getColumnNr() + ")")));
        return;
      } catch (IOException e) {
        throw new IllegalStateException("reading JSON from a string failed", e);
      }
      if (!problems.isEmpty()) {
        // a problem of the line as a whole: the row is not converted, its values' problems are told here
        ValueConverter.addUnread(values, columnNames, problems);
      }
    }
  }

  /**
   * A value the converter reports in its column's place, so the line's other values are still checked; the raw row
   * is the line itself.
   */
  private static ValueConverter.Unread unread(String rule, String reason) {
    return new ValueConverter.Unread(null, rule, reason);
  }

  /**
   * Field names come from the department's file; keep only a short prefix in messages, its control characters, C1
   * controls and bidirectional overrides shown by their code (found by a probe: U+009B and U+202E were kept).
   */
  private static String safeName(String name) {
    int cut = name.length() > 40 && Character.isHighSurrogate(name.charAt(39)) ? 39 : 40;
    return VisibleText.value(name.length() > 40 ? name.substring(0, cut) + "..." : name);
  }
}
