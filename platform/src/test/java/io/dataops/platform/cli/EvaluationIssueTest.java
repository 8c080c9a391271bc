package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.audit.BegunAction;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.identity.Identities;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.evaluation.EvaluationServices;
import io.dataops.platform.session.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An evaluation's {@code evaluate} event stands for documents issued under their names, as a billing statement's
 * does: a begun record before they take their names, the event once they have, a failed one when they cannot.
 */
class EvaluationIssueTest {
  @TempDir Path dir;

  @Test
  void anEvaluationWhosePageCannotTakeItsNameIsRecordedAsFailedAndLeavesNoDocument() {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    PlatformConfig config = PlatformConfig.load(home, Map.of());
    AuditTrail trail = new AuditTrail(Sessions.database(config));
    Path out = dir.resolve("evaluation");
    YearMonth month = YearMonth.of(2026, 3);
    AuditSink folderAppears = e -> { // a folder at the page's name once the first record is made, after the checks
      trail.record(e);
      try {
        Files.createDirectories(out.resolve("evaluation-" + month + ".html/inside"));
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    };
    Actor authority = new Actor(TestCast.AUTHORITY, "bureau", Set.of("authority"));
    var organizations = new Identities(Sessions.database(config), trail).organizations();
    try (Lakehouse lakehouse = Lakehouse.open(config.lakehouse())) {
      assertThatThrownBy(() -> EvaluationServices.evaluate(config, lakehouse, authority, folderAppears, organizations,
          month, out)).hasMessageContaining("it is a folder");
    }
    List<AuditRecord> recorded = trail.list(AuditFilter.newest()).stream()
        .filter(e -> e.action().startsWith("evaluate")).sorted(Comparator.comparingLong(AuditRecord::seq)).toList();
    assertThat(recorded).extracting(AuditRecord::action).containsExactly("evaluate.begun", "evaluate");
    assertThat(recorded.get(1).outcome()).isEqualTo(AuditEvent.FAILED);
    assertThat(recorded.get(1).details()).containsEntry(BegunAction.ID, recorded.get(0).details().get(BegunAction.ID));
    assertThat(out.resolve("evaluation-" + month + ".json")).as("the other document was not left").doesNotExist();
  }
}
