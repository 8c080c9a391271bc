package io.dataops.lakehouse.identifiers;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Check characters and validity of PRC identifiers: resident ID numbers (GB 11643-1999), unified social credit
 * codes (GB 32100-2015, with the embedded organization code of GB 11714-1997) and mainland mobile numbers.
 * Pure functions; used by the sample generator, the quality rules and personal-data detection.
 */
public final class PrcIdentifiers {
  private PrcIdentifiers() {}

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] ID_CHECK = "10X98765432".toCharArray();

  /** The GB 11643 check character for the first 17 digits of a resident ID number. */
  public static char idCardCheckChar(CharSequence first17) {
    if (first17.length() < 17) {
      throw new IllegalArgumentException("an ID number body has 17 digits");
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int d = first17.charAt(i) - '0';
      if (d < 0 || d > 9) {
        throw new IllegalArgumentException("an ID number body has only digits");
      }
      sum += d * ID_WEIGHTS[i];
    }
    return ID_CHECK[sum % 11];
  }

  /** True when the value has 17 digits and a matching check character (upper or lower case X). */
  public static boolean hasValidIdCardCheckChar(CharSequence id) {
    if (id == null || id.length() != 18) {
      return false;
    }
    for (int i = 0; i < 17; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    char last = Character.toUpperCase(id.charAt(17));
    return last == idCardCheckChar(id);
  }

  /**
   * The 18-character number a 15-digit ID number of before 1999 became (GB 11643): the century "19" inserted after the
   * six-digit area code, the check character appended.
   */
  public static String upgradedIdCard(CharSequence fifteen) {
    String body = fifteen.subSequence(0, 6) + "19" + fifteen.subSequence(6, 15);
    return body + idCardCheckChar(body);
  }

  /** The birth date embedded in positions 7 to 14, or null when it is not a real calendar date. */
  public static LocalDate idCardBirthDate(CharSequence id) {
    if (id == null || id.length() != 18) {
      return null;
    }
    try {
      int y = Integer.parseInt(id, 6, 10, 10);
      int m = Integer.parseInt(id, 10, 12, 10);
      int d = Integer.parseInt(id, 12, 14, 10);
      return LocalDate.of(y, m, d);
    } catch (NumberFormatException | DateTimeException e) {
      return null;
    }
  }

  private static final java.util.Set<String> PROVINCES = java.util.Set.of("11", "12", "13", "14", "15", "21", "22",
      "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
      "61", "62", "63", "64", "65", "71", "81", "82", "83");

  /** Whether an ID number's region code starts with a province-level code of GB/T 2260 (71 Taiwan, 81-83 HK/MO/TW). */
  public static boolean hasKnownProvince(CharSequence id) {
    return id != null && id.length() >= 2 && PROVINCES.contains(id.subSequence(0, 2).toString());
  }

  /** Odd 17th digit: male; even: female. */
  public static boolean idCardIsMale(CharSequence id) {
    return (id.charAt(16) - '0') % 2 == 1;
  }

  // GB 32100: 31 characters, no I, O, Z, S, V.
  private static final String USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] USCC_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  private static final int[] ORG_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

  /** The GB 32100 check character for the first 17 characters of a unified social credit code. */
  public static char creditCodeCheckChar(CharSequence first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int v = USCC_CHARS.indexOf(first17.charAt(i));
      if (v < 0) {
        throw new IllegalArgumentException("a credit code uses digits and the letters of GB 32100 only");
      }
      sum += v * USCC_WEIGHTS[i];
    }
    int check = (31 - sum % 31) % 31;
    return USCC_CHARS.charAt(check);
  }

  /** True when the value has 18 characters of the GB 32100 alphabet and a matching check character. */
  public static boolean hasValidCreditCodeCheckChar(CharSequence code) {
    if (code == null || code.length() != 18) {
      return false;
    }
    for (int i = 0; i < 18; i++) {
      if (USCC_CHARS.indexOf(code.charAt(i)) < 0) {
        return false;
      }
    }
    return code.charAt(17) == creditCodeCheckChar(code);
  }

  /** The GB 11714 check character for an 8-character organization code body. */
  public static char organizationCodeCheckChar(CharSequence first8) {
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      char c = first8.charAt(i);
      int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
      sum += v * ORG_WEIGHTS[i];
    }
    int check = 11 - sum % 11;
    return check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
  }

  /** True when the digits end with a valid Luhn check digit (bank cards). */
  public static boolean luhn(CharSequence digits) {
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  /** Mainland mobile numbers: 11 digits, 1 then 3 to 9. */
  public static boolean isMainlandMobile(CharSequence phone) {
    if (phone == null || phone.length() != 11 || phone.charAt(0) != '1') {
      return false;
    }
    char second = phone.charAt(1);
    if (second < '3' || second > '9') {
      return false;
    }
    for (int i = 2; i < 11; i++) {
      char c = phone.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
