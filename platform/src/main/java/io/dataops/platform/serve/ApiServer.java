package io.dataops.platform.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dataops serve}: a read-only REST API over the CLI's own commands (see {@link Routes}), and a web console of
 * one static page. Every request names its user with {@code Authorization: Bearer TOKEN} and runs as the command
 * would for that user; nothing is kept between requests (no cookies, no sessions).
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /** Longer request lines are refused (414) before anything else is looked at. */
  static final int MAX_URI = 2000;

  /**
   * The JDK server's limits (seconds), read once when its first server is made: a client that takes longer than
   * {@code maxReqTime} to send its request (one byte a second) is dropped, and so is a response not done within
   * {@code maxRspTime} (which counts the command's run, so it is generous); an idle kept-alive connection is closed.
   * Each is set only when not given already (DATAOPS_JAVA_OPTS=-Dsun.net.httpserver.maxReqTime=...).
   */
  static final Map<String, String> LIMITS = Map.of(
      "sun.net.httpserver.maxReqTime", "10",
      "sun.net.httpserver.maxRspTime", "300",
      "sun.net.httpserver.idleInterval", "30");

  private static final Map<String, String> SECURITY_HEADERS = Map.of(
      "X-Content-Type-Options", "nosniff",
      "X-Frame-Options", "DENY",
      "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'",
      "Cache-Control", "no-store",
      "Referrer-Policy", "no-referrer");

  /** The console's files: path, resource, content type. */
  private record Asset(String resource, String type) {}

  private static final Map<String, Asset> ASSETS = Map.of(
      "/", new Asset("console.html", "text/html; charset=utf-8"),
      "/console.js", new Asset("console.js", "text/javascript; charset=utf-8"));

  private final HttpServer server;
  private final ExchangePool pool;
  private final CommandRunner runner;
  private final HomeGuard home;
  private final LoginThrottle throttle = new LoginThrottle();
  private final ExchangePool.Tally throttled = new ExchangePool.Tally(LOG, "answered 429 to {} request(s) since the "
      + "last line: their address had " + LoginThrottle.REFUSALS + " tokens refused within "
      + LoginThrottle.WINDOW_SECONDS + " s");

  private ApiServer(HttpServer server, ExchangePool pool, CommandRunner runner, HomeGuard home) {
    this.server = server;
    this.pool = pool;
    this.runner = runner;
    this.home = home;
  }

  /** Listens on {@code address} (port 0: a free one) for the home, with the server's environment {@code env}. */
  public static ApiServer start(InetSocketAddress address, Path home, Map<String, String> env) throws IOException {
    LIMITS.forEach((k, v) -> {
      if (System.getProperty(k) == null) {
        System.setProperty(k, v);
      }
    });
    HomeGuard guard = new HomeGuard(home, env);
    ExchangePool pool = new ExchangePool(maxRequestSeconds());
    HttpServer server = HttpServer.create(address, 0);
    ApiServer api = new ApiServer(server, pool, new CommandRunner(home, env), guard);
    server.createContext("/", api::handle);
    server.setExecutor(pool);
    server.start();
    return api;
  }

  /** The JDK's {@code maxReqTime} in force (-1: none). */
  private static long maxRequestSeconds() {
    try {
      return Long.parseLong(System.getProperty("sun.net.httpserver.maxReqTime").strip());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Where it listens (the port chosen when 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops listening, giving requests under way a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    throttled.flush();
    pool.close();
    runner.close();
  }

  private void handle(HttpExchange exchange) {
    try {
      SECURITY_HEADERS.forEach(exchange.getResponseHeaders()::set);
      InetAddress from = exchange.getRemoteAddress().getAddress();
      if (!pool.enter(from)) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        send(exchange, CommandRunner.Outcome.error(429, "too many requests from this address under way (at most "
            + ExchangePool.PER_ADDRESS + "): retry when one is answered"));
        return;
      }
      try {
        respond(exchange);
      } catch (RuntimeException e) {
        LOG.error("request failed", e);
        send(exchange, CommandRunner.Outcome.error(500, CommandRunner.INTERNAL));
      } finally {
        pool.leave(from);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("client went away: {}", e.toString()); // or the response was begun: nothing more can be said
    } finally {
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    if (exchange.getRequestURI().toString().length() > MAX_URI) {
      send(exchange, CommandRunner.Outcome.error(414, "the request line is longer than " + MAX_URI + " characters"));
      return;
    }
    if (!exchange.getRequestMethod().equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      send(exchange, CommandRunner.Outcome.error(405, "only GET: this version of the API reads, it changes nothing"));
      return;
    }
    if (hasBody(exchange.getRequestHeaders())) {
      // Not read: a GET has nothing to send, and reading it would let a client hold a thread with it.
      send(exchange, CommandRunner.Outcome.error(400, "a GET request has no body"));
      return;
    }
    String path = exchange.getRequestURI().getRawPath();
    Asset asset = ASSETS.get(path);
    if (asset != null) {
      sendAsset(exchange, asset);
      return;
    }
    var route = Routes.of(path);
    if (route.isEmpty()) {
      send(exchange, CommandRunner.Outcome.error(404, "no such path (see /api/v1/products, /api/v1/tables, "
          + "/api/v1/grants, /api/v1/feedback, /api/v1/audit/verify)"));
      return;
    }
    if (route.get().command() == null) {
      send(exchange, CommandRunner.Outcome.error(route.get().refusal(), route.get().reason()));
      return;
    }
    String token = bearer(exchange.getRequestHeaders().get("Authorization"));
    if (token == null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      send(exchange, CommandRunner.Outcome.error(401, "an API token is needed: Authorization: Bearer dop_..."));
      return;
    }
    InetAddress from = exchange.getRemoteAddress().getAddress();
    long wait = throttle.waitSeconds(from);
    if (wait > 0) {
      // Not checked, so not audited: the trail and the log grow by at most REFUSALS refused tokens a window.
      throttled.add();
      exchange.getResponseHeaders().set("Retry-After", String.valueOf(wait));
      send(exchange, CommandRunner.Outcome.error(429, "too many refused tokens from this address ("
          + LoginThrottle.REFUSALS + " within " + LoginThrottle.WINDOW_SECONDS + " s): retry in " + wait + " s"));
      return;
    }
    if (home.problem() != null) {
      // The server's failure: the client learns nothing of the home (the token is not even checked yet).
      send(exchange, CommandRunner.Outcome.error(503, HomeGuard.UNAVAILABLE));
      return;
    }
    CommandRunner.Outcome outcome = runner.run(token, route.get().command(), from.getHostAddress());
    if (outcome.status() == 401) {
      throttle.refused(from);
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    }
    send(exchange, outcome);
  }

  private static boolean hasBody(Headers request) {
    String length = request.getFirst("Content-Length");
    return request.containsKey("Transfer-Encoding") || length != null && !length.strip().equals("0");
  }

  /** The token of the one Authorization header when it is a bearer token, else null (no header, two, another kind). */
  static String bearer(List<String> values) {
    if (values == null || values.size() != 1) {
      return null;
    }
    String v = values.get(0).strip();
    if (v.length() <= 7 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = v.substring(7).strip();
    return token.isEmpty() || token.chars().anyMatch(c -> c <= ' ') ? null : token;
  }

  private static void send(HttpExchange exchange, CommandRunner.Outcome outcome) throws IOException {
    byte[] body = (outcome.json() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(outcome.status(), -1); // a HEAD response has no body
      return;
    }
    exchange.sendResponseHeaders(outcome.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void sendAsset(HttpExchange exchange, Asset asset) throws IOException {
    byte[] body;
    try (InputStream in = ApiServer.class.getResourceAsStream(asset.resource())) {
      if (in == null) {
        throw new IllegalStateException("the console's " + asset.resource() + " is missing from the jar");
      }
      body = in.readAllBytes();
    }
    exchange.getResponseHeaders().set("Content-Type", asset.type());
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
