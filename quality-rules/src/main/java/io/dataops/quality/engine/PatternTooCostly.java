package io.dataops.quality.engine;

import io.dataops.core.BadInputException;

/**
 * A value on which a regular expression of a suite ran past its step budget ({@link BoundedRegex}). The pattern is
 * the suite's to mend; {@link ComplianceAnalyzer} adds the expectation and the row, and the expectation raises with
 * this message (GX's exception_info) while the rest of the suite is checked. The value itself is never named: it may
 * be personal.
 */
public final class PatternTooCostly extends BadInputException {
  private final String pattern;
  private final int valueLength;

  PatternTooCostly(String pattern, int valueLength) {
    super(describe(pattern, valueLength, ""));
    this.pattern = pattern;
    this.valueLength = valueLength;
  }

  private PatternTooCostly(String pattern, int valueLength, String where) {
    super(describe(pattern, valueLength, where));
    this.pattern = pattern;
    this.valueLength = valueLength;
  }

  /** The same overrun, located: {@code where} names the expectation and the row. */
  PatternTooCostly at(String where) {
    return new PatternTooCostly(pattern, valueLength, where);
  }

  private static String describe(String pattern, int valueLength, String where) {
    String shown = pattern.length() <= 200 ? pattern : pattern.substring(0, 200) + "...";
    return "the pattern '" + shown + "'" + where + " needed more than " + String.format("%,d", BoundedRegex.budget(
        valueLength)) + " steps on one value of " + valueLength + " characters: it backtracks (nested or overlapping "
        + "repetition such as (a+)+ or (a|a)* tries ever more ways to split a value that almost matches); rewrite it "
        + "so that each character can be matched one way only";
  }
}
