package io.dataops.pipelines.privacy;

import io.dataops.pipelines.model.ValueType;
import java.nio.charset.StandardCharsets;
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
      byte[] text = ValueType.text(value).getBytes(StandardCharsets.UTF_8);
      ensure(text.length + 5);
      System.arraycopy(text, 0, buffer, length, text.length);
      length += text.length;
      // The length after the text keeps tuples unambiguous whatever bytes the text holds.
      put((byte) (text.length >>> 24));
      put((byte) (text.length >>> 16));
      put((byte) (text.length >>> 8));
      put((byte) text.length);
    }
    return this;
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
