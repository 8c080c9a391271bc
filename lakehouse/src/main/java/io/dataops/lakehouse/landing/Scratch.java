package io.dataops.lakehouse.landing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Per-worker reusable state: decoders are not thread-safe and are expensive to create per record. */
final class Scratch {
  /**
   * A JSON Lines record is already bounded by the contract's maxRecordBytes: Jackson's own 20,000,000-character cap on
   * a string quarantined a cell the same contract lands from CSV (found by a probe).
   */
  final JsonFactory json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
      .maxStringLength(Integer.MAX_VALUE).build()).build();
  private Charset charset;
  private CharsetDecoder strict;
  private CharsetDecoder lenient;
  private CharBuffer chars = CharBuffer.allocate(4096);
  private FieldBytes[] fields = new FieldBytes[0];
  byte[] unescaped = new byte[1024];
  int[] fieldStarts = new int[64];
  int[] fieldEnds = new int[64];
  boolean[] fieldAscii = new boolean[64];
  /** Text transcoded to UTF-8 for the current row (see {@link #utf8Room}); each field keeps its own range. */
  byte[] utf8 = new byte[8192];
  int utf8Used;

  /**
   * Room for {@code need} more UTF-8 bytes of the current row at {@link #utf8Used}. A full buffer is replaced, not
   * reused: the fields already transcoded this row still point into it.
   */
  byte[] utf8Room(int need) {
    if (utf8Used + need > utf8.length) {
      utf8 = new byte[Math.max(utf8.length, need)];
      utf8Used = 0;
    }
    return utf8;
  }

  /** A reusable holder for field {@code i} of the current record. */
  FieldBytes field(int i) {
    if (i >= fields.length) {
      FieldBytes[] grown = java.util.Arrays.copyOf(fields, Math.max(i + 1, fields.length * 2));
      for (int k = fields.length; k < grown.length; k++) {
        grown[k] = new FieldBytes();
      }
      fields = grown;
    }
    return fields[i];
  }

  void ensureFieldSlots(int n) {
    if (fieldStarts.length < n) {
      int cap = Math.max(n, fieldStarts.length * 2);
      fieldStarts = java.util.Arrays.copyOf(fieldStarts, cap);
      fieldEnds = java.util.Arrays.copyOf(fieldEnds, cap);
      fieldAscii = java.util.Arrays.copyOf(fieldAscii, cap);
    }
  }

  /** Decodes exactly, or returns null when the bytes are not valid in the charset. ASCII takes a fast path. */
  String decode(byte[] bytes, int from, int to, Charset cs) {
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      if (bytes[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
    decoders(cs);
    try {
      return decodeWith(strict, bytes, from, to);
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Decodes with replacement characters, for showing a record that could not be decoded exactly. */
  String decodeLenient(byte[] bytes, int from, int to, Charset cs) {
    decoders(cs);
    try {
      return decodeWith(lenient, bytes, from, to);
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not fail", e);
    }
  }

  private String decodeWith(CharsetDecoder decoder, byte[] bytes, int from, int to) throws CharacterCodingException {
    int needed = (int) Math.ceil((to - from) * (double) decoder.maxCharsPerByte()) + 1;
    if (chars.capacity() < needed) {
      chars = CharBuffer.allocate(Math.max(needed, chars.capacity() * 2));
    }
    chars.clear();
    decoder.reset();
    ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
    var result = decoder.decode(in, chars, true);
    if (result.isError()) {
      result.throwException();
    }
    result = decoder.flush(chars);
    if (result.isError()) {
      result.throwException();
    }
    chars.flip();
    return chars.toString();
  }

  private void decoders(Charset cs) {
    if (cs != charset) {
      charset = cs;
      strict = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
      lenient = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    }
  }
}
