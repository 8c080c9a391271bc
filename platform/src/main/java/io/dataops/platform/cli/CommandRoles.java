package io.dataops.platform.cli;

import static io.dataops.governance.identity.Role.ADMIN;
import static io.dataops.governance.identity.Role.AUDITOR;
import static io.dataops.governance.identity.Role.AUTHORITY;
import static io.dataops.governance.identity.Role.DEPARTMENT;
import static io.dataops.governance.identity.Role.OPERATOR;
import static io.dataops.governance.identity.Role.PARTNER;

import io.dataops.governance.identity.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which roles may run which command: checked before the command does anything, in one place, so no command can be
 * added without saying who runs it (a test walks every command against this table). Finer checks — a department
 * acts on its own datasets, an operator on its own pipelines and products, a sealed version is read by the authority
 * and auditors only — are made by the command on the objects it touches.
 */
final class CommandRoles {
  private CommandRoles() {}

  private static final Role[] EVERYONE = Role.values();
  private static final Role[] READERS = {AUTHORITY, AUDITOR, DEPARTMENT, OPERATOR, PARTNER};

  /**
   * Commands that run without a user: the first admin's bootstrap, the build's class loading, and the generator of
   * synthetic feeds (it writes a file of made-up rows and neither reads nor changes anything of the platform), and
   * the REST API's server (it acts as no one: each request runs its command as its bearer token's user, checked here).
   */
  static final Set<String> WITHOUT_USER = Set.of("user bootstrap", "warmup", "generate", "serve");

  static final Map<String, List<Role>> ROLES = Map.ofEntries(
      Map.entry("demo", List.of(ADMIN)),
      Map.entry("contract register", List.of(DEPARTMENT)),
      Map.entry("contract list", List.of(EVERYONE)),
      Map.entry("contract show", List.of(EVERYONE)),
      Map.entry("land", List.of(DEPARTMENT)),
      Map.entry("table list", List.of(EVERYONE)),
      Map.entry("table show", List.of(READERS)),
      Map.entry("table history", List.of(READERS)),
      Map.entry("table maintain", List.of(ADMIN)),
      Map.entry("quality run", List.of(DEPARTMENT, AUTHORITY, OPERATOR)),
      Map.entry("quality suggest", List.of(DEPARTMENT, AUTHORITY)),
      Map.entry("quality suite register", List.of(DEPARTMENT)),
      Map.entry("feedback list", List.of(DEPARTMENT, AUTHORITY, AUDITOR)),
      Map.entry("feedback show", List.of(DEPARTMENT, AUTHORITY, AUDITOR)),
      Map.entry("feedback scorecard", List.of(DEPARTMENT, AUTHORITY, AUDITOR)),
      Map.entry("feedback ack", List.of(DEPARTMENT)),
      Map.entry("feedback resolve", List.of(DEPARTMENT)),
      Map.entry("pipeline validate", List.of(OPERATOR)),
      Map.entry("pipeline run", List.of(OPERATOR)),
      Map.entry("pipeline privacy", List.of(OPERATOR)),
      Map.entry("product list", List.of(EVERYONE)),
      Map.entry("product show", List.of(EVERYONE)),
      Map.entry("product history", List.of(OPERATOR, AUTHORITY, AUDITOR)),
      Map.entry("product verify", List.of(AUTHORITY, AUDITOR, OPERATOR)),
      Map.entry("product submit", List.of(OPERATOR)),
      Map.entry("product publish", List.of(OPERATOR)),
      Map.entry("product approve", List.of(AUTHORITY)),
      Map.entry("product reject", List.of(AUTHORITY)),
      Map.entry("product seal", List.of(AUTHORITY)),
      Map.entry("product destroy", List.of(AUTHORITY)),
      Map.entry("product deliver", List.of(PARTNER)),
      Map.entry("grant apply", List.of(OPERATOR)),
      Map.entry("grant list", List.of(OPERATOR, DEPARTMENT, AUTHORITY, AUDITOR)),
      Map.entry("grant show", List.of(OPERATOR, DEPARTMENT, AUTHORITY, AUDITOR)),
      Map.entry("grant approve", List.of(AUTHORITY, DEPARTMENT)),
      Map.entry("grant reject", List.of(AUTHORITY, DEPARTMENT)),
      Map.entry("grant revoke", List.of(AUTHORITY)),
      Map.entry("billing statement", List.of(AUTHORITY, AUDITOR, OPERATOR, PARTNER, DEPARTMENT)),
      Map.entry("supervise", List.of(AUTHORITY, AUDITOR)),
      Map.entry("evaluate", List.of(AUTHORITY, AUDITOR)),
      Map.entry("audit verify", List.of(AUDITOR, AUTHORITY)),
      Map.entry("audit list", List.of(AUDITOR, AUTHORITY)),
      Map.entry("audit checkpoint", List.of(AUDITOR, AUTHORITY)),
      Map.entry("user whoami", List.of(EVERYONE)),
      Map.entry("user add", List.of(ADMIN)),
      Map.entry("user list", List.of(ADMIN, AUDITOR)),
      Map.entry("user disable", List.of(ADMIN)),
      Map.entry("user enable", List.of(ADMIN)),
      Map.entry("user roles", List.of(ADMIN)),
      Map.entry("user password", List.of(ADMIN)),
      Map.entry("user token issue", List.of(ADMIN)),
      Map.entry("user token list", List.of(ADMIN, AUDITOR)),
      Map.entry("user token revoke", List.of(ADMIN)),
      Map.entry("airflow dag", List.of(OPERATOR)),
      Map.entry("airflow trigger", List.of(OPERATOR)),
      Map.entry("airflow status", List.of(OPERATOR, AUTHORITY, AUDITOR)),
      Map.entry("airflow pause", List.of(OPERATOR)),
      Map.entry("airflow unpause", List.of(OPERATOR)),
      Map.entry("scheduler start", List.of(ADMIN)),
      Map.entry("schedule add-pipeline", List.of(OPERATOR)),
      Map.entry("schedule add-quality", List.of(DEPARTMENT, AUTHORITY)),
      Map.entry("schedule list", List.of(OPERATOR, DEPARTMENT, AUTHORITY, AUDITOR, ADMIN)),
      Map.entry("schedule runs", List.of(OPERATOR, DEPARTMENT, AUTHORITY, AUDITOR, ADMIN)),
      Map.entry("schedule trigger", List.of(OPERATOR, DEPARTMENT, AUTHORITY, ADMIN)),
      Map.entry("schedule pause", List.of(OPERATOR, DEPARTMENT, AUTHORITY, ADMIN)),
      Map.entry("schedule resume", List.of(OPERATOR, DEPARTMENT, AUTHORITY, ADMIN)),
      Map.entry("schedule remove", List.of(OPERATOR, DEPARTMENT, AUTHORITY, ADMIN)),
      Map.entry("org add", List.of(ADMIN)),
      Map.entry("org list", List.of(EVERYONE)));

  /** The roles a command accepts; a command missing from the table is refused (it says who may run it first). */
  static Role[] of(String command) {
    List<Role> roles = ROLES.get(command);
    if (roles == null) {
      throw new IllegalStateException("the command '" + command + "' does not say which roles run it");
    }
    return roles.toArray(Role[]::new);
  }
}
