package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Masking that follows common PRC display conventions and keeps the value's format: separators, width and the kind
 * of characters stay, the hidden characters become {@code maskChar}. A value that does not have the shape of its kind
 * (wrong width, stray characters) is masked entirely rather than guessed at.
 *
 * <p>Defaults: resident ID number first 6 and last 4; mobile number first 3 and last 4 (a +86 prefix is kept);
 * bank card first 6 and last 4 digits; unified social credit code first 8 and last 2; Chinese name the surname
 * (compound surnames included); address down to the sub-district (街道) or to the district; email the first letter
 * and the domain; vehicle plate the first 2 and the last 1; anything else keep-first/keep-last as configured.
 */
public record Mask(Kind type, int keepFirst, int keepLast, char maskChar, AddressLevel level) implements ColumnPolicy {

  public enum Kind {
    ID_CARD(6, 4), MOBILE(3, 4), BANK_CARD(6, 4), NAME(1, 0), ADDRESS(0, 0), CREDIT_CODE(8, 2), EMAIL(1, 0),
    VEHICLE_PLATE(2, 1), CUSTOM(0, 0);

    final int defaultFirst;
    final int defaultLast;

    Kind(int defaultFirst, int defaultLast) {
      this.defaultFirst = defaultFirst;
      this.defaultLast = defaultLast;
    }

    public String spelling() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.spelling().equals(text.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
          return k;
        }
      }
      throw new PolicyException("unknown mask '" + text + "' (expected id_card, mobile, bank_card, name, address, "
          + "credit_code, email, vehicle_plate, or custom with keepFirst/keepLast)");
    }
  }

  /** How far down the administrative hierarchy an address mask or generalization keeps the address. */
  public enum AddressLevel {
    PROVINCE, CITY, DISTRICT, STREET;

    public String spelling() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static AddressLevel parse(String text) {
      for (AddressLevel l : values()) {
        if (l.spelling().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return l;
        }
      }
      throw new PolicyException("unknown address level '" + text + "' (expected province, city, district, street)");
    }
  }

  public Mask {
    if (keepFirst < 0 || keepLast < 0) {
      throw new PolicyException("keepFirst and keepLast cannot be negative");
    }
    if (Character.isSurrogate(maskChar) || maskChar < ' ') {
      throw new PolicyException("maskChar must be one printable character");
    }
    int width = switch (type) {
      case ID_CARD, CREDIT_CODE -> 18;
      case MOBILE -> 11;
      case BANK_CARD -> 12;
      default -> Integer.MAX_VALUE;
    };
    if (keepFirst + keepLast >= width) {
      throw new PolicyException("mask " + type.spelling() + " keeping first " + keepFirst + " and last " + keepLast
          + " would keep the whole value");
    }
  }

  /** The convention's defaults for {@code kind}. */
  public static Mask of(Kind type) {
    return new Mask(type, type.defaultFirst, type.defaultLast, '*', AddressLevel.STREET);
  }

  public static Mask custom(int keepFirst, int keepLast, char maskChar) {
    return new Mask(Kind.CUSTOM, keepFirst, keepLast, maskChar, AddressLevel.STREET);
  }

  public Mask withKeep(Integer first, Integer last, Character mask) {
    return new Mask(type, first == null ? keepFirst : first, last == null ? keepLast : last,
        mask == null ? maskChar : mask, level);
  }

  public Mask withLevel(AddressLevel l) {
    return new Mask(type, keepFirst, keepLast, maskChar, l);
  }

  @Override
  public String kind() {
    return "mask";
  }

  @Override
  public String describe() {
    return switch (type) {
      case NAME -> "mask name (keep surname)";
      case ADDRESS -> "mask address (keep down to " + level.spelling() + ")";
      case EMAIL -> "mask email (keep first letter and domain)";
      default -> "mask " + type.spelling() + " (keep first " + keepFirst + ", last " + keepLast + ")";
    };
  }

  @Override
  public ValueType outputType(ValueType input) {
    if (input != ValueType.STRING) {
      throw new PolicyException("mask applies to string columns, not " + input.spelling());
    }
    return ValueType.STRING;
  }

  @Override
  public List<String> retains() {
    List<String> r = new ArrayList<>();
    switch (type) {
      case ID_CARD -> {
        if (keepFirst > 0) {
          r.add(keepFirst >= 6 ? "region (ID digits 1-6)" + (keepFirst > 6 ? " and birth date digits 7-" + keepFirst : "")
              : "region prefix (ID digits 1-" + keepFirst + ")");
        }
        if (keepLast > 0) {
          r.add("ID characters " + (19 - keepLast) + "-18" + (keepLast >= 2 ? " (digit 17 is the sex)" : " (check)"));
        }
      }
      case MOBILE -> {
        if (keepFirst > 0) {
          r.add("mobile digits 1-" + keepFirst + " (network and area)");
        }
        if (keepLast > 0) {
          r.add("mobile digits " + (12 - keepLast) + "-11");
        }
      }
      case BANK_CARD -> {
        if (keepFirst > 0) {
          r.add("card digits 1-" + keepFirst + " (issuer)");
        }
        if (keepLast > 0) {
          r.add("last " + keepLast + " card digits");
        }
      }
      case NAME -> r.add("surname");
      case ADDRESS -> r.add("address down to the " + level.spelling());
      case CREDIT_CODE -> r.add("credit code characters 1-" + keepFirst + " (authority, type, region)"
          + (keepLast > 0 ? " and the last " + keepLast : ""));
      case EMAIL -> r.add("email domain and first letter");
      case VEHICLE_PLATE -> r.add("plate province and city letter" + (keepLast > 0 ? ", last " + keepLast : ""));
      case CUSTOM -> {
        if (keepFirst + keepLast > 0) {
          r.add("first " + keepFirst + " and last " + keepLast + " characters");
        }
      }
    }
    return List.copyOf(r);
  }

  @Override
  public Clear keptInClear() {
    return switch (type) {
      case NAME, ADDRESS, EMAIL -> null;
      default -> new Clear(keepFirst, keepLast);
    };
  }

  @Override
  public Object apply(Object value) {
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
    return digitsShape(v, 0, min, max);
  }

  /** {@link #digitsShape(String, int, int)} of the value's chars from {@code from} on. */
  private static boolean digitsShape(String v, int from, int min, int max) {
    int digits = 0;
    for (int i = from; i < v.length(); i++) {
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
    if (type == Kind.ID_CARD && n == 15) {
      last = Math.max(0, last - 1); // the old 15-digit form has no check character
    }
    if (first + last >= n) {
      return all(v);
    }
    if (n == v.length()) { // one char per code point (the usual case): mask the chars in place
      char[] out = v.toCharArray();
      java.util.Arrays.fill(out, first, n - last, maskChar);
      return new String(out);
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
    return keepDigits(v, 0, first, last);
  }

  /** {@link #keepDigits(String, int, int)} of the value's chars from {@code from} on; those before stay as they are. */
  private String keepDigits(String v, int from, int first, int last) {
    int digits = 0;
    for (int i = from; i < v.length(); i++) {
      if (Character.isDigit(v.charAt(i))) {
        digits++;
      }
    }
    char[] out = v.toCharArray();
    int d = 0;
    for (int i = from; i < out.length; i++) {
      char c = out[i];
      if (c >= '0' && c <= '9') {
        if (d >= first && d < digits - last) {
          out[i] = maskChar;
        }
        d++;
      }
    }
    return new String(out);
  }

  private String maskDigitsAndLetters(String v) {
    StringBuilder out = new StringBuilder(v.length());
    v.codePoints().forEach(cp -> out.appendCodePoint(Character.isLetterOrDigit(cp) ? maskChar : cp));
    return out.toString();
  }

  private String all(String v) {
    if (v.codePointCount(0, v.length()) == v.length()) { // one char per code point: no surrogate pairs to keep whole
      char[] out = v.toCharArray();
      for (int i = 0; i < out.length; i++) {
        if (!Character.isWhitespace(out[i])) {
          out[i] = maskChar;
        }
      }
      return new String(out);
    }
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
    if (digitsShape(v, start, 11, 11) && firstDigit(v, start) == '1') {
      return keepDigits(v, start, keepFirst, keepLast);
    }
    return v.substring(0, start) + maskDigitsAndLetters(v.substring(start));
  }

  private static char firstDigit(String v, int from) {
    for (int i = from; i < v.length(); i++) {
      if (Character.isDigit(v.charAt(i))) {
        return v.charAt(i);
      }
    }
    return 0;
  }

  /** Two-character surnames common enough to matter; a name that starts with one keeps both characters. */
  static final Set<String> COMPOUND_SURNAMES = Set.of("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙",
      "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "赫连",
      "澹台", "公冶", "太史", "申屠", "闻人", "万俟", "钟离", "拓跋", "鲜于", "闾丘", "司空", "亓官", "左丘", "东郭");
  /** The compound surnames' two chars as one int ({@code first << 16 | second}), sorted: no string per name. */
  private static final int[] COMPOUND_PAIRS = COMPOUND_SURNAMES.stream()
      .mapToInt(s -> s.charAt(0) << 16 | s.charAt(1)).sorted().toArray();

  /** True when the name starts with a compound surname (all are two chars of the basic plane, no surrogates). */
  private static boolean compoundSurname(String name) {
    return name.length() >= 2
        && java.util.Arrays.binarySearch(COMPOUND_PAIRS, name.charAt(0) << 16 | name.charAt(1)) >= 0;
  }

  /** Whether a code point is of the Han script; the common CJK block (all Han in Java 17's data) without a lookup. */
  private static boolean han(int cp) {
    return cp >= 0x4E00 && cp <= 0x9FFC || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
  }

  /**
   * A name without what surrounds it unseen: white space of any kind (a no-break space), and format characters (a
   * byte-order mark, zero-width spaces). Found by a probe: "\u00A0张三\u00A0丰" took the Latin branch, which shows the
   * first letter of every word, and showed 丰.
   */
  static String trimName(String v) {
    int from = 0;
    int to = v.length();
    while (from < to && invisible(v.charAt(from))) {
      from++;
    }
    while (to > from && invisible(v.charAt(to - 1))) {
      to--;
    }
    return from == 0 && to == v.length() ? v : v.substring(from, to);
  }

  private static boolean invisible(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
  }

  private String name(String v) {
    String trimmed = trimName(v);
    if (trimmed.isEmpty()) {
      return v;
    }
    int firstCp = trimmed.codePointAt(0);
    if (han(firstCp)) {
      int n = trimmed.codePointCount(0, trimmed.length());
      int keep = n >= 3 && compoundSurname(trimmed) ? 2 : 1;
      if (n <= keep) {
        return all(trimmed); // a one-character name is all surname: nothing can be shown
      }
      if (n == trimmed.length()) { // one char per code point (the usual case): mask the chars in place
        char[] out = trimmed.toCharArray();
        for (int i = keep; i < out.length; i++) {
          // The middle dot of transliterated minority names (买买提·艾力) stays: it is format, not identity.
          if (out[i] != '·' && out[i] != '•') {
            out[i] = maskChar;
          }
        }
        return new String(out);
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
    // Latin-script names: the first letter of each word. Composed first (NFC), and a combining mark or an apostrophe
    // does not start a word: found by a probe, "Jose\u0301 Garci\u0301a" showed the letter after each accent, and
    // "O'Brien" two letters.
    String text = java.text.Normalizer.isNormalized(trimmed, java.text.Normalizer.Form.NFC) ? trimmed
        : java.text.Normalizer.normalize(trimmed, java.text.Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(text.length());
    boolean wordStart = true;
    for (int offset = 0; offset < text.length(); ) {
      int cp = text.codePointAt(offset);
      if (Character.isLetter(cp)) {
        out.appendCodePoint(wordStart ? cp : maskChar);
        wordStart = false;
      } else if (combiningMark(cp)) {
        out.appendCodePoint(maskChar);
      } else if (cp == '\'' || cp == '\u2019' || cp == '\u02BC') {
        out.appendCodePoint(cp);
      } else {
        out.appendCodePoint(cp);
        wordStart = true;
      }
      offset += Character.charCount(cp);
    }
    return out.toString();
  }

  static boolean combiningMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private String address(String v) {
    int end = AddressParts.endOf(v, level);
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
