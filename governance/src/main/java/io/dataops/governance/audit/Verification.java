package io.dataops.governance.audit;

/**
 * What {@code audit verify} reports.
 *
 * @param events the events read
 * @param firstBad the first sequence number at which the trail fails to verify (null when ok): a modified event, the
 *     place of a deleted one, the first event that does not follow the one before it, or the first event after the
 *     last checkpoint that still matches, when the chain was recomputed after a change
 * @param reason why, in one line (null when ok)
 * @param checkpoints the checkpoints compared with the chain
 */
public record Verification(boolean ok, long events, Long firstBad, String reason, int checkpoints) {
  static Verification good(long events, int checkpoints) {
    return new Verification(true, events, null, null, checkpoints);
  }

  static Verification bad(long events, long firstBad, String reason, int checkpoints) {
    return new Verification(false, events, firstBad, reason, checkpoints);
  }

  /** Not ok with no event known to be bad: the checkpoints themselves were tampered with. */
  static Verification badCheckpoints(long events, String reason, int checkpoints) {
    return new Verification(false, events, null, reason, checkpoints);
  }
}
