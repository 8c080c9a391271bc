package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.ContractParser;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A landing in its own JVM, for tests that kill a process in the middle: it writes {@code marker} once it has
 * read {@code afterRows} rows, then carries on; or, given {@link #PAUSE_BETWEEN_COMMITS}, once its ods commit is done,
 * and then waits (to be killed) before its quarantine commit.
 */
public final class LandingChild {
  public static final String PAUSE_BETWEEN_COMMITS = "pause-between-commits";

  private LandingChild() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path file = Path.of(args[1]);
    Path contract = Path.of(args[2]);
    Path marker = Path.of(args[3]);
    long afterRows = Long.parseLong(args[4]);
    boolean pause = args.length > 7 && args[7].equals(PAUSE_BETWEEN_COMMITS);
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(home))) {
      boolean[] marked = {false};
      Landing landing = new Landing(lh, 2, (done, total, rows) -> {
        if (!pause && !marked[0] && rows >= afterRows) {
          marked[0] = true;
          mark(marker, String.valueOf(rows));
        }
      });
      if (pause) {
        landing.betweenCommits = () -> {
          mark(marker, "between commits");
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
      }
      LandingResult r = landing.land(new LandingRequest(args[5], args[6], file, ContractParser.parse(contract), null));
      System.out.println("landed " + r.rowsLanded());
    }
  }

  private static void mark(Path marker, String text) {
    try {
      Files.writeString(marker, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
