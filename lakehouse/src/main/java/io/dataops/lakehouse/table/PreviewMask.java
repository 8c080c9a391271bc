package io.dataops.lakehouse.table;

import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.identifiers.IdentifierPatterns;

/**
 * How personal data looks when someone browses a table: enough to recognise the shape of a value, never the value.
 * (Products are desensitized by their pipelines; this only protects previews of landed and quarantined data.)
 */
public final class PreviewMask {
  private PreviewMask() {}

  /**
   * A value of a column its contract does not call personal that still holds a resident ID or mobile number (a
   * contract is not always right; found by probes: a residents feed's raw ID numbers in failing-rows.csv and in a
   * query expectation's rows): the number masked as a personal column's would be, or, inside other text, every digit
   * hidden, and the identifier's Chinese numerals ({@link IdentifierPatterns#hideDigits}: not those of words). Mobiles
   * written with the country code or separators and bank card numbers count too ({@link IdentifierPatterns#inText}),
   * and ID numbers whose check character is wrong or missing ({@link IdentifierPatterns#findToMask}).
   */
  public static String maskIdentifiers(String value) {
    IdentifierPatterns.Found found = IdentifierPatterns.findToMask(value);
    if (found == IdentifierPatterns.Found.NONE) {
      if (!IdentifierPatterns.inWrittenForms(value)) {
        return value;
      }
      boolean card = value.length() >= 16 && value.length() <= 19 && value.chars().allMatch(c -> c >= '0' && c <= '9');
      // Digits of any script and the identifier's Chinese numerals (an ID number written 四四〇三…, found by a probe).
      return card ? mask(PersonalData.BANK_CARD, value) : IdentifierPatterns.hideDigits(value, '*');
    }
    if (found == IdentifierPatterns.Found.ID_CARD && value.length() == 18) {
      return mask(PersonalData.ID_CARD, value);
    }
    if (found == IdentifierPatterns.Found.MOBILE && value.length() == 11) {
      return mask(PersonalData.MOBILE, value);
    }
    return IdentifierPatterns.hideDigits(value, '*');
  }

  public static String mask(PersonalData kind, String value) {
    if (value == null) {
      return null;
    }
    int n = value.codePointCount(0, value.length());
    return switch (kind) {
      case ID_CARD -> n == 18 ? keep(value, 6, 4) : stars(n);
      case MOBILE -> n == 11 ? keep(value, 3, 4) : stars(n);
      case BANK_CARD -> n >= 12 ? keep(value, 4, 4) : stars(n);
      case NAME -> n >= 2 ? keep(value, 1, 0) : stars(n);
      case BIRTH_DATE -> value.length() >= 4 ? value.substring(0, 4) + "-**-**" : stars(n);
      case ADDRESS -> n > 9 ? keep(value, 9, 0) : stars(n);
      case EMAIL -> value.indexOf('@') > 0 ? value.charAt(0) + "***" + value.substring(value.indexOf('@')) : stars(n);
      case VEHICLE_PLATE -> n >= 3 ? keep(value, 2, 0) : stars(n);
      case OTHER -> "[hidden: " + n + " characters]";
    };
  }

  private static String keep(String v, int first, int last) {
    int n = v.codePointCount(0, v.length());
    if (first + last >= n) {
      return stars(n);
    }
    int headEnd = v.offsetByCodePoints(0, first);
    int tailStart = v.offsetByCodePoints(0, n - last);
    return v.substring(0, headEnd) + "*".repeat(n - first - last) + v.substring(tailStart);
  }

  private static String stars(int n) {
    return "*".repeat(Math.max(1, Math.min(n, 18)));
  }
}
