package io.dataops.platform.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.audit.BegunAction;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.products.billing.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement's {@code billing.statement} event fixes the month's department-share ratios for later statements of it
 * ({@link BillingServices#issuedRatios}); so it is recorded only for a statement issued under its name, on a real
 * trail in SQLite.
 */
class BillingServicesTest {
  private static final YearMonth MARCH = YearMonth.of(2026, 3);

  @TempDir Path dir;
  private AuditTrail trail;

  @BeforeEach
  void open() {
    trail = new AuditTrail(new GovernanceDatabase("jdbc:sqlite:" + dir.resolve("catalog.db"), null, null));
  }

  private static Statement statement(String ratio) {
    return new Statement(MARCH, null, null, new BigDecimal("10.00"), List.of(), List.of(),
        List.of(new Statement.ProductRevenue("street-stats", "futian-data-operator", new BigDecimal("10.00"),
            new BigDecimal(ratio))));
  }

  private List<AuditRecord> statementEvents() {
    List<AuditRecord> all = trail.list(AuditFilter.newest().action("billing.*"));
    return all.stream().sorted(Comparator.comparingLong(AuditRecord::seq)).toList();
  }

  /**
   * Found by a probe: the statement's event was recorded before its file took its name; when the move failed (here a
   * folder appears at the name once the first record is made, after the last check), the event stayed, and the month's
   * ratios were fixed by a statement nobody received.
   */
  @Test
  void aStatementWhoseFileCannotTakeItsNameIsRecordedAsFailedAndFixesNoRatio() {
    Path out = dir.resolve("reports/statement.csv");
    AuditSink folderAppears = e -> {
      trail.record(e);
      try {
        Files.createDirectories(out.resolve("inside"));
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    };

    assertThatThrownBy(() -> BillingServices.issue(statement("0.30"), out, folderAppears))
        .isInstanceOf(BadInputException.class).hasMessageContaining("cannot write the statement")
        .hasMessageContaining("it is a folder");

    assertThat(BillingServices.issuedRatios(trail, MARCH)).as("no statement was issued").isEmpty();
    List<AuditRecord> recorded = statementEvents();
    assertThat(recorded).extracting(AuditRecord::action).containsExactly("billing.statement.begun",
        "billing.statement");
    assertThat(recorded.get(1).outcome()).isEqualTo(AuditEvent.FAILED);
    assertThat(recorded.get(1).details()).containsEntry(BegunAction.ID, recorded.get(0).details().get(BegunAction.ID))
        .containsEntry("reason", "it is a folder");
    try (var left = Files.list(out.getParent())) {
      assertThat(left).as("no part file left").containsExactly(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    // The statement issued next is the one that fixes the month's ratio.
    Path issued = BillingServices.issue(statement("0.40"), dir.resolve("reports/statement-2.csv"), trail);
    assertThat(issued).isRegularFile();
    assertThat(BillingServices.issuedRatios(trail, MARCH)).containsExactly(Map.entry("street-stats",
        new BigDecimal("0.40")));
    List<AuditRecord> now = statementEvents().subList(2, 4);
    assertThat(now).extracting(AuditRecord::action, AuditRecord::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("billing.statement.begun", AuditEvent.OK),
        org.assertj.core.groups.Tuple.tuple("billing.statement", AuditEvent.OK));
    assertThat(now.get(1).details().get(BegunAction.ID)).isEqualTo(now.get(0).details().get(BegunAction.ID));
  }

  /**
   * The statement's event cannot be recorded once its file has its name (as a kill between the two leaves the trail):
   * the file goes, and the begun record alone fixes no ratio.
   */
  @Test
  void aStatementWhoseEventCannotBeRecordedIsRemovedAndFixesNoRatio() {
    Path out = dir.resolve("reports/statement.csv");
    AuditSink fullAfterBegun = e -> {
      if (e.action().equals("billing.statement")) {
        throw new IllegalStateException("cannot record audit event billing.statement: the disk is full");
      }
      trail.record(e);
    };

    assertThatThrownBy(() -> BillingServices.issue(statement("0.30"), out, fullAfterBegun))
        .hasMessageContaining("the disk is full");

    assertThat(out).doesNotExist();
    assertThat(statementEvents()).extracting(AuditRecord::action).containsExactly("billing.statement.begun");
    assertThat(BillingServices.issuedRatios(trail, MARCH)).as("a statement begun and never ended").isEmpty();
  }
}
