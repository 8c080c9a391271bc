package io.dataops.lakehouse.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.FileIO;
import io.dataops.core.BadInputException;
import io.dataops.core.db.PlatformDatabase;
import io.dataops.lakehouse.parquet.ParquetCodecs;
import io.dataops.lakehouse.secrets.ShippedSecrets;
import io.dataops.lakehouse.storage.CodecSharingS3FileIO;
import io.dataops.lakehouse.storage.LocalFileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.UncheckedSQLException;

/**
 * The Iceberg lakehouse: a JDBC catalog (embedded SQLite file, or PostgreSQL) over a warehouse reached through
 * Iceberg's FileIO, so local folders and S3 are the same to every caller. Tables are format v2.
 */
public final class Lakehouse implements AutoCloseable {
  private final JdbcCatalog catalog;
  private final LakehouseConfig config;
  private final Map<String, String> catalogProperties;
  private final Configuration conf;
  private FileIO io;

  private Lakehouse(JdbcCatalog catalog, LakehouseConfig config, Map<String, String> catalogProperties,
      Configuration conf) {
    this.catalog = catalog;
    this.config = config;
    this.catalogProperties = catalogProperties;
    this.conf = conf;
  }

  public static Lakehouse open(LakehouseConfig config) {
    Map<String, String> props = new HashMap<>();
    // The embedded file is created owner-only, and opened read-only in a home this process cannot write.
    String uri = PlatformDatabase.url(config.catalogUri());
    props.put(CatalogProperties.URI, uri);
    props.put(CatalogProperties.WAREHOUSE_LOCATION, config.warehouse());
    props.put("jdbc.schema-version", "V1");
    if (config.catalogUser() != null) {
      props.put("jdbc.user", config.catalogUser());
    }
    if (config.catalogPassword() != null) {
      props.put(ShippedSecrets.CATALOG_PASSWORD_PROPERTY, config.catalogPassword());
      // For what this process ships elsewhere without it (a Flink job run in-process finds it here).
      ShippedSecrets.holdCatalogPassword(config.catalogUri(), config.catalogUser(), config.catalogPassword());
    }
    if (config.isEmbedded()) {
      // Several processes may land at once: wait for SQLite's lock instead of failing, and let readers run
      // beside the writer.
      props.put("jdbc.busy_timeout", "60000");
      if (!PlatformDatabase.readOnly(uri)) {
        props.put("jdbc.journal_mode", "WAL");
      }
    }
    props.putAll(config.extra());
    if (config.onObjectStorage()) {
      // Iceberg's S3FileIO on the configured server (or the AWS SDK's own settings): the same for every caller.
      props.putAll(config.objectStore().fileIoProperties());
      props.put(CatalogProperties.FILE_IO_IMPL, CodecSharingS3FileIO.class.getName());
    } else {
      // java.nio rather than HadoopFileIO: Hadoop's FileSystem set-up costs a short command about a second of CPU.
      props.putIfAbsent(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
    }
    // The zstd codecs, made without parsing Hadoop's defaults (ParquetCodecs): our FileIOs share them before the first
    // Parquet file they open, so a command that reads no table's data makes none; any other FileIO gets them now.
    String fileIo = props.get(CatalogProperties.FILE_IO_IMPL);
    if (!LocalFileIO.class.getName().equals(fileIo) && !CodecSharingS3FileIO.class.getName().equals(fileIo)) {
      ParquetCodecs.share();
    }
    JdbcCatalog catalog;
    Configuration conf = hadoopConf();
    try {
      catalog = initialize(props, conf);
    } catch (UncheckedSQLException e) {
      java.sql.SQLException sql = rootSql(e);
      if (sql != null && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D"))) {
        // Cannot connect, bad credentials, no such database: the configuration is wrong, not the platform.
        throw new BadInputException("cannot open the catalog at " + config.catalogUri() + ": "
            + sql.getMessage().lines().findFirst().orElse("") + " (SQLState " + sql.getSQLState() + ")", e);
      }
      throw e;
    }
    Lakehouse lakehouse = new Lakehouse(catalog, config, Map.copyOf(props), conf);
    lakehouse.ensureZones();
    return lakehouse;
  }

  /**
   * Opens the catalog. Iceberg creates and migrates its catalog tables on first use without guarding against a
   * second process doing the same at the same moment; the loser fails on "already exists", and a second attempt
   * finds the work done.
   */
  private static JdbcCatalog initialize(Map<String, String> props, Configuration conf) {
    for (int attempt = 1; ; attempt++) {
      JdbcCatalog catalog = new JdbcCatalog();
      catalog.setConf(conf);
      try {
        catalog.initialize("dataops", props);
        return catalog;
      } catch (UncheckedSQLException e) {
        catalog.close();
        if (attempt == 5) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static Configuration hadoopConf() {
    Configuration conf = new Configuration(false);
    // Raw local files: no .crc side files in the warehouse, which would double the files a reader lists.
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setBoolean("fs.file.impl.disable.cache", true);
    // Hadoop sets the permissions of what it creates itself (0644 and 0755 by its default umask 022, whatever the
    // process's): tables hold raw personal data, so owner-only (for a local warehouse configured to use HadoopFileIO).
    conf.set("fs.permissions.umask-mode", "077");
    return conf;
  }

  private static java.sql.SQLException rootSql(Throwable t) {
    java.sql.SQLException found = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.sql.SQLException sql) {
        found = sql;
      }
    }
    return found;
  }

  private void ensureZones() {
    for (Zone zone : Zone.values()) {
      if (!catalog.namespaceExists(zone.namespace())) {
        try {
          catalog.createNamespace(zone.namespace(), Map.of());
        } catch (AlreadyExistsException | UncheckedSQLException raced) {
          // Another process created it first (the JDBC catalog may report that as a duplicate key).
          if (!catalog.namespaceExists(zone.namespace())) {
            throw raced;
          }
        }
      }
    }
  }

  public JdbcCatalog catalog() {
    return catalog;
  }

  public LakehouseConfig config() {
    return config;
  }

  /**
   * A FileIO like the catalog's own (same implementation and settings), to read the warehouse's files without going
   * through the catalog's pointers, which live in the platform database.
   */
  public synchronized FileIO io() {
    if (io == null) {
      io = CatalogUtil.loadFileIO(catalogProperties.getOrDefault(CatalogProperties.FILE_IO_IMPL,
          "org.apache.iceberg.hadoop.HadoopFileIO"), catalogProperties, conf);
    }
    return io;
  }

  /**
   * Removes {@code id} from the catalog if it still names {@code metadataLocation}, in one statement: a commit made
   * since (by another process) keeps the table, and a commit after it fails (the table is gone), so nothing committed
   * is ever dropped. For a table a landing created and then refused to fill. True when it was removed.
   */
  public boolean dropIfAt(TableIdentifier id, String metadataLocation) {
    try (java.sql.Connection c = jdbcConnection();
         java.sql.PreparedStatement p = c.prepareStatement("DELETE FROM iceberg_tables WHERE catalog_name = ?"
             + " AND table_namespace = ? AND table_name = ? AND metadata_location = ?")) {
      p.setString(1, catalog.name());
      p.setString(2, id.namespace().toString());
      p.setString(3, id.name());
      p.setString(4, metadataLocation);
      return p.executeUpdate() == 1;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot remove the catalog's entry of " + id, e);
    }
  }

  /** A connection of its own to the catalog's database, for the reads and writes Iceberg's catalog API lacks. */
  private java.sql.Connection jdbcConnection() throws java.sql.SQLException {
    java.util.Properties props = new java.util.Properties();
    catalogProperties.forEach((k, v) -> {
      if (k.startsWith("jdbc.")) {
        props.setProperty(k.substring("jdbc.".length()), v);
      }
    });
    return java.sql.DriverManager.getConnection(catalogProperties.get(CatalogProperties.URI), props);
  }

  /**
   * The metadata file the catalog names for {@code id}, read from the catalog's table without loading the table
   * (loading retries a metadata file it cannot parse for a minute and a half); empty when it registers none.
   */
  public java.util.Optional<String> registeredMetadata(TableIdentifier id) {
    try (java.sql.Connection c = jdbcConnection();
         java.sql.PreparedStatement p = c.prepareStatement("SELECT metadata_location FROM iceberg_tables"
             + " WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?")) {
      p.setString(1, catalog.name());
      p.setString(2, id.namespace().toString());
      p.setString(3, id.name());
      try (java.sql.ResultSet r = p.executeQuery()) {
        return r.next() ? java.util.Optional.ofNullable(r.getString(1)) : java.util.Optional.empty();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot read the catalog's entry of " + id, e);
    }
  }

  public boolean exists(TableIdentifier id) {
    return catalog.tableExists(id);
  }

  public Table load(TableIdentifier id) {
    return catalog.loadTable(id);
  }

  /** Loads the table, creating it when missing; a concurrent creator wins the race and we load its table. */
  public Table createOrLoad(TableIdentifier id, Schema schema, Map<String, String> properties) {
    return createOrLoad(id, schema, properties, () -> { });
  }

  /** {@link #createOrLoad}, running {@code created} when this call created the table (not a concurrent creator). */
  public Table createOrLoad(TableIdentifier id, Schema schema, Map<String, String> properties, Runnable created) {
    // Loaded, not asked for first: the JDBC catalog answers tableExists by loading the table (its metadata file
    // read and parsed), so asking first loaded an existing table twice.
    try {
      return catalog.loadTable(id);
    } catch (org.apache.iceberg.exceptions.NoSuchTableException missing) {
      // created below
    }
    Map<String, String> props = new HashMap<>(defaultProperties());
    props.putAll(properties);
    try {
      Table table = catalog.buildTable(id, schema).withPartitionSpec(PartitionSpec.unpartitioned())
          .withProperties(props).create();
      created.run();
      return table;
    } catch (AlreadyExistsException | UncheckedSQLException | org.apache.iceberg.exceptions.CommitFailedException raced) {
      // A concurrent creator won; the JDBC catalog may report that as a duplicate key or a failed commit.
      if (!catalog.tableExists(id)) {
        throw raced;
      }
      return catalog.loadTable(id);
    }
  }

  /** Format v2, zstd Parquet, row groups small enough that a few concurrent writers fit in a small heap. */
  public static Map<String, String> defaultProperties() {
    return Map.of(
        TableProperties.FORMAT_VERSION, "2",
        TableProperties.DEFAULT_FILE_FORMAT, "parquet",
        TableProperties.PARQUET_COMPRESSION, "zstd",
        TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, String.valueOf(32L << 20),
        // Columns with more distinct values than fit here fall back to plain encoding early instead of
        // hashing every value first; codes, statuses and districts still get dictionaries.
        TableProperties.PARQUET_DICT_SIZE_BYTES, String.valueOf(128 << 10),
        TableProperties.COMMIT_NUM_RETRIES, "20",
        TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "50",
        TableProperties.COMMIT_MAX_RETRY_WAIT_MS, "2000");
  }

  public List<TableIdentifier> listTables() {
    List<TableIdentifier> all = new ArrayList<>();
    for (Zone zone : Zone.values()) {
      all.addAll(catalog.listTables(zone.namespace()));
    }
    all.sort(java.util.Comparator.comparing(TableIdentifier::toString));
    return all;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (io != null) {
        io.close();
      }
    }
    catalog.close();
  }
}
