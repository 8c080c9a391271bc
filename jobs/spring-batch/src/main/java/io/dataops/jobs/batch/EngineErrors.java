package io.dataops.jobs.batch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB's error messages may quote the value that failed ("Could not convert string '张三' to INT32"): a name, an ID
 * number. They are passed on redacted, and without the original exception as cause, so that neither the message nor
 * the stack trace in the log carries the value. Quoted identifiers ("column") stay: they say what failed. An error
 * caused by the data itself (a conversion or an overflow; DuckDB names its class first, after "[errno -1] " when it
 * comes through the Arrow stream) is bad input ({@link InputDataException}), with double-quoted values redacted too
 * ("date field value out of range: \"1990-13-01\"").
 */
final class EngineErrors {
  private static final Pattern QUOTED_VALUE = Pattern.compile("'[^']*'");
  private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"[^\"]*\"");
  private static final Pattern LONG_NUMBER = Pattern.compile("\\d{5,}[\\dXx]*");
  private static final Pattern DATA_ERROR =
      Pattern.compile("(?:\\[errno -?\\d+\\] )?((?:Conversion|Out of Range) Error: .*)");

  private EngineErrors() {}

  static RuntimeException failure(String what, Throwable e) {
    String first = firstLine(e);
    Matcher data = DATA_ERROR.matcher(first);
    if (data.matches()) {
      return new InputDataException(redact(DOUBLE_QUOTED.matcher(data.group(1)).replaceAll("\"…\"")));
    }
    IllegalStateException x = new IllegalStateException(what + ": " + redact(first));
    x.setStackTrace(e.getStackTrace()); // where it failed, not what it failed on
    return x;
  }

  static String redact(String message) {
    return LONG_NUMBER.matcher(QUOTED_VALUE.matcher(message).replaceAll("'…'")).replaceAll("#…");
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
