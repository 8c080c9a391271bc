package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/** The schemas of landed (ods) and quarantine tables, and the snapshot-summary keys a feed leaves behind. */
public final class FeedTables {
  private FeedTables() {}

  public static final String FEED_ID = "_feed_id";
  public static final String SOURCE_FILE = "_source_file";
  public static final String ROW_NUMBER = "_row_number";
  public static final String LANDED_AT = "_landed_at";
  public static final int LINEAGE_COLUMNS = 4;

  // Snapshot summary properties written by every landing commit.
  public static final String SUMMARY_FEED_ID = "dataops.feed-id";
  public static final String SUMMARY_FILE_SHA256 = "dataops.file-sha256";
  public static final String SUMMARY_FILE_SIZE = "dataops.file-size";
  public static final String SUMMARY_SOURCE_FILE = "dataops.source-file";
  public static final String SUMMARY_DEPARTMENT = "dataops.department";
  public static final String SUMMARY_DATASET = "dataops.dataset";
  public static final String SUMMARY_FORMAT = "dataops.format";
  public static final String SUMMARY_ENCODING = "dataops.encoding";
  public static final String SUMMARY_ROWS_READ = "dataops.rows-read";
  public static final String SUMMARY_ROWS_LANDED = "dataops.rows-landed";
  public static final String SUMMARY_ROWS_QUARANTINED = "dataops.rows-quarantined";
  public static final String SUMMARY_QUARANTINE_FILES = "dataops.quarantine-files";
  public static final String SUMMARY_CONTRACT_SHA256 = "dataops.contract-sha256";
  /** SHA-256 of the contract as parsed (comments and layout aside): the contract's version. */
  public static final String SUMMARY_CONTRACT_VERSION = "dataops.contract-version";
  /** File SHA-256 and contract version: a feed lands once per key. */
  public static final String SUMMARY_FEED_KEY = "dataops.feed-key";
  /** The earlier feed whose rows a landing's commit replaced (a department's corrected file), and how many rows. */
  public static final String SUMMARY_REPLACES = "dataops.replaces";
  public static final String SUMMARY_ROWS_REPLACED = "dataops.rows-replaced";
  /**
   * The files such a commit added that hold other feeds' rows (written again without the replaced feed's rows, as a
   * JSON array of {path, records, size}): the feed's own rows are in the commit's other added files.
   */
  public static final String SUMMARY_REWRITTEN_FILES = "dataops.rewritten-files";

  /**
   * A quarantine table's property {@code dataops.replaced-feed.<feed id>}: the feed (land --replaces) that replaced
   * that feed. Its quarantined rows stay for the record but are no longer open; table properties outlive snapshot
   * expiry, so this is also where a replacement is remembered once the replacing snapshot is gone.
   */
  public static final String PROP_REPLACED_FEED_PREFIX = "dataops.replaced-feed.";
  /** The column {@code table show} adds to a quarantine table's rows from those properties (null: the feed stands). */
  public static final String REPLACED_BY = "replaced_by";

  /** The feed that replaced {@code feedId}, as a quarantine table's properties record it, or null. */
  public static String replacedBy(java.util.Map<String, String> quarantineProperties, String feedId) {
    return feedId == null ? null : quarantineProperties.get(PROP_REPLACED_FEED_PREFIX + feedId);
  }

  /** Table properties naming the personal-data kind of a column; browsing masks such columns. */
  public static final String PERSONAL_PREFIX = "dataops.personal.";
  public static final String PROP_DEPARTMENT = "dataops.department";
  public static final String PROP_DATASET = "dataops.dataset";

  public static java.util.Map<String, String> odsProperties(String department, String dataset, FeedContract contract) {
    java.util.Map<String, String> props = new java.util.TreeMap<>();
    props.put(PROP_DEPARTMENT, department);
    props.put(PROP_DATASET, dataset);
    for (ColumnSpec c : contract.columns()) {
      if (c.personal() != null) {
        personal(props, c.name(), c.personal().spelling());
      }
    }
    return props;
  }

  /** A quarantined row is the raw row as sent: treat its text and bytes as personal data. */
  public static java.util.Map<String, String> quarantineProperties(String department, String dataset) {
    java.util.Map<String, String> props = new java.util.TreeMap<>();
    props.put(PROP_DEPARTMENT, department);
    props.put(PROP_DATASET, dataset);
    personal(props, "raw_text", "other");
    personal(props, "raw_bytes", "other");
    return props;
  }

  /**
   * Marks {@code column} personal, and keeps its raw values out of the table's metadata: by default Iceberg records
   * each column's lower and upper bound in the manifests (16 characters of an ID number, a whole name or phone
   * number, the start of a quarantined line), and Parquet its minimum and maximum in every footer and page header.
   * A personal column gets neither: no Parquet statistics (which also spares the writer a byte-by-byte comparison of
   * every value), and so no Iceberg metrics at all (Iceberg takes even the value and null counts from the Parquet
   * statistics; mode "none" says so). Its bounds never pruned a scan anyway: every file spans the whole range of ID
   * numbers or names.
   */
  private static void personal(java.util.Map<String, String> props, String column, String kind) {
    props.put(PERSONAL_PREFIX + column, kind);
    props.put(TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + column, "none");
    props.put(TableProperties.PARQUET_COLUMN_STATS_ENABLED_PREFIX + column, "false");
  }

  /**
   * The properties of {@code have} that {@link #personal} set for a column that is no longer personal in
   * {@code wanted}: to be removed, so the column gets its bounds back.
   */
  public static List<String> stalePersonalProperties(java.util.Map<String, String> have,
      java.util.Map<String, String> wanted) {
    List<String> stale = new ArrayList<>();
    for (String key : have.keySet()) {
      if (key.startsWith(PERSONAL_PREFIX) && !wanted.containsKey(key)) {
        String column = key.substring(PERSONAL_PREFIX.length());
        stale.add(key);
        for (String prefix : List.of(TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX,
            TableProperties.PARQUET_COLUMN_STATS_ENABLED_PREFIX)) {
          if (have.containsKey(prefix + column) && !wanted.containsKey(prefix + column)) {
            stale.add(prefix + column);
          }
        }
      }
    }
    return stale;
  }

  /**
   * The ods schema: the contract's columns in order (required ones required, the primary key as identifier
   * fields), then the lineage columns. Field ids are assigned 1..n here; Iceberg reassigns them on create.
   */
  public static Schema odsSchema(FeedContract contract) {
    List<NestedField> fields = new ArrayList<>();
    int id = 1;
    for (ColumnSpec c : contract.columns()) {
      fields.add(c.required()
          ? NestedField.required(id++, c.name(), c.type().toIceberg(), c.description())
          : NestedField.optional(id++, c.name(), c.type().toIceberg(), c.description()));
    }
    fields.add(NestedField.required(id++, FEED_ID, Types.StringType.get(), "feed (landing batch) that brought the row"));
    fields.add(NestedField.required(id++, SOURCE_FILE, Types.StringType.get(), "name of the file the row came from"));
    fields.add(NestedField.required(id++, ROW_NUMBER, Types.LongType.get(), "1-based data row number in the file"));
    fields.add(NestedField.required(id, LANDED_AT, Types.TimestampType.withZone(), "when the feed was landed"));
    Schema plain = new Schema(fields);
    if (contract.primaryKey().isEmpty()) {
      return plain;
    }
    java.util.Set<Integer> keyIds = new java.util.HashSet<>();
    for (String key : contract.primaryKey()) {
      keyIds.add(plain.findField(key).fieldId());
    }
    return new Schema(fields, keyIds);
  }

  /** The locations of the files a landing's commit added with other feeds' rows ({@link #SUMMARY_REWRITTEN_FILES}). */
  public static java.util.Set<String> rewrittenFiles(java.util.Map<String, String> summary) {
    String listed = summary == null ? null : summary.get(SUMMARY_REWRITTEN_FILES);
    java.util.Set<String> paths = new java.util.HashSet<>();
    if (listed == null) {
      return paths;
    }
    try {
      for (com.fasterxml.jackson.databind.JsonNode n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed)) {
        paths.add(n.get("path").asText());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("a landing snapshot lists its rewritten files in a form that cannot be read",
          e);
    }
    return paths;
  }

  public static Schema quarantineSchema() {
    return new Schema(
        NestedField.required(1, "feed_id", Types.StringType.get()),
        NestedField.required(2, "source_file", Types.StringType.get()),
        NestedField.required(3, "row_number", Types.LongType.get(), "1-based data row number in the file"),
        NestedField.optional(4, "line_number", Types.LongType.get(), "1-based line where the row starts (text formats)"),
        NestedField.required(5, "rule", Types.StringType.get(), "code of the first problem"),
        NestedField.optional(6, "column_name", Types.StringType.get(), "column of the first problem"),
        NestedField.required(7, "reason", Types.StringType.get(), "every problem of the row"),
        NestedField.optional(8, "raw_text", Types.StringType.get(), "the row as sent, decoded"),
        NestedField.optional(9, "raw_bytes", Types.BinaryType.get(), "the row's bytes when they could not be decoded exactly"),
        NestedField.required(10, "landed_at", Types.TimestampType.withZone()));
  }
}
