package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import io.dataops.core.text.FreeText;
import java.util.Objects;

/**
 * An organization taking part: the authority, a source department, an operator, a partner, an auditor, or the
 * platform itself.
 *
 * @param id a plain identifier, e.g. {@code futian-data-bureau}
 * @param displayName the name people read, e.g. 福田区政务服务数据管理局
 */
public record Organization(String id, String displayName, OrganizationKind kind) {
  public static final int DISPLAY_NAME_MAX = 200;

  public Organization {
    Names.organization(id);
    Objects.requireNonNull(kind, "kind");
    if (displayName == null || displayName.isBlank()) {
      throw new BadInputException("the display name of organization " + id + " must be 1 to " + DISPLAY_NAME_MAX
          + " characters without control, direction or invisible format characters");
    }
    String problem = FreeText.problem(displayName, DISPLAY_NAME_MAX);
    if (problem != null) {
      throw new BadInputException("the display name of organization " + id + " " + problem);
    }
    displayName = displayName.strip();
  }
}
