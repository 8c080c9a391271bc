package io.dataops.pipelines.privacy;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What the leak check found for output values it has already tested, per product column: most product columns hold
 * few distinct values (a district code, a birth year, a masked name), so a value seen again replays its outcome
 * instead of being rendered, hashed and probed again. Exact: a value is found only by equality with the one tested
 * (for the types here equal values have equal canonical texts). Bounded: each column has {@link #SLOTS} slots, a value
 * goes to the slot of its hash and replaces what was there, so memory does not grow with the data. A column whose
 * values rarely repeat (a pseudonym) stops being looked up after {@link #TRIAL} values. One instance per thread.
 */
final class CheckedValues {
  static final int SLOTS = 4096;
  /** Values looked up in a column before deciding whether its memo pays. */
  static final int TRIAL = 1 << 14;

  /**
   * One value's outcome: whether it was tested at all (two characters or more), whether it is shaped like an
   * identifier, and its candidates (hash pairs in {@code hashes}, with whether each was rebuilt and its text).
   */
  record Outcome(boolean tested, boolean shaped, long[] hashes, boolean[] rebuilt, String[] texts) {
    static final long[] NO_HASHES = {};
    static final boolean[] NO_FLAGS = {};
    static final String[] NO_TEXTS = {};
    static final Outcome UNTESTED = new Outcome(false, false, NO_HASHES, NO_FLAGS, NO_TEXTS);
    static final Outcome CLEAN = new Outcome(true, false, NO_HASHES, NO_FLAGS, NO_TEXTS);
    static final Outcome SHAPED = new Outcome(true, true, NO_HASHES, NO_FLAGS, NO_TEXTS);
  }

  private final Object[][] values;
  private final Outcome[][] outcomes;
  private final int[] lookups;
  private final int[] hits;
  private final boolean[] off;

  CheckedValues(int columns) {
    values = new Object[columns][];
    outcomes = new Outcome[columns][];
    lookups = new int[columns];
    hits = new int[columns];
    off = new boolean[columns];
  }

  /** Whether values like {@code v} may be remembered: types whose equality implies the same canonical text. */
  static boolean remembers(Object v) {
    return v instanceof String || v instanceof Integer || v instanceof Long || v instanceof BigDecimal
        || v instanceof LocalDate;
  }

  /** The outcome remembered for {@code v} in column {@code c}, or null (then test it and {@link #put} the outcome). */
  Outcome find(int c, Object v) {
    if (off[c]) {
      return null;
    }
    if (values[c] == null) {
      values[c] = new Object[SLOTS];
      outcomes[c] = new Outcome[SLOTS];
    }
    int slot = slot(v);
    Object seen = values[c][slot];
    boolean equal = seen != null && seen.equals(v);
    Outcome found = equal ? outcomes[c][slot] : null;
    if (lookups[c] < TRIAL) {
      lookups[c]++;
      if (equal) { // a reserved slot counts as a hit too: testing one value at a time would have found its outcome
        hits[c]++;
      }
      if (lookups[c] == TRIAL && hits[c] < TRIAL / 4) {
        // Mostly distinct values: the lookups would cost more than they save.
        off[c] = true;
        values[c] = null;
        outcomes[c] = null;
      }
    }
    return found;
  }

  /**
   * Takes {@code v}'s slot for an outcome not known yet (a batch tests its values first and {@link #put}s their
   * outcomes after): until then, lookups of {@code v} count as hits but find no outcome.
   */
  void reserve(int c, Object v) {
    put(c, v, null);
  }

  void put(int c, Object v, Outcome outcome) {
    if (off[c]) {
      return;
    }
    int slot = slot(v);
    values[c][slot] = v;
    outcomes[c][slot] = outcome;
  }

  private static int slot(Object v) {
    int h = v.hashCode();
    return (h ^ h >>> 16) & (SLOTS - 1);
  }
}
