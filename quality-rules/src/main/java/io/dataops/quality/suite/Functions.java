package io.dataops.quality.suite;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/** The functions GX's suite-parameter expressions may call, with Python's meaning. */
final class Functions {
  private Functions() {}

  private static final List<String> DATETIME = List.of("year", "month", "day", "hour", "minute", "second",
      "microsecond");
  private static final List<String> TIMEDELTA = List.of("days", "seconds", "microseconds", "milliseconds", "minutes",
      "hours", "weeks");
  private static final double[] TIMEDELTA_SECONDS = {86_400, 1, 1e-6, 1e-3, 60, 3_600, 604_800};

  static Object call(String name, List<Object> args, Map<String, Object> kwargs, Clock clock) {
    return switch (name) {
      case "now" -> {
        arity(name, args, kwargs, 0);
        yield LocalDateTime.now(clock);
      }
      case "datetime" -> datetime(args, kwargs);
      case "timedelta" -> timedelta(args, kwargs);
      case "abs" -> {
        Object x = one(name, args, kwargs);
        yield x instanceof Long l ? (Object) Math.abs(l) : Math.abs(number(name, x));
      }
      case "trunc" -> (long) number(name, one(name, args, kwargs));
      case "round" -> round(args, kwargs);
      case "sgn" -> {
        double x = number(name, one(name, args, kwargs));
        yield x < -1e-12 ? -1L : x > 1e-12 ? 1L : 0L;
      }
      case "sin" -> Math.sin(number(name, one(name, args, kwargs)));
      case "cos" -> Math.cos(number(name, one(name, args, kwargs)));
      case "tan" -> Math.tan(number(name, one(name, args, kwargs)));
      case "exp" -> Math.exp(number(name, one(name, args, kwargs)));
      default -> throw new ParameterExpression.Problem("unknown function " + name + "() (GX's are abs, trunc, round, "
          + "sgn, sin, cos, tan, exp, now, datetime, timedelta)");
    };
  }

  private static LocalDateTime datetime(List<Object> args, Map<String, Object> kwargs) {
    long[] v = {0, 0, 0, 0, 0, 0, 0};
    boolean[] given = new boolean[v.length];
    fill("datetime", DATETIME, args, kwargs, v, given);
    if (!given[0] || !given[1] || !given[2]) {
      throw new ParameterExpression.Problem("datetime() needs year, month and day");
    }
    try {
      return LocalDateTime.of((int) v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4], (int) v[5],
          Math.toIntExact(v[6] * 1000));
    } catch (DateTimeException | ArithmeticException e) {
      throw new ParameterExpression.Problem("datetime(): " + e.getMessage());
    }
  }

  private static Duration timedelta(List<Object> args, Map<String, Object> kwargs) {
    double[] v = new double[TIMEDELTA.size()];
    if (args.size() > v.length) {
      throw new ParameterExpression.Problem("timedelta() takes at most 7 arguments");
    }
    for (int i = 0; i < args.size(); i++) {
      v[i] = number("timedelta", args.get(i));
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      int i = TIMEDELTA.indexOf(e.getKey());
      if (i < 0) {
        throw new ParameterExpression.Problem("timedelta() has no argument '" + e.getKey() + "' (it takes "
            + String.join(", ", TIMEDELTA) + ")");
      }
      v[i] = number("timedelta", e.getValue());
    }
    BigDecimal seconds = BigDecimal.ZERO;
    for (int i = 0; i < v.length; i++) {
      seconds = seconds.add(BigDecimal.valueOf(v[i]).multiply(BigDecimal.valueOf(TIMEDELTA_SECONDS[i])));
    }
    // Python keeps whole microseconds, rounding half to even.
    BigDecimal micros = seconds.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN);
    return Duration.ofNanos(micros.longValueExact() * 1000);
  }

  private static Object round(List<Object> args, Map<String, Object> kwargs) {
    if (!kwargs.isEmpty() || args.isEmpty() || args.size() > 2) {
      throw new ParameterExpression.Problem("round() takes a number and optionally a number of digits");
    }
    BigDecimal x = new BigDecimal(String.valueOf(number("round", args.get(0))));
    if (args.size() == 1) {
      return x.setScale(0, RoundingMode.HALF_EVEN).longValue(); // Python 3 rounds half to even
    }
    int digits = (int) number("round", args.get(1));
    return x.setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
  }

  private static void fill(String name, List<String> names, List<Object> args, Map<String, Object> kwargs, long[] v,
      boolean[] given) {
    if (args.size() > names.size()) {
      throw new ParameterExpression.Problem(name + "() takes at most " + names.size() + " arguments");
    }
    for (int i = 0; i < args.size(); i++) {
      v[i] = whole(name, args.get(i));
      given[i] = true;
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      int i = names.indexOf(e.getKey());
      if (i < 0) {
        throw new ParameterExpression.Problem(name + "() has no argument '" + e.getKey() + "' (it takes "
            + String.join(", ", names) + ")");
      }
      v[i] = whole(name, e.getValue());
      given[i] = true;
    }
  }

  private static long whole(String name, Object x) {
    if (!(x instanceof Long l)) {
      throw new ParameterExpression.Problem(name + "() takes whole numbers, not " + ParameterExpression.kind(x));
    }
    return l;
  }

  private static double number(String name, Object x) {
    if (!(x instanceof Number n)) {
      throw new ParameterExpression.Problem(name + "() takes a number, not " + ParameterExpression.kind(x));
    }
    return n.doubleValue();
  }

  private static Object one(String name, List<Object> args, Map<String, Object> kwargs) {
    arity(name, args, kwargs, 1);
    return args.get(0);
  }

  private static void arity(String name, List<Object> args, Map<String, Object> kwargs, int n) {
    if (args.size() != n || !kwargs.isEmpty()) {
      throw new ParameterExpression.Problem(name + "() takes " + n + " argument" + (n == 1 ? "" : "s"));
    }
  }
}
