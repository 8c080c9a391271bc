package io.dataops.products.billing;

import io.dataops.products.registry.ProductVersion.Publication;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/**
 * How a published version is charged (价格): free as a public-interest product; as a market listing per delivery, per
 * row delivered, or by subscription (the price once per partner and month in which it received the version). Prices
 * are yuan with at most two decimals, so every charge is exact in fen.
 */
public record PricePlan(Kind kind, BigDecimal price) {
  public enum Kind {
    FREE, PER_DELIVERY, PER_ROW, SUBSCRIPTION;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The plans a market listing may name. */
  public static final Set<String> MARKET_PLANS = Set.of(Kind.PER_DELIVERY.label(), Kind.PER_ROW.label(),
      Kind.SUBSCRIPTION.label());

  /** The plan of a publication (null: not published, nothing to charge). */
  public static PricePlan of(Publication p) {
    if (p == null || p.price() == null || !"market".equals(p.channel())) {
      return new PricePlan(Kind.FREE, BigDecimal.ZERO.setScale(2));
    }
    Kind kind = Kind.PER_DELIVERY;
    for (Kind k : Kind.values()) {
      if (k.label().equals(p.plan())) {
        kind = k;
      }
    }
    return new PricePlan(kind, new BigDecimal(p.price()).setScale(2));
  }

  /** What a partner owes for a month's deliveries of one version: exact in fen. */
  public BigDecimal charge(long deliveries, long rows) {
    return switch (kind) {
      case FREE -> BigDecimal.ZERO.setScale(2);
      case PER_DELIVERY -> price.multiply(BigDecimal.valueOf(deliveries));
      case PER_ROW -> price.multiply(BigDecimal.valueOf(rows));
      case SUBSCRIPTION -> deliveries > 0 ? price : BigDecimal.ZERO.setScale(2);
    };
  }
}
