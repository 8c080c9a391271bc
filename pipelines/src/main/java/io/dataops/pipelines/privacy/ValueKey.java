package io.dataops.pipelines.privacy;

import io.dataops.lakehouse.types.ValueType;
import java.util.Arrays;

/**
 * Builds the canonical bytes of a tuple of values (each: a null marker or its canonical text, separated so that
 * ("ab","c") and ("a","bc") differ) and hashes them. One instance per thread; reuses its buffer.
 */
public final class ValueKey {
  private byte[] buffer = new byte[256];
  private int length;
  private final Hash128 hash = new Hash128();

  public ValueKey reset() {
    length = 0;
    return this;
  }

  public ValueKey add(Object value) {
    if (value == null) {
      put((byte) 0);
    } else {
      put((byte) 1);
      int start = length;
      utf8(ValueType.text(value));
      int n = length - start;
      // The length after the text keeps tuples unambiguous whatever bytes the text holds.
      put((byte) (n >>> 24));
      put((byte) (n >>> 16));
      put((byte) (n >>> 8));
      put((byte) n);
    }
    return this;
  }

  /** A text value given as its UTF-8 bytes: the same canonical bytes as {@link #add} of the decoded String. */
  public ValueKey addUtf8(byte[] utf8, int n) {
    put((byte) 1);
    ensure(n + 4);
    System.arraycopy(utf8, 0, buffer, length, n);
    length += n;
    put((byte) (n >>> 24));
    put((byte) (n >>> 16));
    put((byte) (n >>> 8));
    put((byte) n);
    return this;
  }

  /**
   * The text's UTF-8 bytes straight into the buffer (as String.getBytes(UTF_8) would give them, an unpaired
   * surrogate as '?'), without the intermediate array: this runs for every value the privacy and leak checks see.
   */
  private void utf8(String s) {
    int n = s.length();
    ensure(n * 3);
    byte[] b = buffer;
    int at = length;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[at++] = (byte) c;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | c >> 6);
        b[at++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[at++] = (byte) (0xF0 | cp >> 18);
          b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
          b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
          b[at++] = (byte) (0x80 | cp & 0x3F);
        } else {
          b[at++] = '?';
        }
      } else {
        b[at++] = (byte) (0xE0 | c >> 12);
        b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        b[at++] = (byte) (0x80 | c & 0x3F);
      }
    }
    length = at;
  }

  public Hash128 hash() {
    return hash.hash(buffer, length);
  }

  private void put(byte b) {
    ensure(1);
    buffer[length++] = b;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
