package io.dataops.products;

import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.products.delivery.DeliveredCopies;
import io.dataops.products.delivery.DeliveredCopy;
import io.dataops.products.delivery.Delivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit trail as the platform keeps it, for this module's tests: events with their actor and order, an event
 * recorded unless held as the governance trail does, and the deliveries of a version read from it.
 */
public final class TestTrail implements DeliveredCopies {
  record Entry(long seq, Instant at, Actor actor, AuditEvent event) {}

  final List<Entry> entries = new ArrayList<>();

  AuditSink as(Actor actor) {
    return new AuditSink() {
      @Override
      public void record(AuditEvent event) {
        synchronized (entries) {
          entries.add(new Entry(entries.size() + 1, Instant.now(), actor, event));
        }
      }

      @Override
      public boolean recordUnlessHeld(AuditEvent event, String object, String detail, String value) {
        synchronized (entries) {
          boolean held = entries.stream().anyMatch(e -> e.event().action().equals(event.action())
              && AuditEvent.OK.equals(e.event().outcome()) && e.event().objects().contains(object)
              && (detail == null || value.equals(String.valueOf(e.event().details().get(detail)))));
          if (!held) {
            record(event);
          }
          return !held;
        }
      }
    };
  }

  List<AuditEvent> of(String action) {
    return entries.stream().map(Entry::event).filter(e -> e.action().equals(action)).toList();
  }

  @Override
  public String source() {
    return "the test's audit trail";
  }

  @Override
  public List<DeliveredCopy> of(String product, int version) {
    DeliveredCopies.Fold fold = new DeliveredCopies.Fold();
    entries.stream().filter(e -> (e.event().action().equals(Delivery.ACTION)
            || e.event().action().equals(Delivery.BEGUN))
            && e.event().objects().contains("product:" + product + "@" + version))
        .forEach(e -> fold.add(e.seq(), e.at().toString(), e.actor().user(), e.event().action(), e.event().outcome(),
            e.event().details()));
    return fold.copies();
  }
}
