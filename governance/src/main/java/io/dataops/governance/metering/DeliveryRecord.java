package io.dataops.governance.metering;

import java.time.Instant;

/**
 * One delivery of a product version to a partner ({@code product deliver}, or a partner's {@code table show} of it).
 *
 * @param via {@code deliver} or {@code table show}
 */
public record DeliveryRecord(long auditSeq, Instant at, String actor, String partner, String product, int version,
    long rows, long bytes, String via) {}
