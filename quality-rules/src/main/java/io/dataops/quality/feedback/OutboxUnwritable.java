package io.dataops.quality.feedback;

import io.dataops.core.BadInputException;

/**
 * A department's outbox folder that cannot be written (a file where the folder goes, no permission): the person who
 * mends the folder can finish the delivery, so it is bad input, not an internal error. Nothing of the delivery was
 * recorded ({@link Feedback#deliver}), so delivering again once the folder is mended completes it.
 */
public final class OutboxUnwritable extends BadInputException {
  private final String folder;
  private final String reason;

  /**
   * @param folder the feed's folder in the outbox
   * @param reason why it cannot be written, in words naming no value ({@code OutFiles.reason})
   */
  public OutboxUnwritable(String message, String folder, String reason, Throwable cause) {
    super(message, cause);
    this.folder = folder;
    this.reason = reason;
  }

  public String folder() {
    return folder;
  }

  public String reason() {
    return reason;
  }
}
