package io.dataops.governance.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.TreeSet;

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
        + " FROM audit_events WHERE seq >= ? ORDER BY seq");
         ObjectIndex index = new ObjectIndex(c, start)) {
      // A chain problem is named before an index problem (the index is checked as the chain is walked, and its first
      // problem kept for after the walk): a changed chain explains a changed index, not the other way round.
      IndexProblem indexProblem = null;
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
          if (indexProblem == null) {
            indexProblem = index.check(e);
          }
          if (bySeq.containsKey(e.seq())) {
            lastGoodCheckpoint = e.seq();
          }
          prev = e.hash();
          expected++;
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
            + beyond.getValue().get(0).at() + " but the trail ends at event " + last + ": events were deleted",
            compared);
      }
      if (indexProblem == null) {
        indexProblem = index.leftover();
      }
      return indexProblem == null ? Verification.good(events, compared)
          : Verification.bad(events, indexProblem.seq(), indexProblem.reason(), compared);
    }
  }

  /**
   * The object index ({@code audit_event_objects}, which `audit list --object` and the trail's own look-ups use) must
   * hold exactly each event's objects: a row deleted there hid an event from every search by its object while the
   * chain still verified (found by a probe). Read beside the walk, in sequence order, and compared event by event,
   * so the events are read once.
   */
  private static final class ObjectIndex implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PreparedStatement statement;
    private final ResultSet rows;
    private boolean more;

    ObjectIndex(Connection c, long start) throws SQLException {
      statement = c.prepareStatement("SELECT seq, object FROM audit_event_objects WHERE seq >= ? ORDER BY seq, object");
      try {
        statement.setFetchSize(FETCH);
        statement.setLong(1, start);
        rows = statement.executeQuery();
        more = rows.next();
      } catch (SQLException e) {
        statement.close();
        throw e;
      }
    }

    /** Whether the index holds exactly {@code e}'s objects (and nothing for an event before it). */
    IndexProblem check(ChainEntry e) throws SQLException {
      long seq = e.seq();
      TreeSet<String> objects;
      try {
        objects = new TreeSet<>(JSON.readValue(e.objects(), new TypeReference<List<String>>() { }));
      } catch (JsonProcessingException bad) {
        return new IndexProblem(seq, "event " + seq + " names its objects in a form the trail never writes");
      }
      TreeSet<String> indexed = new TreeSet<>();
      while (more && rows.getLong(1) <= seq) {
        if (rows.getLong(1) < seq) {
          return notInChain();
        }
        indexed.add(rows.getString(2));
        more = rows.next();
      }
      if (!indexed.equals(objects)) {
        return new IndexProblem(seq, "the object index of event " + seq + " differs from the event's objects: it was"
            + " changed outside the trail (a search by object would miss or add the event)");
      }
      return null;
    }

    /** After the last event: an index row left names an event the chain does not hold. */
    IndexProblem leftover() throws SQLException {
      return more ? notInChain() : null;
    }

    private IndexProblem notInChain() throws SQLException {
      long seq = rows.getLong(1);
      return new IndexProblem(seq, "the object index lists event " + seq + ", which the chain does not hold: it was"
          + " added outside the trail");
    }

    @Override
    public void close() throws SQLException {
      try (statement) {
        rows.close();
      }
    }
  }

  private record IndexProblem(long seq, String reason) {}

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
