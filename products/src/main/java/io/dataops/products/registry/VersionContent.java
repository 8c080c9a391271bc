package io.dataops.products.registry;

import io.dataops.core.concurrent.TwoAtOnce;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.products.registry.ProductVersion.Content;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;

/**
 * What a version holds, proven by digests: every data and delete file of its snapshot with its size and digest
 * (read through the table's FileIO, so object storage works too), and a Merkle root over them.
 *
 * <p>The tree: leaves in the order of the files' names, leaf = H(0x00 ‖ name ‖ 0x00 ‖ file digest), node =
 * H(0x01 ‖ left ‖ right), an odd node carried up unchanged (as RFC 6962 does). A file is named by its path inside the
 * table's folder, so the archive copy of a sealed version has the same root as the warehouse.
 */
public final class VersionContent {
  private VersionContent() {}

  /**
   * Every file the snapshot reads, with digests: one full read of each file, two files at a time when there are
   * several (a product of 5M rows is five files of ~30 MB; SM3 reads ~150 MB/s on one core).
   */
  public static List<VersionFile> files(Table table, long snapshotId, DigestAlgorithm algorithm) {
    List<ContentFile<?>> files = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
      for (FileScanTask task : tasks) {
        if (seen.add(task.file().location())) {
          files.add(task.file());
          kinds.add("data");
        }
        for (DeleteFile d : task.deletes()) {
          if (seen.add(d.location())) {
            files.add(d);
            kinds.add(d.content().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of snapshot " + snapshotId + " of " + table.name(), e);
    }
    String[] digests = digests(table.io(), files.stream().<String>map(ContentFile::location).toList(), algorithm);
    List<VersionFile> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      ContentFile<?> f = files.get(i);
      out.add(new VersionFile(nameOf(table.location(), f.location()), f.location(), kinds.get(i), f.fileSizeInBytes(),
          f.recordCount(), digests[i]));
    }
    out.sort(Comparator.comparing(VersionFile::name));
    return out;
  }

  /**
   * The digests of {@code locations}, in their order: here, and on one more thread when there are several files and
   * cores (the FileIO is thread-safe; each file has its own stream). The first failure is thrown as it was.
   */
  static String[] digests(FileIO io, List<String> locations, DigestAlgorithm algorithm) {
    String[] out = new String[locations.size()];
    if (locations.size() < 2 || Runtime.getRuntime().availableProcessors() < 2) {
      for (int i = 0; i < out.length; i++) {
        out[i] = digest(io, locations.get(i), algorithm);
      }
      return out;
    }
    // Files are taken in turn from a shared counter, so a large file on one thread does not leave the other idle.
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    TwoAtOnce.Work<Void, RuntimeException> work = () -> {
      try {
        for (int i = next.getAndIncrement(); i < out.length; i = next.getAndIncrement()) {
          out[i] = digest(io, locations.get(i), algorithm);
        }
        return null;
      } catch (RuntimeException e) {
        next.set(out.length); // the other thread stops after its current file
        throw e;
      }
    };
    TwoAtOnce.run("version-digests", work, work); // its thread has ended: every digest it took is in out
    return out;
  }

  /** A file's path inside the table's folder ({@code data/00000-0-....parquet}). */
  public static String nameOf(String tableLocation, String location) {
    String base = normalize(tableLocation.endsWith("/") ? tableLocation : tableLocation + "/");
    String file = normalize(location);
    if (file.startsWith(base)) {
      return file.substring(base.length());
    }
    // A file outside the table's folder (written elsewhere and added): keep its whole location as its name.
    return location;
  }

  /** One spelling of local locations: {@code file:///x} and {@code file:/x} name the same file. */
  public static String normalize(String location) {
    return location.startsWith("file:///") ? "file:/" + location.substring("file:///".length()) : location;
  }

  public static String digest(FileIO io, String location, DigestAlgorithm algorithm) {
    try (InputStream in = io.newInputFile(location).newStream()) {
      return Digests.hex(algorithm, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location, e);
    }
  }

  /**
   * The content record of these files: Merkle root, totals, the rows a reader gets and the schema of the snapshot.
   * Without delete files the rows are the data files' records (from the manifests: nothing read); with them, the rows
   * a scan of the snapshot gives, deletes applied (a position or an equality delete may name a row already deleted, or
   * none, so their counts cannot be subtracted exactly).
   */
  public static Content content(Table table, Snapshot snapshot, List<VersionFile> files, DigestAlgorithm algorithm) {
    long bytes = 0;
    long records = 0;
    boolean deletes = false;
    for (VersionFile f : files) {
      bytes += f.size();
      if ("data".equals(f.kind())) {
        records += f.records();
      } else {
        deletes = true;
      }
    }
    Integer schemaId = snapshot.schemaId();
    org.apache.iceberg.Schema schema = schemaId == null ? table.schema() : table.schemas().get(schemaId);
    long rows = deletes ? liveRows(table, snapshot.snapshotId(), schema) : records;
    return new Content(algorithm.label(), merkleRoot(files, algorithm), files.size(), bytes, records,
        SchemaParser.toJson(schema), rows);
  }

  /** The rows a scan of the snapshot gives (one column read: deletes need the row's position or its key). */
  private static long liveRows(Table table, long snapshotId, org.apache.iceberg.Schema schema) {
    long n = 0;
    try (CloseableIterable<org.apache.iceberg.data.Record> rows = org.apache.iceberg.data.IcebergGenerics.read(table)
        .useSnapshot(snapshotId).select(schema.columns().get(0).name()).build()) {
      for (org.apache.iceberg.data.Record ignored : rows) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count the rows of snapshot " + snapshotId + " of " + table.name(), e);
    }
    return n;
  }

  /** The Merkle root of named file digests (the digest of nothing for no files). */
  public static String merkleRoot(List<VersionFile> files, DigestAlgorithm algorithm) {
    List<VersionFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(VersionFile::name));
    HexFormat hex = HexFormat.of();
    List<byte[]> level = new ArrayList<>();
    for (VersionFile f : sorted) {
      MessageDigest md = algorithm.newDigest();
      md.update((byte) 0);
      md.update(f.name().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(hex.parseHex(f.digest()));
      level.add(md.digest());
    }
    if (level.isEmpty()) {
      return hex.formatHex(algorithm.newDigest().digest());
    }
    while (level.size() > 1) {
      List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        if (i + 1 == level.size()) {
          up.add(level.get(i));
        } else {
          MessageDigest md = algorithm.newDigest();
          md.update((byte) 1);
          md.update(level.get(i));
          md.update(level.get(i + 1));
          up.add(md.digest());
        }
      }
      level = up;
    }
    return hex.formatHex(level.get(0));
  }
}
