package io.dataops.pipelines.privacy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For each of some columns, the smallest group of people sharing one of its values: what tells a column that places
 * people into small groups (an employer, a school, a small street) although nobody declared it a quasi-identifier.
 * One pass over the rows; each column's values are counted as one-column classes by a {@link ClassCounter} (spilling
 * beyond its share of the memory budget). People are distinct person hashes per value, counted only up to {@code k}
 * (a group of k or more is large enough, its exact size does not matter), else the rows' weights. Values are held
 * only as hashes: nothing of a value can come out of here, only counts.
 */
public final class SmallestGroups implements AutoCloseable {
  private final List<String> columns;
  private final boolean people;
  private final int k;
  private final Path spillDir;
  private final long columnBudget;
  private final ClassCounter[] counters;
  private final ValueKey key = new ValueKey();
  private final ValueKey personKey = new ValueKey();

  /**
   * @param people count distinct persons per value ({@link #add}'s {@code person}); else sum the rows' weights
   * @param k the size below which a group is small (people are counted up to it)
   */
  public SmallestGroups(List<String> columns, boolean people, int k, Path spillDir, long memoryBudget) {
    if (k < 2 || k > 127) {
      throw new IllegalArgumentException("k is between 2 and 127 here, not " + k);
    }
    this.columns = List.copyOf(columns);
    this.people = people;
    this.k = k;
    this.spillDir = spillDir;
    this.columnBudget = Math.max(1 << 20, memoryBudget / Math.max(1, columns.size()));
    this.counters = new ClassCounter[columns.size()];
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new ClassCounter(people ? k : 0, spillDir.resolve("column-" + i), columnBudget);
    }
  }

  /**
   * One row: its values of the columns (as the product shows them), its person (with {@code people}) and how many
   * people it stands for (a count column's value, else 1).
   */
  public void add(Object[] values, Object person, long weight) {
    long p = people ? personKey.reset().add(person).hash().h1 : 0;
    for (int i = 0; i < counters.length; i++) {
      Hash128 h = key.reset().add(values[i]).hash();
      counters[i].add(h.h1, h.h2, weight, p, people);
    }
  }

  /**
   * Each column's smallest group (people, or weighted rows), in column order; with {@code people} a group of k or
   * more is reported as k. A column with no rows is absent. The counter cannot be used after.
   */
  public Map<String, Long> finish() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < counters.length; i++) {
      ClassCounts.Basis basis = new ClassCounts.Basis(people ? k : 0, List.of(columns.get(i)), people ? "person" : null,
          null);
      try (ClassCounts counts = new ClassCounts(basis, spillDir.resolve("column-" + i), columnBudget)) {
        counters[i].handOver(counts);
        long smallest = Long.MAX_VALUE;
        try (ClassCounts.Cursor c = counts.cursor()) {
          while (c.next()) {
            smallest = Math.min(smallest, people ? c.distinct() : c.weight());
          }
        }
        if (smallest != Long.MAX_VALUE) {
          out.put(columns.get(i), smallest);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (ClassCounter c : counters) {
      c.close();
    }
  }
}
