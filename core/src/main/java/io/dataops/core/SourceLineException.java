package io.dataops.core;

/**
 * Bad input in a file the user wrote (a contract, a suite, a pipeline), with the file and the line of the problem:
 * the message reads {@code file:line: problem}.
 */
public class SourceLineException extends BadInputException {
  private final String source;
  private final int line;

  public SourceLineException(String source, int line, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  public String source() {
    return source;
  }

  /** 1-based line of the problem, 0 when it concerns the whole file. */
  public int line() {
    return line;
  }
}
