package io.dataops.lakehouse.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Removes files under a table's {@code data/} and {@code metadata/} folders that nothing the table keeps reaches: the
 * files of a commit that crashed or lost its race, of a staged snapshot already expired, metadata files no longer in
 * the metadata log. Only files of Iceberg's own kinds are considered, and only those older than the safety age: a
 * commit in flight has written its files but not yet made them reachable.
 */
final class OrphanFiles {
  private static final List<String> KINDS = List.of(".parquet", ".avro", ".orc", ".puffin", ".metadata.json",
      ".stats");

  private OrphanFiles() {}

  static TableReport.Orphans remove(Table table, MaintenancePolicy policy, long now) {
    FileIO io = table.io();
    if (!(io instanceof SupportsPrefixOperations listing)) {
      throw new IllegalStateException("the warehouse's FileIO (" + io.getClass().getName() + ") cannot list files:"
          + " orphan files cannot be found");
    }
    table.refresh();
    Set<String> reachable = reachable(table);
    long safetyCutoff = now - policy.safetyAge().toMillis();
    List<String> removed = new ArrayList<>();
    int young = 0;
    long bytes = 0;
    String root = table.location().endsWith("/") ? table.location() : table.location() + "/";
    for (String folder : List.of("data/", "metadata/")) {
      for (FileInfo f : list(listing, root + folder)) {
        String where = normalize(f.location());
        if (reachable.contains(where) || KINDS.stream().noneMatch(where::endsWith)) {
          continue;
        }
        if (f.createdAtMillis() >= safetyCutoff) {
          young++;
          continue;
        }
        io.deleteFile(f.location());
        removed.add(nameInside(root, f.location()));
        bytes += f.size();
      }
    }
    return new TableReport.Orphans(removed, young, bytes);
  }

  /** Every file the table's metadata reaches: metadata files, manifest lists, manifests, data and delete files. */
  static Set<String> reachable(Table table) {
    FileIO io = table.io();
    TableMetadata md = ((HasTableOperations) table).operations().current();
    Set<String> out = new HashSet<>();
    ReachableFileUtil.metadataFileLocations(table, false).forEach(l -> out.add(normalize(l)));
    out.add(normalize(md.metadataFileLocation()));
    for (StatisticsFile s : md.statisticsFiles()) {
      out.add(normalize(s.path()));
    }
    for (PartitionStatisticsFile s : md.partitionStatisticsFiles()) {
      out.add(normalize(s.path()));
    }
    Set<String> manifests = new HashSet<>();
    for (Snapshot s : md.snapshots()) {
      if (s.manifestListLocation() != null) {
        out.add(normalize(s.manifestListLocation()));
      }
      for (ManifestFile m : s.allManifests(io)) {
        if (!manifests.add(m.path())) {
          continue;
        }
        out.add(normalize(m.path()));
        addEntries(m, table, out);
      }
    }
    return out;
  }

  private static void addEntries(ManifestFile m, Table table, Set<String> out) {
    // Live entries: each kept snapshot's own manifests list every file it reads, so together they cover them all.
    try {
      if (m.content() == org.apache.iceberg.ManifestContent.DATA) {
        try (ManifestReader<org.apache.iceberg.DataFile> r = ManifestFiles.read(m, table.io(), table.specs())) {
          r.forEach(f -> out.add(normalize(f.location())));
        }
      } else {
        try (ManifestReader<DeleteFile> r = ManifestFiles.readDeleteManifest(m, table.io(), table.specs())) {
          r.forEach(f -> out.add(normalize(f.location())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + m.path(), e);
    }
  }

  private static Iterable<FileInfo> list(SupportsPrefixOperations listing, String prefix) {
    List<FileInfo> out = new ArrayList<>();
    try {
      listing.listPrefix(prefix).forEach(out::add);
    } catch (UncheckedIOException | org.apache.iceberg.exceptions.NotFoundException missing) {
      if (!(missing.getCause() instanceof java.io.FileNotFoundException)
          && !(missing instanceof org.apache.iceberg.exceptions.NotFoundException)) {
        throw missing;
      }
    }
    return out;
  }

  /** One spelling per file: {@code file:/x}, {@code file:///x} and {@code /x} are the same local file. */
  static String normalize(String location) {
    if (location.startsWith("file:")) {
      return location.substring("file:".length()).replaceFirst("^/+", "/");
    }
    return location;
  }

  private static String nameInside(String root, String location) {
    String r = normalize(root);
    String l = normalize(location);
    return l.startsWith(r) ? l.substring(r.length()) : l;
  }
}
