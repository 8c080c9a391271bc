package io.dataops.governance.metering;

import java.util.List;

/**
 * The metering records compared with the audit events they come from.
 *
 * @param events the metered events (runs, table reads, deliveries) in the trail
 * @param records the read and delivery records found
 * @param problems what differs, one line each (at most {@value Metering#MAX_PROBLEMS}): a record without its event, an
 *     event without its record, a record whose counts differ from its event's (naming the fields, never values)
 * @param seqs the audit events the problems name, in order (at most {@value Metering#MAX_PROBLEMS})
 */
public record MeteringCheck(boolean ok, long events, long records, List<String> problems, List<Long> seqs) {
  public MeteringCheck {
    problems = List.copyOf(problems);
    seqs = List.copyOf(seqs);
  }
}
