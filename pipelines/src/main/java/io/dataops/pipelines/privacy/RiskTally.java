package io.dataops.pipelines.privacy;

/**
 * Tallies the risks of the kept classes, handed over in ascending hash order: records above the risk threshold under
 * the prosecutor model (risk 1 / the class's size in the product) and, with a population's class counts (same hash
 * order), under the journalist model (1 / the class's people in the population), joined by a merge of the two
 * sorted streams: memory does not grow with the classes.
 */
final class RiskTally implements AutoCloseable {
  private final double threshold;
  private final ClassCounts population;
  private final ClassCounts.Cursor pop;
  private boolean popLeft;
  private long records;
  private long prosecutorAtRisk;
  private long journalistAtRisk;
  private double journalistSum;
  private double journalistMax;
  private long short_;

  RiskTally(double threshold, ClassCounts population) {
    this.threshold = threshold;
    this.population = population;
    this.pop = population == null ? null : population.cursor();
    this.popLeft = pop != null && pop.next();
  }

  /**
   * A kept class: its hash, its records (weighted rows) and its size as k counts it (people, or records).
   */
  void kept(long h1, long h2, long classRecords, long size) {
    records += classRecords;
    if (size > 0 && 1.0 / size > threshold) {
      prosecutorAtRisk += classRecords;
    }
    if (pop == null) {
      return;
    }
    while (popLeft && ClassCounts.compare(pop.h1(), pop.h2(), h1, h2) < 0) {
      popLeft = pop.next();
    }
    long people = popLeft && pop.h1() == h1 && pop.h2() == h2 ? pop.weight() : 0;
    if (people < size) {
      short_++;
      people = size;
    }
    double risk = people == 0 ? 0 : 1.0 / people;
    journalistMax = Math.max(journalistMax, risk);
    journalistSum += risk * classRecords;
    if (risk > threshold) {
      journalistAtRisk += classRecords;
    }
  }

  long prosecutorAtRisk() {
    return prosecutorAtRisk;
  }

  double prosecutorShareAtRisk() {
    return records == 0 ? 0 : (double) prosecutorAtRisk / records;
  }

  /** The journalist risk (null without a population). */
  JournalistRisk journalist(Population p, long people) {
    if (pop == null) {
      return null;
    }
    return new JournalistRisk(p.table(), p.snapshotId(), people, journalistMax,
        records == 0 ? 0 : journalistSum / records, journalistAtRisk,
        records == 0 ? 0 : (double) journalistAtRisk / records, short_);
  }

  @Override
  public void close() {
    if (pop != null) {
      pop.close();
      population.close();
    }
  }
}
