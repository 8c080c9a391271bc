package io.dataops.quality.expect;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import java.time.LocalDate;
import java.util.Set;

/**
 * Validity of PRC identifiers as quality rules: each returns null when the value is valid, else the reason (which
 * never repeats the value).
 */
final class PrcRules {
  private PrcRules() {}

  /** GB 32100 registration-authority codes (first character of a credit code). */
  private static final String AUTHORITIES = "123456789ANY";

  static String idCardProblem(String id, LocalDate today) {
    if (id.length() != 18) {
      return "a resident ID number has 18 characters, this has " + id.codePointCount(0, id.length());
    }
    for (int i = 0; i < 17; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return "the first 17 characters of a resident ID number are digits";
      }
    }
    char last = id.charAt(17);
    if (!(last >= '0' && last <= '9') && last != 'X' && last != 'x') {
      return "the last character of a resident ID number is a digit or X";
    }
    if (!PrcIdentifiers.hasKnownProvince(id)) {
      return "the region code does not start with a known province code";
    }
    LocalDate born = PrcIdentifiers.idCardBirthDate(id);
    if (born == null) {
      return "the birth date in the number is not a calendar date";
    }
    if (born.getYear() < 1900 || born.isAfter(today)) {
      return "the birth date in the number is not plausible";
    }
    if (!PrcIdentifiers.hasValidIdCardCheckChar(id)) {
      return "the check character does not match (GB 11643)";
    }
    return null;
  }

  static String creditCodeProblem(String code) {
    if (code.length() != 18) {
      return "a unified social credit code has 18 characters, this has " + code.codePointCount(0, code.length());
    }
    if (AUTHORITIES.indexOf(code.charAt(0)) < 0) {
      return "the first character is not a registration-authority code";
    }
    for (int i = 2; i < 8; i++) {
      if (code.charAt(i) < '0' || code.charAt(i) > '9') {
        return "characters 3 to 8 (the region code) are digits";
      }
    }
    if (!PrcIdentifiers.hasValidCreditCodeCheckChar(code)) {
      return "the check character does not match, or a character is outside the GB 32100 alphabet";
    }
    String org = code.substring(8, 17);
    for (int i = 0; i < 8; i++) {
      char c = org.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
        return "the organization code has a character GB 11714 does not allow";
      }
    }
    if (PrcIdentifiers.organizationCodeCheckChar(org) != org.charAt(8)) {
      return "the organization code's check character does not match (GB 11714)";
    }
    return null;
  }

  static String mobileProblem(String phone) {
    return PrcIdentifiers.isMainlandMobile(phone) ? null : "not an 11-digit mainland mobile number starting 13 to 19";
  }
}
