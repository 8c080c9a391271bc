package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A user without any of the roles a command needs: "requires role authority; alice has operator". */
public class AccessDeniedException extends BadInputException {
  private final String user;
  private final List<Role> required;
  private final Set<Role> held;

  public AccessDeniedException(Principal principal, List<Role> required) {
    super("requires role " + required.stream().map(Role::label).collect(Collectors.joining(" or ")) + "; "
        + principal.name() + " has " + principal.rolesText());
    this.user = principal.name();
    this.required = List.copyOf(required);
    this.held = principal.roles();
  }

  public List<Role> required() {
    return required;
  }

  /** The refusal as the audit trail records it (the command's sink stamps who). */
  public AuditEvent auditEvent(String command, List<String> objects) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("command", command);
    details.put("required", required.stream().map(Role::label).toList());
    details.put("held", held.stream().map(Role::label).toList());
    details.put("user", user);
    return new AuditEvent("command.refused", objects, AuditEvent.REFUSED, details);
  }
}
