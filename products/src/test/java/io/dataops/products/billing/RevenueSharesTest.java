package io.dataops.products.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The split of revenue: the stated rounding rule, and parts that add up to the revenue to the fen, always. */
class RevenueSharesTest {
  private static Map<String, BigDecimal> amounts(List<RevenueShares.Part> parts) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    parts.forEach(p -> out.put(p.party(), p.amount()));
    return out;
  }

  @Test
  void theRoundingRuleAsStated() {
    // Pool 30% of 100.00 = 30.00, in proportion 1:1:1.
    assertThat(amounts(RevenueShares.split(new BigDecimal("100.00"), new BigDecimal("0.30"), "op",
        Map.of("a", 1L, "b", 1L, "c", 1L)))).containsExactly(Map.entry("a", new BigDecimal("10.00")),
        Map.entry("b", new BigDecimal("10.00")), Map.entry("c", new BigDecimal("10.00")),
        Map.entry("op", new BigDecimal("70.00")));
    // Pool 0.05 × 0.5 = 0.025, half-up 0.03; 1.5 fen each, rounded down; the fen left goes to a (tie: by id).
    assertThat(amounts(RevenueShares.split(new BigDecimal("0.05"), new BigDecimal("0.5"), "op",
        Map.of("b", 1L, "a", 1L)))).containsExactly(Map.entry("a", new BigDecimal("0.02")),
        Map.entry("b", new BigDecimal("0.01")), Map.entry("op", new BigDecimal("0.02")));
    // Largest remainder first: 1.00 split 2:1 of a 0.33 pool is 0.22 and 0.11 exactly; 0.10 split 8000:600 of
    // a 0.03 pool is 2.79… and 0.20… fen: floors 2 and 0, the fen left to the larger remainder (b's 0.209 < a's 0.790).
    assertThat(amounts(RevenueShares.split(new BigDecimal("1.00"), new BigDecimal("0.3333"), "op",
        Map.of("a", 2L, "b", 1L)))).containsEntry("a", new BigDecimal("0.22")).containsEntry("b",
        new BigDecimal("0.11")).containsEntry("op", new BigDecimal("0.67"));
    assertThat(amounts(RevenueShares.split(new BigDecimal("0.10"), new BigDecimal("0.30"), "op",
        Map.of("a", 8000L, "b", 600L)))).containsEntry("a", new BigDecimal("0.03")).containsEntry("b",
        new BigDecimal("0.00")).containsEntry("op", new BigDecimal("0.07"));
    // No source department: everything to the operator.
    assertThat(amounts(RevenueShares.split(new BigDecimal("12.34"), new BigDecimal("0.30"), "op", Map.of())))
        .containsExactly(Map.entry("op", new BigDecimal("12.34")));
  }

  @Test
  void partsAddUpToTheRevenueToTheFenAndFollowTheWeights() {
    Random random = new Random(11);
    for (int run = 0; run < 5_000; run++) {
      BigDecimal revenue = BigDecimal.valueOf(random.nextLong(0, 1_000_000_000L), 2);
      BigDecimal ratio = BigDecimal.valueOf(random.nextInt(0, 10_001), 4);
      Map<String, Long> weights = new LinkedHashMap<>();
      int n = random.nextInt(0, 7);
      for (int i = 0; i < n; i++) {
        weights.put("d" + i, random.nextBoolean() ? random.nextLong(0, 10) : random.nextLong(0, 10_000_000_000L));
      }
      List<RevenueShares.Part> parts = RevenueShares.split(revenue, ratio, "op", weights);
      BigDecimal sum = parts.stream().map(RevenueShares.Part::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(sum).as("run %d", run).isEqualByComparingTo(revenue);
      long total = weights.values().stream().mapToLong(Long::longValue).sum();
      if (total == 0) {
        continue;
      }
      BigDecimal pool = revenue.multiply(ratio).setScale(2, RoundingMode.HALF_UP);
      for (RevenueShares.Part p : parts) {
        assertThat(p.amount().scale()).isEqualTo(2);
        assertThat(p.amount().signum()).isNotNegative();
        if (p.role().equals("department")) {
          BigDecimal exact = pool.multiply(BigDecimal.valueOf(p.weight()))
              .divide(BigDecimal.valueOf(total), 10, RoundingMode.HALF_UP);
          assertThat(p.amount().subtract(exact).abs()).as("within a fen of its proportion")
              .isLessThan(new BigDecimal("0.01"));
        } else {
          assertThat(p.amount()).isEqualByComparingTo(revenue.subtract(pool));
        }
      }
    }
  }
}
