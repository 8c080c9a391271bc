package io.dataops.jobs.batch;

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
    // being built, not an empty one plus every part (two 64 MB arrays where one will do).
    LeakFilter filter = null;
    // Entries of snapshots these tables no longer have (expired, or the table dropped) go first.
    run.leakFilters.prune(run.lakehouse, run.pipeline.inputs().stream().map(in -> in.table().toString()).toList());
    Connection duck = null;
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
        if (duck == null) {
          duck = openDuck(run);
        }
        LeakFilter part = new LeakFilter(run.plan.expectedRawValues(), filterMemory());
        RawHashes hashes = new RawHashes(part);
        rawValues(in, files, duck, hashes);
        hashes.flush();
        run.leakFilters.save(key, part);
        filter = filter == null ? part : filter.merge(part);
      }
    } catch (SQLException e) {
      throw EngineErrors.failure("reading the raw personal values failed in DuckDB", e);
    } finally {
      closeQuietly(duck);
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

  private static Connection openDuck(RunState run) throws SQLException, java.io.IOException {
    return DuckTransform.connect(run.workDir.resolve("duck-filter"), run.splitSettings.duckMemoryLimit(),
        run.splitSettings.duckThreads());
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // an in-memory database: nothing is lost
      }
    }
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
