package io.dataops.jobs.batch;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.ListeningConnector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM run under the JDK's debugger interface (JDI), so that a test can hold its threads at exact points of the
 * code and kill it there (SIGKILL): each {@link Point} holds the thread that reaches it (the others run on), and once a
 * thread is held at every point the test kills the process. No hook in the code under test and no sleep that hopes:
 * where two steps run at once, both are held in the middle of their work, whichever comes first. A test may also
 * {@link #release} the held threads and let the child run to its end.
 */
final class HeldChild implements AutoCloseable {
  /** The {@code hit}-th call of a method (every overload of that name counts on its own). */
  record Point(String className, String method, int hit) {
    static Point of(Class<?> type, String method, int hit) {
      return new Point(type.getName(), method, hit);
    }

    @Override
    public String toString() {
      return className.substring(className.lastIndexOf('.') + 1) + "." + method + " (call " + hit + ")";
    }
  }

  private final Process process;
  private final VirtualMachine vm;
  private final Path log;
  private final List<Point> points;
  /** Point → the name of the thread held there. */
  private final Map<Point, String> held = new ConcurrentHashMap<>();
  private final Map<Point, com.sun.jdi.ThreadReference> heldThreads = new ConcurrentHashMap<>();
  private final Thread events;

  private HeldChild(Process process, VirtualMachine vm, Path log, List<Point> points) {
    this.process = process;
    this.vm = vm;
    this.log = log;
    this.points = List.copyOf(points);
    this.events = new Thread(this::handleEvents, "held-child-events");
    this.events.setDaemon(true);
  }

  /**
   * Starts {@code command} ({@code java ...}, its output to {@code log}) with the debugger's agent, the points set
   * before any of its classes loads.
   */
  static HeldChild start(List<String> command, Map<String, String> environment, Path log, List<Point> points)
      throws Exception {
    ListeningConnector connector = Bootstrap.virtualMachineManager().listeningConnectors().stream()
        .filter(c -> c.name().equals("com.sun.jdi.SocketListen")).findFirst().orElseThrow();
    Map<String, Connector.Argument> args = connector.defaultArguments();
    args.get("localAddress").setValue("127.0.0.1");
    args.get("port").setValue("0");
    args.get("timeout").setValue("60000");
    String address = connector.startListening(args);
    try {
      List<String> withAgent = new ArrayList<>(command);
      withAgent.add(1, "-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=" + address);
      ProcessBuilder b = new ProcessBuilder(withAgent).redirectErrorStream(true).redirectOutput(log.toFile());
      b.environment().putAll(environment);
      Process process = b.start();
      VirtualMachine vm = connector.accept(args);
      HeldChild child = new HeldChild(process, vm, log, points);
      for (Point p : points) {
        ClassPrepareRequest prepared = vm.eventRequestManager().createClassPrepareRequest();
        prepared.addClassFilter(p.className());
        prepared.setSuspendPolicy(EventRequest.SUSPEND_ALL); // until its breakpoints are set
        prepared.enable();
      }
      child.events.start();
      vm.resume(); // suspended at its start (suspend=y) until the requests were made
      return child;
    } finally {
      connector.stopListening(args);
    }
  }

  /** Waits until a thread is held at every point; returns the held threads' names, in the points' order. */
  List<String> awaitHeld(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (held.size() < points.size() && process.isAlive() && System.nanoTime() < deadline) {
      synchronized (held) {
        held.wait(50);
      }
    }
    if (held.size() < points.size()) {
      throw new AssertionError("held at " + held.keySet() + " of " + points + (process.isAlive() ? "" : " (the child "
          + "exited with " + process.exitValue() + ")") + "; its output:\n" + Files.readString(log));
    }
    return points.stream().map(held::get).toList();
  }

  /** Lets the held threads go on: the child runs to its end, and {@link #exitValue} waits for it. */
  void release() {
    heldThreads.values().forEach(com.sun.jdi.ThreadReference::resume);
  }

  /** The child's exit status, once it ends (within {@code timeout}). */
  int exitValue(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the child did not end within " + timeout + "; its output:\n" + Files.readString(log));
    }
    return process.exitValue();
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the child outlived its SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    events.join(10_000);
  }

  private void handleEvents() {
    try {
      while (true) {
        EventSet set = vm.eventQueue().remove();
        boolean resume = true;
        for (Event e : set) {
          if (e instanceof ClassPrepareEvent prepared) {
            setBreakpoints(prepared.referenceType());
          } else if (e instanceof BreakpointEvent hit) {
            Point p = (Point) hit.request().getProperty(Point.class);
            // one thread per point: the request reports once (its count filter), the others of the point go
            vm.eventRequestManager().breakpointRequests().stream()
                .filter(r -> p.equals(r.getProperty(Point.class))).forEach(EventRequest::disable);
            heldThreads.put(p, hit.thread());
            held.put(p, hit.thread().name());
            synchronized (held) {
              held.notifyAll();
            }
            resume = false; // the event's thread stays suspended (SUSPEND_EVENT_THREAD)
          }
        }
        if (resume) {
          set.resume();
        }
      }
    } catch (VMDisconnectedException | InterruptedException gone) {
      // the child was killed
    }
  }

  private void setBreakpoints(ReferenceType type) {
    for (Point p : points) {
      if (!p.className().equals(type.name())) {
        continue;
      }
      for (Method m : type.methodsByName(p.method())) {
        if (m.location() == null) {
          continue; // abstract or native
        }
        BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(m.location());
        r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        if (p.hit() > 1) {
          r.addCountFilter(p.hit());
        }
        r.putProperty(Point.class, p);
        r.enable();
      }
    }
  }
}
