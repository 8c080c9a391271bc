package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.testing.ChildJvm;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.identity.Credentials;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.IssuedToken;
import io.dataops.platform.Main;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.serve.ApiServer;
import io.dataops.platform.session.Sessions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataops serve}: the read-only REST API over real HTTP, each request running its CLI command as its bearer
 * token's user — the same refusals, the same audit events — and hardened against what a browser or a client may send.
 * One home for the class: income-by-street version 1 published, version 2 a draft.
 */
class ServeCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static Path home;
  private static ApiServer server;
  private static URI base;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void homeWithAPublishedVersionAndADraft() throws Exception {
    DeliveryCliTest.grantedRunAndPublished(dir, "--channel market --price 300");
    home = dir.resolve("home");
    Path feed = dir.resolve("feeds/c2.csv");
    cli(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out",
        feed.toString());
    cli(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    cli(TestCast.OPERATOR, "pipeline", "run", dir.resolve("pipelines/income.yaml").toString());
    server = ApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), home, Map.of());
    base = URI.create("http://127.0.0.1:" + server.address().getPort());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Run cli(String as, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString(), "--as", as));
    Run r = CliTest.exactly(all.toArray(String[]::new));
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  private static String token(String user) {
    return Credentials.of(home).resolve(user, Map.of()).token();
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> getAs(String path, String user) throws Exception {
    return get(path, token(user));
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return JSON.readTree(r.body());
  }

  private static List<AuditRecord> events(String action) {
    PlatformConfig config = PlatformConfig.load(home, Map.of());
    return new AuditTrail(Sessions.database(config)).list(AuditFilter.newest().action(action).limit(1000));
  }

  @Test
  void aRequestWithoutAValidTokenIs401AndARefusedTokenIsAuditedAsTheCliAuditsIt() throws Exception {
    HttpResponse<String> none = get("/api/v1/products", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).get("error").asText()).contains("Bearer");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

    int refusedBefore = events("auth.refused").size();
    HttpResponse<String> unknown = get("/api/v1/products", "dop_" + "A".repeat(43));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(json(unknown).get("error").asText()).isEqualTo("unknown API token");
    HttpResponse<String> malformed = get("/api/v1/products", "not-a-token");
    assertThat(malformed.statusCode()).isEqualTo(401);
    assertThat(json(malformed).get("error").asText()).as("the client sent no environment variable")
        .startsWith("the bearer token does not hold").doesNotContain(Credentials.ENV_TOKEN);
    List<AuditRecord> refused = events("auth.refused");
    assertThat(refused).hasSize(refusedBefore + 2);
    assertThat(refused.get(0).details()).containsEntry("reason", "malformed token");
    assertThat(refused.get(1).details()).containsEntry("reason", "unknown token").containsEntry("client", "127.0.0.1");
    // The CLI refuses the same unknown token with the same event.
    Run viaCli = CliTest.exactly(Map.of(Credentials.ENV_TOKEN, "dop_" + "A".repeat(43)), "product", "list",
        "--home", home.toString());
    assertThat(viaCli.exit()).isEqualTo(2);
    AuditRecord cliEvent = events("auth.refused").get(0);
    assertThat(cliEvent.details()).doesNotContainKey("client");
    Map<String, Object> viaApi = new java.util.HashMap<>(refused.get(1).details());
    viaApi.remove("client"); // where the request came from: the one thing the command line has not
    assertThat(cliEvent.details()).isEqualTo(viaApi);
    assertThat(cliEvent.objects()).isEqualTo(refused.get(1).objects());

    PlatformConfig config = PlatformConfig.load(home, Map.of());
    Identities ids = new Identities(Sessions.database(config), AuditSink.NONE);
    IssuedToken revoked = ids.issueToken(TestCast.PARTNER, Duration.ofDays(1));
    assertThat(get("/api/v1/products", revoked.token()).statusCode()).isEqualTo(200);
    ids.revokeToken(revoked.id());
    HttpResponse<String> afterRevoke = get("/api/v1/products", revoked.token());
    assertThat(afterRevoke.statusCode()).isEqualTo(401);
    assertThat(json(afterRevoke).get("error").asText()).contains("revoked").doesNotContain(revoked.token());
    assertThat(events("auth.refused").get(0).details()).containsEntry("reason", "token revoked");
  }

  /**
   * Found by a probe: nothing but the 16 requests in flight per address bounded token guessing, and every refused
   * token is an audit event. After 10 refused within a minute, the address's tokens are not checked (429, not
   * audited) until the oldest refusal is a minute old. Its own server: the shared one's address must stay usable.
   */
  @Test
  void tenRefusedTokensFromOneAddressStopItsTokensBeingCheckedForAMinute() throws Exception {
    try (ApiServer own = ApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), home, Map.of())) {
      URI at = URI.create("http://127.0.0.1:" + own.address().getPort() + "/api/v1/products");
      java.util.function.Function<String, HttpRequest> bearer = t -> HttpRequest.newBuilder(at)
          .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + t).build();
      int before = events("auth.refused").size();
      for (int i = 0; i < io.dataops.platform.serve.LoginThrottle.REFUSALS; i++) {
        assertThat(HTTP.send(bearer.apply("dop_" + "B".repeat(43)), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(401);
      }
      HttpResponse<String> guess = HTTP.send(bearer.apply("dop_" + "C".repeat(43)),
          HttpResponse.BodyHandlers.ofString());
      assertThat(guess.statusCode()).isEqualTo(429);
      assertThat(json(guess).get("error").asText()).startsWith("too many refused tokens from this address");
      assertThat(Long.parseLong(guess.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
      assertSecurityHeaders(guess);
      // A valid token from that address waits too (it is not checked), and nothing more is audited.
      assertThat(HTTP.send(bearer.apply(token(TestCast.PARTNER)), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(429);
      assertThat(events("auth.refused")).hasSize(before + io.dataops.platform.serve.LoginThrottle.REFUSALS);
    }
    assertThat(getAs("/api/v1/products", TestCast.PARTNER).statusCode()).as("another server's count").isEqualTo(200);
  }

  @Test
  void aPartnerSeesOnlyPublishedVersionsAndIsRefusedADraftWhichTheOperatorSees() throws Exception {
    JsonNode partners = json(getAs("/api/v1/products", TestCast.PARTNER));
    assertThat(partners.findValuesAsText("version")).containsExactly("1");
    assertThat(partners.findValuesAsText("state")).containsOnly("published");
    JsonNode operators = json(getAs("/api/v1/products", TestCast.OPERATOR));
    assertThat(operators.findValuesAsText("version")).containsExactlyInAnyOrder("1", "2");

    HttpResponse<String> published = getAs("/api/v1/products/income-by-street/1", TestCast.PARTNER);
    assertThat(published.statusCode()).isEqualTo(200);
    assertThat(json(published).get("version").asInt()).isEqualTo(1);

    int refusalsBefore = events("command.refused").size();
    // A draft the partner may not see is answered as a version that does not exist: no state, owner or range.
    HttpResponse<String> draft = getAs("/api/v1/products/income-by-street/2", TestCast.PARTNER);
    assertThat(draft.statusCode()).isEqualTo(404);
    String error = json(draft).get("error").asText();
    assertThat(error).isEqualTo("product income-by-street has no version 2 you may see (see: dataops product list)");
    HttpResponse<String> missing = getAs("/api/v1/products/income-by-street/99", TestCast.PARTNER);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("error").asText()).isEqualTo(error.replace("version 2", "version 99"));
    HttpResponse<String> operatorsDraft = getAs("/api/v1/products/income-by-street/2", TestCast.OPERATOR);
    assertThat(operatorsDraft.statusCode()).isEqualTo(200);
    assertThat(json(operatorsDraft).get("version").asInt()).isEqualTo(2);

    // The request's audit event is the CLI's: the same refusal by the same user, recorded the same way.
    List<AuditRecord> refusals = events("command.refused");
    assertThat(refusals).hasSize(refusalsBefore + 1);
    AuditRecord viaApi = refusals.get(0);
    assertThat(viaApi.actor()).isEqualTo(TestCast.PARTNER);
    assertThat(viaApi.objects()).containsExactly("product:income-by-street@2");
    Run viaCli = CliTest.exactly("product", "show", "income-by-street", "2", "--home", home.toString(), "--as",
        TestCast.PARTNER);
    assertThat(viaCli.exit()).isEqualTo(2);
    assertThat(viaCli.err()).contains(error);
    AuditRecord cliEvent = events("command.refused").get(0);
    assertThat(List.of(cliEvent.actor(), cliEvent.organization(), cliEvent.objects(), cliEvent.details()))
        .isEqualTo(List.of(viaApi.actor(), viaApi.organization(), viaApi.objects(), viaApi.details()));

    // Named no version, the partner is shown the newest it may see, not told of the draft after it.
    Run newest = CliTest.exactly("product", "show", "income-by-street", "--json", "--home", home.toString(), "--as",
        TestCast.PARTNER);
    assertThat(newest.exit()).as(newest.err()).isZero();
    assertThat(JSON.readTree(newest.out()).get("version").asInt()).isEqualTo(1);

    assertThat(json(getAs("/api/v1/products/income-by-street/9", TestCast.OPERATOR)).get("error").asText())
        .contains("has no version 9");
    assertThat(getAs("/api/v1/products/income-by-street/9", TestCast.OPERATOR).statusCode()).isEqualTo(400);
  }

  @Test
  void theOtherEndpointsAnswerAsTheirCommandsForTheRolesTheyAllow() throws Exception {
    HttpResponse<String> tables = getAs("/api/v1/tables", TestCast.PARTNER);
    assertThat(tables.statusCode()).as(tables.body()).isEqualTo(200);
    assertThat(tables.body()).contains("product.income_by_street");
    assertThat(getAs("/api/v1/grants", TestCast.AUTHORITY).statusCode()).isEqualTo(200);
    HttpResponse<String> partnersGrants = getAs("/api/v1/grants", TestCast.PARTNER);
    assertThat(partnersGrants.statusCode()).isEqualTo(403);
    assertThat(json(partnersGrants).get("error").asText()).contains("requires role");
    assertThat(getAs("/api/v1/feedback", TestCast.PUBLIC_SECURITY).statusCode()).isEqualTo(200);
    HttpResponse<String> verified = getAs("/api/v1/audit/verify", TestCast.AUDITOR);
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    assertThat(json(verified).get("ok").asBoolean()).isTrue();
    assertThat(getAs("/api/v1/nothing", TestCast.AUDITOR).statusCode()).isEqualTo(404);
  }

  @Test
  void aHostilePathParameterIsRefusedBeforeAnyCommandRuns() throws Exception {
    String partner = token(TestCast.PARTNER);
    for (String path : List.of("/api/v1/products/..%2f..%2fsecrets/1", "/api/v1/products/a'b/1",
        "/api/v1/products/a%22b/1", "/api/v1/products/" + "a".repeat(300) + "/1", "/api/v1/products/--help/1")) {
      HttpResponse<String> r = get(path, partner);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(json(r).get("error").asText()).as(path).as("a fixed line, not the parameter")
          .startsWith("a product name is").doesNotContain("secrets", "a'b", "%22", "aaaa", "help");
    }
  }

  @Test
  void aVersionThatIsNoPositiveWholeNumberIsRefused() throws Exception {
    String partner = token(TestCast.PARTNER);
    for (String version : List.of("0", "-1", "01", "1%20--json", "1.0", "99999999999")) {
      HttpResponse<String> r = get("/api/v1/products/income-by-street/" + version, partner);
      assertThat(r.statusCode()).as(version).isEqualTo(400);
      assertThat(json(r).get("error").asText()).as(version).isEqualTo("a version is a positive whole number");
    }
  }

  @Test
  void onlyGetIsAnsweredAndEveryResponseCarriesTheSecurityHeaders() throws Exception {
    String partner = token(TestCast.PARTNER);
    for (String method : List.of("POST", "PUT", "DELETE", "HEAD")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/products"))
          .header("Authorization", "Bearer " + partner)
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).hasValue("GET");
      assertSecurityHeaders(r);
    }
    HttpResponse<String> withBody = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/products"))
        .header("Authorization", "Bearer " + partner)
        .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(10_000))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(withBody.statusCode()).isEqualTo(400);
    HttpResponse<String> tooLong = get("/api/v1/products?" + "a".repeat(2_100), partner);
    assertThat(tooLong.statusCode()).isEqualTo(414);
    for (HttpResponse<String> r : List.of(withBody, tooLong, get("/api/v1/products", partner),
        get("/api/v1/products", null), get("/nothing", null))) {
      assertSecurityHeaders(r);
    }
  }

  @Test
  void theConsoleIsOneStaticPageAndItsScriptUnderTheContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertSecurityHeaders(page);
    assertThat(page.body()).contains("<script src=\"/console.js\" defer></script>").doesNotContain("style=")
        .doesNotContainPattern(" on[a-z]+=");
    assertThat(page.body().split("<script").length).as("one script element, not inline").isEqualTo(2);
    HttpResponse<String> script = get("/console.js", null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertSecurityHeaders(script);
    assertThat(script.body()).contains("/api/v1/products", "textContent", "sessionStorage")
        .doesNotContain("innerHTML", "localStorage", "document.cookie", "eval(");
  }

  private static void assertSecurityHeaders(HttpResponse<String> r) {
    var h = r.headers();
    assertThat(h.firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(h.firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(h.firstValue("Content-Security-Policy")).hasValue("default-src 'self'; frame-ancestors 'none'");
    assertThat(h.firstValue("Cache-Control")).hasValue("no-store");
    assertThat(h.firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(h.map().keySet()).noneMatch(k -> k.toLowerCase().startsWith("access-control-"))
        .noneMatch(k -> k.equalsIgnoreCase("set-cookie"));
  }

  /**
   * The server's home copied (its made-at record names another place), moved away, or replaced while it serves: each
   * is the server's failure, 503 with one generic line whatever the token (no path, no setting), and a home gone is
   * never made again (a command would make a new, empty one and serve an empty platform).
   */
  @Test
  void aHomeCopiedMovedOrReplacedIs503WithoutDetailsAndIsNeverMadeAgain() throws Exception {
    Path copy = dir.resolve("copied-home");
    copyTree(home, copy);
    Path moved = dir.resolve("moved-home");
    try (ApiServer other = ApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), copy,
        Map.of())) {
      URI at = URI.create("http://127.0.0.1:" + other.address().getPort());
      String partner = token(TestCast.PARTNER);
      for (String token : List.of(partner, "garbage")) {
        assertUnavailable(get(at, "/api/v1/products", token), copy);
      }
      java.util.Properties made = new java.util.Properties();
      made.setProperty("path", copy.toRealPath().toString());
      try (var w = java.nio.file.Files.newBufferedWriter(copy.resolve("made-at.properties"))) { // same file, in place
        made.store(w, null);
      }
      assertThat(get(at, "/api/v1/products", partner).statusCode()).as("the copy made its own").isEqualTo(200);

      java.nio.file.Files.move(copy, moved);
      assertUnavailable(get(at, "/api/v1/products", partner), copy);
      assertThat(copy).as("a home gone is not made again").doesNotExist();
      java.nio.file.Files.move(moved, copy);
      assertThat(get(at, "/api/v1/products", partner).statusCode()).as("back where it was").isEqualTo(200);

      java.nio.file.Files.move(copy, moved);
      copyTree(moved, copy);
      assertUnavailable(get(at, "/api/v1/products", partner), copy);
    }
  }

  private static void assertUnavailable(HttpResponse<String> r, Path served) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(json(r).get("error").asText()).isEqualTo("the service is unavailable: the server's home cannot be "
        + "used (details in the server's log)");
    assertThat(r.body()).doesNotContain(home.toString(), served.toString(), dir.toString());
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var files = java.nio.file.Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static HttpResponse<String> get(URI at, String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(at.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAddressThatIsNotThisHostsIsSaidSoNotTakenForAPortInUse() {
    Run r = CliTest.exactly("serve", "--bind", "192.0.2.1", "--port", "0", "--home", home.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--bind 192.0.2.1 is not an address of this host").doesNotContain("another process");
  }

  /** Java listens on {@code ::} when asked for 0.0.0.0: IPv6 as well, which the command says rather than hides. */
  @Test
  void bindingEveryIpv4AddressSaysItListensOnIpv6Too() throws Exception {
    Path err = dir.resolve("serve-any.log");
    Process p = new ProcessBuilder(ChildJvm.command(Main.class, List.of(), List.of("serve", "--bind", "0.0.0.0",
        "--port", "0", "--home", home.toString()))).redirectError(err.toFile()).start();
    try {
      String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).as("listening").startsWith("http://");
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    assertThat(java.nio.file.Files.readString(err)).contains("listening on every address of this host, IPv6 as "
        + "well as IPv4");
  }

  /**
   * Clients that begin a request and never finish it each hold one of the JDK's reading threads; 8, then 40 of them,
   * kept connected for the whole test (the child's maxReqTime is 120 s), must not keep a valid request from being
   * answered, nor get their own connections closed to make room for it.
   */
  @Test
  void clientsThatNeverFinishTheirRequestDoNotStarveTheOthers() throws Exception {
    Process p = new ProcessBuilder(ChildJvm.command(Main.class, List.of("-Dsun.net.httpserver.maxReqTime=120"),
        List.of("serve", "--port", "0", "--home", home.toString())))
        .redirectError(dir.resolve("serve-slow.log").toFile()).start();
    List<Socket> slow = new ArrayList<>();
    try {
      URI child = URI.create(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
          .readLine());
      String partner = token(TestCast.PARTNER);
      for (int n : List.of(8, 40)) {
        while (slow.size() < n) {
          Socket s = new Socket(child.getHost(), child.getPort());
          s.getOutputStream().write("GET /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Slow: a"
              .getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          slow.add(s);
        }
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(child.resolve("/api/v1/products"))
            .header("Authorization", "Bearer " + partner).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).as("answered while %d clients hold unfinished requests", n).isEqualTo(200);
        for (Socket s : slow) {
          s.setSoTimeout(1);
          try {
            assertThat(s.getInputStream().read()).as("a slow client is still connected, unanswered").isEqualTo(-2);
          } catch (java.net.SocketTimeoutException stillOpen) {
            // still connected, as it should be: maxReqTime is 120 s
          }
        }
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
      p.destroyForcibly();
    }
  }

  /**
   * {@code dataops serve --port 0} in a JVM of its own (the JDK reads its server limits once per JVM): it prints its
   * address, drops a client that sends a byte a second while it serves the others, and stops on SIGTERM.
   */
  @Test
  void theCommandPrintsItsAddressDropsASlowClientServesOthersAndStopsOnSigterm() throws Exception {
    int startsBefore = events("serve.start").size();
    int stopsBefore = events("serve.stop").size();
    Process p = new ProcessBuilder(ChildJvm.command(Main.class, List.of(), List.of("serve", "--port", "0",
        "--home", home.toString()))).redirectError(dir.resolve("serve.log").toFile()).start();
    try {
      String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).matches("http://127\\.0\\.0\\.1:[0-9]+/");
      URI child = URI.create(line);
      try (Socket slow = new Socket(child.getHost(), child.getPort())) {
        slow.setSoTimeout(30_000);
        OutputStream out = slow.getOutputStream();
        InputStream in = slow.getInputStream();
        boolean dropped = false;
        byte[] request = "GET /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 40 && !dropped; i++) {
          try {
            out.write(i < request.length ? request[i] : 'a');
            out.flush();
          } catch (java.io.IOException reset) {
            dropped = true;
            break;
          }
          if (i == 2) {
            HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(child.resolve("/api/v1/products"))
                .header("Authorization", "Bearer " + token(TestCast.PARTNER)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).as("another client is served meanwhile").isEqualTo(200);
          }
          Thread.sleep(1000);
          dropped = in.available() > 0 || slow.isInputShutdown();
          if (!dropped) {
            slow.setSoTimeout(1);
            try {
              dropped = in.read() == -1;
            } catch (java.net.SocketTimeoutException stillOpen) {
              // still open
            } catch (java.io.IOException reset) {
              dropped = true;
            }
            slow.setSoTimeout(30_000);
          }
        }
        assertThat(dropped).as("the slow client is dropped").isTrue();
      }
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
      assertThat(java.nio.file.Files.readString(home.resolve("logs/dataops.log")))
          .as("the dropped client is logged").contains("no whole request within 10 s");
      String listening = line.substring("http://".length(), line.length() - 1);
      for (String action : List.of("serve.start", "serve.stop")) {
        List<AuditRecord> recorded = events(action);
        assertThat(recorded).as(action).hasSize((action.equals("serve.start") ? startsBefore : stopsBefore) + 1);
        assertThat(recorded.get(0).details()).as(action).containsEntry("address", listening);
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
