package io.dataops.products.lifecycle;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.audit.Actor;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.products.registry.ProductVersion;
import java.util.List;

/**
 * Who may read a version's rows. A sealed version is readable only by the authority and auditors (封存: access revoked);
 * a destroyed one by nobody; a published one by every platform user (partners use it under its licence); versions
 * under review (draft, submitted, approved, rejected, superseded) by the owning operator, the authority and auditors.
 */
public final class ProductAccess {
  private ProductAccess() {}

  public static void checkRead(ProductVersion v, Actor actor) {
    switch (v.state()) {
      // Refused as access (recorded as command.refused like a sealed version's): a partner asking again and again for
      // a destroyed version left no trace, so supervision's bursts of refusals never saw it (found by a probe).
      case DESTROYED -> throw new AccessDeniedException(v.label() + " was destroyed: its rows are gone", List.of());
      // Not "was destroyed": a destruction killed mid-way is unfinished (no certificate yet) until it is run again.
      case DESTROYING -> throw new AccessDeniedException(v.label() + " is being destroyed: its destruction is "
          + "unfinished; run dataops product destroy " + v.product() + " " + v.version() + " again to complete it",
          List.of());
      case SEALED -> {
        if (!actor.has("authority") && !actor.has("auditor")) {
          throw new AccessDeniedException(v.label() + " is sealed: reading it requires role authority or auditor; "
              + actor.user() + " has " + roles(actor), List.of("authority", "auditor"));
        }
      }
      case PUBLISHED -> {
        if (actor.roles().isEmpty()) {
          throw AccessDeniedException.roles("reading " + v.label(), actor, "partner", "operator", "authority",
              "auditor");
        }
      }
      default -> {
        boolean owner = actor.has("operator") && actor.organization().equals(v.lineage().owner());
        if (!owner && !actor.has("authority") && !actor.has("auditor")) {
          throw new AccessDeniedException(v.label() + " is " + v.state().label() + " (not published): reading it "
              + "requires the owning operator " + v.lineage().owner() + ", role authority or auditor; "
              + actor.user() + " has " + roles(actor) + " of " + actor.organization(),
              List.of("operator", "authority", "auditor"));
        }
      }
    }
  }

  /**
   * Whether reading {@code v}'s rows hands them to another organization than the operator that made it: a provision
   * (公共数据授权运营), which the operator may make only while it holds a live grant of the version's scenario (the
   * platform's {@link io.dataops.products.delivery.DeliveryCheck}, as for a delivery). Not a provision: a read by the
   * maker's own organization; by the authority or an auditor (supervision, seal, destruction); by a department from
   * whose own tables alone the version was made (its rows hold nothing of another's, and the department answers for
   * how its records are used). A department whose data is one of several sources reads it as any other organization:
   * the rows carry the other departments' data too.
   */
  public static boolean providedTo(ProductVersion v, Actor reader) {
    ProductVersion.Lineage l = v.lineage();
    if (l != null && reader.organization().equals(l.owner())) {
      return false;
    }
    if (reader.has("authority") || reader.has("auditor")) {
      return false;
    }
    if (!reader.has("department") || l == null || l.inputs() == null || l.inputs().isEmpty()) {
      return true;
    }
    // The department's own tables: ods.<its id as table names spell it>__<dataset> (TableNames.ods).
    String own = Zone.ODS.namespaceName() + "." + TableNames.sqlName(reader.organization()) + "__";
    return !l.inputs().keySet().stream().allMatch(t -> t.startsWith(own));
  }

  /**
   * Who may see a version's record (its lineage, state and history, not its rows): a published version everyone
   * with a role; any other the owning operator, the authority and auditors.
   */
  public static boolean mayDescribe(ProductVersion v, Actor actor) {
    if (v.state() == io.dataops.products.registry.VersionState.PUBLISHED) {
      return !actor.roles().isEmpty();
    }
    return seesEveryVersion(v.lineage().owner(), actor);
  }

  /**
   * Whether {@code actor} may see the record of every version of a product made by operator {@code owner}, drafts
   * and versions under review included: that operator, the authority and auditors. Anyone else sees only what
   * {@link #mayDescribe} lets them, and is never told of the rest.
   */
  public static boolean seesEveryVersion(String owner, Actor actor) {
    boolean isOwner = actor.has("operator") && owner != null && actor.organization().equals(owner);
    return isOwner || actor.has("authority") || actor.has("auditor");
  }

  /**
   * Whether a refusal may name {@code v} and its state to {@code actor}: who may see its record, and anyone for a
   * version that was once published (the catalogue listed it, partners may hold copies). Any other version is
   * answered as one that does not exist, in every command alike: a partner learnt a draft's number and state from
   * {@code product show}, then (found in review) from {@code product deliver} and from a read of the current snapshot
   * of a version sealed before it was ever published.
   */
  public static boolean mayName(ProductVersion v, Actor actor) {
    return mayDescribe(v, actor) || v.publication() != null;
  }

  public static void checkDescribe(ProductVersion v, Actor actor) {
    if (!mayDescribe(v, actor)) {
      throw new AccessDeniedException(v.label() + " is " + v.state().label()
          + (v.publication() == null ? " (not published)" : "") + ": its record is for "
          + "the owning operator " + v.lineage().owner() + ", role authority or auditor; " + actor.user() + " has "
          + roles(actor) + " of " + actor.organization(), List.of("operator", "authority", "auditor"));
    }
  }

  private static String roles(Actor actor) {
    return actor.roles().isEmpty() ? "no role" : String.join(", ", new java.util.TreeSet<>(actor.roles()));
  }
}
