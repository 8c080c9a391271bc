package io.dataops.products.lifecycle;

import io.dataops.products.registry.VersionState;
import java.util.EnumSet;
import java.util.Set;

/**
 * The moves of a version's life and who may make them (the district's measures: the operator files a version for
 * review, 登记备案; the authority approves or rejects it, seals it at the end of its life and orders its destruction).
 */
public enum Move {
  SUBMIT("submit", "operator", EnumSet.of(VersionState.DRAFT), VersionState.SUBMITTED),
  APPROVE("approve", "authority", EnumSet.of(VersionState.SUBMITTED), VersionState.APPROVED),
  REJECT("reject", "authority", EnumSet.of(VersionState.SUBMITTED), VersionState.REJECTED),
  PUBLISH("publish", "operator", EnumSet.of(VersionState.APPROVED), VersionState.PUBLISHED),
  /** Made by the publish of a newer version, by the same operator. */
  SUPERSEDE("supersede", "operator", EnumSet.of(VersionState.PUBLISHED), VersionState.SUPERSEDED),
  SEAL("seal", "authority", EnumSet.of(VersionState.APPROVED, VersionState.PUBLISHED, VersionState.SUPERSEDED),
      VersionState.SEALED),
  DESTROY("destroy", "authority", EnumSet.of(VersionState.SEALED, VersionState.REJECTED), VersionState.DESTROYING),
  /** The end of a destruction, once its post-check passed. */
  DESTROYED("destroy", "authority", EnumSet.of(VersionState.DESTROYING), VersionState.DESTROYED);

  private final String command;
  private final String role;
  private final Set<VersionState> from;
  private final VersionState to;

  Move(String command, String role, Set<VersionState> from, VersionState to) {
    this.command = command;
    this.role = role;
    this.from = from;
    this.to = to;
  }

  /** The CLI's word: {@code dataops product <command>}. */
  public String command() {
    return command;
  }

  /** The role that makes this move. */
  public String role() {
    return role;
  }

  public Set<VersionState> from() {
    return from;
  }

  public VersionState to() {
    return to;
  }

  /** Whether the move is legal from a state. */
  public boolean allowedFrom(VersionState state) {
    return from.contains(state);
  }
}
