package io.dataops.governance.supervision;

import io.dataops.governance.audit.AuditRecord;
import java.util.Optional;

/** One rule: looks at each new audit event (with what came before it) and may propose an alert. */
interface AlertRule {
  Optional<Alert.Draft> check(AuditRecord event, Supervision.Context context);
}
