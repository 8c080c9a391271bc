package io.dataops.quality.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.core.testing.PostgresServer;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop with the department: tickets open on failure, are handled, verify on a passing feed, reopen. */
class FeedbackTest {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: id_card, type: string, personal: id_card}
        - {name: gender, type: string}
      """;
  static final String SUITE = """
      name: people
      expectations:
        - type: expect_column_values_to_be_valid_prc_id_card
          kwargs: {column: id_card}
        - type: expect_column_values_to_be_in_set
          kwargs: {column: gender, value_set: [M, F]}
          severity: warning
        - type: expect_table_row_count_to_be_between
          kwargs: {min_value: 1}
      """;
  static final String BAD = "id,id_card,gender\n1,11010519491231002X,M\n2,110105194912310021,F\n3,440524199001010013,X\n";
  static final String GOOD = "id,id_card,gender\n4,11010519491231002X,M\n5,440524199001010018,F\n";

  @TempDir Path dir;

  private QualityReport feed(Lakehouse lh, String csv, String name) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, csv);
    LandingResult r = new Landing(lh).land(new LandingRequest("public-security", "people", f,
        ContractParser.parse(CONTRACT, "c"), null));
    return new QualityRunner(lh, dir.resolve("work"), 2, 1 << 20).run(
        io.dataops.lakehouse.catalog.TableNames.ods("public-security", "people"), r.snapshotId(),
        SuiteParser.parse(SUITE, "s.yaml"), QualityRunner.Scope.FEED);
  }

  @Test
  void onTheEmbeddedDatabase() throws Exception {
    LakehouseConfig cfg = LakehouseConfig.embedded(dir.resolve("home"));
    lifecycle(cfg, new TicketStore(cfg.catalogUri(), null, null));
  }

  @Test
  void onPostgres() throws Exception {
    String url = PostgresServer.newDatabase("feedback_" + System.nanoTime());
    LakehouseConfig cfg = new LakehouseConfig(url, "postgres", "", dir.resolve("wh").toUri().toString(), Map.of());
    lifecycle(cfg, new TicketStore(url, "postgres", ""));
  }

  private void lifecycle(LakehouseConfig cfg, TicketStore store) throws Exception {
    Path outbox = dir.resolve("outbox");
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      Feedback feedback = new Feedback(store, lh, outbox);
      QualityReport bad = feed(lh, BAD, "bad.csv");
      // The run, its tickets, its report and its event commit together: an event that cannot be recorded leaves no
      // run and no ticket, and the feed's intake is done again (fed() says whether it was done).
      io.dataops.core.audit.AuditSink full = event -> {
        throw new IllegalStateException("cannot record audit event " + event.action() + ": database or disk is full");
      };
      assertThatThrownBy(() -> feedback.deliver(bad, "public-security", "people", full))
          .hasMessageContaining("disk is full");
      assertThat(store.fed(bad.table(), bad.feedId())).isFalse();
      assertThat(store.list("public-security", null)).isEmpty();
      List<io.dataops.core.audit.AuditEvent> events = new java.util.ArrayList<>();
      io.dataops.core.audit.AuditSink audit = events::add;
      Feedback.Delivery d = feedback.deliver(bad, "public-security", "people", audit);
      assertThat(store.fed(bad.table(), bad.feedId())).isTrue();
      assertThat(feedback.deliver(bad, "public-security", "people", audit)).as("a feed's run is recorded once")
          .isNull();
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo("feedback.deliver");
        assertThat(e.objects()).containsExactly("organization:public-security", "table:" + bad.table());
        assertThat(e.details()).containsEntry("qualityRun", bad.runId());
      });
      assertThat(d.tickets()).extracting(Feedback.TicketChange::change).containsExactly("opened", "opened");
      Path folder = Path.of(d.folder());
      assertThat(folder).startsWith(outbox.resolve("public-security").resolve("people"));
      for (String f : List.of("report.zh.html", "report.en.html", "validation.json", "failing-rows.csv")) {
        assertThat(folder.resolve(f)).isRegularFile();
        assertThat(Files.readString(folder.resolve(f))).as(f + " carries no raw ID number")
            .doesNotContain("110105194912310021").doesNotContain("440524199001010013");
      }
      assertThat(Files.readString(folder.resolve("report.zh.html"))).contains("数据质量反馈报告", "未通过", "<svg");
      assertThat(Files.readString(folder.resolve("report.en.html"))).contains("Data quality feedback report");
      List<String> csv = Files.readAllLines(folder.resolve("failing-rows.csv"), StandardCharsets.UTF_8);
      assertThat(csv).hasSize(1 + 3); // header, two invalid ID numbers, one gender X
      assertThat(csv.get(1)).contains("id=2", "110105********0021");

      List<Ticket> open = store.list("public-security", Ticket.State.OPEN);
      assertThat(open).hasSize(2);
      Ticket idCard = open.get(0);
      assertThat(idCard.lastFailingRows()).isEqualTo(2);
      assertThatThrownBy(() -> store.acknowledge(idCard.id(), "王科长", "checking the registry", full))
          .hasMessageContaining("disk is full");
      assertThat(store.get(idCard.id()).orElseThrow().state()).as("not acknowledged without its event")
          .isEqualTo(Ticket.State.OPEN);
      assertThat(store.acknowledge(idCard.id(), "王科长", "checking the registry", audit).state())
          .isEqualTo(Ticket.State.ACKNOWLEDGED);
      assertThatThrownBy(() -> store.acknowledge(idCard.id(), "x", null, audit)).isInstanceOf(BadInputException.class);
      assertThatThrownBy(() -> store.resolve(idCard.id(), "x", " ", audit)).isInstanceOf(BadInputException.class)
          .hasMessageContaining("needs a note");
      assertThat(store.resolve(idCard.id(), "王科长", "check characters recomputed", audit).state())
          .isEqualTo(Ticket.State.RESOLVED);
      assertThat(events).extracting(io.dataops.core.audit.AuditEvent::action).containsExactly("feedback.deliver",
          "feedback.ack", "feedback.resolve");

      Feedback.Delivery fixed = feedback.deliver(feed(lh, GOOD, "good.csv"), "public-security", "people", audit);
      assertThat(fixed.tickets()).extracting(Feedback.TicketChange::change).containsExactly("verified", "verified");
      assertThat(store.get(idCard.id()).orElseThrow().state()).isEqualTo(Ticket.State.VERIFIED);
      assertThat(store.events(idCard.id())).extracting(Ticket.Event::event)
          .containsExactly("opened", "acknowledged", "resolved", "verified");
      assertThatThrownBy(() -> store.resolve(idCard.id(), "x", "again", audit)).isInstanceOf(BadInputException.class);

      Feedback.Delivery again = feedback.deliver(feed(lh, BAD.replace("1,", "7,").replace("2,", "8,").replace("3,", "9,"),
          "bad2.csv"), "public-security", "people", audit);
      assertThat(again.tickets()).extracting(Feedback.TicketChange::change).containsExactly("reopened", "reopened");
      assertThat(store.get(idCard.id()).orElseThrow().reopened()).isEqualTo(1);

      Scorecard card = Scorecard.of(store, "public-security");
      assertThat(card.feeds()).isEqualTo(3);
      assertThat(card.feedsPassed()).isEqualTo(1);
      assertThat(card.trend()).hasSize(3);
      assertThat(card.passRatePercent()).isCloseTo(100.0 * (1 + 3 + 1) / 9, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(card.openTickets()).isEqualTo(2);
      assertThat(card.meanHoursToResolve()).as("no ticket is verified now").isNull();

      // Found by a probe: a resolved ticket whose rule failed again stayed "resolved" for good (its department
      // could neither acknowledge nor resolve it again); the fix did not hold, so it is open again.
      store.acknowledge(idCard.id(), "王科长", "looking again", audit);
      store.resolve(idCard.id(), "王科长", "registry corrected", audit);
      Feedback.Delivery failedAfter = feedback.deliver(feed(lh, BAD.replace("1,", "4,").replace("2,", "5,")
          .replace("3,", "6,"), "bad3.csv"), "public-security", "people", audit);
      assertThat(failedAfter.tickets()).extracting(Feedback.TicketChange::change)
          .contains("failed_after_resolution");
      assertThat(store.get(idCard.id()).orElseThrow().state()).isEqualTo(Ticket.State.OPEN);
      assertThat(store.get(idCard.id()).orElseThrow().reopened()).isEqualTo(2);
      assertThat(store.acknowledge(idCard.id(), "王科长", "once more", audit).state())
          .isEqualTo(Ticket.State.ACKNOWLEDGED);
    }
  }
}
