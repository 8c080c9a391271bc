package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.testing.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh embedded lakehouse per test, and helpers to land a crafted feed into department "dept", dataset "data". */
abstract class LandingFixture {
  @TempDir Path dir;
  Lakehouse lakehouse;
  /** The row count the last landing's progress last reported. */
  volatile long progressRows;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(io.dataops.lakehouse.testing.TestStorage.embedded(dir.resolve("home")));
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  LandingResult land(String contractYaml, String fileName, byte[] content) {
    return land(contractYaml, fileName, content, null);
  }

  /** As above, replacing the feed {@code replaces} (null: none), as {@code land --replaces} does. */
  LandingResult land(String contractYaml, String fileName, byte[] content, String replaces) {
    try {
      Path file = dir.resolve(fileName);
      Files.write(file, content);
      FeedContract contract = ContractParser.parse(contractYaml, "test.contract.yaml");
      return new Landing(lakehouse, 2, (done, total, rows) -> progressRows = rows)
          .land(new LandingRequest("dept", "data", FeedFile.local(file), contract, null, Replaces.option(replaces)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LandingResult land(String contractYaml, String csv) {
    return land(contractYaml, "feed.csv", csv.getBytes(StandardCharsets.UTF_8));
  }

  Table ods() {
    return lakehouse.load(TableNames.ods("dept", "data"));
  }

  Table quarantine() {
    return lakehouse.load(TableNames.quarantine("dept", "data"));
  }

  List<Record> odsRows() {
    return Tables.rowsBy(ods(), FeedTables.ROW_NUMBER);
  }

  List<Record> quarantineRows() {
    return Tables.rowsBy(quarantine(), "row_number");
  }
}
