package io.dataops.lakehouse.landing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.dataops.lakehouse.contract.FeedContract;
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
  private final Map<String, Integer> columnIndex = new HashMap<>();
  private final int columnCount;
  private final FramedBatch.Recycler<JsonBatch> batches = new FramedBatch.Recycler<>(() -> new JsonBatch(1024));

  private long line;
  private long row;
  private long blankLines;
  private boolean first = true;

  JsonLinesFeedReader(FeedFile file, FeedContract contract, MessageDigest digest) throws IOException {
    super(file, digest);
    this.charset = contract.encoding();
    this.maxRecordBytes = contract.maxRecordBytes();
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
      int nl = -1;
      for (int p = pos; p < limit; p++) {
        if (buf[p] == '\n') {
          nl = p;
          break;
        }
      }
      if (nl < 0 && limit - pos > maxRecordBytes) {
        // A line longer than allowed: keep its first maxRecordBytes bytes and drop the rest of it.
        line++;
        batch = batch != null ? batch : batches.take();
        batch.add(buf, pos, pos + maxRecordBytes, ++row, line, FramedBatch.FLAG_TOO_LONG,
            "the row is longer than maxRecordBytes (" + maxRecordBytes + "); its first " + maxRecordBytes
                + " bytes are kept");
        skipRestOfLine();
        continue;
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
      if (first) {
        first = false;
        if (end - start >= 3 && (buf[start] & 0xff) == 0xEF && (buf[start + 1] & 0xff) == 0xBB
            && (buf[start + 2] & 0xff) == 0xBF) {
          start += 3;
        }
      }
      pos = Math.min(nl + 1, limit);
      if (isBlank(start, end)) {
        blankLines++;
        continue;
      }
      batch = batch != null ? batch : batches.take();
      batch.add(buf, start, end, ++row, line, 0, null);
      if (batch.size() >= BATCH_ROWS || batch.byteSize() >= BATCH_BYTES) {
        return batch;
      }
    }
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
            problems.add(new Problem(Problem.UNEXPECTED_FIELD, null,
                "field '" + safeName(name) + "' is not declared in the contract"));
            p.skipChildren();
            continue;
          }
          if (values[col] != ValueConverter.ABSENT) {
            // Which of the values was meant is unknown (parsers differ: Jackson keeps the last, others the first).
            problems.add(new Problem(Problem.MALFORMED_RECORD, name,
                "field '" + safeName(name) + "' appears more than once in the line"));
          }
          switch (v) {
            case VALUE_STRING -> values[col] = p.getText();
            case VALUE_NUMBER_INT -> values[col] = p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> values[col] = p.getDecimalValue();
            case VALUE_TRUE -> values[col] = Boolean.TRUE;
            case VALUE_FALSE -> values[col] = Boolean.FALSE;
            case VALUE_NULL -> values[col] = null;
            default -> {
              problems.add(new Problem(Problem.BAD_VALUE, name,
                  "column " + name + ": nested JSON where a single value was promised"));
              p.skipChildren();
              values[col] = null;
            }
          }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
          problems.add(new Problem(Problem.MALFORMED_RECORD, null, "the line holds more than one JSON object"));
        }
      } catch (StreamConstraintsException e) {
        // Nesting, a number or a text beyond the parser's limits; the message names the limit, never the content.
        problems.add(new Problem(Problem.MALFORMED_RECORD, null, "the line's JSON is beyond a parser limit: "
            + e.getOriginalMessage().replaceFirst(", from `[^`]*`\\)", ")")));
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        problems.add(new Problem(Problem.MALFORMED_RECORD, null, "the line is not valid JSON"
            + (at == null ? "" : " (at character " + at.getColumnNr() + ")")));
      } catch (IOException e) {
        throw new IllegalStateException("reading JSON from a string failed", e);
      }
    }
  }

  /** Field names come from the department's file; keep only a short, printable prefix in messages. */
  private static String safeName(String name) {
    String n = name.length() > 40 ? name.substring(0, 40) + "..." : name;
    return n.replaceAll("\\p{Cntrl}", "?");
  }
}
