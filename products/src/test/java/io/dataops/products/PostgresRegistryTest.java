package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.testing.PostgresServer;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.publish.QualityGate;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.Verifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry and the whole life of a version on PostgreSQL (the production catalog and platform database). */
class PostgresRegistryTest extends ProductFixture {
  /** The fixture's lakehouse and registry on a new PostgreSQL database, with the product's table. */
  private String onPostgres() {
    String url = PostgresServer.newDatabase("products_" + System.nanoTime());
    lakehouse.close();
    lakehouse = Lakehouse.open(new LakehouseConfig(url, "postgres", "", dir.resolve("pg-warehouse").toUri()
        .toString(), Map.of()));
    registry = new ProductRegistry(url, "postgres", "");
    lakehouse.createOrLoad(ProductTables.id(PRODUCT), SCHEMA, Map.of(ProductTables.PROP_PRODUCT, PRODUCT));
    return url;
  }

  /**
   * On PostgreSQL each statement sees what was committed before it began: the approve's move locks the rows of the
   * versions sharing its files, so it waits for the reject's transaction and then sees the rejection.
   */
  @Test
  void aRejectionCommittedWhileAnApproveWaitsIsSeenOnPostgres() throws Exception {
    String url = onPostgres();
    aRejectionCommittedWhileAnApproveWaitsIsSeen(approving -> waitsForALock(url));
  }

  /** A session of the database waits for a row lock (the approve's, on the version the reject holds). */
  private static boolean waitsForALock(String url) {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "postgres", "");
         java.sql.Statement s = c.createStatement();
         java.sql.ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname ="
             + " current_database() AND wait_event_type = 'Lock'")) {
      r.next();
      return r.getInt(1) > 0;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aVersionLivesAndIsDestroyedOnPostgres() {
    onPostgres();
    ProductPublisher publisher = new ProductPublisher(lakehouse, registry, QualityGate.NONE, AuditSink.NONE,
        DigestAlgorithm.SHA256);
    ProductVersion v1 = publisher.newVersion(PRODUCT, "pg-run-1").replaceWith(List.of(dataFile(1, 20)))
        .lineage(lineage("pg-run-1", 20)).actor(OPERATOR).commit();
    ProductVersion again = publisher.newVersion(PRODUCT, "pg-run-1").replaceWith(List.of())
        .lineage(lineage("pg-run-1", 20)).actor(OPERATOR).commit();
    assertThat(again.version()).as("the same run is the same version").isEqualTo(v1.version());
    assertThat(v1.content().algorithm()).isEqualTo("sha256");
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    lifecycle.submit(PRODUCT, 1, OPERATOR);
    // A note longer than the column was PostgreSQL's "value too long" (exit 1) after every check had passed.
    assertThatThrownBy(() -> lifecycle.approve(PRODUCT, 1, AUTHORITY, "x".repeat(io.dataops.core.text.FreeText.MAX + 1)))
        .isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessage("--note is 2,001 characters long; at most 2,000");
    String note = "街道名称已泛化。".repeat(250);
    lifecycle.approve(PRODUCT, 1, AUTHORITY, note);
    assertThat(registry.history(PRODUCT, 1).get(2).reason()).isEqualTo(note);
    lifecycle.publish(PRODUCT, 1, OPERATOR, Lifecycle.MARKET, "10", "exchange licence");
    publisher.newVersion(PRODUCT, "pg-run-2").replaceWith(List.of(dataFile(21, 30))).lineage(lineage("pg-run-2", 10))
        .actor(OPERATOR).commit();
    new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, 1, AUTHORITY);
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 1).ok()).isTrue();
    Destroyer.Result r = new Destroyer(lakehouse, registry, audit, archiveRoot(), certificates())
        .destroy(PRODUCT, 1, AUTHORITY);
    assertThat(r.certificate().postCheck().passed()).isTrue();
    assertThat(registry.find(PRODUCT, 1).orElseThrow().state()).isEqualTo(VersionState.DESTROYED);
    assertThat(registry.history(PRODUCT, 1)).extracting(t -> t.to())
        .containsExactly("draft", "submitted", "approved", "published", "sealed", "destroying", "destroyed");
    assertThat(registry.destruction(PRODUCT, 1).orElseThrow().certificateDigest()).isEqualTo(r.certificateDigest());
  }

  @Test
  void runsOfOneProductFinishingTogetherOnPostgresPublishOneAfterTheOther() throws Exception {
    onPostgres();
    runsPublishingAtOnceFollowOneAnother(4);
    runsPublishingAtOnceFollowOneAnother(4);
  }

  @Test
  void twoOrganizationsFirstRunsOfOnePipelineNameAtOnceRecordOneOnPostgres() throws Exception {
    onPostgres();
    firstRunsOfOnePipelineNameByTwoOrganizations();
  }

  @Test
  void twoOrganizationsFirstRunsOfOneProductAtOnceLeaveTheTableTheWinnersOnPostgres() throws Exception {
    onPostgres();
    firstRunsOfOneProductByTwoOrganizations();
  }
}
