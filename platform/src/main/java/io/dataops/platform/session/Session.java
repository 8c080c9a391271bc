package io.dataops.platform.session;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.StateRefusedException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.Names;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a command acts as, and where its audit events go. Every check goes through here: a refusal is recorded in the
 * audit trail ({@code command.refused}, with the roles needed and held) before it is thrown.
 */
public final class Session {
  private final Principal principal;
  private final Identities identities;
  private final AuditTrail trail;
  private final String command;
  private final java.io.PrintStream readOnlyNotice;
  private boolean noticed;
  private Role acting;

  /** @param readOnlyNotice where to say that a read-only home records nothing (null: the home is writable) */
  Session(Principal principal, Identities identities, AuditTrail trail, String command,
      java.io.PrintStream readOnlyNotice) {
    this.principal = principal;
    this.identities = identities;
    this.trail = trail;
    this.command = command;
    this.readOnlyNotice = readOnlyNotice;
  }

  public Principal principal() {
    return principal;
  }

  public Actor actor() {
    return principal.actor();
  }

  public Identities identities() {
    return identities;
  }

  public AuditTrail trail() {
    return trail;
  }

  /** The command's words ({@code product approve}). */
  public String command() {
    return command;
  }

  /** The role the command acts in once checked (null before). */
  public Role acting() {
    return acting;
  }

  /** Where this command's events go: stamped with the user and the role it acts in. */
  public AuditSink audit() {
    if (readOnlyNotice != null) {
      return event -> notice();
    }
    return acting == null ? trail.as(principal) : trail.as(principal, acting);
  }

  /** A read-only home (an archive copy under inspection) cannot take events: say so once, on stderr. */
  private void notice() {
    if (!noticed) {
      noticed = true;
      readOnlyNotice.println("dataops: note: the home is read-only, so this access is not recorded in its audit "
          + "trail");
    }
  }

  /**
   * The first of {@code anyOf} the user holds (the role the command acts in); a refusal naming the roles is audited
   * and thrown.
   */
  public Role require(List<String> objects, Role... anyOf) {
    for (Role r : anyOf) {
      if (principal.has(r)) {
        acting = r;
        return r;
      }
    }
    AccessDeniedException e = AccessDeniedException.roles(command, principal.actor(),
        Arrays.stream(anyOf).map(Role::label).toArray(String[]::new));
    refuse(e, objects);
    throw e;
  }

  /** Audits a refusal that a module made (an organization or state rule) before it reaches the user. */
  public void refuse(AccessDeniedException e, List<String> objects) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("command", command);
    details.put("required", e.rolesNeeded());
    details.put("held", principal.roles().stream().map(Role::label).sorted().toList());
    details.put("reason", e.getMessage());
    record(objects, details);
  }

  /**
   * Audits a step the object's state refused to a user whose roles allowed the command (approving a published
   * version, destroying a destroyed one): an attempt the authority wants to see as much as a refused role.
   */
  public void refuse(StateRefusedException e) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("command", command);
    details.put("refusedBy", "state");
    details.put("reason", e.getMessage());
    record(e.objects(), details);
  }

  private void record(List<String> objects, Map<String, Object> details) {
    if (readOnlyNotice != null) {
      notice();
      return;
    }
    trail.as(principal).record(new AuditEvent("command.refused", objects, AuditEvent.REFUSED, details));
  }

  /** A check of organization: the user must act for {@code organization} unless they hold one of {@code over}. */
  public void requireOrganization(String organization, String what, List<String> objects, Role... over) {
    // A name typed on the command line: no organization has one that is not an organization id, and echoing it
    // (escape sequences, kilobytes) into the message or the trail would be the caller's text, not ours.
    Names.organization(organization);
    if (organization.equals(principal.organization())
        || Arrays.stream(over).anyMatch(principal::has)) {
      return;
    }
    AccessDeniedException e = new AccessDeniedException(what + " is for " + organization + "; " + principal.name()
        + " acts for " + principal.organization(), List.of(acting == null ? "" : acting.label()));
    refuse(e, objects);
    throw e;
  }
}
