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
 * The deliveries of a version as the audit trail records them: every {@code product.deliver} event naming it, with
 * the user and organization the trail holds for it. Read through the trail's index of objects, a page at a time, in
 * the order of the chain.
 */
record TrailDeliveries(AuditTrail trail) implements DeliveredCopies {
  private static final int PAGE = 1_000;

  @Override
  public String source() {
    return "the audit trail's " + Delivery.ACTION + " events";
  }

  @Override
  public List<DeliveredCopy> of(String product, int version) {
    String object = "product:" + product + "@" + version;
    List<DeliveredCopy> out = new ArrayList<>();
    long after = 0;
    while (true) {
      List<AuditRecord> page = trail.after(after, List.of(Delivery.ACTION), object, PAGE);
      for (AuditRecord r : page) {
        if (AuditEvent.OK.equals(r.outcome())) {
          out.add(DeliveredCopy.of(r.seq(), r.at().toString(), r.actor(), r.details()));
        }
      }
      if (page.size() < PAGE) {
        return out;
      }
      after = page.get(page.size() - 1).seq();
    }
  }
}
