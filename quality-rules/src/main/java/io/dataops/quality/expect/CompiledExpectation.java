package io.dataops.quality.expect;

import io.dataops.quality.engine.Analyzer;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.suite.Expectation;
import java.util.List;

/** An expectation checked against a table: the analyzers it needs, and how their states decide it. */
public interface CompiledExpectation {
  Expectation config();

  List<Analyzer<?>> analyzers();

  ExpectationResult evaluate(States states);

  /**
   * Analyzers that need the first scan's results before they can judge a row (a z-score needs the mean and the
   * standard deviation): they run in a second scan, over only their columns. Most expectations have none.
   */
  default List<Analyzer<?>> secondPass(States first) {
    return List.of();
  }

  /**
   * What Great Expectations would raise for this expectation's arguments while validating (an empty range, say), so
   * that every run reports it as an error; null for an expectation that checks data. Said when a suite is
   * registered, not first at the next feed.
   */
  default String raised() {
    return null;
  }

  /**
   * What registration warns about though the expectation checks data as GX would (a value set whose numbers can
   * never equal a text column's values), each as its file, line and problem; none for most.
   */
  default List<String> notices() {
    return List.of();
  }
}
