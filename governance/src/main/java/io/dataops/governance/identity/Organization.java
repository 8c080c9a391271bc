package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import io.dataops.core.text.FreeText;
import io.dataops.core.text.VisibleText;
import java.util.Objects;

/**
 * An organization taking part: the authority, a source department, an operator, a partner, an auditor, or the
 * platform itself.
 *
 * @param id a plain identifier, e.g. {@code futian-data-bureau}
 * @param displayName the name people read, e.g. 福田区政务服务数据管理局; checked when typed ({@link #typed}), not when
 *     read back: one stored before a character was refused (a zero-width joiner, before free text refused format
 *     characters) made every list of organizations fail; {@link #shownName} shows such a character
 */
public record Organization(String id, String displayName, OrganizationKind kind) {
  public static final int DISPLAY_NAME_MAX = 200;

  public Organization {
    Names.organization(id);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(displayName, "displayName");
  }

  /** An organization as someone typed it (to create it): its display name one line of free text, stripped. */
  public static Organization typed(String id, String displayName, OrganizationKind kind) {
    if (displayName == null || displayName.isBlank()) {
      throw new BadInputException("the display name of organization " + id + " must be 1 to " + DISPLAY_NAME_MAX
          + " characters without control, direction or invisible format characters");
    }
    String problem = FreeText.problem(displayName, DISPLAY_NAME_MAX);
    if (problem != null) {
      throw new BadInputException("the display name of organization " + id + " " + problem);
    }
    return new Organization(id, displayName.strip(), kind);
  }

  /** The display name as a line shows it: a character free text refuses now, stored before, shown by its code. */
  public String shownName() {
    return VisibleText.freeText(displayName);
  }
}
