package io.dataops.pipelines.privacy;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import io.dataops.pipelines.detect.PersonalDataDetector;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The raw identifiers an output value gives back through a check character: a resident ID number (GB 11643) or a bank
 * card number (Luhn) that equals the value except for its check character (hidden, changed or, for an ID number, left
 * out: the body recomputes it) or except for one other hidden character (the check character solves for it). "Hidden" is any character that
 * cannot stand where it is (a mask character). Two or more unknowns leave ten or more candidates: not one identifier.
 * A value whose own check character is valid is not a candidate: it is either the raw value (the equality test) or an
 * identifier shape (the shape test).
 */
final class Rebuildable {
  private Rebuildable() {}

  /** At least this many digits: a bank card has 12 to 19, of which one may be hidden; an ID number 17 or 18. */
  static final int MIN_DIGITS = 11;
  /** At most this many characters: 19 card digits and a separator every four. */
  static final int MAX_LENGTH = 24;

  /** Receives a rebuilt identifier as its ASCII bytes (a rebuilt identifier is digits, separators and X only). */
  @FunctionalInterface
  interface Sink {
    /** {@code ascii} is valid during the call only. */
    void accept(byte[] ascii, int length);
  }

  /** Gives each identifier {@code v} rebuilds (at most two: one as an ID number, one as a bank card). */
  static void candidates(CharSequence v, Consumer<String> out) {
    asciiCandidates(v, (ascii, n) -> out.accept(new String(ascii, 0, n, StandardCharsets.ISO_8859_1)));
  }

  /**
   * The same as bytes, without a String per candidate: this runs for every output value with 11 digits or more (a
   * 12-digit region code in every row gives a bank-card candidate nine times in ten), and the leak check hashes the
   * bytes as they are; a String is made only for the rare candidate that hits its filter.
   */
  static void asciiCandidates(CharSequence v, Sink out) {
    int length = v.length();
    if (length < 12 || length > MAX_LENGTH) {
      return;
    }
    byte[] asId = null;
    if (length == 18) {
      asId = idCard(v);
    } else if (length == 17 && digitsOnly(v)) {
      asId = new byte[18]; // the body alone
      for (int i = 0; i < 17; i++) {
        asId[i] = (byte) v.charAt(i);
      }
      asId[17] = (byte) PrcIdentifiers.idCardCheckChar(v);
    }
    if (asId != null) {
      out.accept(asId, 18);
    }
    byte[] card = bankCard(v);
    // 17 digits and a check the two rules agree on: one identifier, not two
    if (card != null && !java.util.Arrays.equals(card, asId)) {
      out.accept(card, length);
    }
  }

  /** The ID number {@code v} (18 characters) gives back, as ASCII, or null. */
  private static byte[] idCard(CharSequence v) {
    int unknown = -1;
    for (int i = 0; i < 18; i++) {
      char c = v.charAt(i);
      boolean fits = c >= '0' && c <= '9' || i == 17 && (c == 'X' || c == 'x');
      if (!fits) {
        if (unknown >= 0) {
          return null;
        }
        unknown = i;
      }
    }
    StringBuilder id = new StringBuilder(v);
    if (unknown < 0 || unknown == 17) {
      char check = PrcIdentifiers.idCardCheckChar(id);
      if (Character.toUpperCase(id.charAt(17)) != check) {
        id.setCharAt(17, check);
        return ascii(id);
      }
      return null;
    }
    for (char d = '0'; d <= '9'; d++) {
      id.setCharAt(unknown, d);
      if (PrcIdentifiers.hasValidIdCardCheckChar(id)) {
        return ascii(id); // a single hidden digit has exactly one value that fits the check character
      }
    }
    return null;
  }

  private static byte[] ascii(CharSequence s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }

  /** The bank card number {@code v} gives back, as ASCII (its separators kept), or null. */
  private static byte[] bankCard(CharSequence v) {
    int length = v.length();
    int n = 0;
    int unknown = -1;
    for (int i = 0; i < length; i++) {
      char c = v.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      if (c < '0' || c > '9') {
        if (unknown >= 0) {
          return null;
        }
        unknown = n;
      }
      n++;
    }
    if (n < 12 || n > 19) {
      return null;
    }
    int target = unknown >= 0 ? unknown : n - 1; // with no unknown: the check digit was changed
    // The Luhn sum without the target, then the target's digit solved for: the digit's Luhn weight maps 0-9 onto 0-9,
    // so exactly one digit fits (no String per tried digit).
    boolean doubled = (n - 1 - target) % 2 == 1;
    int rest = 0;
    int targetAt = -1;
    int k = 0;
    for (int i = 0; i < length; i++) {
      char c = v.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      if (k == target) {
        targetAt = i;
      } else {
        rest += luhnWeight(c - '0', (n - 1 - k) % 2 == 1);
      }
      k++;
    }
    if (unknown < 0 && (rest + luhnWeight(v.charAt(targetAt) - '0', doubled)) % 10 == 0) {
      return null;
    }
    for (int d = 0; d <= 9; d++) {
      if ((rest + luhnWeight(d, doubled)) % 10 == 0) {
        // Differs from v: either v's check digit failed (so d is another digit) or v hid this character.
        byte[] card = new byte[length];
        for (int i = 0; i < length; i++) {
          card[i] = (byte) v.charAt(i);
        }
        card[targetAt] = (byte) ('0' + d);
        return card;
      }
    }
    return null;
  }

  /** A digit's share of the Luhn sum (as {@link PersonalDataDetector#luhn} adds it). */
  private static int luhnWeight(int digit, boolean doubled) {
    if (!doubled) {
      return digit;
    }
    int d = digit * 2;
    return d > 9 ? d - 9 : d;
  }

  private static boolean digitsOnly(CharSequence v) {
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
