package io.dataops.products.delivery;

import io.dataops.core.audit.AuditEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the deliveries of a version are recorded (the platform reads them from its audit trail, which this module
 * does not know): every successful {@link Delivery#ACTION} of the version, and every delivery begun whose end is not
 * recorded ({@link Fold}), oldest first.
 */
public interface DeliveredCopies {

  /** Nothing looked up: a destruction run outside the platform (a unit of this module) cannot say what left it. */
  DeliveredCopies NOT_LOOKED_UP = new DeliveredCopies() {
    @Override
    public String source() {
      return null;
    }

    @Override
    public List<DeliveredCopy> of(String product, int version) {
      return List.of();
    }
  };

  /**
   * A version's delivery records folded into its copies, fed oldest first: each successful {@link Delivery#ACTION};
   * and each {@link Delivery#BEGUN} that no delivery event or failed one ended, as a copy that may be outside (a
   * delivery killed between its begun record and its end left its file or .part file on the partner's side).
   */
  final class Fold {
    private final Map<String, DeliveredCopy> begun = new LinkedHashMap<>();
    private final List<DeliveredCopy> copies = new ArrayList<>();

    public void add(long seq, String at, String user, String action, String outcome, Map<String, Object> details) {
      Object id = details.get(Delivery.BEGUN_ID);
      if (Delivery.BEGUN.equals(action)) {
        Map<String, Object> unfinished = new LinkedHashMap<>(details);
        unfinished.put("via", details.get("via") + " (unfinished: its end is not recorded)");
        begun.put(String.valueOf(id), DeliveredCopy.of(seq, at, user, unfinished));
        return;
      }
      if (id != null) {
        begun.remove(String.valueOf(id)); // ended: handed over (listed below) or not (a failed one: no copy)
      }
      if (AuditEvent.OK.equals(outcome)) {
        copies.add(DeliveredCopy.of(seq, at, user, details));
      }
    }

    /** The copies, in the order of their records. */
    public List<DeliveredCopy> copies() {
      List<DeliveredCopy> all = new ArrayList<>(copies);
      all.addAll(begun.values());
      all.sort(Comparator.comparingLong(DeliveredCopy::auditSeq));
      return all;
    }
  }

  /** What was read, as a certificate names it ("the audit trail: product.deliver events"); null: nothing read. */
  String source();

  List<DeliveredCopy> of(String product, int version);
}
