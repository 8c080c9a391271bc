package io.dataops.jobs.batch;

import java.util.regex.Pattern;

/**
 * DuckDB's error messages may quote the value that failed ("Could not convert string '张三' to INT32"): a name, an ID
 * number. They are passed on redacted, and without the original exception as cause, so that neither the message nor
 * the stack trace in the log carries the value. Quoted identifiers ("column") stay: they say what failed.
 */
final class EngineErrors {
  private static final Pattern QUOTED_VALUE = Pattern.compile("'[^']*'");
  private static final Pattern LONG_NUMBER = Pattern.compile("\\d{5,}[\\dXx]*");

  private EngineErrors() {}

  static IllegalStateException failure(String what, Throwable e) {
    IllegalStateException x = new IllegalStateException(what + ": " + redact(firstLine(e)));
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
