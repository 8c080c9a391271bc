package io.dataops.quality.expect;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether python-dateutil's {@code parser.parse(text)} accepts a text, as GX's dateutil expectation calls it (default
 * parserinfo, dayfirst and yearfirst off, fuzzy off, no tzinfos). A port of dateutil 2.9's {@code _timelex} tokenizer,
 * {@code _parse} loop, numeric-token rules, {@code _ymd.resolve_ymd} and {@code _build_naive}: English month and
 * weekday names, am/pm, jump words, HH:MM[:SS[.ffffff]], compact YYYYMMDD[HHMM[SS]] and YYMMDD/HHMMSS, 10h30m labels,
 * numeric offsets (+08:00, -0300, +8) and upper-case zone names after a time; two-digit years within 50 years of the
 * current one; missing fields from today (so "Feb 29" without a year fails in a non-leap year, as in dateutil). A value
 * is refused where dateutil raises ValueError or OverflowError; nothing here is fuzzy.
 */
final class DateutilParser {
  private DateutilParser() {}

  private static final Set<String> JUMP = Set.of(" ", ".", ",", ";", "-", "/", "'", "at", "on", "and", "ad", "m",
      "t", "of", "st", "nd", "rd", "th");
  private static final List<String> WEEKDAYS = List.of("mon monday", "tue tuesday", "wed wednesday",
      "thu thursday", "fri friday", "sat saturday", "sun sunday");
  private static final List<String> MONTHS = List.of("jan january", "feb february", "mar march", "apr april",
      "may may", "jun june", "jul july", "aug august", "sep sept september", "oct october", "nov november",
      "dec december");
  private static final Map<String, Integer> HMS = Map.of("h", 0, "hour", 0, "hours", 0, "m", 1, "minute", 1,
      "minutes", 1, "s", 2, "second", 2, "seconds", 2);
  private static final Map<String, Integer> AMPM = Map.of("am", 0, "a", 0, "pm", 1, "p", 1);
  private static final Set<String> UTC_ZONES = Set.of("UTC", "GMT", "Z", "z");

  /** dateutil raised ValueError (its ParserError) or IndexError inside {@code _parse}. */
  private static final class Refused extends RuntimeException {
    Refused() {
      super(null, null, false, false);
    }
  }

  static boolean parseable(String text, LocalDate today) {
    try {
      return new Run(tokens(text), today).parse();
    } catch (Refused | DateTimeException | ArithmeticException | NumberFormatException
        | IndexOutOfBoundsException e) {
      return false;
    }
  }

  // ---- _timelex.split -----------------------------------------------------------------------------------------

  static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (!word(c) && !num(c)) {
        out.add(space(c) ? " " : String.valueOf(c));
        i++;
        continue;
      }
      StringBuilder token = new StringBuilder().append(c);
      char state = word(c) ? 'a' : '0';
      boolean dotted = false;
      boolean seenLetters = false;
      i++;
      for (; i < n; i++) {
        char next = s.charAt(i);
        char last = token.charAt(token.length() - 1);
        if (state == 'a' && !dotted) {
          seenLetters = true;
          if (word(next)) {
            token.append(next);
          } else if (next == '.') {
            token.append(next);
            dotted = true;
          } else {
            break;
          }
        } else if (state == '0' && !dotted) {
          if (num(next)) {
            token.append(next);
          } else if (next == '.' || (next == ',' && token.length() >= 2)) {
            token.append(next);
            dotted = true;
          } else {
            break;
          }
        } else if (state == 'a') {
          seenLetters = true;
          if (next == '.' || word(next)) {
            token.append(next);
          } else if (num(next) && last == '.') {
            token.append(next);
            state = '0';
          } else {
            break;
          }
        } else {
          if (next == '.' || num(next)) {
            token.append(next);
          } else if (word(next) && last == '.') {
            token.append(next);
            state = 'a';
          } else {
            break;
          }
        }
      }
      String t = token.toString();
      if (dotted && (seenLetters || count(t, '.') > 1 || t.endsWith(".") || t.endsWith(","))) {
        splitDecimal(t, out);
      } else {
        out.add(dotted && state == '0' && count(t, '.') == 0 ? t.replace(',', '.') : t);
      }
    }
    return out;
  }

  /** Python's {@code re.split("([.,])", token)} with empty parts dropped (the first part kept). */
  private static void splitDecimal(String t, List<String> out) {
    int start = 0;
    boolean first = true;
    for (int i = 0; i <= t.length(); i++) {
      if (i == t.length() || t.charAt(i) == '.' || t.charAt(i) == ',') {
        String part = t.substring(start, i);
        if (first || !part.isEmpty()) {
          out.add(part);
        }
        first = false;
        if (i < t.length()) {
          out.add(String.valueOf(t.charAt(i)));
        }
        start = i + 1;
      }
    }
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  private static boolean word(char c) {
    return Character.isLetter(c);
  }

  private static boolean num(char c) {
    return Character.isDigit(c);
  }

  private static boolean space(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  // ---- parserinfo ----------------------------------------------------------------------------------------------

  private static Integer lookup(List<String> names, String token) {
    String t = token.toLowerCase(Locale.ROOT);
    for (int i = 0; i < names.size(); i++) {
      for (String name : names.get(i).split(" ")) {
        if (name.equals(t)) {
          return i;
        }
      }
    }
    return null;
  }

  private static Integer month(String t) {
    Integer m = lookup(MONTHS, t);
    return m == null ? null : m + 1;
  }

  private static boolean jump(String t) {
    return JUMP.contains(t.toLowerCase(Locale.ROOT));
  }

  private static Integer ampm(String t) {
    return AMPM.get(t.toLowerCase(Locale.ROOT));
  }

  private static Integer hms(String t) {
    return HMS.get(t.toLowerCase(Locale.ROOT));
  }

  /** dateutil's {@code _to_decimal}: a finite decimal, else ValueError. */
  private static BigDecimal decimal(String t) {
    if (!digits(t.replace(".", ""))) {
      throw new Refused();
    }
    return new BigDecimal(t);
  }

  /** An int for a decimal far beyond any date field (Python's ints do not wrap; out of range is refused later). */
  private static int clamped(BigDecimal v) {
    return v.min(BigDecimal.valueOf(1_000_000)).intValue();
  }

  // ---- _parse --------------------------------------------------------------------------------------------------

  private static final class Run {
    final List<String> l;
    final LocalDate today;
    final Ymd ymd = new Ymd();
    Integer hour;
    Integer minute;
    Integer second;
    Integer micro;
    Integer weekday;
    Integer ampm;
    String tzname;
    Integer tzoffset;

    Run(List<String> tokens, LocalDate today) {
      this.l = tokens;
      this.today = today;
    }

    String at(int i) {
      return l.get(i); // IndexError in dateutil: refused
    }

    boolean parse() {
      int n = l.size();
      for (int i = 0; i < n; i++) {
        String t = l.get(i);
        if (digits(t.replace(".", ""))) {
          i = numeric(i);
        } else if (Set.of("nan", "inf", "infinity").contains(t.toLowerCase(Locale.ROOT))) {
          throw new Refused(); // float() takes them, _to_decimal refuses them
        } else if (lookup(WEEKDAYS, t) != null) {
          weekday = lookup(WEEKDAYS, t);
        } else if (month(t) != null) {
          ymd.append(month(t), 'M');
          if (i + 1 < n) {
            if (l.get(i + 1).equals("-") || l.get(i + 1).equals("/")) {
              String sep = l.get(i + 1);
              ymd.append(at(i + 2));
              if (i + 3 < n && l.get(i + 3).equals(sep)) {
                ymd.append(at(i + 4));
                i += 2;
              }
              i += 2;
            } else if (i + 4 < n && l.get(i + 1).equals(" ") && l.get(i + 3).equals(" ")
                && l.get(i + 2).equalsIgnoreCase("of")) {
              if (digits(l.get(i + 4))) {
                ymd.append(Integer.toString(convertYear(Integer.parseInt(l.get(i + 4)), false)), 'Y');
              }
              i += 4;
            }
          }
        } else if (ampm(t) != null) {
          if (hour == null || hour < 0 || hour > 12) {
            throw new Refused(); // no hour, or not a 12-hour clock's
          }
          hour = adjust(hour, ampm(t));
          ampm = ampm(t);
        } else if (couldBeTzname(t)) {
          tzname = t;
          tzoffset = UTC_ZONES.contains(t) ? 0 : null;
          if (i + 1 < n && (l.get(i + 1).equals("+") || l.get(i + 1).equals("-"))) {
            l.set(i + 1, l.get(i + 1).equals("+") ? "-" : "+"); // GMT+3 means "my time +3 is GMT"
            tzoffset = null;
            if (UTC_ZONES.contains(tzname)) {
              tzname = null;
            }
          }
        } else if (hour != null && (t.equals("+") || t.equals("-"))) {
          i = offset(i, t.equals("+") ? 1 : -1);
        } else if (!jump(t)) {
          throw new Refused();
        }
      }
      int[] date = ymd.resolve();
      boolean any = date[0] >= 0 || date[1] >= 0 || date[2] >= 0 || weekday != null || hour != null
          || minute != null || second != null || micro != null || tzname != null || tzoffset != null || ampm != null;
      if (!any) {
        return false; // "String does not contain a date"
      }
      int year = date[0] >= 0 ? convertYear(date[0], ymd.centurySpecified) : today.getYear();
      int month = date[1] >= 0 ? date[1] : today.getMonthValue();
      int day;
      if (date[2] >= 0) {
        day = date[2];
      } else {
        if (month < 1 || month > 12) {
          throw new Refused(); // calendar.monthrange: bad month number
        }
        day = Math.min(today.getDayOfMonth(), YearMonth.of(year, month).lengthOfMonth());
      }
      if (year < 1 || year > 9999) {
        throw new Refused(); // year is out of range
      }
      // datetime.replace: every field in range, the day within its month
      LocalDateTime.of(year, month, day, hour == null ? 0 : hour, minute == null ? 0 : minute,
          second == null ? 0 : second, micro == null ? 0 : micro * 1000);
      return true;
    }

    boolean couldBeTzname(String t) {
      return hour != null && tzname == null && tzoffset == null && t.length() <= 5
          && (t.chars().allMatch(c -> c >= 'A' && c <= 'Z') || UTC_ZONES.contains(t));
    }

    int offset(int i, int sign) {
      String next = at(i + 1);
      int h;
      int m;
      if (next.length() == 4) {
        h = Integer.parseInt(next.substring(0, 2));
        m = Integer.parseInt(next.substring(2));
      } else if (i + 2 < l.size() && l.get(i + 2).equals(":")) {
        h = Integer.parseInt(next);
        m = Integer.parseInt(at(i + 3));
        i += 2;
      } else if (next.length() <= 2) {
        h = Integer.parseInt(next);
        m = 0;
      } else {
        throw new Refused();
      }
      tzoffset = sign * (h * 3600 + m * 60);
      if (i + 5 < l.size() && jump(l.get(i + 2)) && l.get(i + 3).equals("(") && l.get(i + 5).equals(")")
          && l.get(i + 4).length() >= 3 && hour != null && tzname == null && l.get(i + 4).length() <= 5
          && l.get(i + 4).chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
        tzname = l.get(i + 4); // -0300 (BRST)
        i += 4;
      }
      return i + 1;
    }

    /** {@code _parse_numeric_token}: returns the index of the last token it used. */
    int numeric(int i) {
      String repr = l.get(i);
      BigDecimal value = decimal(repr);
      int len = repr.length();
      int n = l.size();
      if (ymd.size() == 3 && (len == 2 || len == 4) && hour == null
          && (i + 1 >= n || (!l.get(i + 1).equals(":") && hms(l.get(i + 1)) == null))) {
        hour = Integer.parseInt(repr.substring(0, 2)); // 19990101T23[59]
        if (len == 4) {
          minute = Integer.parseInt(repr.substring(2));
        }
      } else if (len == 6 || (len > 6 && repr.indexOf('.') == 6)) {
        if (ymd.size() == 0 && !repr.contains(".")) {
          ymd.append(repr.substring(0, 2)); // YYMMDD
          ymd.append(repr.substring(2, 4));
          ymd.append(repr.substring(4));
        } else {
          hour = Integer.parseInt(repr.substring(0, 2)); // HHMMSS[.ss]
          minute = Integer.parseInt(repr.substring(2, 4));
          seconds(repr.substring(4));
        }
      } else if (len == 8 || len == 12 || len == 14) {
        ymd.append(repr.substring(0, 4), 'Y'); // YYYYMMDD[HHMM[SS]]
        ymd.append(repr.substring(4, 6));
        ymd.append(repr.substring(6, 8));
        if (len > 8) {
          hour = Integer.parseInt(repr.substring(8, 10));
          minute = Integer.parseInt(repr.substring(10, 12));
          if (len > 12) {
            second = Integer.parseInt(repr.substring(12));
          }
        }
      } else if (hmsIndex(i) != null) {
        int h = hmsIndex(i);
        int label;
        if (h > i) {
          label = hms(l.get(h));
          i = h;
        } else {
          label = hms(l.get(h)) + 1;
        }
        if (label == 0) {
          hour = clamped(value);
          if (value.remainder(BigDecimal.ONE).signum() != 0) {
            minute = value.remainder(BigDecimal.ONE).multiply(BigDecimal.valueOf(60)).intValue();
          }
        } else if (label == 1) {
          minSec(value);
        } else if (label == 2) {
          seconds(repr);
        }
      } else if (i + 2 < n && l.get(i + 1).equals(":")) {
        hour = clamped(value); // HH:MM[:SS[.ss]]
        minSec(decimal(l.get(i + 2)));
        if (i + 4 < n && l.get(i + 3).equals(":")) {
          seconds(l.get(i + 4));
          i += 2;
        }
        i += 2;
      } else if (i + 1 < n && Set.of("-", "/", ".").contains(l.get(i + 1))) {
        String sep = l.get(i + 1);
        ymd.append(repr);
        if (i + 2 < n && !jump(l.get(i + 2))) {
          if (digits(l.get(i + 2))) {
            ymd.append(l.get(i + 2)); // 01-01[-01]
          } else if (month(l.get(i + 2)) != null) {
            ymd.append(month(l.get(i + 2)), 'M'); // 01-Jan[-01]
          } else {
            throw new Refused();
          }
          if (i + 3 < n && l.get(i + 3).equals(sep)) {
            Integer m = month(at(i + 4));
            if (m != null) {
              ymd.append(m, 'M');
            } else {
              ymd.append(at(i + 4));
            }
            i += 2;
          }
          i += 1;
        }
        i += 1;
      } else if (i + 1 >= n || jump(l.get(i + 1))) {
        if (i + 2 < n && ampm(l.get(i + 2)) != null) {
          hour = adjust(clamped(value), ampm(l.get(i + 2))); // 12 am
          i += 1;
        } else {
          ymd.append(value); // a year, month or day
        }
        i += 1;
      } else if (ampm(l.get(i + 1)) != null && value.signum() >= 0 && value.compareTo(BigDecimal.valueOf(24)) < 0) {
        hour = adjust(clamped(value), ampm(l.get(i + 1))); // 12am
        i += 1;
      } else if (ymd.couldBeDay(clamped(value))) {
        ymd.append(value);
      } else {
        throw new Refused();
      }
      return i;
    }

    Integer hmsIndex(int i) {
      int n = l.size();
      if (i + 1 < n && hms(l.get(i + 1)) != null) {
        return i + 1;
      } else if (i + 2 < n && l.get(i + 1).equals(" ") && hms(l.get(i + 2)) != null) {
        return i + 2;
      } else if (i > 0 && hms(l.get(i - 1)) != null) {
        return i - 1;
      } else if (1 < i && i == n - 1 && l.get(i - 1).equals(" ") && hms(l.get(i - 2)) != null) {
        return i - 2;
      }
      return null;
    }

    void minSec(BigDecimal value) {
      minute = clamped(value);
      BigDecimal rest = value.remainder(BigDecimal.ONE);
      if (rest.signum() != 0) {
        second = rest.multiply(BigDecimal.valueOf(60)).intValue();
      }
    }

    /** {@code _parsems}: seconds and microseconds from "SS[.ffffff]". */
    void seconds(String s) {
      int dot = s.indexOf('.');
      if (dot < 0) {
        second = Integer.parseInt(s);
        micro = 0;
      } else {
        if (s.indexOf('.', dot + 1) >= 0) {
          throw new Refused();
        }
        second = Integer.parseInt(s.substring(0, dot));
        String f = (s.substring(dot + 1) + "000000").substring(0, 6);
        micro = Integer.parseInt(f);
      }
    }

    int convertYear(int year, boolean centurySpecified) {
      if (year < 100 && !centurySpecified) {
        int now = LocalDate.now().getYear();
        year += now / 100 * 100;
        if (year >= now + 50) {
          year -= 100;
        } else if (year < now - 50) {
          year += 100;
        }
      }
      return year;
    }

    static int adjust(int hour, int ampm) {
      if (hour < 12 && ampm == 1) {
        return hour + 12;
      }
      return hour == 12 && ampm == 0 ? 0 : hour;
    }
  }

  /** dateutil's {@code _ymd}: the year, month and day candidates in order, with which are known to be which. */
  private static final class Ymd {
    final List<Integer> values = new ArrayList<>();
    boolean centurySpecified;
    Integer y;
    Integer m;
    Integer d;

    int size() {
      return values.size();
    }

    void append(String s) {
      append(s, ' ');
    }

    void append(String s, char label) {
      if (digits(s) && s.length() > 2) {
        centurySpecified = true;
        label = 'Y';
      }
      add(Integer.parseInt(s), label); // int("1.5") raises: refused
    }

    void append(BigDecimal v) {
      char label = ' ';
      if (v.compareTo(BigDecimal.valueOf(100)) > 0) {
        centurySpecified = true;
        label = 'Y';
      }
      add(clamped(v), label);
    }

    void append(int v, char label) {
      add(v, label);
    }

    private void add(int v, char label) {
      values.add(v);
      int at = values.size() - 1;
      if (label == 'M') {
        if (m != null) {
          throw new Refused(); // Month is already set
        }
        m = at;
      } else if (label == 'Y') {
        if (y != null) {
          throw new Refused(); // Year is already set
        }
        y = at;
      }
    }

    boolean couldBeDay(int v) {
      if (d != null) {
        return false;
      } else if (m == null) {
        return 1 <= v && v <= 31;
      }
      int month = values.get(m);
      int year = y == null ? 2000 : values.get(y);
      return month >= 1 && month <= 12 && 1 <= v && v <= YearMonth.of(year, month).lengthOfMonth();
    }

    /** {@code resolve_ymd} with dayfirst and yearfirst off: year, month, day (-1 where unknown). */
    int[] resolve() {
      int n = values.size();
      int known = (y != null ? 1 : 0) + (m != null ? 1 : 0) + (d != null ? 1 : 0);
      if ((n == known && known > 0) || (n == 3 && known == 2)) {
        int[] idx = {y == null ? -1 : y, m == null ? -1 : m, d == null ? -1 : d};
        if (n == 3 && known == 2) {
          int missing = 3 - idx[0] - idx[1] - idx[2] - 1; // indexes 0+1+2 = 3; the unknown one is -1
          for (int k = 0; k < 3; k++) {
            if (idx[k] < 0) {
              idx[k] = missing;
            }
          }
        }
        return new int[] {get(idx[0]), get(idx[1]), get(idx[2])};
      }
      int year = -1;
      int month = -1;
      int day = -1;
      List<Integer> v = values;
      if (n > 3) {
        throw new Refused(); // More than three YMD values
      } else if (n == 1 || (m != null && n == 2)) {
        int other;
        if (m != null) {
          month = v.get(m);
          other = v.get(Math.floorMod(m - 1, n));
        } else {
          other = v.get(0);
        }
        if (n > 1 || m == null) {
          if (other > 31) {
            year = other;
          } else {
            day = other;
          }
        }
      } else if (n == 2) {
        if (v.get(0) > 31) {
          year = v.get(0);
          month = v.get(1);
        } else if (v.get(1) > 31) {
          month = v.get(0);
          year = v.get(1);
        } else {
          month = v.get(0);
          day = v.get(1);
        }
      } else if (n == 3) {
        int a = v.get(0);
        int b = v.get(1);
        int c = v.get(2);
        if (m != null && m == 0) {
          if (b > 31) {
            month = a;
            year = b;
            day = c;
          } else {
            month = a;
            day = b;
            year = c;
          }
        } else if (m != null && m == 1) {
          if (a > 31) {
            year = a;
            month = b;
            day = c;
          } else {
            day = a;
            month = b;
            year = c;
          }
        } else if (m != null && m == 2) {
          if (b > 31) {
            day = a;
            year = b;
            month = c;
          } else {
            year = a;
            day = b;
            month = c;
          }
        } else if (a > 31 || (y != null && y == 0)) {
          year = a;
          month = b;
          day = c;
        } else if (a > 12) {
          day = a;
          month = b;
          year = c;
        } else {
          month = a;
          day = b;
          year = c;
        }
      }
      return new int[] {year, month, day};
    }

    private int get(int index) {
      return index < 0 ? -1 : values.get(index);
    }
  }
}
