package io.dataops.products.registry;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.supervision.DriftCheck;
import io.dataops.products.registry.ProductVersion.Publication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry held to the audit trail: each version's state is what its last lifecycle event made it, and its
 * publication (channel, price, plan) what its publish event recorded. Every move commits with its event, but the
 * registry's rows sit beside the chain, not in it: whoever can write the platform database could set a sealed version
 * back to published (a partner received it) or a price to 0.01 (billed so), and every check passed (found by a probe).
 * Read through the objects' index for one version (a delivery, a statement's lines), in one scan of the lifecycle
 * events for every version ({@code audit verify}).
 */
public final class RegistryCheck {
  public static final int MAX_PROBLEMS = 20;
  /** The alert {@code supervise} raises when the registry differs from its events ({@link #drift}). */
  public static final String REGISTRY_DRIFT = "registry-drift";
  /** The events that move a version, each in the transaction of its move. */
  static final List<String> LIFECYCLE = List.of("product.version", "product.submit", "product.approve",
      "product.reject", "product.publish", "product.supersede", "product.seal", "product.destroy.start",
      "product.destroy");
  private static final int PAGE = 1000;

  private final AuditTrail trail;

  public RegistryCheck(AuditTrail trail) {
    this.trail = trail;
  }

  /** What a version's events say: its state after the last, and its publish event's details (null: none). */
  private record Said(VersionState state, Map<String, Object> publish) {}

  /** How {@code v} differs from its events, one line each; empty when it does not. */
  public List<String> differences(ProductVersion v) {
    Said said = null;
    String object = "product:" + v.product() + "@" + v.version();
    long after = 0;
    for (List<AuditRecord> page; !(page = trail.after(after, LIFECYCLE, object, PAGE)).isEmpty();
         after = page.get(page.size() - 1).seq()) {
      for (AuditRecord e : page) {
        said = follow(said, e);
      }
    }
    return compare(v, said);
  }

  /** {@link #differences} of every version of the registry, at most {@value #MAX_PROBLEMS} lines. */
  public List<String> check(ProductRegistry registry) {
    Map<String, Said> said = new HashMap<>();
    long after = 0;
    for (List<AuditRecord> page; !(page = trail.after(after, LIFECYCLE, PAGE)).isEmpty();
         after = page.get(page.size() - 1).seq()) {
      for (AuditRecord e : page) {
        for (String o : e.objects()) {
          if (o.startsWith("product:") && o.contains("@")) {
            said.put(o, follow(said.get(o), e));
          }
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (ProductVersion v : registry.list(null)) {
      for (String p : compare(v, said.get("product:" + v.product() + "@" + v.version()))) {
        if (problems.size() < MAX_PROBLEMS) {
          problems.add(p);
        }
      }
    }
    return problems;
  }

  /**
   * {@link #check} as supervision runs it at the end of each scan: raised as {@value #REGISTRY_DRIFT} once per distinct
   * drift, so the authority learns of a version set back to published or a price changed without running {@code audit
   * verify}. The problems name versions and fields, never values.
   */
  public DriftCheck drift(ProductRegistry registry) {
    return new DriftCheck() {
      @Override
      public String rule() {
        return REGISTRY_DRIFT;
      }

      @Override
      public String subject() {
        return "products:registry";
      }

      @Override
      public Optional<Drift> find() {
        List<String> problems = check(registry);
        return problems.isEmpty() ? Optional.empty() : Optional.of(new Drift(DriftCheck.message(
            "the product registry differs from the audit trail", problems, MAX_PROBLEMS),
            Map.of("problems", problems)));
      }
    };
  }

  /** Refuses {@code doing} (a delivery, a statement) with a version that differs from its events. */
  public void require(ProductVersion v, String doing) {
    List<String> problems = differences(v);
    if (!problems.isEmpty()) {
      throw new BadInputException(doing + " refused: " + String.join("; ", problems) + "; the platform database was"
          + " changed outside the platform (see: dataops audit verify)");
    }
  }

  private static Said follow(Said before, AuditRecord e) {
    if (!AuditEvent.OK.equals(e.outcome())) {
      return before;
    }
    VersionState state = switch (e.action()) {
      case "product.version" -> VersionState.DRAFT;
      case "product.seal" -> VersionState.SEALED;
      case "product.destroy.start" -> VersionState.DESTROYING;
      case "product.destroy" -> VersionState.DESTROYED;
      default -> e.details().get("to") instanceof String to ? VersionState.of(to) : null;
    };
    Map<String, Object> publish = "product.publish".equals(e.action()) ? e.details()
        : before == null ? null : before.publish();
    return new Said(state != null ? state : before == null ? null : before.state(), publish);
  }

  private static List<String> compare(ProductVersion v, Said said) {
    List<String> out = new ArrayList<>();
    if (said == null || said.state() == null) {
      out.add(v.label() + ": no audit event records it");
      return out;
    }
    if (said.state() != v.state()) {
      out.add(v.label() + ": the registry says " + v.state().label() + ", its audit events "
          + said.state().label());
    }
    Publication p = v.publication();
    Map<String, Object> e = said.publish();
    if (p == null && e != null || p != null && e == null) {
      out.add(v.label() + ": the registry says " + (p == null ? "not published" : "published")
          + ", its audit events " + (e == null ? "not published" : "published"));
    } else if (p != null) {
      List<String> fields = new ArrayList<>();
      if (!Objects.equals(p.channel(), e.get("channel"))) {
        fields.add("channel");
      }
      if (!Objects.equals(p.price(), e.get("price"))) {
        fields.add("price");
      }
      if (!Objects.equals(p.plan(), e.get("plan"))) {
        fields.add("plan");
      }
      if (!fields.isEmpty()) {
        out.add(v.label() + ": its publication differs from its publish event in " + String.join(", ", fields));
      }
    }
    return out;
  }
}
