package io.dataops.pipelines.definition;

import io.dataops.lakehouse.BadInputException;

/** A pipeline file that cannot be used, with the file and line of the problem. */
public class PipelineException extends BadInputException {
  private final String source;
  private final int line;

  public PipelineException(String source, int line, String problem) {
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
