package io.dataops.quality.expect;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code datetime.strptime(value, format)} as a yes/no, which is what GX's
 * expect_column_values_to_match_strftime_format asks of each value: a port of CPython 3.11's {@code _strptime} for
 * the C locale on a UTC machine.
 *
 * <p>As Python does, the format becomes one regex (regex characters escaped, each whitespace run {@code \s+}, each
 * directive the regex of {@code _strptime.TimeRE}), compiled case-insensitive and matched from the start of the value,
 * which it must consume entirely; then the fields are converted and checked as {@code _strptime} and the
 * {@code datetime} constructor check them (impossible dates, second 60 and 61, %I with %p, %y's 69 pivot, %z's colons
 * and its ±24h bound, the %j, %U/%W and ISO %G/%V/%u combinations). So fields may be one digit ("2024-1-5"), names
 * any case, whitespace any run, and digits any Unicode decimal digits ({@code \d} is Unicode in Python).
 *
 * <p>A format Python cannot compile, or whose directives {@code _strptime} always rejects together, is refused by
 * {@link #compile} with Python's message (GX 1.2 refuses it when the expectation is built: its validator parses
 * {@code now} printed in the format). Weekday names are not checked against the date, as in Python.
 */
final class StrftimeFormat {
  /** Python's {@code \s} for str patterns (str.isspace's whitespace), which Java's {@code \s} is not. */
  private static final String PY_SPACE = io.dataops.quality.engine.PythonRegex.SPACE_CLASS;
  private static final String D = "\\p{Nd}";
  private static final String[] A_WEEKDAY = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  private static final String[] F_WEEKDAY =
      {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  private static final String[] A_MONTH =
      {"", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  private static final String[] F_MONTH = {"", "january", "february", "march", "april", "may", "june", "july",
      "august", "september", "october", "november", "december"};
  /** The C locale's %c, %x and %X, as _strptime's LocaleTime finds them. */
  private static final String LC_DATE_TIME = "%a %b %d %H:%M:%S %Y";
  private static final String LC_DATE = "%m/%d/%y";
  private static final String LC_TIME = "%H:%M:%S";

  private final Pattern regex;
  /** The directives in the regex's group order (Python converts them in that order: the last %y/%Y wins). */
  private final char[] directives;
  private final boolean hasP;

  private StrftimeFormat(Pattern regex, char[] directives) {
    this.regex = regex;
    this.directives = directives;
    boolean p = false;
    for (char d : directives) {
      p |= d == 'p';
    }
    this.hasP = p;
  }

  /** The format as Python compiles it; IllegalArgumentException with Python's message where Python raises. */
  static StrftimeFormat compile(String format) {
    List<Character> order = new ArrayList<>();
    String pattern = pattern(format, format, order);
    Set<Character> seen = new HashSet<>();
    for (char d : order) {
      if (!seen.add(d)) {
        // re.error, not ValueError: Python cannot use the format at all.
        throw new IllegalArgumentException("redefinition of group name '" + d + "' (the directive %" + d
            + " is used twice, %c, %x and %X included)");
      }
    }
    staticChecks(seen);
    char[] ds = new char[order.size()];
    for (int i = 0; i < ds.length; i++) {
      ds[i] = order.get(i);
    }
    return new StrftimeFormat(
        Pattern.compile(pattern, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNIX_LINES), ds);
  }

  /** TimeRE.pattern: escape, whitespace runs to \s+, directives to their regexes. */
  private static String pattern(String format, String whole, List<Character> order) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < format.length(); ) {
      int c = format.codePointAt(i);
      int n = Character.charCount(c);
      if (isPySpace(c)) {
        while (i < format.length() && isPySpace(format.codePointAt(i))) {
          i += Character.charCount(format.codePointAt(i));
        }
        p.append(PY_SPACE).append('+');
        continue;
      }
      if (c != '%') {
        if (c < 128 && !Character.isLetterOrDigit(c)) {
          p.append('\\');
        }
        p.appendCodePoint(c);
        i += n;
        continue;
      }
      if (i + 1 >= format.length()) {
        throw new IllegalArgumentException("stray % in format '" + whole + "'");
      }
      int d = format.codePointAt(i + 1);
      i += 1 + Character.charCount(d);
      String r = directive(d, order, whole);
      if (r == null) {
        // Python escapes regex characters and rewrites whitespace first, so these come to it as a backslash: '%'.
        boolean asBackslash = "\\.^$*+?(){}[]|".indexOf(d) >= 0 || isPySpace(d);
        throw new IllegalArgumentException("'" + (asBackslash ? "%" : new String(Character.toChars(d)))
            + "' is a bad directive in format '" + whole + "'");
      }
      p.append(r);
    }
    return p.toString();
  }

  private static String directive(int d, List<Character> order, String whole) {
    String r = switch (d) {
      case 'd' -> "3[0-1]|[1-2]" + D + "|0[1-9]|[1-9]| [1-9]";
      case 'f' -> "[0-9]{1,6}";
      case 'H' -> "2[0-3]|[0-1]" + D + "|" + D;
      case 'I' -> "1[0-2]|0[1-9]|[1-9]";
      case 'G', 'Y' -> D + D + D + D;
      case 'j' -> "36[0-6]|3[0-5]" + D + "|[1-2]" + D + D + "|0[1-9]" + D + "|00[1-9]|[1-9]" + D + "|0[1-9]|[1-9]";
      case 'm' -> "1[0-2]|0[1-9]|[1-9]";
      case 'M' -> "[0-5]" + D + "|" + D;
      case 'S' -> "6[0-1]|[0-5]" + D + "|" + D;
      case 'U', 'W' -> "5[0-3]|[0-4]" + D + "|" + D;
      case 'w' -> "[0-6]";
      case 'u' -> "[1-7]";
      case 'V' -> "5[0-3]|0[1-9]|[1-4]" + D + "|" + D;
      case 'y' -> D + D;
      case 'z' -> "[+-]" + D + D + ":?[0-5]" + D + "(:?[0-5]" + D + "(\\." + D + "{1,6})?)?|(?-i:Z)";
      case 'A' -> "wednesday|thursday|saturday|tuesday|monday|friday|sunday";
      case 'a' -> "mon|tue|wed|thu|fri|sat|sun";
      case 'B' -> "september|february|november|december|january|october|august|march|april|june|july|may";
      case 'b' -> "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec";
      case 'p' -> "am|pm";
      case 'Z' -> "gmt|utc"; // utc, gmt and the machine's zone names (UTC)
      case '%' -> "%";
      case 'c' -> pattern(LC_DATE_TIME, whole, order);
      case 'x' -> pattern(LC_DATE, whole, order);
      case 'X' -> pattern(LC_TIME, whole, order);
      default -> null;
    };
    if (r == null || d == '%' || d == 'c' || d == 'x' || d == 'X') {
      return r;
    }
    order.add((char) d);
    return "(?<" + groupName((char) d) + ">" + r + ")";
  }

  /** Java group names are case-sensitive letters, like Python's. */
  private static String groupName(char d) {
    return String.valueOf(d);
  }

  /** _strptime's ValueErrors that depend on which directives the format has, not on the value. */
  private static void staticChecks(Set<Character> has) {
    boolean year = has.contains('y') || has.contains('Y');
    boolean weekday = has.contains('a') || has.contains('A') || has.contains('w') || has.contains('u');
    if (!year && has.contains('G')) {
      if (!has.contains('V') || !weekday) {
        throw new IllegalArgumentException("ISO year directive '%G' must be used with the ISO week directive '%V'"
            + " and a weekday directive ('%A', '%a', '%w', or '%u').");
      }
      if (has.contains('j')) {
        throw new IllegalArgumentException("Day of the year directive '%j' is not compatible with ISO year directive"
            + " '%G'. Use '%Y' instead.");
      }
    } else if (!has.contains('U') && !has.contains('W') && has.contains('V')) {
      throw new IllegalArgumentException(weekday
          ? "ISO week directive '%V' is incompatible with the year directive '%Y'. Use the ISO year '%G' instead."
          : "ISO week directive '%V' must be used with the ISO year directive '%G' and a weekday directive ('%A',"
              + " '%a', '%w', or '%u').");
    }
  }

  static boolean isPySpace(int c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
  }

  /** Whether {@code datetime.strptime(value, format)} returns rather than raising ValueError. */
  boolean matches(CharSequence value) {
    Matcher m = regex.matcher(value);
    if (!m.lookingAt() || m.end() != value.length()) {
      return false; // "does not match format" / "unconverted data remains"
    }
    int year = Integer.MIN_VALUE; // None
    int isoYear = Integer.MIN_VALUE;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    long gmtoffMicros = 0;
    int isoWeek = -1;
    int weekOfYear = -1;
    boolean weekStartsMon = false;
    int weekday = -1;
    int julian = -1;
    for (char d : directives) {
      String s = m.group(groupName(d));
      switch (d) {
        case 'y' -> {
          year = number(s);
          year += year <= 68 ? 2000 : 1900;
        }
        case 'Y' -> year = number(s);
        case 'G' -> isoYear = number(s);
        case 'm' -> month = number(s);
        case 'B' -> month = indexOf(F_MONTH, s);
        case 'b' -> month = indexOf(A_MONTH, s);
        case 'd' -> day = number(s);
        case 'H' -> hour = number(s);
        case 'I' -> {
          hour = number(s);
          String ampm = hasP ? m.group("p").toLowerCase(Locale.ROOT) : "";
          if (ampm.isEmpty() || ampm.equals("am")) {
            if (hour == 12) {
              hour = 0;
            }
          } else if (ampm.equals("pm") && hour != 12) {
            hour += 12;
          }
        }
        case 'M' -> minute = number(s);
        case 'S' -> second = number(s);
        case 'A' -> weekday = indexOf(F_WEEKDAY, s);
        case 'a' -> weekday = indexOf(A_WEEKDAY, s);
        case 'w' -> {
          weekday = number(s);
          weekday = weekday == 0 ? 6 : weekday - 1;
        }
        case 'u' -> weekday = number(s) - 1;
        case 'j' -> julian = number(s);
        case 'U', 'W' -> {
          weekOfYear = number(s);
          weekStartsMon = d == 'W';
        }
        case 'V' -> isoWeek = number(s);
        case 'z' -> {
          if (!s.equals("Z")) {
            long micros = offsetMicros(s);
            if (micros == Long.MIN_VALUE) {
              return false;
            }
            gmtoffMicros = micros;
          }
        }
        default -> { } // %f is always in range; %p is read by %I; %Z sets nothing that can fail
      }
      if (month < 0 || weekday < -1) {
        return false; // a name whose lower() is no English name (e.g. 'ſep': the regex folds ſ to s, lower() does not)
      }
    }
    // datetime.timezone: strictly within a day.
    if (Math.abs(gmtoffMicros) >= 86_400_000_000L) {
      return false;
    }
    // (compile refused the ISO combinations _strptime rejects whatever the value)
    boolean leapYearFix = false;
    if (year == Integer.MIN_VALUE && month == 2 && day == 29) {
      year = 1904; // _strptime computes with a leap year, then puts 1900 back (and datetime then refuses Feb 29)
      leapYearFix = true;
    } else if (year == Integer.MIN_VALUE) {
      year = 1900;
    }
    if (julian == -1 && weekday != -1) {
      if (weekOfYear != -1) {
        julian = julianFromUorW(year, weekOfYear, weekday, weekStartsMon);
      } else if (isoYear != Integer.MIN_VALUE && isoWeek != -1) {
        // _calc_julian_from_V
        if (!valid(isoYear, 1, 4)) {
          return false;
        }
        int correction = LocalDate.of(isoYear, 1, 4).getDayOfWeek().getValue() + 3;
        int ordinal = isoWeek * 7 + weekday + 1 - correction;
        if (ordinal < 1) {
          long jan1 = LocalDate.of(isoYear, 1, 1).toEpochDay();
          isoYear -= 1;
          if (!valid(isoYear, 1, 1)) {
            return false;
          }
          ordinal = (int) (ordinal + jan1 - LocalDate.of(isoYear, 1, 1).toEpochDay());
        }
        year = isoYear;
        julian = ordinal;
      }
      if (julian == Integer.MIN_VALUE) {
        return false; // date(year, 1, 1) raised
      }
      if (julian != -1 && julian <= 0) {
        year -= 1;
        julian += isLeap(year) ? 366 : 365;
      }
    }
    if (julian == -1) {
      if (!valid(year, month, day)) {
        return false;
      }
    } else {
      if (!valid(year, 1, 1)) {
        return false;
      }
      LocalDate r = LocalDate.of(year, 1, 1).plusDays(julian - 1L);
      if (r.getYear() < 1 || r.getYear() > 9999) {
        return false; // date.fromordinal
      }
      year = r.getYear();
      month = r.getMonthValue();
      day = r.getDayOfMonth();
    }
    if (leapYearFix) {
      year = 1900;
    }
    // datetime(year, month, day, hour, minute, second, ...)
    return valid(year, month, day) && hour <= 23 && minute <= 59 && second <= 59;
  }

  /** _calc_julian_from_U_or_W; Integer.MIN_VALUE where date(year, 1, 1) raises. */
  private static int julianFromUorW(int year, int weekOfYear, int dayOfWeek, boolean weekStartsMon) {
    if (!valid(year, 1, 1)) {
      return Integer.MIN_VALUE;
    }
    int firstWeekday = LocalDate.of(year, 1, 1).getDayOfWeek().getValue() - 1;
    if (!weekStartsMon) {
      firstWeekday = (firstWeekday + 1) % 7;
      dayOfWeek = (dayOfWeek + 1) % 7;
    }
    int week0Length = (7 - firstWeekday) % 7;
    if (weekOfYear == 0) {
      return 1 + dayOfWeek - firstWeekday;
    }
    return 1 + week0Length + 7 * (weekOfYear - 1) + dayOfWeek;
  }

  /** Python's date(year, month, day) does not raise. */
  private static boolean valid(int year, int month, int day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
      return false;
    }
    int len = switch (month) {
      case 2 -> isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
    return day <= len;
  }

  private static boolean isLeap(int year) {
    return Math.floorMod(year, 4) == 0 && (Math.floorMod(year, 100) != 0 || Math.floorMod(year, 400) == 0);
  }

  /** int() of a matched field: any Unicode decimal digits; %d's " 5" has a leading space. */
  private static int number(String s) {
    int v = 0;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c != ' ') {
        v = v * 10 + Character.digit(c, 10);
      }
    }
    return v;
  }

  private static int indexOf(String[] names, String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(lower) && !lower.isEmpty()) {
        return i;
      }
    }
    return Integer.MIN_VALUE;
  }

  /** %z's offset in microseconds as _strptime reads it; Long.MIN_VALUE where it raises ("Inconsistent use of :"). */
  private static long offsetMicros(String z) {
    // Work on code points: the digits may be outside the BMP.
    int[] cp = z.codePoints().toArray();
    List<Integer> zs = new ArrayList<>();
    for (int c : cp) {
      zs.add(c);
    }
    if (zs.get(3) == ':') {
      zs.remove(3);
      if (zs.size() > 5) {
        if (zs.get(5) != ':') {
          return Long.MIN_VALUE;
        }
        zs.remove(5);
      }
    }
    long hours = digits(zs, 1, 3);
    long minutes = digits(zs, 3, 5);
    // "+0530:00": int(":0") raises.
    long seconds = zs.size() >= 7 ? digits(zs, 5, 7) : 0;
    long fraction = zs.size() > 8 ? digits(zs, 8, zs.size()) * (long) Math.pow(10, 6 - (zs.size() - 8)) : 0;
    if (hours < 0 || minutes < 0 || seconds < 0 || fraction < 0) {
      return Long.MIN_VALUE;
    }
    long micros = (hours * 3600 + minutes * 60 + seconds) * 1_000_000L + fraction;
    return zs.get(0) == '-' ? -micros : micros;
  }

  /** int() of zs[from:to]; -1 where it is not all digits. */
  private static long digits(List<Integer> zs, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      int digit = Character.digit(zs.get(i), 10);
      if (digit < 0) {
        return -1;
      }
      v = v * 10 + digit;
    }
    return v;
  }
}
