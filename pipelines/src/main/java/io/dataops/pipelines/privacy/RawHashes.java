package io.dataops.pipelines.privacy;

import io.dataops.lakehouse.types.ValueType;
import java.time.LocalDate;

/**
 * Raw personal values on their way into a {@link LeakFilter}, hashed a batch at a time: the hashes of up to
 * {@link #CAPACITY} values are computed first, then inserted in one tight loop ({@link LeakFilter#insertAll}), so that
 * the filter's cache misses (one a value) overlap instead of each waiting behind the next value's hashing. Every hash
 * is the one {@link LeakFilter#add} gives the value, bit for bit (the {@link ValueKey} of its canonical text), and
 * values of fewer than two code points are left out as it leaves them out. Text comes as a columnar batch's whole
 * UTF-8 data ({@link #textBuffer}, one copy a batch instead of one a value) hashed in place; dates and decimals are
 * written as their canonical text's bytes without a Java object. Call {@link #flush} after the last value. One per
 * reader and thread.
 */
public final class RawHashes {
  /**
   * Where a batch of hashes goes: a {@link LeakFilter}'s bits, or the leak check's confirmation of its candidates
   * ({@link LeakCheck#confirmation}). The arrays are reused for the next batch.
   */
  @FunctionalInterface
  public interface Sink {
    void accept(long[] h1, long[] h2, int n);
  }

  /** Where a batch's text data goes in {@link #textBuffer}: one byte of room for the first value's key marker. */
  public static final int TEXT_AT = 1;
  /** Hashes held before they go into the filter: 16 KB of them, beside the text in the first-level cache. */
  static final int CAPACITY = 1024;
  /** After the data: room for the last value's key length. */
  private static final int TAIL = 4;

  private final Sink sink;
  private final long[] h1 = new long[CAPACITY];
  private final long[] h2 = new long[CAPACITY];
  private int size;
  private byte[] text = new byte[1 << 16];
  private final Hash128 hash = new Hash128();
  private final ValueKey key = new ValueKey();
  /** A date's or a decimal's key: marker, at most 40 characters of text, length. */
  private final byte[] small = new byte[1 + 40 + TAIL];

  public RawHashes(LeakFilter filter) {
    this(filter::insertAll);
  }

  public RawHashes(Sink sink) {
    this.sink = sink;
  }

  /**
   * A buffer for a batch's {@code bytes} bytes of text data, to be written at {@link #TEXT_AT} before {@link #addText}
   * reads them: valid until the next call.
   */
  public byte[] textBuffer(int bytes) {
    if (text.length < TEXT_AT + bytes + TAIL) {
      text = new byte[Math.max(TEXT_AT + bytes + TAIL, text.length * 2)];
    }
    return text;
  }

  /**
   * The text value whose UTF-8 bytes are at {@code [start, end)} of the batch's data (positions in the data, not in
   * the buffer): the hash of {@link ValueKey#addUtf8}. The key's bytes are built around the value in place (its
   * marker in the byte before it, its length in the four after, both restored after), so the data is left as it was.
   */
  public void addText(int start, int end) {
    byte[] b = text;
    int from = TEXT_AT + start;
    int to = TEXT_AT + end;
    if (codePoints(b, from, to) < 2) {
      return;
    }
    byte before = b[from - 1];
    int after = getInt(b, to);
    b[from - 1] = 1;
    putInt(b, to, to - from);
    hash.hash(b, from - 1, to - from + 1 + TAIL);
    b[from - 1] = before;
    putInt(b, to, after);
    push();
  }

  /**
   * A date given as days since 1970-01-01: the hash of its text ({@link LocalDate#toString}, yyyy-MM-dd for years 0
   * to 9999, written here without a String; other years take the general path, their text has a sign or more digits).
   */
  public void addDate(int epochDay) {
    if (!isoDate(epochDay, small, 1)) {
      addValue(LocalDate.ofEpochDay(epochDay));
      return;
    }
    hashSmall(10);
  }

  /**
   * Writes a date given as days since 1970-01-01 as {@link LocalDate#toString} does (yyyy-MM-dd, ten ASCII bytes)
   * into {@code b} at {@code at}, without a String; false, writing nothing, for years outside 0 to 9999 (their text
   * has a sign or more digits: {@link ValueType#text} makes it). The one definition every engine's raw dates are
   * hashed by: the filter's bits depend on it.
   */
  public static boolean isoDate(int epochDay, byte[] b, int at) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    int y = d.getYear();
    if (y < 0 || y > 9999) {
      return false;
    }
    digits(b, at, 4, y);
    b[at + 4] = '-';
    digits(b, at + 5, 2, d.getMonthValue());
    b[at + 7] = '-';
    digits(b, at + 8, 2, d.getDayOfMonth());
    return true;
  }

  /**
   * A decimal given as its unscaled value and scale: the hash of its text ({@link java.math.BigDecimal#toPlainString},
   * e.g. -0.05 for -5 at scale 2), written here without a BigDecimal or a String.
   */
  public void addDecimal(long unscaled, int scale) {
    if (scale < 0 || scale > 18 || unscaled == Long.MIN_VALUE) {
      addValue(java.math.BigDecimal.valueOf(unscaled, scale));
      return;
    }
    long abs = Math.abs(unscaled);
    int n = Math.max(length(abs), scale + 1); // at least one digit before the point
    int at = 1;
    byte[] b = small;
    if (unscaled < 0) {
      b[at++] = '-';
    }
    int intDigits = n - scale;
    int end = at + n + (scale > 0 ? 1 : 0);
    // Digits from the last: the fraction's, the point, the integer part's (zeros where the value has no digits).
    int i = end;
    for (int k = 0; k < scale; k++) {
      b[--i] = (byte) ('0' + abs % 10);
      abs /= 10;
    }
    if (scale > 0) {
      b[--i] = '.';
    }
    for (int k = 0; k < intDigits; k++) {
      b[--i] = (byte) ('0' + abs % 10);
      abs /= 10;
    }
    hashSmall(end - 1);
  }

  /** Any other raw value: the hash of its canonical text ({@link ValueType#text}), as {@link LeakFilter#add} takes it. */
  public void addValue(Object value) {
    String t = ValueType.text(value);
    if (t == null || t.codePointCount(0, t.length()) < 2) {
      return;
    }
    Hash128 h = key.reset().add(t).hash();
    h1[size] = h.h1;
    h2[size] = h.h2;
    if (++size == CAPACITY) {
      flush();
    }
  }

  /** Hands the hashes held to the sink. */
  public void flush() {
    sink.accept(h1, h2, size);
    size = 0;
  }

  /** Hashes the key of the {@code n} ASCII characters at 1 of {@link #small} (none for one character: "7"). */
  private void hashSmall(int n) {
    if (n < 2) {
      return;
    }
    byte[] b = small;
    b[0] = 1;
    putInt(b, 1 + n, n);
    hash.hash(b, 0, 1 + n + TAIL);
    push();
  }

  private void push() {
    h1[size] = hash.h1;
    h2[size] = hash.h2;
    if (++size == CAPACITY) {
      flush();
    }
  }

  /** Big-endian, as {@link ValueKey} writes a length (plain byte code: C1, which runs this long, has no intrinsic). */
  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
  }

  private static void digits(byte[] b, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--) {
      b[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Decimal digits of a non-negative long (1 for zero). */
  private static int length(long v) {
    int n = 1;
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  /** Code points in UTF-8 in {@code [from, to)}: the bytes that do not continue a sequence (counted up to two). */
  private static int codePoints(byte[] utf8, int from, int to) {
    int n = 0;
    for (int i = from; i < to && n < 2; i++) {
      if ((utf8[i] & 0xC0) != 0x80) {
        n++;
      }
    }
    return n;
  }
}
