package io.dataops.lakehouse.landing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.testing.ChildJvm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Lands feeds into public-security/citizens in child JVMs started together, one feed each, as separate
 * {@code dataops land} processes would. The children meet before their first ods commit attempt, each having
 * chosen the table state it builds on, so all of them attempt the commit on the same state: one wins and the
 * others must lose the race and go through Iceberg's retry. Left to timing, two landings rarely commit at the
 * same moment and the retry path would go untested.
 */
public final class RacingLandings {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESULT = "result ";
  private static final long MEET_SECONDS = 90;

  private RacingLandings() {}

  /** Runs one child per feed against the catalog and warehouse of {@code config}; returns each one's result. */
  public static List<JsonNode> race(LakehouseConfig config, Path dir, List<Path> feeds) throws Exception {
    Path meeting = Files.createDirectories(dir.resolve("meeting-" + System.nanoTime()));
    List<Process> children = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int i = 0; i < feeds.size(); i++) {
      Path log = dir.resolve("racer-" + i + "-" + System.nanoTime() + ".log");
      logs.add(log);
      children.add(new ProcessBuilder(ChildJvm.command(RacingLandings.class, List.of("-Xmx256m"),
          List.of(config.catalogUri(), String.valueOf(config.catalogUser()), config.warehouse(), meeting.toString(),
          String.valueOf(feeds.size()), "racer-" + i, feeds.get(i).toString())))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }
    List<JsonNode> results = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      Process child = children.get(i);
      if (!child.waitFor(MEET_SECONDS + 90, TimeUnit.SECONDS)) {
        children.forEach(Process::destroyForcibly);
        throw new AssertionError("a racing landing did not finish: " + Files.readString(logs.get(i)));
      }
      String output = Files.readString(logs.get(i));
      if (child.exitValue() != 0) {
        throw new AssertionError("a racing landing failed (exit " + child.exitValue() + "): " + output);
      }
      String line = output.lines().filter(l -> l.startsWith(RESULT)).findFirst()
          .orElseThrow(() -> new AssertionError("a racing landing printed no result: " + output));
      results.add(JSON.readTree(line.substring(RESULT.length())));
    }
    return results;
  }

  /** The child: {@code catalogUri catalogUser|null warehouse meetingDir parties name feed}. */
  public static void main(String[] args) throws Exception {
    String user = "null".equals(args[1]) ? null : args[1];
    LakehouseConfig config = new LakehouseConfig(args[0], user, user == null ? null : "", args[2], Map.of());
    Path meeting = Path.of(args[3]);
    int parties = Integer.parseInt(args[4]);
    String name = args[5];
    Path feed = Path.of(args[6]);
    try (Lakehouse lh = Lakehouse.open(config)) {
      Landing landing = new Landing(lh, 2, ProgressListener.NONE);
      landing.beforeCommitAttempt = attempt -> {
        if (attempt == 1) {
          meet(meeting, parties, name);
        }
      };
      LandingResult r = landing.land(new LandingRequest("public-security", "citizens", feed,
          ContractParser.parse(SampleGenerator.contractPathFor(feed)), null));
      System.out.println(RESULT + JSON.writeValueAsString(r));
    }
  }

  /** Announces this child's arrival and waits until every party has arrived. */
  private static void meet(Path meeting, int parties, String name) {
    try {
      Files.createFile(meeting.resolve(name));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MEET_SECONDS);
      while (true) {
        try (Stream<Path> arrived = Files.list(meeting)) {
          if (arrived.count() >= parties) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the other landings never reached their commit");
        }
        Thread.sleep(5);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
