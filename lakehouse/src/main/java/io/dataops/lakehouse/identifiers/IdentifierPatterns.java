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
   * by single spaces, hyphens or dots, a mobile after the country code ({@code +86 138-0013-8000}, {@code 0086…}),
   * full-width digits, a bank card as 16 to 19 digits with a valid Luhn check digit, grouped or not. For masking
   * values shown in reports (found by a probe: such numbers were shown whole), where masking a number that only looks
   * like one costs nothing; a product's leak check uses {@link #identifierInWrittenForms}, without bank cards.
   */
  public static boolean inText(CharSequence s) {
    return find(s) != Found.NONE || inWrittenForms(s);
  }

  /**
   * The part of {@link #inText} that {@link #find} does not cover: digit groups joined by single separators, a country
   * code, full-width digits, a bank card number (for a caller that ran {@link #find} already).
   */
  public static boolean inWrittenForms(CharSequence s) {
    return inWrittenForms(s, true);
  }

  /**
   * A resident ID or mobile number in the written forms of {@link #inWrittenForms}, bank cards aside: a product's leak
   * check refuses a run for it (found by a probe: {@code tel:139-3967-1729} and an ID number written in three groups
   * passed a kept free-text column). A bank card's Luhn digit holds for one number in ten, so any long number of a
   * product would refuse its run one time in ten; bank cards stay tested by equality with the raw values.
   */
  public static boolean identifierInWrittenForms(CharSequence s) {
    return inWrittenForms(s, false);
  }

  private static boolean inWrittenForms(CharSequence s, boolean cards) {
    int n = s.length();
    int total = 0;
    for (int i = 0; i < n && total < 11; i++) {
      total += digit(s.charAt(i)) ? 1 : 0;
    }
    if (total < 11) {
      return false; // a mobile has 11 digits, the shortest of them all
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
        } else if ((c == ' ' || c == '-' || c == '.' || c == '\u3000') && i + 1 < n && digit(s.charAt(i + 1))) {
          i++;
        } else {
          break;
        }
      }
      boolean xEnd = i < n && (s.charAt(i) == 'X' || s.charAt(i) == 'x' || s.charAt(i) == 'Ｘ' || s.charAt(i) == 'ｘ');
      if (identifies(digits, xEnd, cards)) {
        return true;
      }
    }
    return false;
  }

  private static boolean identifies(CharSequence digits, boolean xEnd, boolean cards) {
    String v = digits.toString();
    String national = v.startsWith("0086") ? v.substring(4) : v.length() == 13 && v.startsWith("86") ? v.substring(2)
        : v;
    if (PrcIdentifiers.isMainlandMobile(national)) {
      return true;
    }
    if (cards && v.length() >= 16 && v.length() <= 19 && PrcIdentifiers.luhn(v)) {
      return true;
    }
    String id = xEnd && v.length() == 17 ? v + "X" : v;
    return id.length() == 18 && find(id) == Found.ID_CARD;
  }

  /** An ASCII or a full-width digit (people type １３８… in Chinese text). */
  private static boolean digit(char c) {
    return c >= '0' && c <= '9' || c >= '０' && c <= '９';
  }

  private static char ascii(char digit) {
    return digit >= '０' ? (char) ('0' + (digit - '０')) : digit;
  }
}
