package io.dataops.lakehouse.identifiers;

/**
 * Finds a PRC resident ID number (18 characters with a known province code, a birth date since 1900 and a valid check
 * character; an all-digit credit code beginning with 9 is not one) or a mainland
 * mobile number (11 digits starting 13-19) anywhere in a text, not adjacent to other digits: the shapes that must
 * not appear in a product column unless its policy keeps them on purpose. What a report or preview masks
 * ({@link #findToMask}, {@link #inText}) also takes an ID number whose check character is wrong or missing.
 */
public final class IdentifierPatterns {
  private IdentifierPatterns() {}

  public enum Found { NONE, ID_CARD, MOBILE }

  public static Found find(CharSequence s) {
    return find(s, false);
  }

  /**
   * {@link #find}, also taking for an ID number 18 characters of its shape (17 digits, then a digit or X) whose check
   * character is wrong, and a run of 17 digits with a known province and a birth date: for masking a value a report or
   * a preview shows, where a false alarm only hides a few digits. Found by a probe: {@code 44030419900101123x} with a
   * wrong check character, or the 17 digits alone, were shown whole, and the first 17 digits are the person (region,
   * birth date, sequence; the check character follows from them). A product's leak check keeps {@link #find}: there a
   * false alarm fails the whole run, a product's 18-digit codes (an area code, a date, a sequence) would trip it
   * eleven times as often, and raw ID numbers with their check character changed or left out are caught by
   * comparison with the raw values.
   */
  public static Found findToMask(CharSequence s) {
    return find(s, true);
  }

  /** {@code anyCheckChar}: {@link #findToMask}. */
  private static Found find(CharSequence s, boolean anyCheckChar) {
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
      if ((digits == 18 || xEnd) && plausibleIdBody(s, start)
          && (anyCheckChar || PrcIdentifiers.hasValidIdCardCheckChar(s.subSequence(start, start + 18)))) {
        return Found.ID_CARD;
      }
      if (anyCheckChar && digits == 17 && plausibleIdBody(s, start)) {
        return Found.ID_CARD; // the check character left out (or not a digit nor X)
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
   * Whether the 17 digits of {@code s} from {@code start} begin as an ID number does: a known province code, then (from
   * the seventh) a real birth date since 1900.
   */
  private static boolean plausibleIdBody(CharSequence s, int start) {
    if (!PrcIdentifiers.hasKnownProvince(s.subSequence(start, start + 2))) {
      return false;
    }
    int year = Integer.parseInt(s, start + 6, start + 10, 10);
    if (year < 1900) {
      return false;
    }
    try {
      java.time.LocalDate.of(year, Integer.parseInt(s, start + 10, start + 12, 10),
          Integer.parseInt(s, start + 12, start + 14, 10));
      return true;
    } catch (java.time.DateTimeException e) {
      return false; // no such day: an order number, a code
    }
  }

  /**
   * Whether a free text holds a resident ID, mobile or bank card number also as people write them: digit groups joined
   * by short runs of spaces, hyphens, dots, slashes, underscores, parentheses or commas, a mobile after the country code
   * ({@code +86 138-0013-8000}, {@code 0086…}, {@code (135) 1234 5678}), digits of any script or Chinese numerals
   * ({@link #isDigit}), a bank card as 16 to 19 digits with a valid Luhn check digit or UnionPay's 62 first, grouped
   * or not, an ID number among longer digits or in its old 15-digit form, and one whose check character is wrong or
   * missing ({@link #findToMask}).
   * For masking values shown in reports (found by a probe: such numbers were shown whole), where masking a number that
   * only looks like one costs nothing; a product's leak check uses {@link #identifierInWrittenForms}, without bank
   * cards, embedded or old ID numbers, nor ID numbers failing their check character (those it tests by equality with
   * the raw values).
   */
  public static boolean inText(CharSequence s) {
    return findToMask(s) != Found.NONE || inWrittenForms(s);
  }

  /**
   * The part of {@link #inText} that {@link #find} does not cover: digit groups joined by separators, a country code,
   * digits beyond ASCII, a bank card number, an ID number among longer digits or of 15 digits (for a caller that ran
   * {@link #find} already).
   */
  public static boolean inWrittenForms(CharSequence s) {
    return hasDigits(s, 11, 11) && writtenRuns(s, IN_REPORTS);
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
    return hasDigits(s, 11, 11) && writtenRuns(s, IN_PRODUCTS);
  }

  /**
   * {@code s} with every decimal digit of any script hidden, and the Chinese numerals of each digit run that
   * {@link #inWrittenForms} finds an identifier in: for a report of a text that holds one ({@link #inText}). A numeral
   * outside such a run is part of a word (九龙, 一定) and stays. A digit outside the run is hidden all the same: a report
   * loses little by it, and a number close to the identifier may be part of it.
   */
  public static String hideDigits(String s, char mask) {
    boolean[] inRun = new boolean[s.length()];
    if (hasDigits(s, 11, 11)) {
      writtenRuns(s, (digits, xEnd, amount, start, end) -> {
        if (identifies(digits, xEnd, false, true)) {
          java.util.Arrays.fill(inRun, start, end, true);
        }
        return false;
      });
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean hide = Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER || inRun[i] && chineseNumeral(cp) >= 0;
      if (hide) {
        out.append(mask);
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** Receives a digit run of {@link #writtenDigitRuns}; true to stop there. */
  @FunctionalInterface
  public interface DigitRun {
    /**
     * @param digits the run's digits, ASCII (digits of other scripts and Chinese numerals converted), without its
     *     joiners; reused for the next run
     * @param xEnd whether an X (or x, or its full-width form) follows the last digit
     * @param amount whether the run is written as an amount: groups of three after the first (of one to three), each
     *     joined by a single comma, ASCII or full-width ({@code 13,800,138,000})
     */
    boolean accept(CharSequence digits, boolean xEnd, boolean amount);
  }

  /** {@link DigitRun} and where the run is in the text: from its first digit to its last (exclusive). */
  @FunctionalInterface
  private interface PlacedRun {
    boolean accept(CharSequence digits, boolean xEnd, boolean amount, int start, int end);
  }

  /** At most this many joiners between two digit groups: {@code ") "} in {@code (135) 1234 5678}, {@code " / "}. */
  private static final int MAX_JOINERS = 3;

  /**
   * Gives each run of digits of {@code s} as people write them, when {@code s} has at least {@code minDigits} digits
   * ({@link #isDigit}: of any script, or Chinese numerals) in all: groups joined by up to {@value #MAX_JOINERS}
   * joiners ({@link #isJoiner}) followed by a digit. True when {@code run} stopped. Allocates one builder, and only
   * past the digit count: it runs on every text value of a product.
   */
  public static boolean writtenDigitRuns(CharSequence s, int minDigits, DigitRun run) {
    return writtenDigitRuns(s, minDigits, minDigits, run);
  }

  /**
   * {@link #writtenDigitRuns}, also when {@code s} has fewer than {@code minDigits} digits but at least {@code
   * amountDigits} and a comma (ASCII or full-width): for a caller that wants shorter runs only when written as an
   * amount ({@code 13,800,138,000}). Whether {@code s} qualifies is {@link #hasDigits}.
   */
  public static boolean writtenDigitRuns(CharSequence s, int minDigits, int amountDigits, DigitRun run) {
    return hasDigits(s, minDigits, amountDigits)
        && writtenRuns(s, (digits, xEnd, amount, start, end) -> run.accept(digits, xEnd, amount));
  }

  /**
   * Whether {@code s} has at least {@code minDigits} digits ({@link #isDigit}), or at least {@code amountDigits} and a
   * comma, ASCII or full-width, as an amount has (the run it forms is then looked at by {@link #writtenDigitRuns}).
   * Allocates nothing: a caller tests every text value with it before doing anything that does.
   */
  public static boolean hasDigits(CharSequence s, int minDigits, int amountDigits) {
    int n = s.length();
    int total = 0;
    boolean comma = false;
    for (int i = 0; i < n && total < minDigits; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        total++;
      } else if (c == ',') {
        comma = true;
      } else if (c >= '\u0660') { // below it no digit beyond ASCII: plain text costs a comparison per character
        comma |= c == '\uFF0C';
        total += isDigit(Character.isHighSurrogate(c) ? Character.codePointAt(s, i) : c) ? 1 : 0;
      }
    }
    return total >= minDigits || comma && total >= amountDigits;
  }

  /**
   * Gives each run of digits of {@code s} as people write them ({@link #writtenDigitRuns}, without the digit count),
   * saying whether it is written as an amount and where it is. True when {@code run} stopped.
   */
  private static boolean writtenRuns(CharSequence s, PlacedRun run) {
    int n = s.length();
    StringBuilder digits = new StringBuilder();
    int i = 0;
    while (i < n) {
      int first = Character.codePointAt(s, i);
      if (!isDigit(first)) {
        i += Character.charCount(first);
        continue;
      }
      digits.setLength(0);
      int start = i;
      int group = 0;
      boolean amount = true;
      boolean joined = false;
      while (i < n) {
        int cp = Character.codePointAt(s, i);
        if (isDigit(cp)) {
          digits.append(asciiDigit(cp));
          group++;
          i += Character.charCount(cp);
          continue;
        }
        int j = i;
        while (j < n && j - i < MAX_JOINERS && isJoiner(s.charAt(j))) {
          j++;
        }
        if (j == i || j == n || !isDigit(Character.codePointAt(s, j))) {
          break; // not a joiner, or joiners that lead to no digit (a date's "13:30", a sentence's end)
        }
        char joiner = s.charAt(i);
        amount &= j == i + 1 && (joiner == ',' || joiner == '\uFF0C') && (joined ? group == 3 : group <= 3);
        joined = true;
        group = 0;
        i = j;
      }
      amount &= joined && group == 3;
      boolean xEnd = i < n && (s.charAt(i) == 'X' || s.charAt(i) == 'x' || s.charAt(i) == 'Ｘ' || s.charAt(i) == 'ｘ');
      if (run.accept(digits, xEnd, amount, start, i)) {
        return true;
      }
    }
    return false;
  }

  private static final PlacedRun IN_REPORTS = (digits, xEnd, amount, start, end) -> identifies(digits, xEnd, false,
      true);
  private static final PlacedRun IN_PRODUCTS = (digits, xEnd, amount, start, end) -> identifies(digits, xEnd, amount,
      false);

  /**
   * The prefix of China UnionPay's cards, nearly every card issued in the mainland: in a report, 16 to 19 digits
   * starting so are masked whatever their Luhn digit (found by a probe: a card number with one wrong digit, the very
   * value a card rule fails, was shown whole). Visa's 4 and Mastercard's 5 would take one long number in five.
   */
  private static final String UNIONPAY = "62";

  /**
   * {@code reports}: also bank cards, ID numbers whatever their check character ({@link #findToMask}), among longer
   * digits and old 15-digit ID numbers. {@code amount}: not a mobile number (13,800,138,000 yuan is a sum a free text
   * may well hold; an ID number of 18 digits is no sum).
   */
  private static boolean identifies(CharSequence digits, boolean xEnd, boolean amount, boolean reports) {
    String v = digits.toString();
    String national = v.startsWith("0086") ? v.substring(4) : v.length() == 13 && v.startsWith("86") ? v.substring(2)
        : v;
    if (!amount && PrcIdentifiers.isMainlandMobile(national)) {
      return true;
    }
    String id = xEnd && v.length() == 17 ? v + "X" : v;
    if ((id.length() == 18 || reports && id.length() == 17) && find(id, reports) == Found.ID_CARD) {
      return true; // in reports, whatever its check character, or without it (findToMask)
    }
    if (!reports) {
      return false;
    }
    if (v.length() >= 16 && v.length() <= 19 && (PrcIdentifiers.luhn(v) || v.startsWith(UNIONPAY))) {
      return true; // a card number with a wrong digit is still a person's, as an ID number with a wrong check character
    }
    for (int at = 0; v.length() > 18 && at + 18 <= v.length(); at++) {
      if (idAt(v, at, false)) {
        return true; // an ID number among other digits ("No4201…3215"): masked, where a false alarm costs nothing
      }
    }
    if (v.length() > 17 && idAt(v, v.length() - 17, true)) {
      return true; // the last 17 digits: an ID number without its check character, or with an X after them
    }
    return v.length() == 15 && oldIdCard(v);
  }

  /**
   * Whether the 18 digits of {@code v} from {@code at} (17 only when {@code body}) are an ID number to mask
   * ({@link #findToMask}: whatever the check character); most windows of a long number fail a first look at province,
   * century, month and day, without a String.
   */
  private static boolean idAt(String v, int at, boolean body) {
    char p = v.charAt(at);
    char century = v.charAt(at + 7);
    boolean plausible = p >= '1' && p <= '8' && (v.charAt(at + 6) == '1' && century == '9'
        || v.charAt(at + 6) == '2' && century == '0') && v.charAt(at + 10) <= '1' && v.charAt(at + 12) <= '3';
    return plausible && find(v.substring(at, at + (body ? 17 : 18)), true) == Found.ID_CARD;
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
   * split a raw ID past the check), hyphens and dashes, dots, slashes, underscores, parentheses, commas (ASCII,
   * full-width, the enumeration comma and their small forms: found by a probe, an ID number in groups joined by
   * commas passed), and their full-width forms. Public for a caller that pre-scans bytes for what may need decoding.
   */
  public static boolean isJoiner(int c) {
    return switch (c) {
      case ' ', '-', '.', '/', '_', '(', ')', ',', '\u00A0', '\u2007', '\u202F', '\u3000', '\u200B', '\u200C',
          '\u200D', '\u2060', '\uFEFF', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\uFF08', '\uFF09',
          '\uFF0D', '\uFF0E', '\uFF0F', '\uFF3F', '\uFF0C', '\u3001', '\uFE50', '\uFE51' -> true;
      default -> false;
    };
  }

  /**
   * A decimal digit as people write one: of any script, by code point (ASCII; full-width, as typed in Chinese text;
   * Arabic-Indic, a probe's mobile number; the mathematical digits beyond the first 65,536 code points, a probe's ID
   * number), and the Chinese numerals 〇一二三四五六七八九 (a probe's ID number). A numeral among Chinese text is a
   * digit only to the runs it forms: a run identifies someone only at an identifier's full length and shape.
   */
  public static boolean isDigit(int cp) {
    if (cp < '\u0660') {
      return cp >= '0' && cp <= '9';
    }
    if (cp >= '\u3400' && cp <= '\u9FFF') {
      return chineseNumeral(cp) >= 0; // the ideographs, most of a Chinese text: no other digit among them
    }
    return cp == '〇' || Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER;
  }

  /** The value of a Chinese numeral 〇 to 九, or -1. */
  private static int chineseNumeral(int cp) {
    return switch (cp) {
      case '〇' -> 0;
      case '一' -> 1;
      case '二' -> 2;
      case '三' -> 3;
      case '四' -> 4;
      case '五' -> 5;
      case '六' -> 6;
      case '七' -> 7;
      case '八' -> 8;
      case '九' -> 9;
      default -> -1;
    };
  }

  private static char asciiDigit(int cp) {
    if (cp <= '9') {
      return (char) cp;
    }
    int numeral = chineseNumeral(cp);
    return (char) ('0' + (numeral >= 0 ? numeral : Character.digit(cp, 10)));
  }
}
