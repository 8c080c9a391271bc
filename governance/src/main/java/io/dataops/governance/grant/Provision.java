package io.dataops.governance.grant;

import io.dataops.governance.db.UtcTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether an operator may still provide (hand to partners) a product it made for a scenario, at a time: ending an
 * authorization ends the right to provide what was derived under it (公共数据授权运营). A grant of the scenario held by the
 * operator that is live then and names the product allows it; a pending, rejected, revoked, expired or not yet valid
 * one does not, nor one for other products. A product the operator made for a scenario it never applied for is
 * governed by no grant (made before grants existed: every run since needs a live grant of its scenario) and stays
 * allowed.
 *
 * @param grant the live grant that allows it; null when none does
 * @param held the operator's applications for the scenario, newest first (empty: it never applied)
 */
public record Provision(String scenario, String operator, String product, Instant at, Grant grant, List<Grant> held) {
  /** How many of the grants held a refusal names (the newest), so that it stays one line. */
  static final int NAMED = 3;

  public Provision {
    held = List.copyOf(held);
  }

  /** The answer from every application of the scenario ({@code all}, any operator). */
  public static Provision of(List<Grant> all, String scenario, String operator, String product, Instant at) {
    List<Grant> held = new ArrayList<>(all.stream()
        .filter(g -> g.scenario().equals(scenario) && g.operator().equals(operator)).toList());
    held.sort(Comparator.comparingLong(Grant::id).reversed());
    Grant live = held.stream().filter(g -> g.live(at) && g.products().contains(product)).findFirst().orElse(null);
    return new Provision(scenario, operator, product, at, live, held);
  }

  /** Governed by a grant: the operator applied for the scenario at least once. */
  public boolean governed() {
    return !held.isEmpty();
  }

  public boolean allowed() {
    return grant != null || !governed();
  }

  /**
   * Why it is not allowed, naming each grant held and why it does not allow it (revoked at T by U: reason; expired
   * at T; ...); null when allowed.
   */
  public String refusal() {
    if (allowed()) {
      return null;
    }
    List<String> why = new ArrayList<>();
    held.stream().limit(NAMED).forEach(g -> why.add(why(g)));
    if (held.size() > NAMED) {
      why.add(held.size() - NAMED + " older");
    }
    return "no live grant of scenario '" + scenario + "' held by " + operator + " names product " + product + " ("
        + String.join("; ", why) + "); it is provided again once a grant of the scenario naming it is approved";
  }

  /** The ids of the grants a refusal names. */
  public List<Long> named() {
    return held.stream().limit(NAMED).map(Grant::id).toList();
  }

  private String why(Grant g) {
    String label = "grant " + g.id();
    return switch (g.state(at)) {
      case PENDING -> label + " awaits the approval of " + String.join(", ", g.awaiting());
      case REJECTED -> {
        Grant.Decision d = g.decisions().stream().filter(x -> !x.approved()).findFirst().orElse(null);
        yield label + " was rejected" + (d == null ? "" : " by " + d.party() + ": " + d.note());
      }
      case REVOKED -> label + " was revoked at " + UtcTimes.format(g.revokedAt()) + " by " + g.revokedBy() + ": "
          + g.revokeReason();
      case EXPIRED -> label + " expired at " + UtcTimes.format(g.expiresAt());
      case ACTIVE -> g.live(at) ? label + " names " + String.join(", ", g.products()) + ", not " + product
          : label + " is valid from " + UtcTimes.format(g.validFrom());
    };
  }
}
