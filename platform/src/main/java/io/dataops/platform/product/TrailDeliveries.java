package io.dataops.platform.product;

import io.dataops.core.audit.AuditEvent;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.products.delivery.DeliveredCopies;
import io.dataops.products.delivery.DeliveredCopy;
import io.dataops.products.delivery.Delivery;
import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries of a version as the audit trail records them: every {@code product.deliver} event naming it (and
 * every begun delivery whose end is not recorded, {@link DeliveredCopies.Fold}), with
 * the user and organization the trail holds for it, and every {@code table.read} of its rows (rows shown are rows
 * taken away) and {@code quality.suggest} of its values by another organization its maker provided it to under a
 * grant. Read through the trail's index of objects, a page at a time, in the order of the chain.
 */
record TrailDeliveries(AuditTrail trail) implements DeliveredCopies {
  private static final int PAGE = 1_000;
  private static final String READ = "table.read";
  private static final String SUGGEST = ProductReads.SUGGEST_ACTION;

  @Override
  public String source() {
    return "the audit trail's " + Delivery.ACTION + " events and other organizations' " + READ + " and " + SUGGEST
        + " events";
  }

  @Override
  public List<DeliveredCopy> of(String product, int version) {
    String object = "product:" + product + "@" + version;
    List<DeliveredCopy> out = new ArrayList<>();
    DeliveredCopies.Fold deliveries = new DeliveredCopies.Fold(); // a failed move undoes its begun delivery
    long after = 0;
    while (true) {
      List<AuditRecord> page = trail.after(after, List.of(Delivery.ACTION, Delivery.BEGUN, READ, SUGGEST), object,
          PAGE);
      for (AuditRecord r : page) {
        if (Delivery.ACTION.equals(r.action()) || Delivery.BEGUN.equals(r.action())) {
          deliveries.add(r.seq(), r.at().toString(), r.actor(), r.action(), r.outcome(), r.details());
          continue;
        }
        if (!AuditEvent.OK.equals(r.outcome())) {
          continue;
        }
        if (READ.equals(r.action()) || SUGGEST.equals(r.action())) {
          java.util.Map<String, Object> read = new java.util.LinkedHashMap<>(r.details());
          read.put("partner", r.organization());
          read.put("via", (READ.equals(r.action()) ? "table show" : "quality suggest") + " (grant "
              + r.details().get("grant") + ")");
          out.add(DeliveredCopy.of(r.seq(), r.at().toString(), r.actor(), read));
        }
      }
      if (page.size() < PAGE) {
        out.addAll(deliveries.copies());
        out.sort(java.util.Comparator.comparingLong(DeliveredCopy::auditSeq));
        return out;
      }
      after = page.get(page.size() - 1).seq();
    }
  }
}
