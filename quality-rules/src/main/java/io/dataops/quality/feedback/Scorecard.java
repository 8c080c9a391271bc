package io.dataops.quality.feedback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a source department is doing: the share of rules its feeds passed (overall and feed by feed), its feeds
 * that passed entirely, its tickets by state, and how long its tickets took from opening to verification.
 *
 * <p>{@code passRatePercent} is null while no rule has been checked on a feed of the department (no feeds yet): a
 * department that sent nothing has no record, not a perfect one. A trend entry is null for a feed on which no rule
 * was checked. The ticket counts are the states of {@code feedback list}: {@code resolvedTickets} are fixed by the
 * department and await the passing feed that verifies them.
 */
public record Scorecard(String department, int feeds, int feedsPassed, Double passRatePercent, List<Double> trend,
                        int openTickets, int acknowledgedTickets, int resolvedTickets, int verifiedTickets,
                        Double meanHoursToResolve) {

  public static List<Scorecard> all(TicketStore store) {
    List<String> departments = new ArrayList<>();
    try (Connection c = store.connect();
         PreparedStatement p = c.prepareStatement("SELECT DISTINCT department FROM dq_runs WHERE department IS NOT NULL"
             + " UNION SELECT DISTINCT department FROM dq_tickets ORDER BY 1");
         ResultSet r = p.executeQuery()) {
      while (r.next()) {
        departments.add(r.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the departments", e);
    }
    List<Scorecard> out = new ArrayList<>();
    for (String d : departments) {
      out.add(of(store, d));
    }
    return out;
  }

  public static Scorecard of(TicketStore store, String department) {
    int feeds = 0;
    int feedsPassed = 0;
    long evaluated = 0;
    long successful = 0;
    List<Double> trend = new ArrayList<>();
    try (Connection c = store.connect()) {
      try (PreparedStatement p = c.prepareStatement("SELECT evaluated, successful, success FROM dq_runs WHERE "
          + "department = ? AND feed_id IS NOT NULL ORDER BY at")) {
        p.setString(1, department);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            feeds++;
            feedsPassed += r.getInt(3);
            evaluated += r.getInt(1);
            successful += r.getInt(2);
            trend.add(r.getInt(1) == 0 ? null : 100.0 * r.getInt(2) / r.getInt(1));
          }
        }
      }
      Map<Ticket.State, Integer> tickets = new EnumMap<>(Ticket.State.class);
      double hours = 0;
      try (PreparedStatement p = c.prepareStatement("SELECT state, opened_at, verified_at FROM dq_tickets WHERE "
          + "department = ?")) {
        p.setString(1, department);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            Ticket.State state = Ticket.State.valueOf(r.getString(1).toUpperCase(Locale.ROOT));
            tickets.merge(state, 1, Integer::sum);
            if (state == Ticket.State.VERIFIED) {
              hours += Duration.between(OffsetDateTime.parse(r.getString(2)), OffsetDateTime.parse(r.getString(3)))
                  .toMillis() / 3_600_000.0;
            }
          }
        }
      }
      int verified = tickets.getOrDefault(Ticket.State.VERIFIED, 0);
      return new Scorecard(department, feeds, feedsPassed, evaluated == 0 ? null : 100.0 * successful / evaluated,
          trend, tickets.getOrDefault(Ticket.State.OPEN, 0), tickets.getOrDefault(Ticket.State.ACKNOWLEDGED, 0),
          tickets.getOrDefault(Ticket.State.RESOLVED, 0), verified, verified == 0 ? null : hours / verified);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot compute the scorecard of " + department, e);
    }
  }
}
