package io.dataops.core;

import java.util.List;

/**
 * A step the object's state does not allow (approving a published version, destroying a destroyed one, revoking a
 * revoked grant): bad input, nothing changed. Unlike a missing file it is a governance event: the command line
 * records it in the audit trail as {@code command.refused}, naming {@link #objects()}, so that an authorized user's
 * refused attempts are seen as well as an unauthorized one's.
 */
public class StateRefusedException extends BadInputException {
  private final List<String> objects;

  /** @param objects what the step was refused on, as the audit trail names objects ({@code product:p@2}) */
  public StateRefusedException(String message, List<String> objects) {
    super(message);
    this.objects = List.copyOf(objects);
  }

  public List<String> objects() {
    return objects;
  }
}
