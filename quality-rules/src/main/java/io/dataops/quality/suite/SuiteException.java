package io.dataops.quality.suite;

import io.dataops.core.SourceLineException;

/** A suite that cannot be used, with the file and line of the problem; raised before any data is read. */
public class SuiteException extends SourceLineException {
  private final String problem;

  public SuiteException(String source, int line, String problem) {
    super(source, line, problem);
    this.problem = problem;
  }

  /** The problem without its file and line. */
  public String problem() {
    return problem;
  }
}
