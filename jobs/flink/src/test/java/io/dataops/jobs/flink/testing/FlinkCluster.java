package io.dataops.jobs.flink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.jobs.flink.JobJar;
import io.dataops.lakehouse.secrets.ShippedSecrets;
import io.dataops.lakehouse.testing.S3Server;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone Flink session cluster on 127.0.0.1 for tests: a JobManager JVM
 * ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager JVM ({@code TaskManagerRunner}) with two slots,
 * from Flink's Maven artifacts (flink-dist, the usual distribution, is not on Maven Central). Their class path is
 * this module's test class path without this module's own classes, which play flink-dist's {@code lib/}: Flink,
 * Hadoop's client, Iceberg, the JDBC drivers, the platform's modules. The job's classes reach the cluster only in the
 * job jar. Configured as STACK.md says (config.yaml, memory sizes, the JVM flags of flink-dist's config.yaml, the
 * memory flags from {@code BashJavaUtils}), on free ports. Started once per test JVM and stopped when it exits; each
 * JVM runs under a shell that stops it when the test JVM's pipe closes, so not even a killed test JVM leaves one
 * behind. Files and logs: {@code target/flink-cluster/}.
 */
public final class FlinkCluster {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);
  public static final String HOST = "127.0.0.1";
  /** flink-dist's {@code env.java.opts.all} for Java 17 (8 --add-exports, 12 --add-opens). */
  static final List<String> JAVA_OPTS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static FlinkCluster shared;

  private final Path dir;
  private final int restPort;
  private final long startMillis;
  private final List<Process> shells = new ArrayList<>();

  private FlinkCluster(Path dir) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    this.dir = dir;
    int rpcPort = freePort();
    this.restPort = freePort();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("log"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(conf.resolve("config.yaml"), config(rpcPort, restPort, dir.resolve("tmp")));
    Files.writeString(conf.resolve("logback.xml"), LOGBACK);
    String classPath = clusterClassPath();
    try {
      shells.add(start("jobmanager", classPath, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
          resourceParams("GET_JM_RESOURCE_PARAMS", classPath)));
      shells.add(start("taskmanager", classPath, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
          resourceParams("GET_TM_RESOURCE_PARAMS", classPath)));
      awaitReady();
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop();
      throw e;
    }
    this.startMillis = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("Flink session cluster up at {}:{} in {} ms ({})", HOST, restPort, startMillis, dir);
  }

  /** The cluster of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized FlinkCluster shared() {
    if (shared == null) {
      try {
        Path dir = moduleTarget().resolve("flink-cluster");
        deleteTree(dir);
        shared = new FlinkCluster(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "flink-cluster-stop"));
    }
    return shared;
  }

  public String host() {
    return HOST;
  }

  /** The JobManager's REST port: where jobs are submitted. */
  public int restPort() {
    return restPort;
  }

  /** How long the cluster took from launching its JVMs to one TaskManager with two free slots registered. */
  public long startMillis() {
    return startMillis;
  }

  public Path dir() {
    return dir;
  }

  private static String config(int rpcPort, int restPort, Path tmp) {
    return String.join("\n",
        "jobmanager.rpc.address: " + HOST,
        "jobmanager.bind-host: " + HOST,
        "jobmanager.rpc.port: " + rpcPort,
        "taskmanager.host: " + HOST,
        "taskmanager.bind-host: " + HOST,
        "rest.address: " + HOST,
        "rest.bind-address: " + HOST,
        "rest.port: " + restPort,
        "jobmanager.memory.process.size: 1024m",
        "taskmanager.memory.process.size: 1536m",
        "taskmanager.numberOfTaskSlots: 2",
        "parallelism.default: 1",
        "jobmanager.execution.failover-strategy: region",
        "io.tmp.dirs: " + tmp,
        "web.tmpdir: " + tmp,
        "env.java.opts.all: " + String.join(" ", JAVA_OPTS),
        "");
  }

  /** Logs of each JVM to its stdout, which goes to {@code log/<name>.log}. */
  private static final String LOGBACK = """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.apache.iceberg.util.Tasks" level="ERROR"/>
        <root level="INFO"><appender-ref ref="OUT"/></root>
      </configuration>
      """;

  /**
   * The test class path less this module's classes and test classes: the jobs' classes must come in the job jar.
   */
  private static String clusterClassPath() {
    List<Path> own = List.of(codeSource(JobJar.class), codeSource(FlinkCluster.class));
    List<String> kept = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty() && !own.contains(Path.of(entry).toAbsolutePath().normalize())) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  /** A cluster JVM's memory flags and the {@code -D key=value} settings Flink derived with them. */
  private record ResourceParams(List<String> jvmFlags, List<String> settings) {}

  /** Flink's own computation of the JVM's memory flags (line 1) and the settings it derived (line 2). */
  private ResourceParams resourceParams(String command, String classPath) throws IOException, InterruptedException {
    Path out = dir.resolve("log").resolve(command.toLowerCase() + ".out");
    Process p = new ProcessBuilder(java(), "-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml"), "-cp",
        classPath, "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir",
        dir.resolve("conf").toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed: " + tail(out));
    }
    List<String> results = Files.readAllLines(out).stream().filter(l -> l.startsWith(RESULT_PREFIX))
        .map(l -> l.substring(RESULT_PREFIX.length()).trim()).toList();
    if (results.size() < 2) {
      throw new IllegalStateException(command + " printed no memory settings: " + tail(out));
    }
    return new ResourceParams(words(results.get(results.size() - 2)), words(results.get(results.size() - 1)));
  }

  private static List<String> words(String line) {
    return Arrays.stream(line.split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  /**
   * Starts one cluster JVM under {@code sh}, which waits on its stdin (our pipe) and stops the JVM (SIGTERM, Flink's
   * orderly shutdown) when the pipe closes: when {@link #stop()} closes it, or when this JVM dies.
   */
  private Process start(String name, String classPath, String mainClass, ResourceParams params) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c",
        "\"$@\" & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid", "flink-" + name, java()));
    cmd.addAll(JAVA_OPTS);
    cmd.addAll(params.jvmFlags());
    cmd.add("-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml"));
    cmd.add("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"));
    cmd.addAll(List.of("-cp", classPath, mainClass, "--configDir", dir.resolve("conf").toString()));
    cmd.addAll(params.settings());
    Path log = dir.resolve("log").resolve(name + ".log");
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // A job brings no secret (ShippedSecrets): the cluster's JVMs have their own, as a deployment gives them: the test
    // S3 server's secret key (for the tests on a bucket). The test catalogs have no password.
    b.environment().remove(ShippedSecrets.CATALOG_PASSWORD);
    b.environment().put(ShippedSecrets.S3_SECRET, S3Server.SECRET_KEY);
    return b.start();
  }

  /** Waits until the REST endpoint answers with one TaskManager and two slots. */
  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest overview = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + restPort + "/overview"))
        .timeout(Duration.ofSeconds(5)).build();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process shell : shells) {
        if (!shell.isAlive() || shell.children().findAny().isEmpty()) {
          throw new IllegalStateException("a Flink cluster JVM exited while starting; see " + dir.resolve("log")
              + ": " + tail(dir.resolve("log/jobmanager.log")) + " / " + tail(dir.resolve("log/taskmanager.log")));
        }
      }
      try {
        HttpResponse<String> r = http.send(overview, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() == 200) {
          JsonNode o = json.readTree(r.body());
          if (o.path("taskmanagers").asInt() == 1 && o.path("slots-available").asInt() == 2) {
            return;
          }
        }
      } catch (IOException notYet) {
        // The REST endpoint is not up yet.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the Flink cluster was not ready within " + START_TIMEOUT + "; see "
        + dir.resolve("log"));
  }

  /** Closes each JVM's pipe (its shell stops it), then waits; what does not stop is killed, by its own id. */
  public synchronized void stop() {
    for (int i = shells.size() - 1; i >= 0; i--) {
      Process shell = shells.get(i);
      List<ProcessHandle> jvms = shell.children().toList();
      try {
        shell.getOutputStream().close();
        if (!shell.waitFor(30, TimeUnit.SECONDS)) {
          jvms.forEach(ProcessHandle::destroyForcibly);
          shell.destroyForcibly();
        }
      } catch (IOException e) {
        jvms.forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        jvms.forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
      }
    }
    shells.clear();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This module's {@code target} folder (test classes live in {@code target/test-classes}). */
  private static Path moduleTarget() {
    return codeSource(FlinkCluster.class).getParent();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ")";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
