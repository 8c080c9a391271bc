package io.dataops.products.billing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The split of one product version's revenue (收益分配): the source departments' pool is the revenue times the
 * configured ratio, rounded half-up to the fen; each department's part of the pool is in proportion to its weight (the
 * rows of its tables the version was made from), rounded down to the fen, and the fen left over go one each to the
 * departments with the largest remainders (ties: the department's id, in order); the operator receives the rest. So
 * the parts always add up to the revenue exactly.
 */
public final class RevenueShares {
  private RevenueShares() {}

  /** One party's part. */
  public record Part(String party, String role, long weight, BigDecimal amount) {}

  /**
   * @param revenue yuan, at most two decimals
   * @param ratio the departments' share of the revenue, 0 to 1
   * @param weights each department's weight (rows); departments of weight 0 get nothing; none: all to the operator
   */
  public static List<Part> split(BigDecimal revenue, BigDecimal ratio, String operator, Map<String, Long> weights) {
    long total = weights.values().stream().mapToLong(Long::longValue).sum();
    BigDecimal pool = total == 0 ? BigDecimal.ZERO.setScale(2)
        : revenue.multiply(ratio).setScale(2, RoundingMode.HALF_UP);
    long poolFen = pool.movePointRight(2).longValueExact();
    List<Part> parts = new ArrayList<>();
    if (total > 0) {
      Map<String, long[]> fen = new TreeMap<>(); // department -> {floor, remainder numerator}
      long given = 0;
      for (Map.Entry<String, Long> w : new TreeMap<>(weights).entrySet()) {
        BigInteger[] qr = BigInteger.valueOf(poolFen).multiply(BigInteger.valueOf(w.getValue()))
            .divideAndRemainder(BigInteger.valueOf(total));
        fen.put(w.getKey(), new long[] {qr[0].longValueExact(), qr[1].longValueExact()});
        given += qr[0].longValueExact();
      }
      List<String> byRemainder = new ArrayList<>(fen.keySet());
      byRemainder.sort(Comparator.<String>comparingLong(d -> fen.get(d)[1]).reversed()
          .thenComparing(Comparator.naturalOrder()));
      for (int i = 0; i < poolFen - given; i++) {
        fen.get(byRemainder.get(i))[0]++;
      }
      Map<String, Long> ordered = new LinkedHashMap<>(new TreeMap<>(weights));
      ordered.forEach((d, w) -> parts.add(new Part(d, "department", w,
          BigDecimal.valueOf(fen.get(d)[0]).movePointLeft(2))));
    }
    parts.add(new Part(operator, "operator", 0, revenue.subtract(pool)));
    return parts;
  }
}
