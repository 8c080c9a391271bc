package io.dataops.lakehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.RaceAssertions;
import io.dataops.lakehouse.landing.RacingLandings;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.core.testing.PostgresServer;
import io.dataops.lakehouse.testing.Tables;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production catalog: the same landing against a real PostgreSQL 15 server. */
class PostgresCatalogTest {
  @TempDir Path dir;

  private LakehouseConfig config(String database) {
    return new LakehouseConfig(PostgresServer.newDatabase(database), "postgres", "",
        dir.resolve("warehouse").toUri().toString(), Map.of());
  }

  private GenerateResult citizens(String name, long offset) {
    return SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 5_000, dir.resolve(name),
        FeedFormat.CSV, Charset.forName("GBK"), 0.05, 3, offset, 50_000, 100, false));
  }

  private static LandingResult land(Lakehouse lh, GenerateResult g) {
    Path file = Path.of(g.file());
    return new Landing(lh).land(new LandingRequest("public-security", "citizens", file,
        ContractParser.parse(SampleGenerator.contractPathFor(file)), null));
  }

  @Test
  void landsDeduplicatesAndRecordsTheTablesInPostgres() throws Exception {
    LakehouseConfig cfg = config("catalog_landing");
    GenerateResult g = citizens("a.csv", 0);
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      LandingResult r = land(lh, g);
      assertThat(r.rowsQuarantined()).isEqualTo(g.expectedQuarantined());
      assertThat(land(lh, g).duplicateOf()).isEqualTo(r.snapshotId());
      assertThat(Tables.rows(lh.load(TableNames.ods("public-security", "citizens")))).hasSize((int) r.rowsLanded());
    }
    // The catalog's rows are really in PostgreSQL.
    try (var c = DriverManager.getConnection(cfg.catalogUri(), "postgres", "");
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT table_namespace, table_name FROM iceberg_tables ORDER BY 1, 2")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1) + "." + rs.getString(2));
      }
      assertThat(names).containsExactly("ods.public_security__citizens", "quarantine.public_security__citizens");
    }
  }

  @Test
  void aCatalogThatCannotBeReachedIsABadInputNamingIt() {
    LakehouseConfig wrong = new LakehouseConfig(PostgresServer.newDatabase("catalog_auth").replace("/catalog_auth",
        "/no_such_database"), "postgres", "", dir.toUri().toString(), Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Lakehouse.open(wrong))
        .isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessageStartingWith("cannot open the catalog at " + wrong.catalogUri() + ": ")
        .hasMessageContaining("no_such_database");
  }

  /** Three processes meet a fresh catalog at once: they race to create Iceberg's catalog tables, then to commit. */
  @org.junit.jupiter.api.RepeatedTest(3)
  void concurrentLandsCommitThroughPostgresOptimisticLocking() throws Exception {
    LakehouseConfig cfg = config("catalog_concurrent_" + System.nanoTime());
    List<GenerateResult> feeds = List.of(citizens("a.csv", 0), citizens("b.csv", 5_000), citizens("c.csv", 10_000));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Callable<LandingResult>> jobs = new ArrayList<>();
    for (GenerateResult g : feeds) {
      jobs.add(() -> {
        try (Lakehouse lh = Lakehouse.open(cfg)) {
          return land(lh, g);
        }
      });
    }
    long landed = 0;
    List<Future<LandingResult>> futures = jobs.stream().map(pool::submit).toList();
    for (Future<LandingResult> f : futures) {
      landed += f.get(120, TimeUnit.SECONDS).rowsLanded();
    }
    pool.shutdown();
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      var ods = lh.load(TableNames.ods("public-security", "citizens"));
      assertThat(Tables.rows(ods)).hasSize((int) landed);
      assertThat(ods.snapshots()).hasSize(3);
    }
  }

  @Test
  void twoProcessesLandingAtOnceBothSucceedOneAfterARetry() throws Exception {
    LakehouseConfig cfg = config("catalog_race_" + System.nanoTime());
    GenerateResult a = citizens("a.csv", 0);
    GenerateResult b = citizens("b.csv", 5_000);
    List<JsonNode> results = RacingLandings.race(cfg, dir, List.of(Path.of(a.file()), Path.of(b.file())));
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      RaceAssertions.bothLandedOneAfterARetry(results, lh, 10_000, a.expectedQuarantined() + b.expectedQuarantined());
    }
  }

  @Test
  void theSameFeedLandedByTwoProcessesAtOnceLandsOnce() throws Exception {
    LakehouseConfig cfg = config("catalog_same_feed_" + System.nanoTime());
    GenerateResult g = citizens("same.csv", 0);
    List<JsonNode> results = RacingLandings.race(cfg, dir, List.of(Path.of(g.file()), Path.of(g.file())));
    try (Lakehouse lh = Lakehouse.open(cfg)) {
      RaceAssertions.oneLandedTheOtherRefusedAtCommit(results, lh, dir.resolve("warehouse"));
    }
  }
}
