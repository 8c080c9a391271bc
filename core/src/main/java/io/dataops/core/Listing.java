package io.dataops.core;

import java.util.Collection;
import java.util.Iterator;
import java.util.StringJoiner;

/**
 * Names in a one-line message: all of a few, else the first few and how many more, each cut to a readable length, so
 * that a header of thousands of columns still gives a line a person can read.
 */
public final class Listing {
  /** How many names a message shows. */
  public static final int SHOWN = 10;
  private static final int LONGEST = 64;

  private Listing() {}

  /** "a, b, c", or "a, …, j and 9,980 more". */
  public static String some(Collection<String> names) {
    StringJoiner shown = new StringJoiner(", ");
    Iterator<String> it = names.iterator();
    for (int i = 0; i < SHOWN && it.hasNext(); i++) {
      String name = it.next();
      shown.add(name.length() > LONGEST ? name.substring(0, LONGEST) + "…" : name);
    }
    int more = names.size() - SHOWN;
    return more > 0 ? shown + String.format(" and %,d more", more) : shown.toString();
  }

  /** "9,990 " when there are more names than a message shows, else "": for "the header has 9,990 columns ...". */
  public static String countIfMany(Collection<String> names) {
    return names.size() > SHOWN ? String.format("%,d ", names.size()) : "";
  }
}
