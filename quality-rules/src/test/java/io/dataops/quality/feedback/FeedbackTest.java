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
import io.dataops.core.testing.Tmpfs;
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
    return feed(lh, csv, name, SUITE);
  }

  private QualityReport feed(Lakehouse lh, String csv, String name, String suite) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, csv);
    LandingResult r = new Landing(lh).land(new LandingRequest("public-security", "people", f,
        ContractParser.parse(CONTRACT, "c"), null));
    return new QualityRunner(lh, dir.resolve("work"), 2, 1 << 20).run(
        io.dataops.lakehouse.catalog.TableNames.ods("public-security", "people"), r.snapshotId(),
        SuiteParser.parse(suite, "s.yaml"), QualityRunner.Scope.FEED);
  }

  @Test
  void onTheEmbeddedDatabase() throws Exception {
    LakehouseConfig cfg = LakehouseConfig.embedded(dir.resolve("home"));
    lifecycle(cfg, new TicketStore(cfg.catalogUri(), null, null));
  }

  /** Found by a probe: the ticket of a query rule said "0 failing rows" when its query returned eight. */
  @Test
  void aQueryRulesTicketCountsTheRowsItsQueryReturned() throws Exception {
    LakehouseConfig cfg = LakehouseConfig.embedded(dir.resolve("home"));
    TicketStore store = new TicketStore(cfg.catalogUri(), null, null);
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      QualityReport report = feed(lh, BAD, "bad.csv", """
          name: people
          expectations:
            - type: unexpected_rows_expectation
              kwargs: {unexpected_rows_query: "SELECT id FROM {batch} WHERE gender <> 'M'"}
          """);
      new Feedback(store, lh, dir.resolve("outbox")).deliver(report, "public-security", "people", event -> { });
      assertThat(store.list("public-security", Ticket.State.OPEN)).singleElement()
          .satisfies(t -> assertThat(t.lastFailingRows()).isEqualTo(2));
    }
  }

  @Test
  void onPostgres() throws Exception {
    String url = PostgresServer.newDatabase("feedback_" + System.nanoTime());
    LakehouseConfig cfg = new LakehouseConfig(url, "postgres", "", dir.resolve("wh").toUri().toString(), Map.of());
    lifecycle(cfg, new TicketStore(url, "postgres", ""));
  }

  /**
   * On PostgreSQL the tickets' text columns were VARCHAR(n): an in-set rule over ~300 district codes has a rule key of
   * more than 2000 characters, and every failing feed's feedback was refused ("value too long"), again on each retry.
   * A database made before the fix is migrated (TEXT); notes and signers are bounded at input instead, as grants' are.
   */
  @Test
  void longRuleKeysOnAPostgresDatabaseMadeBeforeTheFix() throws Exception {
    String url = PostgresServer.newDatabase("feedback_long_" + System.nanoTime());
    // The tickets tables as the build before this fix made them (migrations 1 and 2).
    org.flywaydb.core.Flyway.configure().dataSource(url, "postgres", "")
        .locations("classpath:db/migration/tickets/common", "classpath:db/migration/tickets/postgresql")
        .table("flyway_tickets_history").baselineOnMigrate(true).baselineVersion("0").target("2").load().migrate();
    LakehouseConfig cfg = new LakehouseConfig(url, "postgres", "", dir.resolve("wh").toUri().toString(), Map.of());
    TicketStore store = new TicketStore(url, "postgres", "");
    StringBuilder codes = new StringBuilder("M, F");
    for (int i = 0; i < 300; i++) {
      codes.append(", '").append(440300 + i).append("'");
    }
    String suite = SUITE.replace("value_set: [M, F]", "value_set: [" + codes + "]");
    io.dataops.core.audit.AuditSink audit = event -> { };
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      Path f = dir.resolve("bad.csv");
      Files.writeString(f, BAD);
      LandingResult r = new Landing(lh).land(new LandingRequest("public-security", "people", f,
          ContractParser.parse(CONTRACT, "c"), null));
      QualityReport bad = new QualityRunner(lh, dir.resolve("work"), 2, 1 << 20).run(
          io.dataops.lakehouse.catalog.TableNames.ods("public-security", "people"), r.snapshotId(),
          SuiteParser.parse(suite, "s.yaml"), QualityRunner.Scope.FEED);
      Feedback.Delivery d = new Feedback(store, lh, dir.resolve("outbox")).deliver(bad, "public-security", "people",
          audit);
      assertThat(d.tickets()).extracting(Feedback.TicketChange::change).containsExactly("opened", "opened");
      assertThat(store.fed(bad.table(), bad.feedId())).isTrue();
      Ticket gender = store.list("public-security", Ticket.State.OPEN).stream()
          .filter(t -> t.expectationType().equals("expect_column_values_to_be_in_set")).findFirst().orElseThrow();
      assertThat(gender.ruleKey()).hasSizeGreaterThan(2000).contains("440599");

      String signer = "王".repeat(TicketStore.SIGNER_MAX);
      assertThatThrownBy(() -> store.acknowledge(gender.id(), TicketStore.actor("wang", signer + "x"), null, audit))
          .isInstanceOf(BadInputException.class).hasMessage("--by (the name the department signs with) is 101 characters long; at most 100");
      assertThatThrownBy(() -> TicketStore.actor("wang", "王科长\nforged line")).isInstanceOf(BadInputException.class)
          .hasMessageStartingWith("--by (the name the department signs with) holds a control character (U+000A) at "
              + "character 4");
      assertThat(store.acknowledge(gender.id(), TicketStore.actor("wang", signer), "x".repeat(TicketStore.NOTE_MAX),
          audit).state()).isEqualTo(Ticket.State.ACKNOWLEDGED);
      assertThatThrownBy(() -> store.resolve(gender.id(), "wang", "y".repeat(TicketStore.NOTE_MAX + 1), audit))
          .isInstanceOf(BadInputException.class).hasMessage("a note is at most 2000 characters (it has 2001)");
      // A note is one line of the ticket's history: a line feed would let it forge the next ("... verified").
      assertThatThrownBy(() -> store.resolve(gender.id(), "wang", "fixed\n2026-12-04T08:00:00Z  verified  quality run",
          audit)).isInstanceOf(BadInputException.class)
          .hasMessageStartingWith("--note holds a control character (U+000A) at character 6");
      assertThatThrownBy(() -> store.resolve(gender.id(), "wang", "fixed \u202edexif ton", audit))
          .isInstanceOf(BadInputException.class).hasMessageContaining("(U+202E)");
      String note = "区划代码表已按民政部 2024 年版更新。".repeat(100).substring(0, TicketStore.NOTE_MAX);
      assertThat(store.resolve(gender.id(), "wang", note, audit).resolutionNote()).isEqualTo(note);
      assertThat(store.events(gender.id())).extracting(Ticket.Event::actor)
          .containsExactly("quality run " + bad.runId(), signer + " (wang)", "wang");
    }
  }

  /** Found by a probe: the disk filling up while the failing rows were written left a partial file in the scratch. */
  @Test
  void failingRowsHalfWrittenOnAFullDiskAreDeletedAtOnce() throws Exception {
    LakehouseConfig cfg = LakehouseConfig.embedded(dir.resolve("home"));
    TicketStore store = new TicketStore(cfg.catalogUri(), null, null);
    try (Lakehouse lh = Lakehouse.open(cfg); Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 1)) {
      QualityReport bad = feed(lh, BAD, "bad.csv");
      Path scratch = Files.createDirectories(disk.dir().resolve("outbox-scratch"));
      Path filler = disk.dir().resolve("filler");
      try (var out = Files.newOutputStream(filler)) {
        byte[] block = new byte[4096];
        while (true) {
          out.write(block);
        }
      } catch (java.io.IOException full) {
        // the device is full
      }
      Feedback feedback = new Feedback(store, lh, disk.dir().resolve("outbox"));
      assertThatThrownBy(() -> feedback.deliver(bad, "public-security", "people", event -> { }))
          .hasMessageStartingWith("cannot write the failing rows of quality run " + bad.runId());
      try (var left = Files.list(scratch)) {
        assertThat(left.toList()).as("nothing half-written left").isEmpty();
      }
      assertThat(store.fed(bad.table(), bad.feedId())).isFalse();
      Files.delete(filler);
      assertThat(feedback.deliver(bad, "public-security", "people", event -> { }).files()).contains("failing-rows.csv");
    }
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
      // Found by a probe: a department that sent no feed had a pass rate of 100%.
      Scorecard none = Scorecard.of(store, "market-regulation");
      assertThat(none.feeds()).isZero();
      assertThat(none.passRatePercent()).as("no feeds: no rate, not a perfect one").isNull();
      assertThat(none.trend()).isEmpty();

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
      // Found by a probe: "open" counted acknowledged and resolved tickets too; each state is counted as itself.
      Ticket gender = store.list("public-security", Ticket.State.OPEN).get(0);
      store.acknowledge(gender.id(), "王科长", null, audit);
      store.resolve(gender.id(), "王科长", "codes mapped", audit);
      Scorecard states = Scorecard.of(store, "public-security");
      assertThat(List.of(states.openTickets(), states.acknowledgedTickets(), states.resolvedTickets(),
          states.verifiedTickets())).containsExactly(0, 1, 1, 0);
    }
  }
}
