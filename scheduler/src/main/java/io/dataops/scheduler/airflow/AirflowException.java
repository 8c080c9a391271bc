package io.dataops.scheduler.airflow;

/**
 * Airflow refused a request, could not be reached, or answered in a shape this client does not understand. The
 * message is one line naming the request and what to do; it never carries a password or token.
 */
public final class AirflowException extends RuntimeException {
  /** What went wrong, so callers can tell what the user can fix from what the server got wrong. */
  public enum Kind {
    /** 401: the credentials were not accepted. */
    UNAUTHENTICATED(true),
    /** 403: signed in, but without the permission. */
    FORBIDDEN(true),
    /** 404: no such DAG or run. */
    NOT_FOUND(true),
    /** 409: e.g. a run with that id exists already. */
    CONFLICT(true),
    /** 400 or 422: the request's arguments were refused. */
    INVALID(true),
    /** A status or body the API's published document does not describe. */
    UNEXPECTED(false),
    /** No answer: connection refused, timeout. */
    UNREACHABLE(true);

    private final boolean userCanFix;

    Kind(boolean userCanFix) {
      this.userCanFix = userCanFix;
    }
  }

  private final Kind kind;
  private final int status;

  AirflowException(Kind kind, int status, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  AirflowException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** Whether the user can act on it (credentials, names, permissions, reachability) rather than a server fault. */
  public boolean userCanFix() {
    return kind.userCanFix;
  }
}
