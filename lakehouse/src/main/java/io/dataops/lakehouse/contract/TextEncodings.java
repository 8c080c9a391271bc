package io.dataops.lakehouse.contract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an encoding allows of a text feed's framing. Feeds are framed at the byte level (records, fields, quotes)
 * before they are decoded, which holds only when each ASCII character is its own byte and the delimiter and quote
 * never occur inside a multi-byte character. Found by a probe: a contract with {@code encoding: UTF-16} landed GBK
 * and UTF-8 files as silent garbage (张三 as 헅죽), and with GBK a {@code |} delimiter split 瑋 (0xAC 0x7C), quarantining
 * valid rows. Both are refused when the contract is read.
 */
final class TextEncodings {
  private static final Map<Charset, boolean[]> LATER_BYTES = new ConcurrentHashMap<>();

  private TextEncodings() {}

  /** Why the encoding cannot frame a text feed (an ASCII character that is not its own byte), or empty. */
  static Optional<String> asciiIncompatibility(Charset charset) {
    if (!charset.canEncode()) {
      return Optional.of("it only decodes");
    }
    CharsetEncoder encoder = charset.newEncoder();
    for (char c = 0x09; c < 0x7f; c++) {
      if (c > 0x0d && c < 0x20) {
        continue;
      }
      try {
        ByteBuffer b = encoder.reset().encode(CharBuffer.wrap(new char[] {c}));
        if (b.remaining() != 1 || b.get(0) != (byte) c) {
          return Optional.of("'" + (c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : String.valueOf(c))
              + "' is not one byte of the same value in it");
        }
      } catch (CharacterCodingException e) {
        return Optional.of("it has no '" + c + "'");
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code c} (ASCII) can be a later byte of a multi-byte character of the encoding: GBK's and Big5's second
   * bytes include 0x40-0x7E, GB18030's four-byte characters have digits as their second and fourth bytes.
   */
  static boolean insideCharacters(Charset charset, char c) {
    return c < 0x80 && LATER_BYTES.computeIfAbsent(charset, TextEncodings::laterBytes)[c];
  }

  /**
   * Encodes each character of the Basic Multilingual Plane once. That suffices: the supplementary planes are
   * GB18030's four-byte form, whose digits its BMP characters from U+0080 on already use, and GBK and Big5 have none.
   */
  private static boolean[] laterBytes(Charset charset) {
    boolean[] later = new boolean[128];
    CharsetEncoder encoder = charset.newEncoder();
    char[] one = new char[1];
    for (char c = 0x80; c < 0xffff; c++) {
      if (Character.isSurrogate(c)) {
        continue;
      }
      one[0] = c;
      try {
        ByteBuffer b = encoder.reset().encode(CharBuffer.wrap(one));
        for (int i = 1; i < b.remaining(); i++) {
          int v = b.get(i) & 0xff;
          if (v < 0x80) {
            later[v] = true;
          }
        }
      } catch (CharacterCodingException notInTheEncoding) {
        // nothing to learn from a character it cannot hold
      }
    }
    return later;
  }
}
