package io.dataops.governance.audit;

import io.dataops.core.audit.AuditEvent;
import io.dataops.governance.db.GovernanceDatabase;
import java.util.List;
import java.util.Map;

/** Appends events to a trail from its own JVM, as a separate dataops command would: URL, count, name. */
public final class AuditAppendChild {
  private AuditAppendChild() {}

  public static void main(String[] args) {
    String url = args[0];
    int count = Integer.parseInt(args[1]);
    String name = args[2];
    AuditTrail trail = new AuditTrail(new GovernanceDatabase(url, null, null));
    for (int i = 0; i < count; i++) {
      trail.record(AuditEvent.ok("test.append", List.of("process:" + name), Map.of("i", i)));
    }
    System.out.println("appended " + count);
  }
}
