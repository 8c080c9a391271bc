package io.dataops.pipelines.privacy;

import io.dataops.lakehouse.identifiers.IdentifierPatterns;
import io.dataops.lakehouse.identifiers.PrcIdentifiers;
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

  /** Gives each identifier {@code v} rebuilds (at most two: one as an ID number, one as a bank card). */
  static void candidates(CharSequence v, Consumer<String> out) {
    if (v.length() < 12 || v.length() > MAX_LENGTH) {
      return;
    }
    String[] asId = new String[1];
    if (v.length() == 18) {
      idCard(v, id -> asId[0] = id);
    } else if (v.length() == 17 && digitsOnly(v)) {
      asId[0] = v + String.valueOf(PrcIdentifiers.idCardCheckChar(v)); // the body alone
    }
    if (asId[0] != null) {
      out.accept(asId[0]);
    }
    bankCard(v, card -> {
      if (!card.equals(asId[0])) { // 17 digits and a check the two rules agree on: one identifier, not two
        out.accept(card);
      }
    });
  }

  /** At least this many digits for {@link #embedded}: an old ID number has 15. */
  static final int EMBEDDED_MIN_DIGITS = 15;
  /** A mobile number's digits: fewer than {@link #EMBEDDED_MIN_DIGITS}, looked at only when written as an amount. */
  static final int MOBILE_DIGITS = 11;
  /** At least this many characters for {@link #embedded}: a mobile's 11 digits and 3 thousands commas. */
  static final int EMBEDDED_MIN_LENGTH = MOBILE_DIGITS + 3;
  /** At most this many identifiers {@link #embedded} gives per value: bounded work for a value of many digits. */
  static final int MAX_EMBEDDED = 64;

  /**
   * Gives the ID numbers a value may hold where the shape test cannot see them (found by a probe: an ID number
   * followed by one more digit passed): every 18 characters of a digit run longer than that (a trailing X counted as
   * the 18th), and a run of exactly 15 digits as the 18-digit number an old ID number became ("19" inserted after the
   * area code, the check character appended). Some 18 digits of a 20-digit code fit an ID number's shape once in
   * 20,000 codes, so these are not shapes: they are tested for equality with the raw values only. Likewise a mobile
   * number written as an amount ({@code 13,800,138,000}: the shape test reads it as a sum, which a free text may well
   * hold), given as its 11 digits ({@link #MOBILE_DIGITS} long, unlike the ID numbers). Digits as people write them
   * ({@link IdentifierPatterns#writtenDigitRuns}); for values of any length, at most {@link #MAX_EMBEDDED} distinct
   * ones each.
   */
  static void embedded(CharSequence v, Consumer<String> out) {
    if (v.length() < EMBEDDED_MIN_LENGTH || !IdentifierPatterns.hasDigits(v, EMBEDDED_MIN_DIGITS, MOBILE_DIGITS)) {
      return; // most values (names, codes, dates, plain numbers): nothing allocated
    }
    java.util.List<String> given = new java.util.ArrayList<>(0); // no array until a run of enough digits gives one
    IdentifierPatterns.writtenDigitRuns(v, EMBEDDED_MIN_DIGITS, MOBILE_DIGITS, (digits, xEnd, amount) -> {
      int n = digits.length();
      if (amount && n == MOBILE_DIGITS && PrcIdentifiers.isMainlandMobile(digits)) {
        give(digits.toString(), given, out);
      }
      if (n == 15) {
        give(PrcIdentifiers.upgradedIdCard(digits), given, out);
      }
      for (int at = 0; n > 18 && at + 18 <= n && given.size() < MAX_EMBEDDED; at++) {
        give(digits.subSequence(at, at + 18).toString(), given, out);
      }
      if (xEnd && n > 17) {
        give(digits.subSequence(n - 17, n) + "X", given, out);
      }
      return given.size() >= MAX_EMBEDDED;
    });
  }

  /** Gives {@code id} unless this value gave it already (a repeated window is one identifier, counted once). */
  private static void give(String id, java.util.List<String> given, Consumer<String> out) {
    if (given.size() < MAX_EMBEDDED && !given.contains(id)) {
      given.add(id);
      out.accept(id);
    }
  }

  private static void idCard(CharSequence v, Consumer<String> out) {
    int unknown = -1;
    for (int i = 0; i < 18; i++) {
      char c = v.charAt(i);
      boolean fits = c >= '0' && c <= '9' || i == 17 && (c == 'X' || c == 'x');
      if (!fits) {
        if (unknown >= 0) {
          return;
        }
        unknown = i;
      }
    }
    StringBuilder id = new StringBuilder(v);
    if (unknown < 0 || unknown == 17) {
      char check = PrcIdentifiers.idCardCheckChar(id);
      if (Character.toUpperCase(id.charAt(17)) != check) {
        id.setCharAt(17, check);
        out.accept(id.toString());
      }
      return;
    }
    for (char d = '0'; d <= '9'; d++) {
      id.setCharAt(unknown, d);
      if (PrcIdentifiers.hasValidIdCardCheckChar(id)) {
        out.accept(id.toString()); // a single hidden digit has exactly one value that fits the check character
        return;
      }
    }
  }

  private static void bankCard(CharSequence v, Consumer<String> out) {
    int[] slots = new int[MAX_LENGTH];
    int n = 0;
    int unknown = -1;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      if (c < '0' || c > '9') {
        if (unknown >= 0) {
          return;
        }
        unknown = n;
      }
      slots[n++] = i;
    }
    if (n < 12 || n > 19) {
      return;
    }
    int target = unknown >= 0 ? unknown : n - 1; // with no unknown: the check digit was changed
    // The Luhn sum without the target, then the target's digit solved for: the digit's Luhn weight maps 0-9 onto 0-9,
    // so exactly one digit fits (this runs for every long digit string of the product, e.g. a 12-digit region code:
    // no String per tried digit).
    boolean doubled = (n - 1 - target) % 2 == 1;
    int rest = 0;
    for (int k = 0; k < n; k++) {
      if (k != target) {
        rest += luhnWeight(v.charAt(slots[k]) - '0', (n - 1 - k) % 2 == 1);
      }
    }
    if (unknown < 0 && (rest + luhnWeight(v.charAt(slots[target]) - '0', doubled)) % 10 == 0) {
      return;
    }
    for (int d = 0; d <= 9; d++) {
      if ((rest + luhnWeight(d, doubled)) % 10 == 0) {
        StringBuilder card = new StringBuilder(v);
        card.setCharAt(slots[target], (char) ('0' + d));
        if (!card.toString().contentEquals(v)) {
          out.accept(card.toString());
        }
        return;
      }
    }
  }

  /** A digit's share of the Luhn sum (as {@link PrcIdentifiers#luhn} adds it). */
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
