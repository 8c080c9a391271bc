package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.serve.ApiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dataops serve}: the read-only REST API and web console in the foreground, until stopped (SIGTERM, Ctrl-C).
 * It acts as no one itself: each request runs its command as the user its bearer token names.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "REST API (read-only) and web console over plain HTTP; each request authenticates with "
        + "Authorization: Bearer TOKEN. Prints the address it listens on.")
final class ServeCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;
  @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "Port (0: a free one; default "
      + "8080).") int port;
  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
      description = "Address to listen on (default 127.0.0.1: this host only).") String bind;

  ServeCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new BadInputException("--port must be 0 to 65535, not " + port);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new BadInputException("--bind " + io.dataops.core.text.VisibleText.value(bind)
          + " is no address of this host");
    }
    if (!isOfThisHost(address)) {
      throw new BadInputException("--bind " + address.getHostAddress() + " is not an address of this host (give one "
          + "of its own addresses, 127.0.0.1 for this host only, or 0.0.0.0 for all)");
    }
    PlatformConfig config = cli.configToRead(common); // a home that is not there is refused now, not per request
    ApiServer server;
    try {
      server = ApiServer.start(new InetSocketAddress(address, port), config.home(), cli.env);
    } catch (IOException e) {
      throw new BadInputException("cannot listen on " + address.getHostAddress() + " port " + port + ": "
          + e.getMessage() + " (another process on it? choose another --port, or 0 for a free one)", e);
    }
    InetSocketAddress at = server.address();
    String host = at.getAddress().getHostAddress();
    String listening = (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort();
    audit(config, "serve.start", listening);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      audit(config, "serve.stop", listening);
      stopped.countDown();
    }, "dataops-serve-stop"));
    if (address.isAnyLocalAddress() && server.address().getAddress() instanceof java.net.Inet6Address
        && address instanceof java.net.Inet4Address) {
      cli.err.println("dataops: note: listening on every address of this host, IPv6 as well as IPv4 (Java binds "
          + "0.0.0.0 as ::); for IPv4 only, DATAOPS_JAVA_OPTS=-Djava.net.preferIPv4Stack=true");
    }
    if (!address.isLoopbackAddress()) {
      cli.err.println("dataops: note: plain HTTP on " + address.getHostAddress() + ": tokens cross the network in "
          + "clear unless a TLS proxy is in front");
    }
    cli.out.println("http://" + listening + "/");
    cli.out.flush();
    stopped.await();
    return 0;
  }

  /** Whether the host may listen on {@code address}: any, a loopback one (all of 127/8 on Linux), or one of its own. */
  private static boolean isOfThisHost(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
      return true;
    }
    try {
      return java.net.NetworkInterface.getByInetAddress(address) != null;
    } catch (java.net.SocketException e) {
      return true; // cannot tell: listening will say
    }
  }

  /**
   * The server's start or stop in the trail, as the system (it acts as no one): when an API was open, and where. A
   * trail that cannot take it (a read-only home) is logged, and the server runs all the same.
   */
  private static void audit(PlatformConfig config, String action, String listening) {
    try {
      var db = io.dataops.platform.session.Sessions.database(config);
      if (db.readOnly()) {
        return;
      }
      new io.dataops.governance.audit.AuditTrail(db).record(io.dataops.core.audit.AuditEvent.ok(action, List.of(),
          Map.of("address", listening)));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(ServeCommand.class).error("{} was not recorded in the audit trail", action, e);
    }
  }
}
