package io.dataops.pipelines.privacy.lattice;

import java.util.ArrayList;
import java.util.List;

/**
 * What a mask keeps, kept less: level i leaves the first {@code first[i]} and the last {@code last[i]} characters of
 * the masked value in clear and turns the rest into the mask character. Derived from a mask's keepFirst and keepLast
 * ({@link #fromMask}): the trailing part shrinks first (an ID number's sequence and sex digit go before its region),
 * then the leading part by two characters (an ID number's region: county, city, province).
 */
public record MaskHierarchy(List<Integer> first, List<Integer> last, char maskChar) implements Hierarchy {
  public MaskHierarchy {
    first = List.copyOf(first);
    last = List.copyOf(last);
    if (first.size() != last.size() || first.isEmpty()) {
      throw new IllegalArgumentException("a mask hierarchy needs as many first as last lengths");
    }
  }

  public static MaskHierarchy fromMask(int keepFirst, int keepLast, char maskChar) {
    List<Integer> f = new ArrayList<>();
    List<Integer> l = new ArrayList<>();
    f.add(keepFirst);
    l.add(keepLast);
    for (int last = keepLast; last > 0; ) {
      last = last / 2;
      f.add(keepFirst);
      l.add(last);
    }
    for (int fst = keepFirst; fst > 0; ) {
      fst = Math.max(0, fst - 2);
      if (fst == 0) {
        break; // nothing kept at all is the top
      }
      f.add(fst);
      l.add(0);
    }
    return new MaskHierarchy(f, l, maskChar);
  }

  @Override
  public int height() {
    return first.size() + 1;
  }

  @Override
  public String coarser(String value, int level) {
    int keepFirst = first.get(level);
    int keepLast = last.get(level);
    int n = value.codePointCount(0, value.length());
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    for (int at = 0; at < value.length(); i++) {
      int cp = value.codePointAt(at);
      out.appendCodePoint(i < keepFirst || i >= n - keepLast ? cp : maskChar);
      at += Character.charCount(cp);
    }
    return out.toString();
  }

  @Override
  public String levelName(int level) {
    return level >= height() - 1 ? TOP : "first " + first.get(level) + " last " + last.get(level);
  }
}
