package io.dataops.pipelines.desensitize;

import java.util.Set;

/** AddressParts as it was before the bounded suffix search (commit 5110b9e), to check it gives the same ends. */
final class AddressPartsBefore {
  private AddressPartsBefore() {}

  private static final Set<String> MUNICIPALITIES = Set.of("北京市", "上海市", "天津市", "重庆市");
  private static final String[] PROVINCE = {"特别行政区", "自治区", "省"};
  private static final String[] CITY = {"自治州", "地区", "盟", "市"};
  private static final String[] COUNTY = {"自治县", "区", "县", "旗", "市"};
  private static final String[] TOWNSHIP = {"街道", "苏木", "镇", "乡"};
  /** Longest name of one level, suffix included (内蒙古自治区 is 6, 新疆维吾尔自治区 8). */
  private static final int MAX_PART = 10;

  /**
   * The end (exclusive, a char index) of the address down to {@code level}; when that level is missing, the end of
   * the deepest level above it that is present; 0 when no level is recognised.
   */
  static int endOf(String address, Mask.AddressLevel level) {
    int pos = 0;
    int end = 0;
    // Province.
    int p = -1;
    for (String m : MUNICIPALITIES) {
      if (address.startsWith(m)) {
        p = m.length();
      }
    }
    if (p < 0) {
      p = suffixEnd(address, 0, PROVINCE, 2);
    }
    boolean municipality = p > 0 && MUNICIPALITIES.contains(address.substring(0, p));
    if (p > 0) {
      pos = end = p;
    }
    if (level == Mask.AddressLevel.PROVINCE) {
      return end;
    }
    // Prefecture (a municipality is its own prefecture).
    if (!municipality) {
      int c = suffixEnd(address, pos, CITY, 2);
      if (c > 0) {
        pos = end = c;
      }
    }
    if (level == Mask.AddressLevel.CITY) {
      return end;
    }
    int d = suffixEnd(address, pos, COUNTY, 1);
    if (d > 0) {
      pos = end = d;
    }
    if (level == Mask.AddressLevel.DISTRICT) {
      return end;
    }
    int t = suffixEnd(address, pos, TOWNSHIP, 1);
    if (t > 0) {
      end = t;
    }
    return end;
  }

  /**
   * The end of the shortest part starting at {@code from}, with a name of at least {@code minNameChars} characters,
   * that ends in one of {@code suffixes}; -1 when there is none within {@link #MAX_PART} characters.
   */
  private static int suffixEnd(String s, int from, String[] suffixes, int minNameChars) {
    int best = -1;
    for (String suffix : suffixes) {
      int i = s.indexOf(suffix, from + minNameChars);
      if (i >= 0 && i - from + suffix.length() <= MAX_PART) {
        int e = i + suffix.length();
        if (best < 0 || e < best) {
          best = e;
        }
      }
    }
    return best;
  }
}
