package io.dataops.products.lifecycle;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
import io.dataops.core.text.FreeText;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.products.billing.PricePlan;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Publication;
import io.dataops.products.registry.VersionContent;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.registry.VersionState;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The review and release of product versions: submit (operator), approve or reject with a reason (authority), publish
 * as public-interest or market listing (operator, after approval; a newer published version supersedes the older).
 * Each move checks the actor's role, that an operator acts for the organization that owns the product, and the
 * version's state; an illegal move changes nothing and says what would make it legal. Every move is an audit event.
 * Sealing and destruction are {@link io.dataops.products.seal.Sealer} and
 * {@link io.dataops.products.destroy.Destroyer}.
 */
public final class Lifecycle {
  public static final String PUBLIC_INTEREST = "public-interest";
  public static final String MARKET = "market";

  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final AuditSink audit;

  public Lifecycle(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.audit = audit;
  }

  /** The version, or a clear refusal naming what exists. */
  public ProductVersion version(String product, int version) {
    List<ProductVersion> all = registry.list(product);
    if (all.isEmpty()) {
      throw new BadInputException("no product " + product + " (see: dataops product list)");
    }
    return all.stream().filter(v -> v.version() == version).findFirst().orElseThrow(() -> new BadInputException(
        "product " + product + " has no version " + version + " (it has 1 to " + all.get(all.size() - 1).version()
            + ")"));
  }

  /**
   * Checks that {@code actor} may make {@code move} on {@code v}: the role, the owning organization for operators,
   * and the state. Throws {@link AccessDeniedException} or {@link IllegalMoveException}; changes nothing.
   */
  public static void check(Move move, ProductVersion v, Actor actor) {
    if (!actor.has(move.role())) {
      throw AccessDeniedException.roles("product " + move.command(), actor, move.role());
    }
    if ("operator".equals(move.role()) && v.lineage().owner() != null
        && !v.lineage().owner().equals(actor.organization())) {
      throw new AccessDeniedException("product " + move.command() + " of " + v.product() + " is for its operator "
          + v.lineage().owner() + "; " + actor.user() + " acts for " + actor.organization(), List.of(move.role()));
    }
    if (!move.allowedFrom(v.state())) {
      throw new IllegalMoveException(move, v);
    }
  }

  /** Files the version for review (登记备案). A version made before content digests existed gets them now. */
  public ProductVersion submit(String product, int version, Actor actor) {
    ProductVersion v = version(product, version);
    check(Move.SUBMIT, v, actor);
    if (v.content() == null) {
      v = backfillContent(v);
    }
    return move(Move.SUBMIT, v, actor, null, null);
  }

  public ProductVersion approve(String product, int version, Actor actor, String note) {
    ProductVersion v = version(product, version);
    check(Move.APPROVE, v, actor);
    return move(Move.APPROVE, v, actor, blankToNull(FreeText.line("--note", note)), null);
  }

  public ProductVersion reject(String product, int version, Actor actor, String reason) {
    ProductVersion v = version(product, version);
    check(Move.REJECT, v, actor);
    if (reason == null || reason.isBlank()) {
      throw new BadInputException("a rejection needs a reason the operator can act on (--reason TEXT)");
    }
    FreeText.line("--reason", reason);
    return move(Move.REJECT, v, actor, reason.strip(), null);
  }

  /**
   * Releases an approved version: {@code public-interest} (free, 公益性提供) or {@code market} (a listing on the data
   * exchange with a price in yuan and a licence, 市场化流通). The product's older published version is superseded.
   */
  public ProductVersion publish(String product, int version, Actor actor, String channel, String price,
      String licence) {
    return publish(product, version, actor, channel, price, licence, null);
  }

  /**
   * As above, with the price plan of a market listing: {@code per-delivery} (the default), {@code per-row} (the price
   * of each row delivered) or {@code subscription} (the price per partner and month of deliveries).
   */
  public ProductVersion publish(String product, int version, Actor actor, String channel, String price,
      String licence, String plan) {
    ProductVersion v = version(product, version);
    check(Move.PUBLISH, v, actor);
    Publication publication = publication(channel, price, licence, plan, actor);
    for (ProductVersion other : registry.list(product)) {
      if (other.state() == VersionState.PUBLISHED && other.version() > version) {
        throw new BadInputException(other.label() + " is published and newer than v" + version
            + ": publish a newer version, not an older one");
      }
    }
    ProductVersion published = move(Move.PUBLISH, v, actor, null, publication);
    for (ProductVersion other : registry.list(product)) {
      if (other.state() == VersionState.PUBLISHED && other.version() < version) {
        move(Move.SUPERSEDE, other, actor, "superseded by v" + version, null);
      }
    }
    return published;
  }

  /**
   * The moves refused when the version holds files of a version the authority rejected that no version approved
   * before that one holds: an incremental version adds to the ones before it, so a rejected increment's rows would be
   * approved and published inside the next one, and stay there after the rejected version is destroyed (found by a
   * probe). The rows of an earlier version the authority approved are not the rejected ones; a full run makes a
   * version of new files. Looked for in the move's transaction (a rejection committed after this command's checks is
   * seen), and for a publish too: a version approved before the rejection of the version whose rows it carries is not
   * published.
   */
  private static final java.util.Set<Move> REFUSE_REJECTED_ROWS = java.util.EnumSet.of(Move.SUBMIT, Move.APPROVE,
      Move.PUBLISH);

  private static StateRefusedException rejectedRows(Move move, ProductVersion v, ProductRegistry.RejectedRows held) {
    int r = held.rejected();
    long shared = held.files();
    return new StateRefusedException(move.command() + " of " + v.label() + " refused: it holds rows of v" + r
        + ", which was rejected (" + shared + (shared == 1 ? " file" : " files") + " of v" + r + " that no"
        + " approved version before it holds; an incremental run adds to the versions before it): mend what v" + r
        + " was rejected for, then make a version without its rows with a full run (mode: full in the pipeline"
        + " file)", List.of("product:" + v.product() + "@" + v.version(), "product:" + v.product() + "@" + r));
  }

  /** The highest price of a listing, in yuan (see {@link #publication}). */
  static final BigDecimal MAX_PRICE = new BigDecimal("100000000.00");

  private static Publication publication(String channel, String price, String licence, String plan, Actor actor) {
    if (!PUBLIC_INTEREST.equals(channel) && !MARKET.equals(channel)) {
      throw new BadInputException("--channel is public-interest (free) or market (priced listing), not '"
          + channel + "'");
    }
    if (licence == null || licence.isBlank()) {
      throw new BadInputException("a publication needs the licence partners use it under (--licence TEXT)");
    }
    FreeText.line("--licence", licence);
    String amount = null;
    if (MARKET.equals(channel)) {
      if (price == null) {
        throw new BadInputException("a market listing needs a price in yuan (--price 1200.00)");
      }
      BigDecimal p;
      try {
        p = new BigDecimal(price.strip());
      } catch (NumberFormatException e) {
        throw new BadInputException("--price is a decimal amount in yuan such as 1200.00");
      }
      if (p.signum() <= 0 || p.scale() > 2) {
        throw new BadInputException("--price must be positive with at most two decimals (fen)");
      }
      // Statements count fen in 64 bits: a price of 10^18 yuan overflowed every statement of its month (one
      // delivery made billing fail for everyone). A hundred million yuan a delivery, or a row, is far above any.
      if (p.compareTo(MAX_PRICE) > 0) {
        throw new BadInputException("--price " + p.toPlainString() + " is above the highest price a statement can"
            + " hold (" + MAX_PRICE.toPlainString() + " yuan)");
      }
      amount = p.setScale(2).toPlainString();
    } else if (price != null) {
      throw new BadInputException("a public-interest publication is free: leave out --price");
    }
    String charged = null;
    if (MARKET.equals(channel)) {
      charged = plan == null ? PricePlan.Kind.PER_DELIVERY.label() : plan.strip();
      if (!PricePlan.MARKET_PLANS.contains(charged)) {
        throw new BadInputException("--plan is per-delivery, per-row or subscription, not '"
            + (charged.length() > 20 ? charged.substring(0, 20) + "…" : charged) + "'");
      }
    } else if (plan != null) {
      throw new BadInputException("a public-interest publication is free: leave out --plan");
    }
    return new Publication(channel, amount, licence.strip(), actor.user(), ProductRegistryClock.now(), charged);
  }

  private ProductVersion move(Move move, ProductVersion v, Actor actor, String reason, Publication publication) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", v.state().label());
    details.put("to", move.to().label());
    if (reason != null) {
      details.put("reason", reason);
    }
    if (publication != null) {
      details.put("channel", publication.channel());
      if (publication.price() != null) {
        details.put("price", publication.price());
      }
      if (publication.plan() != null) {
        details.put("plan", publication.plan());
      }
    }
    AuditEvent event = AuditEvent.ok("product." + move.name().toLowerCase(java.util.Locale.ROOT),
        List.of("product:" + v.product() + "@" + v.version(), "snapshot:" + v.snapshotId()), details);
    if (!registry.move(v.product(), v.version(), v.state(), move.to(), actor, move.role(), reason, publication, audit,
        event, REFUSE_REJECTED_ROWS.contains(move) ? held -> rejectedRows(move, v, held) : null)) {
      ProductVersion now = version(v.product(), v.version());
      throw new IllegalMoveException(move, now);
    }
    return version(v.product(), v.version());
  }

  private ProductVersion backfillContent(ProductVersion v) {
    Table table = lakehouse.load(TableIdentifier.parse(v.table()));
    if (table.snapshot(v.snapshotId()) == null) {
      throw new BadInputException(v.label() + ": its snapshot " + v.snapshotId() + " is no longer in " + v.table());
    }
    List<VersionFile> files = VersionContent.files(table, v.snapshotId(), DigestAlgorithm.SM3);
    ProductVersion withContent = registry.recordContent(v, VersionContent.content(table,
        table.snapshot(v.snapshotId()), files, DigestAlgorithm.SM3), files);
    if (!table.refs().containsKey(v.tag())) {
      table.manageSnapshots().createTag(v.tag(), v.snapshotId()).commit();
    }
    return withContent;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** UTC time stamps as the registry writes them. */
  static final class ProductRegistryClock {
    private ProductRegistryClock() {}

    static String now() {
      return java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString();
    }
  }
}
