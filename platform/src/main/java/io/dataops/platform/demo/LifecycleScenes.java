package io.dataops.platform.demo;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.governance.audit.Verification;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.table.TableBrowser;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.AuditAnchors;
import io.dataops.platform.product.ProductServices;
import io.dataops.platform.session.Session;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.ProductAccess;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.VerifyReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The governed half of the demo: each person makes the moves their role allows — the operator submits (登记备案) and
 * publishes, the authority approves, seals (封存) and destroys (销毁), a partner reads a published product, another
 * operator is refused, the auditor verifies. Moves already made (the demo run again on the same home) are skipped.
 */
final class LifecycleScenes {
  private final PlatformConfig config;
  private final Lakehouse lakehouse;
  private final Session operator;
  private final Session authority;
  private final Session otherOperator;
  private final Session partner;
  private final Session auditor;
  private final List<String> log = new ArrayList<>();

  /** What the end of a version's life left: its destruction certificate. */
  record EndOfLife(String certificate, String certificateHtml) {}

  LifecycleScenes(PlatformConfig config, Lakehouse lakehouse, Cast cast) {
    this.config = config;
    this.lakehouse = lakehouse;
    this.operator = cast.as(Cast.OPERATOR, "product publish");
    this.authority = cast.as(Cast.AUTHORITY, "product approve");
    this.otherOperator = cast.as(Cast.OTHER_OPERATOR, "product publish");
    this.partner = cast.as(Cast.PARTNER, "table show");
    this.auditor = cast.as(Cast.AUDITOR, "audit verify");
  }

  private ProductServices as(Session s) {
    return ProductServices.of(config, lakehouse, s.audit());
  }

  private ProductVersion version(String product, int version) {
    return as(auditor).registry().find(product, version).orElseThrow();
  }

  private void say(Session who, String what) {
    log.add(who.principal().name() + " (" + who.acting().label() + " of " + who.principal().organization() + ") "
        + what);
  }

  /** Submit (operator), approve (authority), publish (operator): the moves not made yet. */
  void release(PipelineRunResult run, String channel, String price, String licence) {
    String p = run.product();
    int n = run.version();
    if (version(p, n).state() == VersionState.DRAFT) {
      as(operator).lifecycle().submit(p, n, operator.actor());
      say(operator, "submitted " + p + " v" + n + " for review (登记备案)");
    }
    if (version(p, n).state() == VersionState.SUBMITTED) {
      as(authority).lifecycle().approve(p, n, authority.actor(), "privacy report, leak check and quality gate reviewed");
      say(authority, "approved " + p + " v" + n);
    }
    if (version(p, n).state() == VersionState.APPROVED) {
      ProductVersion v = as(operator).lifecycle().publish(p, n, operator.actor(), channel, price, licence);
      say(operator, "published " + p + " v" + n + " as " + channel + (price == null ? "" : " at " + price + " yuan")
          + " under: " + licence);
      if (n > 1 && version(p, n - 1).state() == VersionState.SUPERSEDED) {
        log.add("  " + p + " v" + (n - 1) + " is superseded by v" + v.version());
      }
    }
  }

  /** Another operator may not publish (or submit) a product its organization does not own: refused and audited. */
  void anotherOperatorIsRefused(PipelineRunResult run) {
    try {
      as(otherOperator).lifecycle().submit(run.product(), run.version(), otherOperator.actor());
      throw new IllegalStateException("the other operator's move was not refused");
    } catch (AccessDeniedException refused) {
      otherOperator.refuse(refused, List.of("product:" + run.product() + "@" + run.version()));
      say(otherOperator, "tried to submit " + run.product() + " v" + run.version() + ": refused (" + refused.getMessage()
          + "), and the refusal is in the audit trail");
    }
  }

  /** A partner reads a published product (under its licence); the read is audited. */
  void partnerReads(PipelineRunResult run) {
    ProductVersion v = version(run.product(), run.version());
    ProductAccess.checkRead(v, partner.actor());
    TableBrowser.Rows rows = new TableBrowser(lakehouse).show(ProductTables.id(run.product()), null, v.tag(), 5);
    partner.audit().record(AuditEvent.ok("table.read", List.of("table:" + rows.table(), "snapshot:"
        + rows.snapshotId()), Map.of("rows", rows.rows().size())));
    say(partner, "read " + rows.rows().size() + " rows of " + run.product() + " " + v.tag() + " (published, "
        + v.publication().channel() + ")");
  }

  /**
   * At the end of its life the authority seals the version a newer one superseded, the auditor verifies it, the
   * authority destroys it (on a home where the demo ran before: the version it ended then).
   */
  EndOfLife sealAndDestroy(String product) {
    ProductServices auth = as(authority);
    int n = auth.registry().list(product).stream()
        .filter(v -> v.state() == VersionState.SUPERSEDED || v.state() == VersionState.SEALED
            || v.state() == VersionState.DESTROYING || v.state() == VersionState.DESTROYED)
        .mapToInt(ProductVersion::version).max().orElseThrow(() -> new IllegalStateException(
            "no version of " + product + " was superseded: the demo has nothing to seal"));
    if (version(product, n).state() == VersionState.SUPERSEDED) {
      Sealer.SealResult sealed = auth.sealer().seal(product, n, authority.actor());
      say(authority, "sealed " + product + " v" + n + " (封存): archive " + sealed.archive() + " (object lock: "
          + sealed.objectLock() + "), manifest "
          + sealed.manifestDigest().substring(0, 16) + "…; only the authority and auditors may read it now");
      try {
        ProductAccess.checkRead(version(product, n), partner.actor());
      } catch (AccessDeniedException revoked) {
        partner.refuse(revoked, List.of("product:" + product + "@" + n));
        say(partner, "can no longer read " + product + " v" + n + ": " + revoked.getMessage());
      }
    }
    if (version(product, n).state() == VersionState.SEALED) {
      VerifyReport check = as(auditor).verifier().verify(product, n);
      auditor.audit().record(new AuditEvent("product.verify", List.of("product:" + product + "@" + n),
          check.ok() ? AuditEvent.OK : AuditEvent.FAILED, Map.of("checked", check.checked())));
      say(auditor, "verified " + product + " v" + n + ": " + (check.ok() ? "ok" : "NOT ok") + ", " + check.checked()
          + " digests recomputed");
    }
    if (version(product, n).state() == VersionState.SEALED || version(product, n).state() == VersionState.DESTROYING) {
      Destroyer.Result r = auth.destroyer().destroy(product, n, authority.actor());
      AuditAnchors.checkpoint(config, lakehouse, authority.trail(), "after the destruction of " + product + " v" + n);
      say(authority, "destroyed " + product + " v" + n + " (销毁): " + r.certificate().files().size()
          + " files removed, post-check " + (r.certificate().postCheck().passed() ? "passed" : "FAILED")
          + "; certificate " + r.json());
    }
    var record = as(auditor).registry().destruction(product, n).orElseThrow();
    return new EndOfLife(record.certificate(), record.certificate().replace(".json", ".html"));
  }

  Verification auditorVerifies() {
    Verification v = AuditAnchors.verify(config, lakehouse, auditor.trail());
    say(auditor, "verified the audit trail: " + (v.ok() ? "ok"
        : "NOT ok" + (v.firstBad() == null ? "" : " at event " + v.firstBad())) + ", " + v.events() + " events, "
        + v.checkpoints() + " checkpoints");
    return v;
  }

  List<String> log() {
    return List.copyOf(log);
  }

  /** Every version of every product with its state, for the report. */
  List<Map<String, Object>> versions() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ProductVersion v : as(auditor).registry().list(null)) {
      out.add(ProductServices.summary(v));
    }
    return out;
  }
}
