package io.dataops.pipelines.privacy;

import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.catalog.Lakehouse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Leak filters of input snapshots, kept between runs: the raw values of a snapshot never change, so a re-run, or
 * another pipeline reading the same personal columns of the same snapshot, takes the filter from here instead of
 * reading every raw value again. One file per {@link Key}, in {@code <table>/<snapshot>-<key digest>.bin} under the
 * cache folder ({@link SnapshotFiles}: owner-only, atomic, refused when torn or foreign). A file holds what the filter
 * holds (bits of hashes and a count, never a value) and is as protected as raw data all the same (the bits answer "was
 * this value among the raw values?"). Entries of snapshots that expired or tables that were dropped are removed by
 * {@link #prune}.
 */
public final class LeakFilterCache {
  private static final long MAGIC = 0xD0_1F_17_7E_CA_C4_E0_01L;

  private final SnapshotFiles files;

  public LeakFilterCache(Path dir) {
    this.files = new SnapshotFiles(dir, MAGIC, "leak filter");
  }

  /** The cache of a home's pipeline runs: beside the runs' folders in the executors' work folder. */
  public static LeakFilterCache in(Path workRoot) {
    return new LeakFilterCache(workRoot.resolve("leak-filters"));
  }

  /**
   * What a cached filter was built from: the input snapshot (and the snapshot an incremental read starts after), the
   * data files read, the personal columns with their types, the filter's sizing, and a digest of the code that turns
   * raw values into bits (a build that hashes or reads values otherwise must not use an older build's filter).
   *
   * @param columns column name → type, as the reader reads them
   */
  public record Key(String table, long snapshotId, Long fromExclusive, List<String> dataFiles,
      Map<String, String> columns, long expectedRaw, long maxFilterBytes, String code) {
    public Key {
      dataFiles = List.copyOf(dataFiles);
      columns = java.util.Collections.unmodifiableMap(new TreeMap<>(columns));
    }

    /** The key's digest: names the file and is checked against the one written in it. */
    String digest() {
      StringBuilder b = new StringBuilder("leak-filter-cache/1\n").append(table).append('\n').append(snapshotId)
          .append('\n').append(fromExclusive).append('\n').append(expectedRaw).append('\n').append(maxFilterBytes)
          .append('\n').append(code).append('\n');
      columns.forEach((c, t) -> b.append(c).append('\t').append(t).append('\n'));
      dataFiles.forEach(f -> b.append(f).append('\n'));
      return Digests.sha256(b.toString());
    }
  }

  /**
   * The digest of the classes that turn raw values into a filter's bits ({@link LeakFilter} and its hashing, plus the
   * engine's {@code readers} of raw values), for {@link Key#code}.
   */
  public static String codeDigest(Class<?>... readers) {
    List<Class<?>> classes = new ArrayList<>(List.of(LeakFilter.class, ValueKey.class, Hash128.class, RawHashes.class,
        io.dataops.lakehouse.types.ValueType.class));
    classes.addAll(Arrays.asList(readers));
    return SnapshotFiles.classDigest(classes);
  }

  /** The cached filter of {@code key}; empty when there is none or it fails its digest (then it is removed). */
  public Optional<LeakFilter> load(Key key) {
    return files.load(key.table(), key.snapshotId(), key.digest(), LeakFilter::readFrom);
  }

  /** Saves the filter of {@code key} (owner-only, written aside and moved in, so a reader never sees half of it). */
  public void save(Key key, LeakFilter filter) throws IOException {
    files.save(key.table(), key.snapshotId(), key.digest(), filter::writeTo);
  }

  /**
   * Removes the entries of {@code tables} (all cached tables when null) whose snapshot the table no longer has, or
   * whose table is gone; returns how many files were removed. Run after snapshots expire or tables are dropped.
   */
  public int prune(Lakehouse lakehouse, java.util.Collection<String> tables) throws IOException {
    return files.prune(lakehouse, tables);
  }
}
