package io.dataops.governance.metering;

import io.dataops.governance.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How metering records follow from audit events: the one place that reads them, used both to derive the records and
 * to check them. Only events that succeeded count; a pipeline run recognized as done before read nothing.
 */
final class MeterDerivation {
  static final String RUN = "pipeline.run";
  static final String TABLE_READ = "table.read";
  static final String DELIVER = "product.deliver";
  static final Set<String> ACTIONS = Set.of(RUN, TABLE_READ, DELIVER);

  private MeterDerivation() {}

  static List<ReadRecord> reads(AuditRecord e) {
    if (!"ok".equals(e.outcome())) {
      return List.of();
    }
    Map<String, Object> d = e.details();
    if (RUN.equals(e.action())) {
      if (Boolean.TRUE.equals(d.get("recognized")) || !(d.get("reads") instanceof List<?> reads)) {
        return List.of(); // recognized: nothing ran; no reads: recorded before metering existed
      }
      List<ReadRecord> out = new ArrayList<>();
      int item = 0;
      for (Object o : reads) {
        Map<?, ?> r = (Map<?, ?>) o;
        out.add(new ReadRecord(e.seq(), item++, e.at(), e.actor(), e.organization(), RUN, number(d.get("grant")),
            text(d.get("runKey")), object(e, "pipeline:"), object(e, "product:"), text(r.get("table")),
            text(r.get("department")), number(r.get("snapshot")), count(r.get("rows")), count(r.get("bytes"))));
      }
      return out;
    }
    if (TABLE_READ.equals(e.action())) {
      String table = object(e, "table:");
      String snapshot = object(e, "snapshot:");
      Long snapshotId = snapshot == null || "null".equals(snapshot) ? null : Long.valueOf(snapshot);
      return List.of(new ReadRecord(e.seq(), 0, e.at(), e.actor(), e.organization(), TABLE_READ, null, null, null,
          null, table, null, snapshotId, count(d.get("rows")), count(d.get("bytes"))));
    }
    return List.of();
  }

  static Optional<DeliveryRecord> delivery(AuditRecord e) {
    if (!DELIVER.equals(e.action()) || !"ok".equals(e.outcome())) {
      return Optional.empty();
    }
    Map<String, Object> d = e.details();
    return Optional.of(new DeliveryRecord(e.seq(), e.at(), e.actor(), text(d.get("partner")), text(d.get("product")),
        (int) count(d.get("version")), count(d.get("rows")), count(d.get("bytes")), text(d.get("via"))));
  }

  /** The name of the event's first object of a type ({@code pipeline:}), without the type. */
  private static String object(AuditRecord e, String prefix) {
    return e.objects().stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst()
        .orElse(null);
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }

  private static Long number(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static long count(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
