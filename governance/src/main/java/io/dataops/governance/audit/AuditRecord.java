package io.dataops.governance.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An event as the trail holds it.
 *
 * @param actor the user, or {@code system} for what the platform records itself
 * @param role the role the action was done in; null when none applies (refusals, the platform's own events)
 * @param digest the chain's digest at this event: {@code sm3} or {@code sha256}
 */
public record AuditRecord(long seq, Instant at, String actor, String organization, String role, String action,
    List<String> objects, String outcome, Map<String, Object> details, String digest, String prevHash, String hash) {}
