package io.dataops.quality.engine;

import java.util.regex.Pattern;

/**
 * java.util.regex with a step budget per value. Java's engine backtracks: a pattern with nested or overlapping
 * repetition, such as {@code ^(.*a){12}$}, can take exponential (or high polynomial)
 * time on a value that almost matches, so one unlucky or crafted value would hold a quality run for hours. Every
 * character the engine reads is a step; a value that needs more than {@link #budget} steps stops the check with
 * {@link PatternTooCostly} instead, which ends that expectation (exception_info) naming the expectation and the row
 * (not the value).
 *
 * <p>The budget — ten million steps and a thousand more per character of the value — is far above what a pattern
 * that reads each character a bounded number of times needs (a search of a 60-character pattern through a
 * 10,000-character value reads at most 600,000), and is spent in tens of milliseconds. From 10,000 characters on
 * it stays at twenty million, and past 1,000,000 grows by twenty a character only: a thousand a character gave one
 * 1,000,000-character value a billion steps, 5 to 20 s of a backtracking pattern per expectation, while a pattern
 * that reads each character up to twenty times still passes on a value of any length.
 */
public final class BoundedRegex {
  static final long BASE_STEPS = 10_000_000L;
  static final long STEPS_PER_CHARACTER = 1_000L;
  /** The budget of a long value: at least this, and {@link #STEPS_PER_LONG_CHARACTER} a character. */
  static final long LONG_VALUE_STEPS = 20_000_000L;
  static final long STEPS_PER_LONG_CHARACTER = 20L;

  private final Pattern pattern;
  private final String written;

  public BoundedRegex(Pattern pattern) {
    this(pattern, pattern.pattern());
  }

  /** {@code written}: the pattern as the suite spells it, where it was rewritten before compiling (a JSON schema's). */
  public BoundedRegex(Pattern pattern, String written) {
    this.pattern = pattern;
    this.written = written;
  }

  /** The steps a value of {@code length} characters may take. */
  public static long budget(int length) {
    return Math.min(BASE_STEPS + STEPS_PER_CHARACTER * length,
        Math.max(LONG_VALUE_STEPS, STEPS_PER_LONG_CHARACTER * length));
  }

  /** Whether the pattern matches somewhere in {@code value} (Python's re.search, as Great Expectations uses). */
  public boolean find(String value) {
    try {
      return pattern.matcher(new Counted(value)).find();
    } catch (StackOverflowError deep) {
      // A group repeated per character recurses per character: ^(a|b)+$ on 3,000 characters overflowed the stack and
      // ended a feed's whole check, after it had landed, as an internal error (found by a probe). Ends this
      // expectation, as an overrun of steps does.
      throw new PatternTooCostly(written, value.length(), true);
    }
  }

  /** The value as the matcher reads it: each character read is a step off the budget. */
  private final class Counted implements CharSequence {
    private final String value;
    private long left;

    Counted(String value) {
      this.value = value;
      this.left = budget(value.length());
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new PatternTooCostly(written, value.length());
      }
      return value.charAt(index);
    }

    @Override
    public int length() {
      return value.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return value.subSequence(start, end);
    }

    @Override
    public String toString() {
      return value;
    }
  }
}
