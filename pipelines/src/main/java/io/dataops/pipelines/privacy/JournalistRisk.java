package io.dataops.pipelines.privacy;

/**
 * The journalist risk of the product against a population table (ARX's definition): a kept record's risk is 1 / the
 * number of people of the population in its class. A class the population holds fewer people of than the product
 * (the population is not a superset of the product's people) is sized by the product's own count instead, and
 * counted in {@code classesShortOfPopulation}.
 *
 * @param people the population's people (its rows)
 * @param maxRisk the highest risk of a kept record
 * @param avgRisk the average risk over the kept records
 * @param recordsAtRisk kept records whose risk is above the threshold; {@code shareAtRisk} their share of those kept
 */
public record JournalistRisk(String table, long snapshotId, long people, double maxRisk, double avgRisk,
    long recordsAtRisk, double shareAtRisk, long classesShortOfPopulation) {}
