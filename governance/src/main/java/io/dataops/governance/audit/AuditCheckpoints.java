package io.dataops.governance.audit;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chain heads in the Iceberg table {@code audit.checkpoints}, one append per checkpoint.
 *
 * <p>They are read back from the warehouse's files, not through the catalog: the catalog's pointer to the table's
 * current metadata lives in the platform database, which is what the checkpoints guard, so a rewrite of that database
 * could point the table back to before a checkpoint, or drop it. Every metadata file in the table's own folder is
 * read, and the rows every snapshot in any of them added; a snapshot whose files are gone (an interrupted or retried
 * commit leaves such metadata behind) is checked by its summary. Every data file in the folder is read too, so that a
 * checkpoint whose metadata files were deleted or overwritten still counts. Metadata files are never deleted after a
 * commit here. What only tampering explains is reported ({@link Found#tampered}), not passed over: a metadata file a
 * later commit names that cannot be read, a catalog pointing at a metadata file that is gone or unreadable, or at a
 * checkpoint no file holds.
 */
final class AuditCheckpoints {
  static final TableIdentifier TABLE = TableIdentifier.of(Zone.AUDIT.namespaceName(), "checkpoints");
  static final Schema SCHEMA = new Schema(
      NestedField.required(1, "seq", Types.LongType.get()),
      NestedField.required(2, "hash", Types.StringType.get()),
      NestedField.required(3, "digest", Types.StringType.get()),
      NestedField.required(4, "checkpointed_at", Types.TimestampType.withZone()),
      NestedField.optional(5, "reason", Types.StringType.get()));
  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);

  private final Lakehouse lakehouse;

  AuditCheckpoints(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** The table's folder where the catalog puts it by default; it is read from here whatever the catalog says. */
  String location() {
    String warehouse = lakehouse.config().warehouse();
    while (warehouse.endsWith("/")) {
      warehouse = warehouse.substring(0, warehouse.length() - 1);
    }
    return warehouse + "/" + TABLE.namespace().level(0) + "/" + TABLE.name();
  }

  void append(Checkpoint cp) {
    Table t = lakehouse.createOrLoad(TABLE, SCHEMA,
        Map.of(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "false"));
    if (!sameLocation(t.location(), location())) {
      throw new IllegalStateException("the catalog registers audit.checkpoints at " + t.location() + ", not in its own"
          + " folder " + location() + ": the catalog was changed; checkpoints are not written elsewhere");
    }
    OutputFileFactory files = OutputFileFactory.builderFor(t, 0, System.nanoTime()).operationId("checkpoint-"
        + cp.seq()).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = new GenericAppenderFactory(t.schema()).setAll(t.properties())
        .newDataWriter(files.newOutputFile(), FileFormat.PARQUET, null);
    GenericRecord rec = GenericRecord.create(t.schema());
    rec.setField("seq", cp.seq());
    rec.setField("hash", cp.hash());
    rec.setField("digest", cp.digest());
    rec.setField("checkpointed_at", OffsetDateTime.ofInstant(cp.at(), ZoneOffset.UTC));
    rec.setField("reason", cp.reason());
    try (writer) {
      writer.write(rec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    t.newAppend().appendFile(writer.toDataFile()).set("dataops.audit.seq", String.valueOf(cp.seq()))
        .set("dataops.audit.hash", cp.hash()).commit();
  }

  /** The checkpoints the warehouse's files hold, and what shows that some were tampered with (empty: nothing). */
  record Found(List<Checkpoint> checkpoints, List<String> tampered) {}

  /** Every checkpoint ever written (each once), from the warehouse's files. */
  Found readAll() {
    FileIO io = lakehouse.io();
    if (!(io instanceof SupportsPrefixOperations listing)) {
      throw new IllegalStateException("the warehouse's FileIO (" + io.getClass().getName() + ") cannot list files;"
          + " audit checkpoints cannot be read without the catalog");
    }
    Set<Long> snapshots = new HashSet<>();
    Set<String> dataFiles = new HashSet<>();
    Set<Checkpoint> out = new LinkedHashSet<>();
    List<String> unreadable = new ArrayList<>();
    Set<String> named = new HashSet<>(); // metadata files a readable one lists as its predecessors
    List<String> tampered = new ArrayList<>();
    for (String metadata : listed(listing, "/metadata/", ".metadata.json", ".metadata.json.gz")) {
      TableMetadata md;
      try {
        md = TableMetadataParser.read(io, metadata);
      } catch (RuntimeException e) {
        unreadable.add(metadata);
        continue;
      }
      md.previousFiles().forEach(entry -> named.add(normalize(entry.file())));
      for (Snapshot s : md.snapshots()) {
        if (!snapshots.add(s.snapshotId())) {
          continue;
        }
        try {
          for (DataFile f : s.addedDataFiles(io)) {
            if (dataFiles.add(normalize(f.location()))) {
              read(io, f.location(), out);
            }
          }
        } catch (NotFoundException | UncheckedIOException gone) {
          // A commit interrupted after its metadata file was written leaves a snapshot whose files were cleaned up;
          // so does someone deleting a checkpoint's file to hide a truncated trail. Either way the snapshot's
          // summary still says which event had which hash: that is checked as the file's row would have been.
          String seq = s.summary() == null ? null : s.summary().get("dataops.audit.seq");
          String hash = s.summary() == null ? null : s.summary().get("dataops.audit.hash");
          if (seq != null && hash != null) {
            LOG.warn("audit checkpoints: the file of snapshot {} of {} is gone; checking event {} by the snapshot's"
                + " summary", s.snapshotId(), metadata, seq);
            out.add(new Checkpoint(Long.parseLong(seq), hash, null, java.time.Instant.ofEpochMilli(s.timestampMillis()),
                "the summary of snapshot " + s.snapshotId() + " (its file is gone)"));
          } else {
            LOG.warn("audit checkpoints: passing over snapshot {} of {}, whose files are gone (an interrupted commit)",
                s.snapshotId(), metadata);
          }
        }
      }
    }
    for (String metadata : unreadable) {
      if (named.contains(normalize(metadata))) {
        tampered.add("metadata file " + fileName(metadata) + " of audit.checkpoints cannot be read, and a later commit"
            + " names it");
      } else {
        // The newest commit's file, named by none: a checkpoint killed while writing it (its rows are read below).
        LOG.warn("audit checkpoints: passing over unreadable metadata file {}, which no commit names", metadata);
      }
    }
    // A checkpoint's rows, whatever became of the metadata naming them (deleted or overwritten files).
    for (String file : listed(listing, "/data/", ".parquet")) {
      if (dataFiles.add(normalize(file))) {
        try {
          read(io, file, out);
        } catch (RuntimeException partial) {
          LOG.warn("audit checkpoints: passing over unreadable data file {}, which no snapshot names", file);
        }
      }
    }
    catalogsCheckpoint(out, tampered);
    return new Found(new ArrayList<>(out), List.copyOf(tampered));
  }

  /**
   * The catalog's view, as one more witness: the table it registers must have a readable metadata file, and its
   * current checkpoint must be among those read from the files.
   */
  private void catalogsCheckpoint(Set<Checkpoint> found, List<String> tampered) {
    String pointer = lakehouse.registeredMetadata(TABLE).orElse(null);
    if (pointer == null) {
      return;
    }
    Snapshot current;
    try {
      current = TableMetadataParser.read(lakehouse.io(), pointer).currentSnapshot();
    } catch (io.dataops.core.BadInputException misconfigured) {
      throw misconfigured; // a setting that cannot read the warehouse at all is no tampering
    } catch (RuntimeException gone) {
      tampered.add("the catalog registers audit.checkpoints, but its metadata file is gone or cannot be read");
      return;
    }
    String seq = current == null || current.summary() == null ? null : current.summary().get("dataops.audit.seq");
    if (seq != null && found.stream().noneMatch(cp -> String.valueOf(cp.seq()).equals(seq))) {
      tampered.add("the catalog's current checkpoint (event " + seq + ") is in no file of audit.checkpoints");
    }
  }

  private static String fileName(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** The files under the table's {@code folder} whose names end with one of {@code suffixes}, sorted. */
  private List<String> listed(SupportsPrefixOperations listing, String folder, String... suffixes) {
    List<String> out = new ArrayList<>();
    try {
      for (FileInfo f : listing.listPrefix(location() + folder)) {
        for (String suffix : suffixes) {
          if (f.location().endsWith(suffix)) {
            out.add(f.location());
            break;
          }
        }
      }
    } catch (UncheckedIOException e) {
      if (!(rootCause(e) instanceof java.io.FileNotFoundException)) {
        throw e;
      }
      // no checkpoint was ever written (or none of these files)
    }
    out.sort(null);
    return out;
  }

  private static void read(FileIO io, String file, Set<Checkpoint> out) {
    try (CloseableIterable<Record> rows = Parquet.read(io.newInputFile(file)).project(SCHEMA)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(SCHEMA, fileSchema)).build()) {
      for (Record r : rows) {
        out.add(new Checkpoint((Long) r.getField("seq"), (String) r.getField("hash"), (String) r.getField("digest"),
            ((OffsetDateTime) r.getField("checkpointed_at")).toInstant(), (String) r.getField("reason")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean sameLocation(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  /** {@code file:/x}, {@code file:///x} and {@code /x} name the same folder. */
  private static String normalize(String location) {
    String l = (location.startsWith("/") ? "file:" + location : location).replaceFirst("^file:/+", "file:/");
    while (l.endsWith("/")) {
      l = l.substring(0, l.length() - 1);
    }
    return l;
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
