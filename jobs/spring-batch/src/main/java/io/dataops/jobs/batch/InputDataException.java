package io.dataops.jobs.batch;

import io.dataops.core.BadInputException;

/**
 * The transform failed on the values it computes on (a cast that does not fit, an overflow): the pipeline or its data
 * must change, and the same run would meet the same values again, so it is not resumed. The message is redacted and
 * there is no cause: neither carries the value that failed.
 */
final class InputDataException extends BadInputException {
  InputDataException(String message) {
    super(message);
  }
}
