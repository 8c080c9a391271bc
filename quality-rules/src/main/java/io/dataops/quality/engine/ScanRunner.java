package io.dataops.quality.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.arrow.vectorized.ColumnarBatch;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.formats.ReadBuilder;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.types.Types;

/**
 * Runs every analyzer over one snapshot of a table in a single scan: the snapshot's data files are shared out
 * among workers (the next file, largest first, to the first worker free), each reads only the columns the analyzers
 * need as Arrow batches and feeds them to its own states; the states are then merged and finished. States whose
 * merge depends on order are kept per file and merged in file order, so any number of workers gives the same bits.
 * A column every analyzer reads only for its nulls is not read from a file whose footer proves it holds none.
 */
public final class ScanRunner {
  /** Rows of one Arrow batch of the scan. */
  public static final int BATCH_ROWS = 8192;

  private ScanRunner() {}

  /**
   * What a scan produced: the merged states by analyzer key, and how much it read; {@code columnsNotRead} counts the
   * (file, column) pairs left unread because the file's footer proved the column, read only for its nulls, has none.
   */
  public record Outcome(Map<String, AnalyzerState<?>> states, long rows, int files, long bytes, long columnsNotRead) {
    public Outcome(Map<String, AnalyzerState<?>> states, long rows, int files, long bytes) {
      this(states, rows, files, bytes, 0);
    }
  }

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
    Map<Integer, String> nullsOnly = nullsOnlyColumns(table.schema(), analyzers, keyColumns);
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
    // The parts in a fixed order, largest first (workers take the next one as they free up, which balances them);
    // states that must merge in order are merged in this order whatever the number of workers.
    tasks.sort(Comparator.comparingLong((FileScanTask t) -> t.length()).reversed()
        .thenComparing(t -> t.file().location()));
    long bytes = 0;
    for (FileScanTask t : tasks) {
      bytes += t.length();
    }
    int n = Math.max(1, Math.min(threads, tasks.size()));
    List<Analyzer<?>> anyOrder = analyzers.stream().filter(Analyzer::mergesInAnyOrder).toList();
    List<Analyzer<?>> inOrder = analyzers.stream().filter(a -> !a.mergesInAnyOrder()).toList();
    PartStates parts = new PartStates();
    AtomicInteger next = new AtomicInteger();
    TableScan finalScan = scan;
    Unread unread = new Unread(table, nullsOnly);
    List<Map<String, AnalyzerState<?>>> perWorker = new ArrayList<>();
    long[] rows = new long[n];
    ScanContext[] context = new ScanContext[n];
    for (int i = 0; i < n; i++) {
      context[i] = contexts.apply(i);
    }
    if (n == 1) {
      perWorker.add(scanParts(finalScan, unread, tasks, next, parts, anyOrder, inOrder, keyColumns, context[0], rows,
          0));
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
        Thread t = new Thread(r, "quality-scan");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<Map<String, AnalyzerState<?>>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int worker = i;
          futures.add(pool.submit(() -> scanParts(finalScan, unread, tasks, next, parts, anyOrder, inOrder,
              keyColumns, context[worker], rows, worker)));
        }
        for (Future<Map<String, AnalyzerState<?>>> f : futures) {
          perWorker.add(f.get());
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
    Map<String, AnalyzerState<?>> merged = new LinkedHashMap<>(perWorker.get(0));
    for (int i = 1; i < perWorker.size(); i++) {
      for (Map.Entry<String, AnalyzerState<?>> e : perWorker.get(i).entrySet()) {
        merged.put(e.getKey(), mergeStates(merged.get(e.getKey()), e.getValue()));
      }
    }
    merged.putAll(parts.merged(inOrder, context[0]));
    finishAll(merged.values(), n);
    long total = 0;
    for (long r : rows) {
      total += r;
    }
    return new Outcome(merged, total, tasks.size(), bytes, unread.skipped.get());
  }

  /**
   * Columns (by field id) that every analyzer reading them reads only for their nulls; never a key column or
   * lineage, whose values failing rows show.
   */
  private static Map<Integer, String> nullsOnlyColumns(Schema schema, List<Analyzer<?>> analyzers,
      List<String> keyColumns) {
    Set<String> candidates = new LinkedHashSet<>();
    Set<String> valuesRead = new HashSet<>(keyColumns);
    valuesRead.addAll(List.of("_feed_id", "_row_number"));
    for (Analyzer<?> a : analyzers) {
      List<String> nullsOnly = a.nullsOnlyColumns();
      for (String c : a.columns()) {
        (nullsOnly.contains(c) ? candidates : valuesRead).add(c);
      }
    }
    candidates.removeAll(valuesRead);
    Map<Integer, String> byId = new LinkedHashMap<>();
    for (String c : candidates) {
      Types.NestedField f = schema.findField(c);
      if (f != null && schema.columns().contains(f) && f.type().isPrimitiveType()) {
        byId.put(f.fieldId(), c);
      }
    }
    return byId;
  }

  /**
   * Decides per data file which nulls-only columns its footer lets the scan leave unread, and counts them. The footer
   * is read once: the scan's reader gets the file with that tail in memory.
   */
  private static final class Unread {
    private final Table table;
    private final Map<Integer, String> nullsOnly;
    final AtomicLong skipped = new AtomicLong();

    Unread(Table table, Map<Integer, String> nullsOnly) {
      this.table = table;
      this.nullsOnly = nullsOnly;
    }

    /** How to read the task's file: from which input, and which columns of {@code scan}'s projection to leave. */
    FilePlan of(TableScan scan, FileScanTask task) {
      DataFile file = task.file();
      InputFile input = table.io().newInputFile(file.location(), file.fileSizeInBytes());
      if (file.keyMetadata() != null) {
        // An encrypted file: decrypted as Iceberg's own reader does; its footer proves nothing.
        return new FilePlan(table.encryption().decrypt(EncryptedFiles.encryptedInput(input, file.keyMetadata())),
            List.of());
      }
      // The footer speaks for the whole file: only a task over all of it may skip columns.
      if (nullsOnly.isEmpty() || task.start() != 0 || task.length() != file.fileSizeInBytes()) {
        return new FilePlan(input, List.of());
      }
      FileTail tail = FileTail.read(input);
      Set<String> free = NullFreeColumns.in(tail, nullsOnly);
      List<Types.NestedField> out = new ArrayList<>();
      List<Types.NestedField> projected = scan.schema().columns();
      for (Types.NestedField f : projected) {
        if (free.contains(f.name())) {
          out.add(f);
        }
      }
      if (out.size() == projected.size()) {
        out.remove(0); // the reader counts rows by its columns: keep one
      }
      skipped.addAndGet(out.size());
      return new FilePlan(tail.input(), out);
    }
  }

  /** A data file to read from {@code input}, without the columns {@code notRead}. */
  private record FilePlan(InputFile input, List<Types.NestedField> notRead) {}

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

  /**
   * One worker: takes the next part until none is left, feeding each batch to the worker's own states of analyzers
   * that merge in any order and to fresh per-part states of the others, handed to {@code parts} when the part ends.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, AnalyzerState<?>> scanParts(TableScan scan, Unread unread, List<FileScanTask> tasks,
      AtomicInteger next,
      PartStates parts, List<Analyzer<?>> anyOrder, List<Analyzer<?>> inOrder, List<String> keyColumns,
      ScanContext context, long[] rows, int slot) {
    Map<String, AnalyzerState<?>> states = new LinkedHashMap<>();
    for (Analyzer<?> a : anyOrder) {
      states.put(a.key(), a.newState(context));
    }
    Analyzer[] list = new Analyzer[anyOrder.size() + inOrder.size()];
    AnalyzerState[] stateList = new AnalyzerState[list.length];
    for (int i = 0; i < anyOrder.size(); i++) {
      list[i] = anyOrder.get(i);
      stateList[i] = states.get(list[i].key());
    }
    for (int i = 0; i < inOrder.size(); i++) {
      list[anyOrder.size() + i] = inOrder.get(i);
    }
    for (int part = next.getAndIncrement(); part < tasks.size(); part = next.getAndIncrement()) {
      Map<String, AnalyzerState<?>> partStates = new LinkedHashMap<>();
      for (int i = anyOrder.size(); i < list.length; i++) {
        stateList[i] = list[i].newState(context);
        partStates.put(list[i].key(), stateList[i]);
      }
      FileScanTask task = tasks.get(part);
      FilePlan plan = unread.of(scan, task);
      List<Types.NestedField> notRead = plan.notRead();
      Schema projected = scan.schema();
      if (!notRead.isEmpty()) {
        List<String> kept = new ArrayList<>();
        for (Types.NestedField f : projected.columns()) {
          if (!notRead.contains(f)) {
            kept.add(f.name());
          }
        }
        projected = projected.select(kept);
      }
      // Iceberg's Arrow reader for one file, as its ArrowReader opens each file, but on the plan's input (whose
      // footer may already be in memory) and with the file's length known (no size request).
      ReadBuilder<ColumnarBatch, Object> read = FormatModelRegistry.readBuilder(FileFormat.PARQUET, ColumnarBatch.class,
          plan.input());
      read.reuseContainers().project(projected).split(task.start(), task.length()).recordsPerBatch(BATCH_ROWS)
          .caseSensitive(true).filter(task.residual());
      try (CloseableIterable<ColumnarBatch> file = read.build();
           CloseableIterator<ColumnarBatch> batches = file.iterator()) {
        while (batches.hasNext()) {
          ArrowBatch batch = new ArrowBatch(batches.next(), projected, notRead, keyColumns, context);
          rows[slot] += batch.size();
          for (int i = 0; i < list.length; i++) {
            list[i].update(stateList[i], batch);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading the table failed", e);
      }
      parts.done(part, partStates);
    }
    return states;
  }

  /**
   * The per-part states of analyzers whose merge depends on order, folded in part order as soon as every earlier
   * part is done: only parts that finished ahead of an earlier one wait, so memory stays bounded by the workers.
   */
  private static final class PartStates {
    private final Map<Integer, Map<String, AnalyzerState<?>>> waiting = new HashMap<>();
    private Map<String, AnalyzerState<?>> folded;
    private int nextPart;

    synchronized void done(int part, Map<String, AnalyzerState<?>> states) {
      waiting.put(part, states);
      for (Map<String, AnalyzerState<?>> s = waiting.remove(nextPart); s != null; s = waiting.remove(nextPart)) {
        nextPart++;
        if (folded == null) {
          folded = s;
        } else {
          for (Map.Entry<String, AnalyzerState<?>> e : s.entrySet()) {
            folded.put(e.getKey(), mergeStates(folded.get(e.getKey()), e.getValue()));
          }
        }
      }
    }

    /** Every part folded, or fresh states when there were no parts. */
    synchronized Map<String, AnalyzerState<?>> merged(List<Analyzer<?>> analyzers, ScanContext context) {
      if (!waiting.isEmpty()) {
        throw new IllegalStateException("parts " + waiting.keySet() + " were not merged");
      }
      if (folded != null) {
        return folded;
      }
      Map<String, AnalyzerState<?>> empty = new LinkedHashMap<>();
      for (Analyzer<?> a : analyzers) {
        empty.put(a.key(), a.newState(context));
      }
      return empty;
    }
  }
}
