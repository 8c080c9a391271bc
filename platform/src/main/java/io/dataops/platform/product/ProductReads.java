package io.dataops.platform.product;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.GrantServices;
import io.dataops.products.delivery.DeliveryCheck;
import io.dataops.products.lifecycle.ProductAccess;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Reads of a product table's rows by a person or a run: which version a snapshot is and who may read it
 * ({@link ProductAccess}), and, when the read hands the version to another organization than its maker
 * ({@link ProductAccess#providedTo}: an operator of another organization, a department that is not its only source),
 * whether the maker may still provide it — the same {@link DeliveryCheck} a delivery to a partner asks
 * ({@link GrantServices#deliveryCheck}): a revoked or expired grant ends every provision outside the maker. A refusal
 * is a {@code table.read} event with outcome refused (never metered), naming the version, the reader's organization,
 * how it would have been read, the grants and why.
 */
public record ProductReads(ProductRegistry registry, DeliveryCheck check, AuditSink audit) {
  public static final String ACTION = "table.read";
  /** Another organization's suggested suite of a version holds its distinct values: a copy, as rows shown are. */
  public static final String SUGGEST_ACTION = "quality.suggest";

  public static ProductReads of(PlatformConfig config, AuditSink audit) {
    return new ProductReads(ProductServices.registry(config), GrantServices.deliveryCheck(config, audit), audit);
  }

  /**
   * The version a read of product table {@code id} shows (at {@code tag}, else {@code snapshot}, else the current
   * snapshot), checked as {@link ProductAccess#checkRead} says; a snapshot that is no version only the owning
   * operator, the authority and auditors read (empty then, as for a table that does not exist). The versions are
   * {@code registry}'s.
   */
  public static Optional<ProductVersion> readable(ProductRegistry registry, Lakehouse lakehouse, TableIdentifier id,
      Long snapshot, String tag, Actor actor) {
    if (!lakehouse.exists(id)) {
      return Optional.empty(); // the caller says there is no such table
    }
    Table t = lakehouse.load(id);
    String product = t.properties().getOrDefault(ProductTables.PROP_PRODUCT, id.name());
    List<ProductVersion> versions = registry.list(product);
    Long snap = tag != null ? (t.refs().get(tag) == null ? null : t.refs().get(tag).snapshotId())
        : snapshot != null ? snapshot : t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId();
    Optional<ProductVersion> v = versions.stream().filter(x -> snap != null && x.snapshotId() == snap)
        .reduce((a, b) -> b);
    if (v.isEmpty() && tag != null && snap == null) {
      // The tag of a version whose destruction is unfinished (it removed the tag): said so, as a read by its snapshot
      // is, not as a tag never made (found by a probe: "has no tag v1" while v1 was being destroyed).
      v = versions.stream().filter(x -> tag.equals(x.tag()) && x.state() == VersionState.DESTROYING)
          .reduce((a, b) -> b);
    }
    if (v.isPresent() && ProductAccess.mayName(v.get(), actor)) {
      ProductAccess.checkRead(v.get(), actor);
      return v;
    }
    String owner = versions.isEmpty() ? null : versions.get(0).lineage().owner();
    if (v.isEmpty() && ProductAccess.seesEveryVersion(owner, actor)) {
      return Optional.empty(); // a snapshot that is no version: the owning operator's, the authority's, auditors'
    }
    // A version this reader is never told of (a draft, one under review, one sealed or rejected before it was
    // published) and a snapshot or tag that is no version get one answer, naming no number or state, which product
    // list hides from them (found by a probe: quality suggest named the draft; in review: table show --tag v2 did).
    if (tag == null && snapshot == null) {
      throw new AccessDeniedException("the current snapshot of " + id + " is no version " + actor.user()
          + " may read: a product's versions are read by every user once published (before that, by its owning "
          + "operator, role authority or auditor); read a published version by its snapshot where the command "
          + "takes --snapshot (table history lists them)", List.of("operator", "authority", "auditor"));
    }
    throw new AccessDeniedException((tag != null ? "tag " + tag : "snapshot " + snapshot) + " of " + id + " is no "
        + "version " + actor.user() + " may read: a product's versions are read by every user once published (before"
        + " that, by its owning operator, role authority or auditor); table history lists the ones you may read",
        List.of("operator", "authority", "auditor"));
  }

  /**
   * The version a read of product table {@code id} at no tag or snapshot shows {@code actor} ({@code table show} and
   * {@code table history} without them). Who sees every version ({@link ProductAccess#seesEveryVersion}: the owning
   * operator, the authority, auditors) reads the current snapshot, as {@link #readable} checks it; anyone else the
   * newest version they may see ({@link #visibleVersions}: a published one), which the caller then reads at its
   * snapshot. A version made since (a pipeline run's draft) neither stops that read nor is named to them: found by a
   * probe, every partner's read without a tag was refused while an operator had a draft, and the refusal told its
   * number and state, which {@code product list} hides from them. Refused without naming a version when there is none
   * they may see.
   */
  public static Optional<ProductVersion> newestReadable(ProductRegistry registry, Lakehouse lakehouse,
      TableIdentifier id, Actor actor) {
    List<ProductVersion> visible = visibleVersions(registry, lakehouse, id, actor);
    if (visible == null) {
      return readable(registry, lakehouse, id, null, null, actor);
    }
    if (actor.roles().isEmpty()) {
      throw AccessDeniedException.roles("reading " + id, actor, "partner", "operator", "authority", "auditor");
    }
    if (visible.isEmpty()) {
      throw new AccessDeniedException(id + " has no version " + actor.user() + " may read: a product's versions are "
          + "read by every user once published (before that, by its owning operator, role authority or auditor)",
          List.of("operator", "authority", "auditor"));
    }
    ProductVersion newest = visible.get(visible.size() - 1);
    ProductAccess.checkRead(newest, actor);
    return Optional.of(newest);
  }

  /**
   * The versions of product table {@code id} whose record {@code actor} may see ({@link ProductAccess#mayDescribe}),
   * oldest first, as {@code product list} shows them; null when they see every version and every snapshot (the table
   * does not exist, has no version yet, or {@link ProductAccess#seesEveryVersion}).
   */
  public static List<ProductVersion> visibleVersions(ProductRegistry registry, Lakehouse lakehouse,
      TableIdentifier id, Actor actor) {
    if (!lakehouse.exists(id)) {
      return null; // the caller says there is no such table
    }
    Table t = lakehouse.load(id);
    List<ProductVersion> versions = registry.list(t.properties().getOrDefault(ProductTables.PROP_PRODUCT, id.name()));
    if (versions.isEmpty() || ProductAccess.seesEveryVersion(versions.get(0).lineage().owner(), actor)) {
      return null;
    }
    return versions.stream().filter(v -> ProductAccess.mayDescribe(v, actor)).toList();
  }

  /**
   * Before {@code reader}'s run reads product table {@code id} at {@code snapshot} ({@code via} says how: "pipeline
   * run", "pipeline privacy", ...): refused as {@link #readable} refuses a read of that snapshot (recorded here as a
   * refused {@code table.read}) and, for a version another organization made, as {@link #provided} refuses it.
   */
  public void checkRead(Lakehouse lakehouse, TableIdentifier id, long snapshot, Actor reader, String via) {
    Optional<ProductVersion> v;
    try {
      v = readable(registry, lakehouse, id, snapshot, null, reader);
    } catch (AccessDeniedException refused) {
      audit.record(new AuditEvent(ACTION, List.of("table:" + id, "snapshot:" + snapshot, "organization:"
          + reader.organization()), AuditEvent.REFUSED, Map.of("via", via, "reason", refused.getMessage())));
      throw refused;
    }
    v.ifPresent(version -> provided(version, reader, id, via));
  }

  /**
   * Before {@code reader} reads the rows of {@code v} (in table {@code table}, {@code via} says how: "table show",
   * "pipeline run", "quality reference", ...): when that provides it to the reader's organization, its maker must
   * still hold a live grant naming it; else the refusal is recorded and thrown. The grant it is provided under; null
   * when the read is no provision or no grant governs the version.
   */
  public Long provided(ProductVersion v, Actor reader, TableIdentifier table, String via) {
    if (!ProductAccess.providedTo(v, reader)) {
      return null;
    }
    DeliveryCheck.Verdict verdict = check.check(v);
    if (verdict.allowed()) {
      return verdict.grant();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("product", v.product());
    details.put("version", v.version());
    details.put("reader", reader.organization());
    details.put("via", via);
    details.put("grants", verdict.grants());
    details.put("reason", verdict.refusal());
    List<String> objects = new ArrayList<>(List.of("table:" + table, "product:" + v.product() + "@" + v.version(),
        "snapshot:" + v.snapshotId(), "organization:" + reader.organization()));
    verdict.grants().forEach(g -> objects.add("grant:" + g));
    audit.record(new AuditEvent(ACTION, objects, AuditEvent.REFUSED, details));
    throw new NotProvidedException(v.label() + " is not provided to " + reader.organization() + " (" + via + "): "
        + verdict.refusal());
  }

  /** A read refused because the version's maker may no longer provide it (already audited). */
  public static final class NotProvidedException extends AccessDeniedException {
    NotProvidedException(String message) {
      super(message, List.of());
    }
  }

  /**
   * Records {@code event}, a copy of version {@code v} another organization takes away (rows shown, a suggested suite),
   * while the version is in the state it was checked in, as a partner's delivery is recorded: found by a probe, such a
   * copy recorded after a seal and destruction was left off the certificate, which said no copy was outside. Refused
   * when the version changed meanwhile ({@code nothing} says what the caller then does not hand over).
   */
  public void recordCopy(ProductVersion v, AuditEvent event, String nothing) {
    if (!registry.recordWhile(v.product(), v.version(), v.state(), audit, event)) {
      ProductVersion now = registry.find(v.product(), v.version()).orElse(v);
      throw new io.dataops.core.StateRefusedException(now.label() + " is " + now.state().label() + " (it changed "
          + "while it was read): " + nothing, List.of("product:" + now.product() + "@" + now.version()));
    }
  }
}
