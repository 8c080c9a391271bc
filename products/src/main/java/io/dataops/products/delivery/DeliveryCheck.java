package io.dataops.products.delivery;

import io.dataops.products.registry.ProductVersion;
import java.util.List;

/**
 * Asked before a published version is handed to a partner, and again right before the hand-over: whether its operator
 * may still provide it. A version is made under its scenario's grant; once that grant is revoked or expired (and no
 * other live one names the product) the operator may no longer provide what it derived under it. The platform answers
 * from the grants; {@link #NONE} (every version may be provided) is for single-module use.
 */
@FunctionalInterface
public interface DeliveryCheck {
  DeliveryCheck NONE = v -> Verdict.UNGOVERNED;

  Verdict check(ProductVersion v);

  /**
   * The answer.
   *
   * @param grant the live grant the version is provided under; null when none governs it or when refused
   * @param refusal why it may not be handed over now (naming the grants and why each does not allow it); null when
   *     it may
   * @param grants the grants the refusal names
   */
  record Verdict(Long grant, String refusal, List<Long> grants) {
    /** A version no grant governs (see the platform's wiring for which exist). */
    public static final Verdict UNGOVERNED = new Verdict(null, null, List.of());

    public Verdict {
      grants = List.copyOf(grants);
    }

    public static Verdict under(long grant) {
      return new Verdict(grant, null, List.of(grant));
    }

    public static Verdict refused(String refusal, List<Long> grants) {
      return new Verdict(null, refusal, grants);
    }

    public boolean allowed() {
      return refusal == null;
    }
  }
}
