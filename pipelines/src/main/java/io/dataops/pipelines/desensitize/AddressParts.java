package io.dataops.pipelines.desensitize;

import java.util.Set;

/**
 * Where the administrative levels of a mainland address end: province (省, 自治区, 特别行政区, or one of the four
 * municipalities), prefecture (市, 自治州, 地区, 盟), county (区, 县, 旗, county-level 市) and township (街道, 镇,
 * 乡, 苏木). Levels may be missing (an address that starts at the district is common in local registers).
 */
public final class AddressParts {
  private AddressParts() {}

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
  public static int endOf(String address, Mask.AddressLevel level) {
    int pos = 0;
    int end = 0;
    // Province.
    // The municipalities are three chars ending in 市; no province suffix makes such a prefix.
    boolean municipality = address.length() >= 3 && address.charAt(2) == '市' && municipality(address);
    int p = municipality ? 3 : suffixEnd(address, 0, PROVINCE, 2);
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

  private static boolean municipality(String address) {
    for (String m : MUNICIPALITIES) {
      if (address.startsWith(m)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The end of the shortest part starting at {@code from}, with a name of at least {@code minNameChars} characters,
   * that ends in one of {@code suffixes}; -1 when there is none within {@link #MAX_PART} characters.
   */
  private static int suffixEnd(String s, int from, String[] suffixes, int minNameChars) {
    // One pass over the part's reach: the shortest part is the smallest end of any suffix at any position (a
    // suffix's first occurrence gives its smallest end), and no position past the best end so far can give a smaller.
    int best = -1;
    int reach = Math.min(s.length(), from + MAX_PART);
    for (int i = from + minNameChars; i < reach && (best < 0 || i < best); i++) {
      char c = s.charAt(i);
      for (String suffix : suffixes) {
        int e = i + suffix.length();
        if (suffix.charAt(0) == c && e <= reach && (best < 0 || e < best) && s.startsWith(suffix, i)) {
          best = e;
        }
      }
    }
    return best;
  }
}
