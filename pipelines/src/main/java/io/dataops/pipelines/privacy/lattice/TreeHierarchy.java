package io.dataops.pipelines.privacy.lattice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Categories in a declared tree (industry code → major group → section): each leaf value with its ancestors, nearest
 * first, all leaves equally deep. A value the tree does not name becomes {@code *} above level 0.
 *
 * @param ancestors each leaf → its ancestors, nearest first
 */
public record TreeHierarchy(Map<String, List<String>> ancestors, int depth) implements Hierarchy {
  public TreeHierarchy {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    ancestors.forEach((leaf, up) -> {
      if (up.size() != depth) {
        throw new IllegalArgumentException("'" + leaf + "' is " + up.size() + " levels deep, the other leaves "
            + depth + ": every leaf of a category tree must be equally deep");
      }
      copy.put(leaf, List.copyOf(up));
    });
    ancestors = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * A tree as the pipeline writes it: a mapping of groups, each a mapping of subgroups or a list of leaf values.
   */
  public static TreeHierarchy parse(Map<?, ?> tree) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    walk(tree, List.of(), out);
    int depth = out.values().stream().mapToInt(List::size).max().orElse(0);
    return new TreeHierarchy(out, depth);
  }

  private static void walk(Object node, List<String> path, Map<String, List<String>> out) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        List<String> p = new java.util.ArrayList<>(path);
        p.add(0, String.valueOf(k));
        walk(v, p, out);
      });
    } else if (node instanceof List<?> leaves) {
      for (Object leaf : leaves) {
        if (out.put(String.valueOf(leaf), path) != null) {
          throw new IllegalArgumentException("'" + leaf + "' is in the category tree twice");
        }
      }
    } else {
      throw new IllegalArgumentException("a category tree maps groups to subgroups or to lists of values");
    }
  }

  @Override
  public int height() {
    return depth + 2;
  }

  @Override
  public String coarser(String value, int level) {
    List<String> up = ancestors.get(value);
    return up == null ? TOP : up.get(level - 1);
  }

  @Override
  public String describe() {
    return "value, " + depth + " levels of groups, *";
  }

  @Override
  public String levelName(int level) {
    return level == 0 ? "value" : level >= height() - 1 ? TOP : "group level " + level;
  }
}
