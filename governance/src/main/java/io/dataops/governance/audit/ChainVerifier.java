package io.dataops.governance.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Walks the chain in sequence order, one event in memory at a time: each event must follow the one before it (its
 * sequence number and previous hash), hash to its stored hash, agree with every checkpoint taken at it, and the last
 * one must be the chain head the database keeps. A checkpoint past the end means events were deleted.
 */
final class ChainVerifier {
  private static final int FETCH = 500;

  private ChainVerifier() {}

  /**
   * @param anchor a checkpoint to start from (its event must still have its hash; the events before it are not read),
   *     or null to verify from the first event
   */
  static Verification verify(Connection c, Collection<Checkpoint> checkpoints, Checkpoint anchor) throws SQLException {
    long start = anchor == null ? 1 : anchor.seq();
    NavigableMap<Long, List<Checkpoint>> bySeq = new TreeMap<>();
    for (Checkpoint cp : checkpoints) {
      if (cp.seq() >= start) {
        bySeq.computeIfAbsent(cp.seq(), s -> new ArrayList<>()).add(cp);
      }
    }
    int compared = bySeq.values().stream().mapToInt(List::size).sum();
    // The walk starts at event 1 (or a checkpoint): a row numbered below it would be passed over by the walk while
    // `audit list` shows it, so a forged event inserted there is named here.
    try (PreparedStatement p = c.prepareStatement("SELECT seq FROM audit_events WHERE seq < 1 ORDER BY seq LIMIT 1");
         ResultSet r = p.executeQuery()) {
      if (r.next()) {
        return Verification.bad(0, r.getLong(1), "event " + r.getLong(1) + " lies before the chain's first event:"
            + " it was added outside the trail", compared);
      }
    }
    long expected = start;
    long lastGoodCheckpoint = start - 1;
    long events = 0;
    String prev = ChainEntry.GENESIS;
    try (PreparedStatement p = c.prepareStatement("SELECT " + ChainEntry.COLUMNS
        + " FROM audit_events WHERE seq >= ? ORDER BY seq")) {
      p.setFetchSize(FETCH);
      p.setLong(1, start);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          ChainEntry e = ChainEntry.read(r);
          events++;
          if (e.seq() != expected) {
            return Verification.bad(events, expected, "event " + expected + " is missing (the chain goes on at event "
                + e.seq() + ")", compared);
          }
          if (anchor != null && e.seq() == anchor.seq()) {
            if (!e.hash().equals(anchor.hash())) {
              return Verification.bad(events, e.seq(), "event " + e.seq() + " no longer has the hash checkpointed at "
                  + anchor.at(), compared);
            }
          } else {
            String problem = problem(e, prev);
            if (problem != null) {
              return Verification.bad(events, e.seq(), "event " + e.seq() + " " + problem, compared);
            }
            for (Checkpoint cp : bySeq.getOrDefault(e.seq(), List.of())) {
              if (!cp.hash().equals(e.hash())) {
                return Verification.bad(events, lastGoodCheckpoint + 1, "the chain up to event " + e.seq()
                    + " differs from its checkpoint taken at " + cp.at() + ": events after " + lastGoodCheckpoint
                    + " were changed and the chain recomputed", compared);
              }
            }
          }
          if (bySeq.containsKey(e.seq())) {
            lastGoodCheckpoint = e.seq();
          }
          prev = e.hash();
          expected++;
        }
      }
    }
    long last = expected - 1;
    Verification head = checkHead(c, last, prev, events, compared);
    if (head != null) {
      return head;
    }
    Map.Entry<Long, List<Checkpoint>> beyond = bySeq.higherEntry(last);
    if (beyond != null) {
      return Verification.bad(events, lastGoodCheckpoint + 1, "event " + beyond.getKey() + " was checkpointed at "
          + beyond.getValue().get(0).at() + " but the trail ends at event " + last + ": events were deleted", compared);
    }
    Verification index = checkIndex(c, start, events, compared);
    return index != null ? index : Verification.good(events, compared);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * The object index ({@code audit_event_objects}, which `audit list --object` and the trail's own look-ups use) must
   * hold exactly each event's objects: a row deleted there hid an event from every search by its object while the
   * chain still verified (found by a probe). Both are read in sequence order and compared event by event.
   */
  private static Verification checkIndex(Connection c, long start, long events, int compared) throws SQLException {
    try (PreparedStatement pe = c.prepareStatement("SELECT seq, objects FROM audit_events WHERE seq >= ? ORDER BY seq");
         PreparedStatement pi = c.prepareStatement("SELECT seq, object FROM audit_event_objects WHERE seq >= ?"
             + " ORDER BY seq, object")) {
      pe.setFetchSize(FETCH);
      pe.setLong(1, start);
      pi.setFetchSize(FETCH);
      pi.setLong(1, start);
      try (ResultSet re = pe.executeQuery(); ResultSet ri = pi.executeQuery()) {
        boolean more = ri.next();
        while (re.next()) {
          long seq = re.getLong(1);
          java.util.TreeSet<String> objects;
          try {
            objects = new java.util.TreeSet<>(JSON.readValue(re.getString(2),
                new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { }));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Verification.bad(events, seq, "event " + seq + " names its objects in a form the trail never"
                + " writes", compared);
          }
          java.util.TreeSet<String> indexed = new java.util.TreeSet<>();
          while (more && ri.getLong(1) <= seq) {
            if (ri.getLong(1) < seq) {
              return Verification.bad(events, ri.getLong(1), "the object index lists event " + ri.getLong(1)
                  + ", which the chain does not hold: it was added outside the trail", compared);
            }
            indexed.add(ri.getString(2));
            more = ri.next();
          }
          if (!indexed.equals(objects)) {
            return Verification.bad(events, seq, "the object index of event " + seq + " differs from the event's"
                + " objects: it was changed outside the trail (a search by object would miss or add the event)",
                compared);
          }
        }
        if (more) {
          return Verification.bad(events, ri.getLong(1), "the object index lists event " + ri.getLong(1)
              + ", which the chain does not hold: it was added outside the trail", compared);
        }
      }
    }
    return null;
  }

  private static String problem(ChainEntry e, String prev) {
    if (!e.prevHash().equals(prev)) {
      return e.seq() == 1 ? "does not start the chain: an event was inserted before it, or it was moved"
          : "does not follow event " + (e.seq() - 1) + ": an event was inserted, deleted, replaced or moved there";
    }
    String computed;
    try {
      computed = e.hashAfter(prev);
    } catch (IllegalArgumentException unknownDigest) {
      return "names an unknown digest";
    }
    return computed.equals(e.hash()) ? null : "does not match its hash: it was modified";
  }

  private static Verification checkHead(Connection c, long last, String lastHash, long events, int compared)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
         ResultSet r = p.executeQuery()) {
      if (!r.next()) {
        return Verification.bad(events, last + 1, "the chain head record is missing", compared);
      }
      long headSeq = r.getLong(1);
      if (headSeq > last) {
        return Verification.bad(events, last + 1, "event " + (last + 1) + " is missing: the chain head is at event "
            + headSeq, compared);
      }
      if (headSeq < last) {
        return Verification.bad(events, headSeq + 1, "event " + (headSeq + 1) + " lies beyond the chain head (event "
            + headSeq + "): it was added outside the trail", compared);
      }
      if (!r.getString(2).equals(lastHash)) {
        return Verification.bad(events, last, "event " + last + " is not the chain head the trail recorded: it was"
            + " replaced", compared);
      }
      return null;
    }
  }
}
