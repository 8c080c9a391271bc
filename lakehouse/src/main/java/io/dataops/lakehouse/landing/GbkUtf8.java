package io.dataops.lakehouse.landing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * GBK text transcoded straight to UTF-8 bytes through a table of the double-byte range, for text columns: the JDK's
 * decoder (a CharBuffer per field, then a String the Parquet writer encodes again) was a tenth of a GBK landing's
 * CPU. The table is read from the JDK's own GBK decoder once, so both agree on every code; a field holding anything
 * the table lacks (a byte sequence GBK does not define) is left to the JDK's decoder, which says why it fails.
 */
final class GbkUtf8 {
  static final Charset GBK = Charset.forName("GBK");

  private static final int LEAD_MIN = 0x81;
  private static final int TRAIL_MIN = 0x40;
  private static final int TRAILS = 0xFF - TRAIL_MIN; // trail bytes 0x40..0xFE
  /** The character of lead byte {@code l} and trail byte {@code t} at {@code (l - 0x81) * TRAILS + t - 0x40}; 0: none. */
  private static final char[] TABLE = table();

  private GbkUtf8() {}

  static boolean isGbk(Charset cs) {
    return cs == GBK || GBK.equals(cs);
  }

  /** The most UTF-8 bytes {@code len} GBK bytes become (a two-byte code becomes at most three). */
  static int maxUtf8(int len) {
    return len + (len + 1) / 2;
  }

  /**
   * Writes {@code src[off, off+len)} as UTF-8 into {@code dst} from {@code at}; returns the end of what it wrote, or
   * -1 when the field holds a byte sequence outside the table (then what it wrote is garbage).
   */
  static int transcode(byte[] src, int off, int len, byte[] dst, int at) {
    int end = off + len;
    int i = off;
    while (i < end) {
      int b = src[i];
      if (b >= 0) {
        dst[at++] = (byte) b;
        i++;
        continue;
      }
      if (i + 1 >= end) {
        return -1;
      }
      int lead = b & 0xff;
      int trail = src[i + 1] & 0xff;
      if (lead < LEAD_MIN || lead == 0xFF || trail < TRAIL_MIN || trail == 0xFF) {
        return -1;
      }
      char c = TABLE[(lead - LEAD_MIN) * TRAILS + trail - TRAIL_MIN];
      if (c == 0) {
        return -1;
      }
      if (c < 0x800) {
        dst[at++] = (byte) (0xC0 | c >> 6);
        dst[at++] = (byte) (0x80 | c & 0x3F);
      } else {
        dst[at++] = (byte) (0xE0 | c >> 12);
        dst[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        dst[at++] = (byte) (0x80 | c & 0x3F);
      }
      i += 2;
    }
    return at;
  }

  private static char[] table() {
    char[] table = new char[(0xFF - LEAD_MIN) * TRAILS];
    CharsetDecoder decoder = GBK.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] pair = new byte[2];
    CharBuffer out = CharBuffer.allocate(4);
    for (int lead = LEAD_MIN; lead < 0xFF; lead++) {
      for (int trail = TRAIL_MIN; trail < 0xFF; trail++) {
        pair[0] = (byte) lead;
        pair[1] = (byte) trail;
        out.clear();
        decoder.reset();
        if (decoder.decode(ByteBuffer.wrap(pair), out, true).isError() || decoder.flush(out).isError()) {
          continue;
        }
        out.flip();
        // Only one BMP character per code is kept (GBK has no other kind); 0 would read as "none".
        if (out.remaining() == 1 && out.get(0) != 0 && !Character.isSurrogate(out.get(0))) {
          table[(lead - LEAD_MIN) * TRAILS + trail - TRAIL_MIN] = out.get(0);
        }
      }
    }
    return table;
  }
}
