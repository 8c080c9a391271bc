package io.dataops.governance.metering;

import java.time.Instant;

/**
 * One read of a table (计量): a pipeline run's read of a pinned input snapshot, or a person's {@code table show}.
 *
 * @param auditSeq the audit event it was derived from; {@code item} the input's place among the run's inputs
 * @param source {@code pipeline.run} or {@code table.read}
 * @param grantId the grant the run read under (null: none covered it, or not a run)
 * @param department the department owning the table (null when not an ods table)
 * @param rows rows read; {@code bytes} the bytes of the data files read (runs) or of the rows shown (table show)
 */
public record ReadRecord(long auditSeq, int item, Instant at, String actor, String organization, String source,
    Long grantId, String runKey, String pipeline, String product, String table, String department, Long snapshotId,
    long rows, long bytes) {}
