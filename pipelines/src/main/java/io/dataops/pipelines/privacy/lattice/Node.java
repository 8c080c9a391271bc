package io.dataops.pipelines.privacy.lattice;

import java.util.List;

/**
 * One lattice node as evaluated: its level per quasi-identifier and what applying it gives. Records are weighted
 * rows; with a person key, classes are sized by their distinct people and the suppression limit counts people.
 *
 * @param meets whether it meets k (and l) with at most the suppression limit suppressed
 * @param loss the normalized information loss (ARX's "Loss" metric, Iyengar's LM): per cell, (the number of
 *     distinct input values its generalized value covers − 1) / (the column's distinct values − 1), {@code *} and
 *     suppressed cells 1; averaged over the records and the quasi-identifiers
 * @param lossByColumn that average per quasi-identifier, in their order
 * @param discernibility the sum over kept classes of their records squared, plus records × suppressed records
 * @param smallestClass the smallest kept class (people, with a person key), 0 when nothing is kept
 * @param maxDistance with t-closeness, the highest earth mover's distance of a kept class to the table (else 0)
 * @param classesAbove with t-closeness, the classes k and l keep that are suppressed for a distance above t
 */
public record Node(
    List<Integer> levels,
    boolean meets,
    long records,
    long recordsSuppressed,
    long people,
    long peopleSuppressed,
    long classes,
    long classesSuppressed,
    long smallestClass,
    double loss,
    List<Double> lossByColumn,
    long discernibility,
    double maxDistance,
    long classesAbove) {

  /** The share the suppression limit is about: of people when they are counted, else of records. */
  public double suppressedShare() {
    long all = people > 0 ? people : records;
    long gone = people > 0 ? peopleSuppressed : recordsSuppressed;
    return all == 0 ? 0 : (double) gone / all;
  }

  public int height() {
    return levels.stream().mapToInt(Integer::intValue).sum();
  }
}
