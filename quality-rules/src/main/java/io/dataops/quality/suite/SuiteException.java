package io.dataops.quality.suite;

import io.dataops.lakehouse.BadInputException;

/** A suite that cannot be used, with the file and line of the problem; raised before any data is read. */
public class SuiteException extends BadInputException {
  private final int line;

  public SuiteException(String source, int line, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
