package io.dataops.lakehouse.contract;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a department promised its feeds ({@code schedule:} in the contract), so that timeliness is judged against
 * what it declared: {@code {every: day}}, {@code {every: week, dueDay: 1..7}} (Monday is 1) or
 * {@code {every: month, dueDay: 1..28}}. A feed is due by the end of its due day, China Standard Time.
 */
public record FeedSchedule(Every every, int dueDay) {
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  public enum Every {
    DAY, WEEK, MONTH;

    public String spelling() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public FeedSchedule {
    int max = switch (every) {
      case DAY -> 1;
      case WEEK -> 7;
      case MONTH -> 28;
    };
    if (dueDay < 1 || dueDay > max) {
      throw new IllegalArgumentException("dueDay of a schedule every " + every.spelling() + " is 1 to " + max
          + ", not " + dueDay);
    }
  }

  /**
   * One feed the schedule asks for: it counts for the feeds landed from {@code opens} (inclusive) to {@code closes}
   * (exclusive), and is on time when one landed before {@code due}.
   */
  public record Slot(LocalDate period, ZonedDateTime opens, ZonedDateTime due, ZonedDateTime closes) {}

  /** The feeds due in a month: every day of it, each week whose due day falls in it, or the month itself. */
  public List<Slot> slots(YearMonth month) {
    List<Slot> out = new ArrayList<>();
    switch (every) {
      case DAY -> {
        for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
          out.add(new Slot(d, start(d), start(d.plusDays(1)), start(d.plusDays(1))));
        }
      }
      case WEEK -> {
        LocalDate monday = month.atDay(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        for (; !monday.isAfter(month.atEndOfMonth()); monday = monday.plusWeeks(1)) {
          LocalDate dueDate = monday.plusDays(dueDay - 1L);
          if (YearMonth.from(dueDate).equals(month)) {
            out.add(new Slot(monday, start(monday), start(dueDate.plusDays(1)), start(monday.plusWeeks(1))));
          }
        }
      }
      case MONTH -> out.add(new Slot(month.atDay(1), start(month.atDay(1)), start(month.atDay(dueDay).plusDays(1)),
          start(month.plusMonths(1).atDay(1))));
    }
    return out;
  }

  private static ZonedDateTime start(LocalDate d) {
    return d.atTime(LocalTime.MIDNIGHT).atZone(ZONE);
  }

  /** As the contract writes it. */
  public String yaml() {
    return every == Every.DAY ? "{every: day}" : "{every: " + every.spelling() + ", dueDay: " + dueDay + "}";
  }
}
