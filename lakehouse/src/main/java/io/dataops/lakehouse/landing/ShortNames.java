package io.dataops.lakehouse.landing;

import io.dataops.core.digest.Digests;
import java.nio.charset.StandardCharsets;

/**
 * A name cut short to fit a limit, the same in every run: its start, cut at a character boundary, then '~' and 16 hex
 * digits of the SHA-256 of what it stands for. The bucket intake files an over-long key under such a name; a landing
 * names an over-long feed by one in its audit event.
 */
final class ShortNames {
  /** The length of the tail that replaces the cut: '~' and 16 hex digits. */
  static final int TAIL = 17;

  private ShortNames() {}

  /** How a limit is counted. */
  enum Measure {
    UTF8_BYTES, CHARS;

    int of(String s) {
      return this == CHARS ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
    }
  }

  /**
   * {@code name} cut to at most {@code keep} (counted by {@code measure}; at least 1), followed by the tail made of
   * {@code whole}'s digest: {@code keep + 17} at most in all.
   */
  static String cut(String name, int keep, Measure measure, String whole) {
    StringBuilder start = new StringBuilder();
    int used = 0;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int len = measure.of(new String(Character.toChars(cp)));
      if (used + len > keep) {
        break;
      }
      start.appendCodePoint(cp);
      used += len;
      i += Character.charCount(cp);
    }
    return start + "~" + Digests.sha256(whole).substring(0, 16);
  }

  /** {@code name} if it takes at most {@code room}, else {@link #cut} to {@code room} in all. */
  static String fitted(String name, int room, Measure measure) {
    return measure.of(name) <= room ? name : cut(name, room - TAIL, measure, name);
  }
}
