package io.dataops.lakehouse.identifiers;

/**
 * Finds a PRC resident ID number (18 characters with a known province code, a birth date since 1900 and a valid check
 * character; an all-digit credit code beginning with 9 is not one) or a mainland
 * mobile number (11 digits starting 13-19) anywhere in a text, not adjacent to other digits: the shapes that must
 * not appear in a product column unless its policy keeps them on purpose, nor unmasked in a quality report of a column
 * its contract does not call personal.
 */
public final class IdentifierPatterns {
  private IdentifierPatterns() {}

  public enum Found { NONE, ID_CARD, MOBILE }

  public static Found find(CharSequence s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        i++;
        continue;
      }
      int start = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      int digits = i - start;
      boolean xEnd = digits == 17 && i < n && (s.charAt(i) == 'X' || s.charAt(i) == 'x');
      if (digits == 18 || xEnd) {
        CharSequence id = s.subSequence(start, start + 18);
        java.time.LocalDate born = PrcIdentifiers.idCardBirthDate(id);
        if (PrcIdentifiers.hasKnownProvince(id) && born != null && born.getYear() >= 1900
            && PrcIdentifiers.hasValidIdCardCheckChar(id)) {
          return Found.ID_CARD;
        }
      }
      if (digits == 11 && s.charAt(start) == '1' && s.charAt(start + 1) >= '3') {
        return Found.MOBILE;
      }
      if (xEnd) {
        i++;
      }
    }
    return Found.NONE;
  }

  /**
   * Whether a free text holds a resident ID, mobile or bank card number also as people write them: digit groups joined
   * by short runs of spaces, hyphens, dots, slashes, underscores or parentheses, a mobile after the country code
   * ({@code +86 138-0013-8000}, {@code 0086…}, {@code (135) 1234 5678}), full-width digits, a bank card as 16 to 19
   * digits with a valid Luhn check digit, grouped or not, an ID number among longer digits or in its old 15-digit form.
   * For masking values shown in reports (found by a probe: such numbers were shown whole), where masking a number that
   * only looks like one costs nothing; a product's leak check uses {@link #identifierInWrittenForms}, without bank
   * cards, embedded or old ID numbers (those it tests by equality with the raw values).
   */
  public static boolean inText(CharSequence s) {
    return find(s) != Found.NONE || inWrittenForms(s);
  }

  /**
   * The part of {@link #inText} that {@link #find} does not cover: digit groups joined by separators, a country code,
   * full-width digits, a bank card number, an ID number among longer digits or of 15 digits (for a caller that ran
   * {@link #find} already).
   */
  public static boolean inWrittenForms(CharSequence s) {
    return writtenDigitRuns(s, 11, IN_REPORTS);
  }

  /**
   * A resident ID or mobile number in the written forms of {@link #inWrittenForms}, bank cards, ID numbers among longer
   * digits and old 15-digit ones aside: a product's leak check refuses a run for it (found by a probe:
   * {@code tel:139-3967-1729} and an ID number written in three groups passed a kept free-text column). A bank card's
   * Luhn digit holds for one number in ten, and some 18 digits of a 20-digit code fit an ID number's shape about once
   * in 20,000 codes, so a product's long numbers would refuse its runs; those stay tested by equality with the raw
   * values.
   */
  public static boolean identifierInWrittenForms(CharSequence s) {
    return writtenDigitRuns(s, 11, IN_PRODUCTS);
  }

  /** Receives a digit run of {@link #writtenDigitRuns}; true to stop there. */
  @FunctionalInterface
  public interface DigitRun {
    /**
     * @param digits the run's digits, ASCII (full-width ones converted), without its joiners; reused for the next run
     * @param xEnd whether an X (or x, or its full-width form) follows the last digit
     */
    boolean accept(CharSequence digits, boolean xEnd);
  }

  /** At most this many joiners between two digit groups: {@code ") "} in {@code (135) 1234 5678}, {@code " / "}. */
  private static final int MAX_JOINERS = 3;

  /**
   * Gives each run of digits of {@code s} as people write them, when {@code s} has at least {@code minDigits} digits
   * (ASCII or full-width) in all: groups joined by up to {@value #MAX_JOINERS} joiners (space, ideographic space,
   * {@code - . / _ ( )}) followed by a digit. True when {@code run} stopped. Allocates one builder, and only past the
   * digit count: it runs on every text value of a product.
   */
  public static boolean writtenDigitRuns(CharSequence s, int minDigits, DigitRun run) {
    int n = s.length();
    int total = 0;
    for (int i = 0; i < n && total < minDigits; i++) {
      total += digit(s.charAt(i)) ? 1 : 0;
    }
    if (total < minDigits) {
      return false; // e.g. a mobile has 11 digits, the shortest of them all
    }
    StringBuilder digits = new StringBuilder();
    int i = 0;
    while (i < n) {
      if (!digit(s.charAt(i))) {
        i++;
        continue;
      }
      digits.setLength(0);
      while (i < n) {
        char c = s.charAt(i);
        if (digit(c)) {
          digits.append(ascii(c));
          i++;
          continue;
        }
        int j = i;
        while (j < n && j - i < MAX_JOINERS && joiner(s.charAt(j))) {
          j++;
        }
        if (j == i || j == n || !digit(s.charAt(j))) {
          break; // not a joiner, or joiners that lead to no digit (a date's "13:30", a sentence's end)
        }
        i = j;
      }
      boolean xEnd = i < n && (s.charAt(i) == 'X' || s.charAt(i) == 'x' || s.charAt(i) == 'Ｘ' || s.charAt(i) == 'ｘ');
      if (run.accept(digits, xEnd)) {
        return true;
      }
    }
    return false;
  }

  private static final DigitRun IN_REPORTS = (digits, xEnd) -> identifies(digits, xEnd, true);
  private static final DigitRun IN_PRODUCTS = (digits, xEnd) -> identifies(digits, xEnd, false);

  /** {@code reports}: also bank cards, ID numbers among longer digits and old 15-digit ID numbers. */
  private static boolean identifies(CharSequence digits, boolean xEnd, boolean reports) {
    String v = digits.toString();
    String national = v.startsWith("0086") ? v.substring(4) : v.length() == 13 && v.startsWith("86") ? v.substring(2)
        : v;
    if (PrcIdentifiers.isMainlandMobile(national)) {
      return true;
    }
    String id = xEnd && v.length() == 17 ? v + "X" : v;
    if (id.length() == 18 && find(id) == Found.ID_CARD) {
      return true;
    }
    if (!reports) {
      return false;
    }
    if (v.length() >= 16 && v.length() <= 19 && PrcIdentifiers.luhn(v)) {
      return true;
    }
    for (int at = 0; v.length() > 18 && at + 18 <= v.length(); at++) {
      if (idAt(v, at, false)) {
        return true; // an ID number among other digits ("No4201…3215"): masked, where a false alarm costs nothing
      }
    }
    if (xEnd && v.length() > 17 && idAt(v, v.length() - 17, true)) {
      return true;
    }
    return v.length() == 15 && oldIdCard(v);
  }

  /**
   * Whether the 18 characters of {@code v} from {@code at} (the last an X when {@code x}: 17 digits only) are an ID
   * number; most windows of a long number fail a first look at province, century, month and day, without a String.
   */
  private static boolean idAt(String v, int at, boolean x) {
    char p = v.charAt(at);
    char century = v.charAt(at + 7);
    boolean plausible = p >= '1' && p <= '8' && (v.charAt(at + 6) == '1' && century == '9'
        || v.charAt(at + 6) == '2' && century == '0') && v.charAt(at + 10) <= '1' && v.charAt(at + 12) <= '3';
    return plausible && find(x ? v.substring(at, at + 17) + "X" : v.substring(at, at + 18)) == Found.ID_CARD;
  }

  /**
   * A 15-digit ID number of before 1999: a known province, a birth date YYMMDD of the 1900s, three digits, no check
   * character.
   */
  private static boolean oldIdCard(String v) {
    return PrcIdentifiers.hasKnownProvince(v)
        && PrcIdentifiers.idCardBirthDate(PrcIdentifiers.upgradedIdCard(v)) != null;
  }

  /**
   * Characters people (or a copy and paste) put between the digit groups of a number: spaces of every width, the
   * invisible ones (zero-width space and joiners, word joiner, byte-order mark: found by a probe, a zero-width space
   * split a raw ID past the check), hyphens and dashes, dots, slashes, underscores, parentheses, and their full-width
   * forms.
   */
  private static boolean joiner(char c) {
    return switch (c) {
      case ' ', '-', '.', '/', '_', '(', ')', '\u00A0', '\u2007', '\u202F', '\u3000', '\u200B', '\u200C', '\u200D',
          '\u2060', '\uFEFF', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\uFF08', '\uFF09', '\uFF0D', '\uFF0E',
          '\uFF0F', '\uFF3F' -> true;
      default -> false;
    };
  }

  /**
   * A decimal digit of any script: ASCII, full-width (people type １３８… in Chinese text), Arabic-Indic (٣٨٠…, a
   * probe's mobile number) and the others Unicode counts as digits.
   */
  private static boolean digit(char c) {
    return c >= '0' && c <= '9' || c >= '\u0660' && Character.isDigit(c);
  }

  private static char ascii(char digit) {
    return digit <= '9' ? digit : (char) ('0' + Character.digit(digit, 10));
  }
}
