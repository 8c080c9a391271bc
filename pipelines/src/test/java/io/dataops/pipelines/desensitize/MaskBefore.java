package io.dataops.pipelines.desensitize;

/** Mask's apply as it was before its fast paths (commit 5110b9e), kept to check that they give the same output. */
final class MaskBefore {
  private final Mask.Kind type;
  private final int keepFirst;
  private final int keepLast;
  private final char maskChar;
  private final Mask.AddressLevel level;

  MaskBefore(Mask m) {
    this.type = m.type();
    this.keepFirst = m.keepFirst();
    this.keepLast = m.keepLast();
    this.maskChar = m.maskChar();
    this.level = m.level();
  }

  Object apply(Object value) {
    if (value == null) {
      return null;
    }
    String v = (String) value;
    if (v.isEmpty()) {
      return v;
    }
    return switch (type) {
      case ID_CARD -> isIdShape(v) ? keep(v, keepFirst, keepLast) : all(v);
      case MOBILE -> mobile(v);
      case BANK_CARD -> digitsShape(v, 12, 19) ? keepDigits(v, keepFirst, keepLast) : maskDigitsAndLetters(v);
      case NAME -> name(v);
      case ADDRESS -> address(v);
      case CREDIT_CODE -> v.length() == 18 && isAlnum(v) ? keep(v, keepFirst, keepLast) : all(v);
      case EMAIL -> email(v);
      case VEHICLE_PLATE -> {
        int n = v.codePointCount(0, v.length());
        yield n == 7 || n == 8 ? keep(v, keepFirst, keepLast) : all(v);
      }
      case CUSTOM -> {
        int n = v.codePointCount(0, v.length());
        yield keepFirst + keepLast >= n ? all(v) : keep(v, keepFirst, keepLast);
      }
    };
  }

  private static boolean isIdShape(String v) {
    int n = v.length();
    if (n != 18 && n != 15) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      boolean ok = c >= '0' && c <= '9' || i == 17 && (c == 'X' || c == 'x');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
        return false;
      }
    }
    return true;
  }

  /** Digits with optional spaces or hyphens, between {@code min} and {@code max} digits. */
  private static boolean digitsShape(String v, int min, int max) {
    int digits = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c != ' ' && c != '-') {
        return false;
      }
    }
    return digits >= min && digits <= max;
  }

  /** Keeps the first and last code points of a value whose width was checked; a 15-digit ID keeps last - 1. */
  private String keep(String v, int first, int last) {
    int n = v.codePointCount(0, v.length());
    if (type == Mask.Kind.ID_CARD && n == 15) {
      last = Math.max(0, last - 1); // the old 15-digit form has no check character
    }
    if (first + last >= n) {
      return all(v);
    }
    StringBuilder out = new StringBuilder(v.length());
    int i = 0;
    for (int offset = 0; offset < v.length(); i++) {
      int cp = v.codePointAt(offset);
      out.appendCodePoint(i < first || i >= n - last ? cp : maskChar);
      offset += Character.charCount(cp);
    }
    return out.toString();
  }

  /** Keeps the first and last digits; separators stay where they are. */
  private String keepDigits(String v, int first, int last) {
    int digits = 0;
    for (int i = 0; i < v.length(); i++) {
      if (Character.isDigit(v.charAt(i))) {
        digits++;
      }
    }
    StringBuilder out = new StringBuilder(v.length());
    int d = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c >= '0' && c <= '9') {
        out.append(d < first || d >= digits - last ? c : maskChar);
        d++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private String maskDigitsAndLetters(String v) {
    StringBuilder out = new StringBuilder(v.length());
    v.codePoints().forEach(cp -> out.appendCodePoint(Character.isLetterOrDigit(cp) ? maskChar : cp));
    return out.toString();
  }

  private String all(String v) {
    StringBuilder out = new StringBuilder(v.length());
    v.codePoints().forEach(cp -> out.appendCodePoint(Character.isWhitespace(cp) ? cp : maskChar));
    return out.toString();
  }

  private String mobile(String v) {
    // An optional country prefix (+86, 0086, 86 followed by a separator) stays visible: it is not personal.
    int start = 0;
    if (v.startsWith("+86")) {
      start = 3;
    } else if (v.startsWith("0086")) {
      start = 4;
    }
    String prefix = v.substring(0, start);
    String rest = v.substring(start);
    if (digitsShape(rest, 11, 11) && firstDigit(rest) == '1') {
      return prefix + keepDigits(rest, keepFirst, keepLast);
    }
    return prefix + maskDigitsAndLetters(rest);
  }

  private static char firstDigit(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (Character.isDigit(v.charAt(i))) {
        return v.charAt(i);
      }
    }
    return 0;
  }

  private String name(String v) {
    String trimmed = Mask.trimName(v);
    if (trimmed.isEmpty()) {
      return v;
    }
    int firstCp = trimmed.codePointAt(0);
    if (Character.UnicodeScript.of(firstCp) == Character.UnicodeScript.HAN) {
      int n = trimmed.codePointCount(0, trimmed.length());
      int keep = n >= 3 && Mask.COMPOUND_SURNAMES.contains(trimmed.substring(0, Math.min(trimmed.length(),
          trimmed.offsetByCodePoints(0, 2)))) ? 2 : 1;
      if (n <= keep) {
        return all(trimmed); // a one-character name is all surname: nothing can be shown
      }
      StringBuilder out = new StringBuilder(trimmed.length());
      int i = 0;
      for (int offset = 0; offset < trimmed.length(); i++) {
        int cp = trimmed.codePointAt(offset);
        // The middle dot of transliterated minority names (买买提·艾力) stays: it is format, not identity.
        out.appendCodePoint(i < keep || cp == '·' || cp == '•' ? cp : maskChar);
        offset += Character.charCount(cp);
      }
      return out.toString();
    }
    // Latin-script names: the first letter of each word, composed first; marks and apostrophes start no word.
    String text = java.text.Normalizer.normalize(trimmed, java.text.Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(text.length());
    boolean wordStart = true;
    for (int offset = 0; offset < text.length(); ) {
      int cp = text.codePointAt(offset);
      if (Character.isLetter(cp)) {
        out.appendCodePoint(wordStart ? cp : maskChar);
        wordStart = false;
      } else if (Mask.combiningMark(cp)) {
        out.appendCodePoint(maskChar);
      } else {
        out.appendCodePoint(cp);
        wordStart = wordStart || "'\u2019\u02BC".indexOf(cp) < 0;
      }
      offset += Character.charCount(cp);
    }
    return out.toString();
  }

  private String address(String v) {
    int end = AddressPartsBefore.endOf(v, level);
    if (end <= 0) {
      return all(v);
    }
    return v.substring(0, end) + all(v.substring(end));
  }

  private String email(String v) {
    int at = v.lastIndexOf('@');
    if (at <= 0 || at == v.length() - 1) {
      return all(v);
    }
    String local = v.substring(0, at);
    StringBuilder out = new StringBuilder(v.length());
    int i = 0;
    for (int offset = 0; offset < local.length(); i++) {
      int cp = local.codePointAt(offset);
      out.appendCodePoint(i == 0 && local.codePointCount(0, local.length()) > 1 ? cp : maskChar);
      offset += Character.charCount(cp);
    }
    return out.append(v, at, v.length()).toString();
  }
}
