package io.dataops.jobs.batch;

import io.dataops.core.concurrent.TwoAtOnce;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.arrow.ArrowValues;
import io.dataops.lakehouse.arrow.Utf8Scratch;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.plan.PinnedInput;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.LeakFilter;
import io.dataops.pipelines.privacy.LeakFilterCache;
import io.dataops.pipelines.privacy.RawHashes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Before the product is written: puts every raw value of the inputs' personal-data columns into the leak check's
 * filter and saves the filter (bits of hashes, never a value) in the run's folder, so that the write step tests each
 * product value as it writes it and a restarted run finds it. All or nothing: a restart of this step builds it again.
 */
final class LeakFilterTasklet implements Tasklet {
  private static final long FILTER_MEMORY = 64L << 20;

  /** The digest of the code that turns raw values into the filter's bits, as the cache's keys name it (computed once). */
  private static final class Code {
    static final String DIGEST = LeakFilterCache.codeDigest(ArrowRows.class, ArrowValues.class, Utf8Scratch.class,
        LeakFilterTasklet.class);
  }

  private final RunState run;

  LeakFilterTasklet(RunState run) {
    this.run = run;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    run.useLeakCheck(build(run));
    return RepeatStatus.FINISHED;
  }

  /**
   * Builds the filter and saves it in the run's folder. Each input's part comes from the cache of input snapshots'
   * filters when a run before read the same personal columns of the same snapshot, else from its raw values (and then
   * goes into the cache); the parts merge into exactly the filter of all the raw values.
   */
  static LeakCheck build(RunState run) throws java.io.IOException {
    // The first part becomes the filter and the others merge into it: one filter in memory at a time beside the part
    // being built (two while an input is read in two parts), not an empty one plus every part.
    LeakFilter filter = null;
    // Entries of snapshots these tables no longer have (expired, or the table dropped) go first.
    run.leakFilters.prune(run.lakehouse, run.pipeline.inputs().stream().map(in -> in.table().toString()).toList());
    try {
      for (BoundInput in : run.pipeline.inputs()) {
        if (in.personal().isEmpty()) {
          continue;
        }
        PinnedInput pinned = run.plan.input(in);
        List<String> files = PinnedFiles.of(run.plan, pinned);
        if (files.isEmpty()) {
          continue;
        }
        LeakFilterCache.Key key = key(run, in, pinned);
        Optional<LeakFilter> cached = run.leakFilters.load(key);
        if (cached.isPresent()) {
          filter = filter == null ? cached.get() : filter.merge(cached.get());
          continue;
        }
        List<List<String>> halves = run.settings.duckThreads() >= 2 ? halves(files) : List.of(files);
        // Two readers share the branch's DuckDB memory and threads.
        boolean two = halves.size() == 2;
        String memory = two ? RunState.half(run.splitSettings.duckMemoryLimit()) : run.splitSettings.duckMemoryLimit();
        int threads = two ? Math.max(1, run.splitSettings.duckThreads() / 2) : run.splitSettings.duckThreads();
        LeakFilter part = rawFilter(in, halves, run.plan.expectedRawValues(), filterMemory(),
            folder -> DuckTransform.connect(run.workDir.resolve(folder), memory, threads));
        run.leakFilters.save(key, part);
        filter = filter == null ? part : filter.merge(part);
      }
    } catch (SQLException e) {
      throw EngineErrors.failure("reading the raw personal values failed in DuckDB", e);
    }
    LeakCheck check = run.plan.newLeakCheck(filter != null ? filter
        : new LeakFilter(run.plan.expectedRawValues(), filterMemory()));
    OwnerOnly.directories(run.workDir);
    // The same folder a restarted process's check (LeakCheck.loadFilter) spills to: beside the filter.
    check.spillTo(run.workDir.resolve(LeakCheck.SPILL_FOLDER));
    check.saveFilter(run.leakFilterFile());
    return check;
  }

  /** What the input's part of the filter is built from (the filter is sized for the whole run's raw values). */
  private static LeakFilterCache.Key key(RunState run, BoundInput in, PinnedInput pinned) {
    Map<String, String> columns = new LinkedHashMap<>();
    in.personal().keySet().forEach(n -> columns.put(n, in.columns().get(n).toString()));
    return new LeakFilterCache.Key(in.table().toString(), in.snapshotId(), pinned.fromExclusive(),
        pinned.dataFiles(), columns, run.plan.expectedRawValues(), filterMemory(), Code.DIGEST);
  }

  /** The filter's memory limit (a test may lower it, see {@link LeakFilter#memoryLimit}). */
  private static long filterMemory() {
    return LeakFilter.memoryLimit(FILTER_MEMORY);
  }

  /** A DuckDB of the filter's reader, spilling to the run's folder of the given name. */
  @FunctionalInterface
  interface Databases {
    Connection open(String folder) throws SQLException, java.io.IOException;
  }

  /**
   * The filter of the input's raw personal values read from {@code parts} of its files: one part read here, a second
   * (if any) at once on a thread of its own, each into a filter of its own in a DuckDB of its own, merged at the end
   * into exactly the filter one reader of every file gives (its bits are an or of the values' bits, its count their
   * sum). Why two: the filter step is the longer branch beside the privacy classes (at 5M rows 8.6 s against 2.7 s),
   * so once the classes are counted its reading and hashing had one core and the other stood idle. Costs a second
   * filter's memory while it is built.
   */
  static LeakFilter rawFilter(BoundInput in, List<List<String>> parts, long expectedRaw, long memory, Databases duck)
      throws SQLException, java.io.IOException {
    if (parts.size() == 1) {
      return read(in, parts.get(0), expectedRaw, memory, duck, "duck-filter");
    }
    List<LeakFilter> both;
    try {
      both = TwoAtOnce.<LeakFilter, Exception>run("leak-filter-reader",
          () -> read(in, parts.get(0), expectedRaw, memory, duck, "duck-filter"),
          () -> read(in, parts.get(1), expectedRaw, memory, duck, "duck-filter-2"));
    } catch (SQLException | java.io.IOException | RuntimeException e) {
      throw e; // what read throws, as it was
    } catch (Exception e) {
      throw new IllegalStateException("building the leak filter failed", e); // read throws nothing else
    }
    return both.get(0).merge(both.get(1));
  }

  private static LeakFilter read(BoundInput in, List<String> files, long expectedRaw, long memory, Databases duck,
      String folder) throws SQLException, java.io.IOException {
    try (Connection c = duck.open(folder)) {
      LeakFilter part = new LeakFilter(expectedRaw, memory);
      RawHashes hashes = new RawHashes(part);
      rawValues(in, files, c, hashes);
      hashes.flush();
      return part;
    }
  }

  /**
   * The files in two parts of about equal size (the largest first, each to the lighter part), or one part when there
   * is a single file: a table landed by two workers has two files, one each.
   */
  static List<List<String>> halves(List<String> files) {
    if (files.size() < 2) {
      return List.of(files);
    }
    List<String> bySize = new ArrayList<>(files);
    Map<String, Long> size = new java.util.HashMap<>();
    for (String f : files) {
      try {
        size.put(f, java.nio.file.Files.size(java.nio.file.Path.of(f)));
      } catch (java.io.IOException | RuntimeException e) {
        size.put(f, 0L); // DuckDB reports a missing file with its own message
      }
    }
    bySize.sort(java.util.Comparator.comparing((String f) -> size.get(f)).reversed());
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    long sa = 0;
    long sb = 0;
    for (String f : bySize) {
      // Sizes not known (0) or equal: by count, so that neither part is ever empty.
      if (sa < sb || (sa == sb && a.size() <= b.size())) {
        a.add(f);
        sa += size.get(f);
      } else {
        b.add(f);
        sb += size.get(f);
      }
    }
    return List.of(a, b);
  }

  /**
   * Every raw value of the input's personal-data columns, read from the pinned snapshot's files, hashed into {@code
   * hashes} (a filter's, or the leak check's confirmation: {@link LeakCheckTasklet}); the caller flushes them.
   */
  static void rawValues(BoundInput in, List<String> files, Connection duck, RawHashes hashes) throws SQLException {
    List<String> names = new ArrayList<>(in.personal().keySet());
    List<ColumnType> types = names.stream().map(n -> in.columns().get(n)).toList();
    String cols = names.stream().map(DuckTransform::quote).collect(Collectors.joining(", "));
    try (Statement s = duck.createStatement();
        ArrowRows r = new ArrowRows(s.executeQuery("SELECT " + cols + " FROM read_parquet("
            + LeakCheckTasklet.list(files) + ", union_by_name = true)"), types)) {
      r.forEachBatch((vectors, rows) -> {
        for (int c = 0; c < vectors.length; c++) {
          ArrowRows.rawHashes(vectors[c], rows, types.get(c), hashes);
        }
      });
    }
  }
}
