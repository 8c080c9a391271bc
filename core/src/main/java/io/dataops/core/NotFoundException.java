package io.dataops.core;

/**
 * Bad input that names something the caller may not see or that does not exist (the two answered alike, so a refusal
 * tells nothing of what is hidden): the REST API answers it 404, the command line as any bad input.
 */
public class NotFoundException extends BadInputException {
  public NotFoundException(String message) {
    super(message);
  }
}
