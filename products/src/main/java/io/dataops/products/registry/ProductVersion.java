package io.dataops.products.registry;

import java.util.Map;

/**
 * One version of a data product: exactly one snapshot of {@code product.<name>}, tagged {@code v<version>} in Iceberg,
 * with what it holds (its content digest) and how it was made (its lineage), and where it is in its life.
 *
 * @param tag the Iceberg tag readers use to read exactly this version ({@code v1}, {@code v2}, ...)
 * @param content the files' Merkle root and totals (null for a version recorded before content digests existed)
 * @param publication how it was released (null until published)
 */
public record ProductVersion(
    String product,
    int version,
    VersionState state,
    String table,
    long snapshotId,
    String tag,
    Content content,
    Lineage lineage,
    Publication publication,
    String createdAt,
    String updatedAt) {

  public static String tagOf(int version) {
    return "v" + version;
  }

  /** "enterprise-employment v2". */
  public String label() {
    return product + " v" + version;
  }

  /**
   * What the version holds: the Merkle root over its files' digests (each file named by its path inside the table's
   * folder, so an archive copy gives the same root), and the table schema at that snapshot.
   *
   * @param records the rows of its data files
   * @param rows the rows a reader of the version gets: {@code records} less those its delete files delete (null in
   *     a version recorded before it; the platform writes no delete files into a product, so {@code records} is
   *     that figure there)
   */
  public record Content(String algorithm, String merkleRoot, long files, long bytes, long records, String schemaJson,
      Long rows) {

    /** The rows a reader of the version gets. */
    public long liveRows() {
      return rows == null ? records : rows;
    }
  }

  /**
   * The rows a reader of this version gets: all its rows, those of earlier versions an incremental version shares
   * too, not only those the run that made it added ({@code lineage().rowsOut()}); that figure for a version recorded
   * before content digests.
   */
  public long rows() {
    return content == null ? lineage.rowsOut() : content.liveRows();
  }

  /**
   * How the version was made: the pipeline (file and hash), the scenario and operator, the engine and run key, the
   * exact input snapshots, every column's policy, the privacy report, the leak check and the quality gate's verdict.
   *
   * @param inputs each input table → the snapshot the run read up to (inclusive)
   * @param inputsFrom for an incremental run, each input table → the snapshot it read from (exclusive; a table not
   *     named was read from its beginning); null for a full run
   */
  public record Lineage(
      String pipeline,
      String pipelineSha256,
      String scenario,
      String owner,
      String engine,
      String runKey,
      Map<String, Long> inputs,
      Map<String, String> policies,
      Map<String, Object> privacy,
      Map<String, Object> leakCheck,
      Map<String, Object> quality,
      long rowsIn,
      long rowsOut,
      long rowsSuppressed,
      Map<String, Long> unfitValues,
      Map<String, Long> inputsFrom) {

    /** A full run's lineage (no increment). */
    public Lineage(String pipeline, String pipelineSha256, String scenario, String owner, String engine, String runKey,
        Map<String, Long> inputs, Map<String, String> policies, Map<String, Object> privacy,
        Map<String, Object> leakCheck, Map<String, Object> quality, long rowsIn, long rowsOut, long rowsSuppressed,
        Map<String, Long> unfitValues) {
      this(pipeline, pipelineSha256, scenario, owner, engine, runKey, inputs, policies, privacy, leakCheck, quality,
          rowsIn, rowsOut, rowsSuppressed, unfitValues, null);
    }

    /** True when an incremental run made the version: it added what was appended after {@link #inputsFrom()}. */
    public boolean incremental() {
      return inputsFrom != null;
    }
  }

  /**
   * @param channel {@code public-interest} (free, 公益性提供) or {@code market} (priced, 市场化流通)
   * @param price a decimal string in yuan for market listings, null for public-interest
   * @param plan how a market listing is charged: {@code per-delivery}, {@code per-row} or {@code subscription} (a month
   *     of deliveries to one partner); null for public-interest, and for listings published before plans existed
   *     (charged per delivery)
   */
  public record Publication(String channel, String price, String licence, String publishedBy, String publishedAt,
      String plan) {}
}
