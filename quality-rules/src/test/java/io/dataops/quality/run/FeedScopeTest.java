package io.dataops.quality.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.SuiteParser;
import org.junit.jupiter.api.Test;

/** A feed-scope run checks the rows a commit added; a commit that added none is no feed to check. */
class FeedScopeTest extends QualityFixture {
  private static final String CONTRACT = """
      columns:
        - {name: id, type: long}
        - {name: code, type: string}
      """;
  private static final String SUITE = """
      name: s
      expectations:
        - type: expect_column_values_to_be_in_set
          kwargs: {column: code, value_set: [nope]}
      """;

  /** Found by a probe: such a run scanned nothing and passed, where the whole table failed every row. */
  @Test
  void aCommitThatAddedNoRowsIsRefusedAsAFeed() throws Exception {
    land("codes", CONTRACT, "id,code\n1,a\n2,b\n");
    QualityRunner runner = new QualityRunner(lakehouse, dir.resolve("work"), 2, 64L << 20);
    assertThat(runner.run(table("codes"), null, SuiteParser.parse(SUITE, "s.yaml"), QualityRunner.Scope.FEED)
        .validation().success()).as("the feed's own rows are checked").isFalse();

    lakehouse.load(table("codes")).newAppend().commit(); // a commit of no rows (as maintenance or a tag leaves)
    assertThatThrownBy(() -> runner.run(table("codes"), null, SuiteParser.parse(SUITE, "s.yaml"),
        QualityRunner.Scope.FEED)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("--feed checks the rows a commit added, and snapshot ")
        .hasMessageContaining("added none (append): check the table without --feed");
    assertThat(runner.run(table("codes"), null, SuiteParser.parse(SUITE, "s.yaml")).validation().success()).isFalse();
  }
}
