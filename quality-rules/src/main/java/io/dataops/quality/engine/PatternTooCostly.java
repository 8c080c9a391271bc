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
  /** The engine's recursion, not its steps, ran out: a repeated group recurses once per repetition. */
  private final boolean tooDeep;

  PatternTooCostly(String pattern, int valueLength) {
    this(pattern, valueLength, "", false);
  }

  PatternTooCostly(String pattern, int valueLength, boolean tooDeep) {
    this(pattern, valueLength, "", tooDeep);
  }

  private PatternTooCostly(String pattern, int valueLength, String where, boolean tooDeep) {
    super(tooDeep ? describeDepth(pattern, valueLength, where) : describe(pattern, valueLength, where));
    this.pattern = pattern;
    this.valueLength = valueLength;
    this.tooDeep = tooDeep;
  }

  /** The same overrun, located: {@code where} names the expectation and the row. */
  PatternTooCostly at(String where) {
    return new PatternTooCostly(pattern, valueLength, where, tooDeep);
  }

  private static String describeDepth(String pattern, int valueLength, String where) {
    return "the pattern '" + shown(pattern) + "'" + where + " nests too deeply on one value of " + valueLength
        + " characters: Java's regex engine recurses once per repetition of a group such as (a|b)+ and ran out of "
        + "stack; match single characters instead ([ab]+), or check values this long another way";
  }

  private static String shown(String pattern) {
    return pattern.length() <= 200 ? pattern : pattern.substring(0, 200) + "...";
  }

  private static String describe(String pattern, int valueLength, String where) {
    String shown = shown(pattern);
    return "the pattern '" + shown + "'" + where + " needed more than " + String.format("%,d", BoundedRegex.budget(
        valueLength)) + " steps on one value of " + valueLength + " characters: it backtracks (nested or overlapping "
        + "repetition such as (a+)+ or (a|a)* tries ever more ways to split a value that almost matches); rewrite it "
        + "so that each character can be matched one way only";
  }
}
