package io.dataops.platform.cli;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.audit.Actor;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.table.TableBrowser;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.product.ProductReads;
import io.dataops.platform.product.ProductServices;
import io.dataops.products.lifecycle.ProductAccess;
import io.dataops.products.registry.ProductVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Who may read which table's rows: a department its own landed and quarantined feeds, the authority and auditors all
 * of them; a product version as {@link ProductAccess} says (a sealed one only the authority and auditors); the
 * quality and audit tables the authority and auditors. Operators read source data only through pipelines (under a
 * grant), partners only products.
 *
 * <p>Personal data is masked in every read. Raw values of the raw zones ({@code ods}, {@code quarantine}) only the
 * owning department may ask for ({@code table show --raw}): they are its own records, and it must see what its feed
 * sent to correct it. The authority and auditors supervise without them, as everyone reads every other table.
 */
final class TableAccess {
  private TableAccess() {}

  /** Refuses (and audits) a read the user may not make; gives the product version the read shows, if it is one. */
  static Optional<ProductVersion> checkRead(Cli cli, PlatformConfig config, Lakehouse lakehouse, TableIdentifier id,
      Long snapshot, String tag) {
    Actor actor = cli.session().actor();
    List<String> objects = List.of("table:" + id);
    try {
      String zone = id.namespace().level(0);
      boolean supervisor = actor.has("authority") || actor.has("auditor");
      if (zone.equals(Zone.PRODUCT.namespaceName())) {
        return product(config, lakehouse, id, snapshot, tag, actor);
      } else if (rawZone(id)) {
        if (!supervisor && !ownDepartment(actor, id)) {
          throw new AccessDeniedException("reading " + id + " requires its department, role authority or auditor ("
              + "operators read source data through a pipeline); " + actor.user() + " acts for "
              + actor.organization(), List.of("department", "authority", "auditor"));
        }
      } else if (!supervisor) {
        throw AccessDeniedException.roles("reading " + id, actor, "authority", "auditor");
      }
    } catch (AccessDeniedException e) {
      cli.session().refuse(e, objects);
      throw e;
    }
    return Optional.empty();
  }

  /**
   * As {@link #checkRead} for a read at no tag or snapshot ({@code table show}, {@code table history}): of a product
   * table, the version {@link ProductReads#newestReadable} gives the user, which the caller reads at its snapshot.
   */
  static Optional<ProductVersion> checkNewestRead(Cli cli, PlatformConfig config, Lakehouse lakehouse,
      TableIdentifier id) {
    if (!id.namespace().level(0).equals(Zone.PRODUCT.namespaceName())) {
      return checkRead(cli, config, lakehouse, id, null, null);
    }
    try {
      return ProductReads.newestReadable(ProductServices.registry(config), lakehouse, id, cli.session().actor());
    } catch (AccessDeniedException e) {
      cli.session().refuse(e, List.of("table:" + id));
      throw e;
    }
  }

  /**
   * The snapshots of {@code history} (of table {@code id}) the user may see: of a product table, for a user who may not
   * see every version, only the snapshots of the versions they may see, with no tag or parent of another (a draft's
   * number, a hidden version's snapshot); all of them otherwise.
   */
  static List<TableBrowser.SnapshotInfo> visibleHistory(Cli cli, PlatformConfig config, Lakehouse lakehouse,
      TableIdentifier id, List<TableBrowser.SnapshotInfo> history) {
    if (!id.namespace().level(0).equals(Zone.PRODUCT.namespaceName())) {
      return history;
    }
    List<ProductVersion> visible = ProductReads.visibleVersions(ProductServices.registry(config), lakehouse, id,
        cli.session().actor());
    if (visible == null) {
      return history;
    }
    Map<Long, String> tags = new HashMap<>();
    visible.forEach(v -> tags.put(v.snapshotId(), v.tag()));
    return history.stream().filter(s -> tags.containsKey(s.snapshotId())).map(s -> new TableBrowser.SnapshotInfo(
        s.snapshotId(), tags.containsKey(s.parentId()) ? s.parentId() : null, s.committedAt(), s.operation(),
        s.summary(), s.refs().stream().filter(r -> r.equals(tags.get(s.snapshotId())) || r.equals("main")).toList(),
        s.published())).toList();
  }

  /** A table of the zones that hold departments' records as sent: {@code ods} and {@code quarantine}. */
  static boolean rawZone(TableIdentifier id) {
    return Zone.raw(id);
  }

  /** Refuses (and audits) a read of raw personal values by anyone but the department that owns the raw-zone table. */
  static void checkRaw(Cli cli, TableIdentifier id) {
    Actor actor = cli.session().actor();
    if (!rawZone(id) || !ownDepartment(actor, id)) {
      AccessDeniedException e = new AccessDeniedException("--raw shows personal data unmasked: only the department "
          + "that owns an ods or quarantine table may read it so; " + actor.user() + " acts for " + actor.organization()
          + " (read it without --raw: masked)", List.of("department"));
      cli.session().refuse(e, List.of("table:" + id, "raw-values"));
      throw e;
    }
  }

  /**
   * Whether the caller sees the table's personal values only masked: a raw-zone table of another organization (a
   * product's values are desensitized already). Such a caller's own quality rules may not read them
   * ({@link io.dataops.quality.run.QualityRunner#personalValuesHidden}).
   */
  static boolean personalValuesMasked(Cli cli, TableIdentifier id) {
    return rawZone(id) && !ownDepartment(cli.session().actor(), id);
  }

  private static boolean ownDepartment(Actor actor, TableIdentifier id) {
    return actor.has("department") && id.name().startsWith(actor.organization().replace('-', '_') + "__");
  }

  /** The version the read would show (by tag, snapshot, or the current one) decides; else the owner decides. */
  private static Optional<ProductVersion> product(PlatformConfig config, Lakehouse lakehouse, TableIdentifier id,
      Long snapshot, String tag, Actor actor) {
    return ProductReads.readable(ProductServices.registry(config), lakehouse, id, snapshot, tag, actor);
  }

  /**
   * As {@link #checkRead}, for a read of the rows (a quality run's table or a suite's reference table, a profile):
   * a product version another organization made is read only while its maker may still provide it
   * ({@link ProductReads#provided}: refused and audited as a refused {@code table.read}). {@code via} says how.
   */
  static Optional<ProductVersion> checkRows(Cli cli, PlatformConfig config, Lakehouse lakehouse, TableIdentifier id,
      Long snapshot, String tag, String via) {
    Optional<ProductVersion> v = checkRead(cli, config, lakehouse, id, snapshot, tag);
    v.ifPresent(version -> ProductReads.of(config, cli.audit()).provided(version, cli.session().actor(), id, via));
    return v;
  }
}
