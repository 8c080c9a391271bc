package io.dataops.platform.session;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The network address of the client a command runs for ({@code dataops serve}), noted in the details of a refused
 * login ({@code auth.refused}) so that the trail says where a guessed or stolen token came from. Held by the thread
 * that runs the command, never read from the environment (which a command-line user could set).
 */
public final class RemoteClient {
  private static final ThreadLocal<String> ADDRESS = new ThreadLocal<>();

  private RemoteClient() {}

  /** Runs {@code command} for the client at {@code address}. */
  public static <T> T runFor(String address, Supplier<T> command) {
    ADDRESS.set(address);
    try {
      return command.get();
    } finally {
      ADDRESS.remove();
    }
  }

  /** {@code sink}, adding {@code client} to the details of an {@code auth.refused} event when a client is known. */
  static AuditSink noting(AuditSink sink) {
    String address = ADDRESS.get();
    if (address == null) {
      return sink;
    }
    return new AuditSink() {
      @Override
      public void record(AuditEvent event) {
        sink.record(noted(event, address));
      }

      @Override
      public void check(AuditEvent event) {
        sink.check(noted(event, address));
      }

      @Override
      public void record(Connection c, AuditEvent event) {
        sink.record(c, noted(event, address));
      }

      @Override
      public boolean recordUnlessHeld(AuditEvent event, String object) {
        return sink.recordUnlessHeld(noted(event, address), object);
      }

      @Override
      public boolean recordUnlessHeld(AuditEvent event, String object, String detail, String value) {
        return sink.recordUnlessHeld(noted(event, address), object, detail, value);
      }
    };
  }

  private static AuditEvent noted(AuditEvent event, String address) {
    if (!event.action().equals("auth.refused")) {
      return event;
    }
    Map<String, Object> details = new LinkedHashMap<>(event.details());
    details.put("client", address);
    return new AuditEvent(event.action(), event.objects(), event.outcome(), details);
  }
}
