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
}
