package io.dataops.pipelines.privacy.lattice;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A generalization hierarchy of one quasi-identifier: level 0 is the value as its policy leaves it (in its canonical
 * text), each higher level is coarser and a function of the level below (so classes only merge as levels rise, which
 * the lattice search relies on), and the top level is {@link #TOP}. Null stays null below the top. Implementations
 * are immutable records, shipped to parallel tasks with the run's policies.
 */
public interface Hierarchy extends Serializable {
  String TOP = "*";

  /** The number of levels, the value itself and {@link #TOP} included (at least 2). */
  int height();

  /** The value at {@code level}; level 0 gives {@code value}, the top level {@link #TOP}. */
  default String generalize(String value, int level) {
    if (level <= 0) {
      return value;
    }
    if (level >= height() - 1) {
      return TOP;
    }
    return value == null ? null : coarser(value, level);
  }

  /** The value (a level-0 text, not null) at a level strictly between 0 and the top. */
  String coarser(String value, int level);

  /** What each level keeps, in words, for reports: e.g. "month, quarter, year, *". */
  default String describe() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < height(); i++) {
      names.add(levelName(i));
    }
    return String.join(", ", names);
  }

  /** The name of one level, for reports. */
  String levelName(int level);
}
