package io.dataops.quality.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.iceberg.BaseCombinedScanTask;
import org.apache.iceberg.CombinedScanTask;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.arrow.vectorized.ArrowReader;
import org.apache.iceberg.arrow.vectorized.ColumnarBatch;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;

/**
 * Runs every analyzer over one snapshot of a table in a single scan: the snapshot's data files are shared out
 * among threads (largest first), each thread reads only the columns the analyzers need as Arrow batches and feeds
 * them to its own states; the states are then merged and finished.
 */
public final class ScanRunner {
  private static final int BATCH_ROWS = 8192;

  private ScanRunner() {}

  /** What a scan produced: the merged states by analyzer key, and how much it read. */
  public record Outcome(Map<String, AnalyzerState<?>> states, long rows, int files, long bytes) {}

  public static Outcome run(Table table, Long snapshotId, List<Analyzer<?>> analyzers, List<String> keyColumns,
      int threads, IntFunction<ScanContext> contexts) {
    return run(table, snapshotId, path -> true, analyzers, keyColumns, threads, contexts);
  }

  /** As above, reading only the data files {@code files} accepts (one feed's files, say). */
  public static Outcome run(Table table, Long snapshotId, java.util.function.Predicate<String> files,
      List<Analyzer<?>> analyzers, List<String> keyColumns, int threads, IntFunction<ScanContext> contexts) {
    Set<String> columns = new LinkedHashSet<>();
    analyzers.forEach(a -> columns.addAll(a.columns()));
    for (String c : keyColumns) {
      columns.add(c);
    }
    for (String lineage : List.of("_feed_id", "_row_number")) {
      if (table.schema().findField(lineage) != null) {
        columns.add(lineage);
      }
    }
    if (columns.isEmpty() && !table.schema().columns().isEmpty()) {
      // Only table-level analyzers (row count) and no lineage: the reader still needs one column to count rows by.
      columns.add(table.schema().columns().get(0).name());
    }
    List<FileScanTask> tasks = new ArrayList<>();
    TableScan scan = null;
    if (snapshotId != null) {
      scan = table.newScan().useSnapshot(snapshotId).select(columns);
      try (CloseableIterable<FileScanTask> planned = scan.planFiles()) {
        for (FileScanTask t : planned) {
          if (!t.deletes().isEmpty()) {
            throw new UnsupportedOperationException("snapshot " + snapshotId + " of " + table.name()
                + " has delete files; the columnar scan reads append-only snapshots");
          }
          if (files.test(t.file().location())) {
            tasks.add(t);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    tasks.sort(Comparator.comparingLong((FileScanTask t) -> t.length()).reversed());
    int n = Math.max(1, Math.min(threads, tasks.size()));
    List<List<CombinedScanTask>> shares = new ArrayList<>();
    long[] load = new long[n];
    for (int i = 0; i < n; i++) {
      shares.add(new ArrayList<>());
    }
    for (FileScanTask t : tasks) {
      int least = 0;
      for (int i = 1; i < n; i++) {
        if (load[i] < load[least]) {
          least = i;
        }
      }
      shares.get(least).add(new BaseCombinedScanTask(t));
      load[least] += t.length();
    }
    long bytes = 0;
    for (long l : load) {
      bytes += l;
    }

    TableScan finalScan = scan;
    List<Map<String, AnalyzerState<?>>> perThread = new ArrayList<>();
    long[] rows = new long[n];
    if (n == 1) {
      perThread.add(scanShare(finalScan, shares.get(0), analyzers, keyColumns, contexts.apply(0), rows, 0));
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
        Thread t = new Thread(r, "quality-scan");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<Map<String, AnalyzerState<?>>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int share = i;
          futures.add(pool.submit(() -> scanShare(finalScan, shares.get(share), analyzers, keyColumns,
              contexts.apply(share), rows, share)));
        }
        for (Future<Map<String, AnalyzerState<?>>> f : futures) {
          perThread.add(f.get());
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException("the quality scan failed", cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("the quality scan was interrupted", e);
      } finally {
        pool.shutdownNow();
      }
    }
    Map<String, AnalyzerState<?>> merged = new LinkedHashMap<>(perThread.get(0));
    for (int i = 1; i < perThread.size(); i++) {
      for (Map.Entry<String, AnalyzerState<?>> e : perThread.get(i).entrySet()) {
        merged.put(e.getKey(), mergeStates(merged.get(e.getKey()), e.getValue()));
      }
    }
    finishAll(merged.values(), n);
    long total = 0;
    for (long r : rows) {
      total += r;
    }
    return new Outcome(merged, total, tasks.size(), bytes);
  }

  /** Finishing sorts and groups spilled values: independent per analyzer, so analyzers finish side by side. */
  private static void finishAll(java.util.Collection<AnalyzerState<?>> states, int threads) {
    if (threads <= 1 || states.size() <= 1) {
      states.forEach(AnalyzerState::finish);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "quality-finish");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (AnalyzerState<?> s : states) {
        futures.add(pool.submit(s::finish));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("finishing the analyzers failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AnalyzerState<?> mergeStates(AnalyzerState a, AnalyzerState b) {
    return (AnalyzerState<?>) a.merge(b);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, AnalyzerState<?>> scanShare(TableScan scan, List<CombinedScanTask> share,
      List<Analyzer<?>> analyzers, List<String> keyColumns, ScanContext context, long[] rows, int slot) {
    Map<String, AnalyzerState<?>> states = new HashMap<>();
    for (Analyzer<?> a : analyzers) {
      states.put(a.key(), a.newState(context));
    }
    if (share.isEmpty()) {
      return states;
    }
    Schema projected = scan.schema();
    Analyzer[] list = analyzers.toArray(new Analyzer[0]);
    AnalyzerState[] stateList = new AnalyzerState[list.length];
    for (int i = 0; i < list.length; i++) {
      stateList[i] = states.get(list[i].key());
    }
    try (ArrowReader reader = new ArrowReader(scan, BATCH_ROWS, true);
         CloseableIterator<ColumnarBatch> batches = reader.open(CloseableIterable.withNoopClose(share))) {
      while (batches.hasNext()) {
        ColumnarBatch columnar = batches.next();
        ArrowBatch batch = new ArrowBatch(columnar, projected, keyColumns, context);
        rows[slot] += batch.size();
        for (int i = 0; i < list.length; i++) {
          list[i].update(stateList[i], batch);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the table failed", e);
    }
    return states;
  }
}
