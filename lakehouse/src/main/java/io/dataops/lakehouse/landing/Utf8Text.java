package io.dataops.lakehouse.landing;

/** Validation of UTF-8 bytes (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
final class Utf8Text {
  private Utf8Text() {}

  /** The number of code points, or -1 when the bytes are not well-formed UTF-8. */
  static int codePoints(byte[] b, int off, int len) {
    int end = off + len;
    int count = 0;
    int i = off;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
      } else if (c >= 0xC2 && c <= 0xDF) {
        if (i + 1 >= end || !cont(b[i + 1])) {
          return -1;
        }
        i += 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        if (i + 2 >= end || !cont(b[i + 1]) || !cont(b[i + 2])) {
          return -1;
        }
        int c1 = b[i + 1] & 0xff;
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) {
          return -1; // overlong, or a UTF-16 surrogate
        }
        i += 3;
      } else if (c >= 0xF0 && c <= 0xF4) {
        if (i + 3 >= end || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
          return -1;
        }
        int c1 = b[i + 1] & 0xff;
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
          return -1;
        }
        i += 4;
      } else {
        return -1;
      }
      count++;
    }
    return count;
  }

  /**
   * The number of multi-byte characters in {@code b[from, to)}, or -1 when a byte of 0x80 and above there is not
   * part of one; a character cut off at {@code to} ends the count (the text read so far may stop inside one).
   * {@code enough}: stop counting there, the answer already clear.
   */
  static int multiByteCharacters(byte[] b, int from, int to, int enough) {
    int count = 0;
    int i = from;
    while (i < to && count < enough) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : -1;
      if (n < 0) {
        return -1;
      }
      if (i + n > to) {
        break;
      }
      if (codePoints(b, i, n) != 1) {
        return -1;
      }
      count++;
      i += n;
    }
    return count;
  }

  private static boolean cont(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
