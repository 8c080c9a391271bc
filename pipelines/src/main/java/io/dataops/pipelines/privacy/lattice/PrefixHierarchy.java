package io.dataops.pipelines.privacy.lattice;

import java.util.List;

/**
 * Codes cut to fewer leading characters: an industry code "C1311" with lengths [3, 1] is "C13" (major group), then
 * "C" (section), then *. Declared in the pipeline ({@code prefix: [3, 1]}).
 */
public record PrefixHierarchy(List<Integer> lengths) implements Hierarchy {
  public PrefixHierarchy {
    lengths = List.copyOf(lengths);
    for (int i = 0; i < lengths.size(); i++) {
      if (lengths.get(i) < 1 || i > 0 && lengths.get(i) >= lengths.get(i - 1)) {
        throw new IllegalArgumentException("prefix lengths are positive and shrink as levels rise");
      }
    }
  }

  @Override
  public int height() {
    return lengths.size() + 2;
  }

  @Override
  public String coarser(String value, int level) {
    int keep = lengths.get(level - 1);
    int n = value.codePointCount(0, value.length());
    return n <= keep ? value : value.substring(0, value.offsetByCodePoints(0, keep));
  }

  @Override
  public String levelName(int level) {
    return level == 0 ? "value" : level >= height() - 1 ? TOP : "first " + lengths.get(level - 1);
  }
}
