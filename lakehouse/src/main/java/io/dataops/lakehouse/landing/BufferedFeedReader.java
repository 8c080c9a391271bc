package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.iceberg.io.SeekableInputStream;
import java.util.Arrays;
import java.util.Set;

/**
 * The read buffer of the text readers: bytes {@code [pos, limit)} of {@code buf} are unread; {@link #fill()}
 * appends more (growing the buffer for a long record) and feeds them to the file's digest on the way. A reader may
 * go back to an earlier offset ({@link #rewindTo}); bytes read a second time are not digested again.
 */
abstract class BufferedFeedReader implements FeedReader {
  private final SeekableInputStream in;
  private final MessageDigest digest;
  protected byte[] buf = new byte[1 << 20];
  protected int pos;
  protected int limit;
  private boolean eof;
  /** File offset of {@code buf[limit]}: where the next read starts. */
  private long streamOffset;
  /** How far into the file bytes have been read (and digested); only grows. */
  private long furthest;

  BufferedFeedReader(FeedFile file, MessageDigest digest) throws IOException {
    this.in = file.open();
    this.digest = digest;
  }

  /**
   * The file's encoding, read before its first record: a UTF-8 byte-order mark overrides the contract's encoding
   * (and is skipped); UTF-16 cannot be framed byte-wise, so such a file is refused, with its mark or without it
   * ({@code format} names the format in the refusal; {@code structural}: its own ASCII characters, see
   * {@link #looksUtf16}).
   */
  protected final Charset detectCharset(Charset declared, String format, byte... structural) throws IOException {
    fill();
    if (limit - pos >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
      pos = 3;
      return StandardCharsets.UTF_8;
    }
    if (limit - pos >= 2 && (((buf[0] & 0xff) == 0xFF && (buf[1] & 0xff) == 0xFE)
        || ((buf[0] & 0xff) == 0xFE && (buf[1] & 0xff) == 0xFF))) {
      throw utf16(format);
    }
    if (looksUtf16(buf, pos, limit, structural)) {
      throw utf16(format);
    }
    if (GB_FAMILY.contains(declared.name()) && looksUtf8(buf, pos, limit)) {
      throw new BadInputException("the file looks like UTF-8, not " + declared.name()
          + " (its text is well-formed UTF-8); check the contract's encoding");
    }
    return declared;
  }

  /** Encodings that read UTF-8's bytes as other characters, most of them without an error (a probe's 福田 as 绂忕敯). */
  private static final Set<String> GB_FAMILY = Set.of("GBK", "GB18030", "GB2312");
  /**
   * Multi-byte characters needed to call text UTF-8. Random GBK characters are well-formed UTF-8 by accident in 2 of
   * 100 two-character names, 6 of 100,000 runs of six; a line of four names of two or three made six such characters
   * in none of a million tries (measured).
   */
  static final int UTF8_EVIDENCE = 6;

  /**
   * Whether the first bytes read look like UTF-8 rather than GBK or GB18030: every byte of 0x80 and above in
   * {@code b[from, to)} (one read, at most the buffer's 1 MB, so the landing's speed is untouched) is part of a
   * well-formed UTF-8 character, and there are at least {@link #UTF8_EVIDENCE} of them. A UTF-8 file whose first
   * read has fewer such characters is not told (its rows land as GBK reads them).
   */
  static boolean looksUtf8(byte[] b, int from, int to) {
    return Utf8Text.multiByteCharacters(b, from, to, 64) >= UTF8_EVIDENCE;
  }

  /**
   * Whether text starting at {@code from} is UTF-16 without its mark (found by a probe: CSV met it at its header, with
   * a less clear error than the JSON Lines reader's). NUL bytes alone cannot tell: a UTF-8 file of fixed-width rows
   * whose values are U+0000 has them on one side of every pair too (a second probe's file, refused as UTF-16), and
   * UTF-16 of characters such as U+4E00 has them on both sides. What UTF-16 always has is its format's own characters
   * ({@code structural}: line breaks, delimiters, quotes, braces) each as a pair with a NUL, on the same side; in UTF-8,
   * GBK and GB18030 those bytes are the characters themselves, so a few NULs in the data leave most of them unpaired.
   * So: in the first KB, at least two structural characters and at most one in eight of them not paired that way; or
   * a file starting with four such ASCII pairs (a header of one short line, a JSON line's first key).
   */
  static boolean looksUtf16(byte[] b, int from, int to, byte... structural) {
    int n = Math.min(to - from, 1024) & ~1;
    if (n >= 8 && (asciiPairs(b, from, 0) || asciiPairs(b, from, 1))) {
      return true;
    }
    int little = 0; // a structural byte first, NUL second: UTF-16LE
    int big = 0;
    int unpaired = 0;
    for (int i = 0; i < n; i++) {
      if (b[from + i] == 0 || !isOneOf(b[from + i], structural)) {
        continue;
      }
      int partner = from + (i ^ 1);
      if (b[partner] != 0) {
        unpaired++;
      } else if ((i & 1) == 0) {
        little++;
      } else {
        big++;
      }
    }
    int paired = Math.max(little, big);
    return paired >= 2 && (unpaired + Math.min(little, big)) * 8 <= paired;
  }

  /** Whether the first four pairs are each an ASCII character and a NUL, the NUL at {@code nulSide} (0 or 1). */
  private static boolean asciiPairs(byte[] b, int from, int nulSide) {
    for (int i = 0; i < 8; i += 2) {
      byte nul = b[from + i + nulSide];
      byte ch = b[from + i + 1 - nulSide];
      if (nul != 0 || ch <= 0) { // ch <= 0: NUL, or a byte of 0x80 and above
        return false;
      }
    }
    return true;
  }

  private static boolean isOneOf(byte c, byte[] set) {
    for (byte s : set) {
      if (c == s) {
        return true;
      }
    }
    return false;
  }

  private static BadInputException utf16(String format) {
    return new BadInputException("the file is UTF-16; send " + format + " as UTF-8, GBK or GB18030");
  }

  /** Moves the bytes from {@code start} to the front of the buffer; returns how far they moved. */
  protected final int compactFrom(int start) {
    if (start == 0) {
      return 0;
    }
    int keep = limit - start;
    System.arraycopy(buf, start, buf, 0, keep);
    limit = keep;
    pos -= start;
    return start;
  }

  /**
   * Keeps only {@code buf[start, start + length)}, moved to the front, and drops the bytes read after it: a record
   * too long to keep keeps its first bytes while the rest of it is read through. {@link #fileOffset} stays valid
   * for the bytes read from now on.
   */
  protected final void keepOnly(int start, int length) {
    System.arraycopy(buf, start, buf, 0, length);
    limit = length;
    pos = length;
  }

  /** The file offset of {@code buf[i]}, for a position among the bytes read since the last {@link #keepOnly}. */
  protected final long fileOffset(int i) {
    return streamOffset - (limit - i);
  }

  /** Empties the buffer and reads on from {@code offset}, an offset this reader has already passed. */
  protected final void rewindTo(long offset) throws IOException {
    in.seek(offset);
    streamOffset = offset;
    pos = 0;
    limit = 0;
    eof = false;
  }

  /** Reads more bytes after {@code limit}, growing the buffer when it is full. False at the end of the file. */
  protected final boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    long end = streamOffset + n;
    if (end > furthest) {
      int fresh = (int) (end - Math.max(furthest, streamOffset));
      if (digest != null) {
        digest.update(buf, limit + n - fresh, fresh);
      }
      furthest = end;
    }
    streamOffset = end;
    limit += n;
    return true;
  }

  @Override
  public final long bytesRead() {
    return furthest;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
