package io.dataops.pipelines.plan;

import io.dataops.core.audit.Actor;
import java.util.function.LongConsumer;

/**
 * What the caller of a run decides: who runs it (recorded as the version's maker) and who is told the rows the
 * transform has processed (a progress bar).
 */
public record RunControl(Actor actor, LongConsumer progress) {
  public static RunControl of(Actor actor) {
    return new RunControl(actor, rows -> { });
  }
}
