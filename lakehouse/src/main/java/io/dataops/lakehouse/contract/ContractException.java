package io.dataops.lakehouse.contract;

import io.dataops.core.SourceLineException;

/** A contract file that cannot be used, with the file and line of the problem. */
public class ContractException extends SourceLineException {
  public ContractException(String source, int line, String problem) {
    super(source, line, problem);
  }
}
