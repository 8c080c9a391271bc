package io.dataops.governance.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationPageTest {
  /**
   * A display name stored before free text refused format and direction characters (a zero-width joiner, a
   * right-to-left override) is shown with them by their codes, as {@code org list} shows it: unseen, the override
   * reordered the row, and the joiner made a department's name look like another's.
   */
  @Test
  void aStoredNameWithARefusedCharacterIsShownByItsCode() {
    Scorecards.Department department = new Scorecards.Department("public-security-2", "区公安\u200d分局",
        new Scorecards.Timeliness("feeds due", 0, 0, 0, 0, null, List.of()),
        new Scorecards.Quality(0, 0, null, null, List.of()),
        new Scorecards.Tickets(0, 0, null, 0, null, 0, null, 0));
    Scorecards.Operator operator = new Scorecards.Operator("futian-data-operator", "福田数据\u202e运营", List.of(),
        new Scorecards.Usage(0, 0, 0, List.of(), Map.of()), new Scorecards.Incidents(0, Map.of(), 0, 0), List.of());
    String page = EvaluationPage.html(new Scorecards("2026-11", "Asia/Shanghai", "2026-12-01T00:00:00+08:00",
        "2026-12-01T00:00:00+08:00", false, List.of(department), List.of(operator), List.of()));

    assertThat(page).contains("<tr><td>区公安&lt;U+200D&gt;分局<br><code>public-security-2</code>")
        .contains("<tr><td>福田数据&lt;U+202E&gt;运营<br><code>futian-data-operator</code>")
        .doesNotContain("\u200d").doesNotContain("\u202e");
  }
}
