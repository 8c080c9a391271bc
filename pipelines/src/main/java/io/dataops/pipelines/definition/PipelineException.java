package io.dataops.pipelines.definition;

import io.dataops.core.SourceLineException;

/** A pipeline file that cannot be used, with the file and line of the problem. */
public class PipelineException extends SourceLineException {
  public PipelineException(String source, int line, String problem) {
    super(source, line, problem);
  }
}
