package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.ContractParser;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A landing in its own JVM, for tests that kill a process in the middle: it writes {@code marker} once it has
 * read {@code afterRows} rows, then carries on.
 */
public final class LandingChild {
  private LandingChild() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path file = Path.of(args[1]);
    Path contract = Path.of(args[2]);
    Path marker = Path.of(args[3]);
    long afterRows = Long.parseLong(args[4]);
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(home))) {
      boolean[] marked = {false};
      LandingResult r = new Landing(lh, 2, (done, total, rows) -> {
        if (!marked[0] && rows >= afterRows) {
          marked[0] = true;
          try {
            Files.writeString(marker, String.valueOf(rows));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }).land(new LandingRequest(args[5], args[6], file, ContractParser.parse(contract), null));
      System.out.println("landed " + r.rowsLanded());
    }
  }
}
