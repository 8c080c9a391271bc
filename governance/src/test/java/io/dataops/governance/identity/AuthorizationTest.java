package io.dataops.governance.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationTest {
  private final Principal alice = new Principal("alice", "futian-data-operator", Set.of(Role.OPERATOR));

  @Test
  void theFirstRoleHeldIsTheRoleActedIn() {
    Principal both = new Principal("zhao", "futian-bureau", Set.of(Role.AUTHORITY, Role.AUDITOR));
    assertThat(Authorization.require(both, Role.AUDITOR, Role.AUTHORITY)).isEqualTo(Role.AUDITOR);
    assertThat(Authorization.require(alice, Role.ADMIN, Role.OPERATOR)).isEqualTo(Role.OPERATOR);
  }

  @Test
  void aRefusalNamesTheRolesNeededAndHeld() {
    assertThatThrownBy(() -> Authorization.require(alice, Role.AUTHORITY))
        .isInstanceOf(AccessDeniedException.class).isInstanceOf(BadInputException.class)
        .hasMessage("requires role authority; alice has operator");
    assertThatThrownBy(() -> Authorization.require(alice, Role.AUDITOR, Role.ADMIN))
        .hasMessage("requires role auditor or admin; alice has operator");
    assertThatThrownBy(() -> Authorization.require(new Principal("nobody", "x", Set.of()), Role.PARTNER))
        .hasMessage("requires role partner; nobody has no role");
  }

  @Test
  void aRefusalBecomesACommandRefusedEvent() {
    AccessDeniedException denied = null;
    try {
      Authorization.require(alice, Role.AUTHORITY);
    } catch (AccessDeniedException e) {
      denied = e;
    }
    assertThat(denied).isNotNull();
    AuditEvent event = denied.auditEvent("product approve", List.of("product:p@1"));
    assertThat(event.action()).isEqualTo("command.refused");
    assertThat(event.outcome()).isEqualTo(AuditEvent.REFUSED);
    assertThat(event.objects()).containsExactly("product:p@1");
    assertThat(event.details()).containsEntry("command", "product approve")
        .containsEntry("required", List.of("authority")).containsEntry("held", List.of("operator"))
        .containsEntry("user", "alice");
  }
}
