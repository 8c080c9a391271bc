package io.dataops.pipelines.privacy;

import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.catalog.Lakehouse;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link SmallestGroups} the validator measured over the transform of pinned input snapshots, kept between runs:
 * the raw values of a snapshot never change, so a re-run, or another pipeline with the same transform, columns and
 * policies over the same snapshots, takes the measure from here instead of reading the inputs again. One file per
 * {@link Key} ({@link SnapshotFiles}: owner-only, atomic, refused when torn or foreign), under the first input's table
 * and snapshot (pruned with it). A file holds column names and group sizes, never a value.
 */
public final class SmallestGroupsCache {
  private static final long MAGIC = 0xD0_5E_A5_C0_C4_E0_00_01L;

  private final SnapshotFiles files;

  public SmallestGroupsCache(Path dir) {
    this.files = new SnapshotFiles(dir, MAGIC, "group measure");
  }

  /** The cache of a home's pipeline validations: beside the leak filters in the executors' work folder. */
  public static SmallestGroupsCache in(Path workRoot) {
    return new SmallestGroupsCache(workRoot.resolve("group-measures"));
  }

  /** One input as the measure read it: its pinned snapshot, data files, columns with their types, and row filter. */
  public record Input(String table, long snapshotId, List<String> dataFiles, List<String> columns, String filter) {
    public Input {
      dataFiles = List.copyOf(dataFiles);
      columns = List.copyOf(columns);
    }
  }

  /**
   * What a measure was computed from: the inputs, the transform's SQL, each measured column with its type and policy
   * as written (in the order measured), the person and count columns (null when absent), k, the date policies are
   * applied as of, and a digest of the code that reads, applies and counts (a build that measures otherwise must not
   * use an older build's measure).
   *
   * @param columns one entry per measured column: name, type and policy
   */
  public record Key(List<Input> inputs, String sql, List<String> columns, String person, String weight, int k,
      String asOf, String code) {
    public Key {
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException("a measure reads at least one input");
      }
      inputs = List.copyOf(inputs);
      columns = List.copyOf(columns);
    }

    /** The key's digest: names the file and is checked against the one written in it. */
    String digest() {
      StringBuilder b = new StringBuilder("smallest-groups-cache/1\n").append(k).append('\n').append(person)
          .append('\n').append(weight).append('\n').append(asOf).append('\n').append(code).append('\n');
      for (Input in : inputs) {
        b.append("input\t").append(in.table()).append('\t').append(in.snapshotId()).append('\t').append(in.filter())
            .append('\n');
        in.columns().forEach(c -> b.append("column\t").append(c).append('\n'));
        in.dataFiles().forEach(f -> b.append("file\t").append(f).append('\n'));
      }
      columns.forEach(c -> b.append("measured\t").append(c).append('\n'));
      return Digests.sha256(b.append("sql\n").append(sql).toString());
    }
  }

  /** The digest of {@link SmallestGroups} and its counting, plus {@code more} (the reader, the policies), for a key. */
  public static String codeDigest(Class<?>... more) {
    List<Class<?>> classes = new ArrayList<>(List.of(SmallestGroups.class, ClassCounter.class, ValueKey.class,
        Hash128.class));
    classes.addAll(Arrays.asList(more));
    return SnapshotFiles.classDigest(classes);
  }

  /** The measure of {@code key} (column → smallest group); empty when there is none or it fails its checks. */
  public Optional<Map<String, Long>> load(Key key) {
    Input first = key.inputs().get(0);
    return files.load(first.table(), first.snapshotId(), key.digest(), SmallestGroupsCache::read);
  }

  /** Saves the measure of {@code key}. */
  public void save(Key key, Map<String, Long> smallest) throws IOException {
    Input first = key.inputs().get(0);
    files.save(first.table(), first.snapshotId(), key.digest(), out -> {
      out.writeInt(smallest.size());
      for (var e : smallest.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue());
      }
    });
  }

  /**
   * Removes the entries of {@code tables} (all when null) whose first input's snapshot is gone; returns how many
   * files were removed.
   */
  public int prune(Lakehouse lakehouse, java.util.Collection<String> tables) throws IOException {
    return files.prune(lakehouse, tables);
  }

  private static Map<String, Long> read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("not a measure");
    }
    Map<String, Long> smallest = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      smallest.put(in.readUTF(), in.readLong());
    }
    return smallest;
  }
}
