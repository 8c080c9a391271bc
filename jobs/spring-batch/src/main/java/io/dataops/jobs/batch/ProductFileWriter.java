package io.dataops.jobs.batch;

import io.dataops.lakehouse.parquet.ArrayRowWriter;
import io.dataops.lakehouse.parquet.FlatWriterFactory;
import io.dataops.products.publish.ProductTables;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Writes product rows into Parquet data files in the product table's location, rolling to a new file every
 * {@link RunSettings#rowsPerFile} rows. Nothing is committed here: the files become the version in one commit when
 * every check has passed. The step's saved state is the list of closed files and the reader position they cover, so
 * a killed run resumes after its last closed file; rows of a file that was still open are read and written again.
 */
final class ProductFileWriter implements ItemStreamWriter<List<Object[]>>, StepExecutionListener {
  static final String ROWS_DONE = "product.rows-read";
  static final String FILES = "product.files";
  static final String SUPPRESSED = "product.rows-suppressed";
  static final String WRITTEN = "product.rows-written";
  static final String UNFIT = "product.unfit-values";
  /**
   * The closed files of suppressed rows a full run keeps as its version's held rows ({@link RunState#keepsSuppressed}):
   * beside the product's files, never published; the publish merges them into the state folder's held file.
   */
  static final String HELD = "product.held-parts";

  /** Rows the leak check takes at once: their objects fit in a core's cache (a few hundred kilobytes). */
  private static final int CHECKED_AT_ONCE = 512;

  private final RunState run;
  private final WriteProgress progress;
  private final List<String> files = new ArrayList<>();
  private final List<String> heldParts = new ArrayList<>();
  private long rowsDone;
  private long suppressedDone;
  private long writtenDone;
  private String unfitDone = "{}";
  private long written;
  private Table table;
  private Schema schema;
  private OutputFileFactory fileFactory;
  private FlatWriterFactory<Object[]> writers;
  /** Touched by the encoder thread only (after {@link #open}). */
  private DataWriter<Object[]> current;
  /** Where {@link #current} writes: known before it closes, so that a file whose closing failed is removed too. */
  private String currentLocation;
  private long rowsInFile;
  /** Touched by the encoder thread only: the open file of suppressed rows kept (closed with {@link #current}). */
  private DataWriter<Object[]> held;
  private String heldLocation;
  /** Whether suppressed rows were sent since the last closed file (on the step's thread). */
  private boolean heldSent;
  /**
   * Tests every row written (on the encoder thread; see {@link LeakCheckTasklet}). Not in the processor: measured by
   * thread CPU, the main thread (the scan, the policies) is the longer of the two, and the check costs the same on
   * either.
   */
  private io.dataops.pipelines.privacy.LeakCheck leak;
  /**
   * Parquet encoding runs on its own thread while the step reads and applies policies to the next chunk; at most two
   * chunks wait for it. A file is closed, and the checkpoint moved, only after everything sent before is written.
   */
  private java.util.concurrent.ExecutorService encoder;
  private final java.util.ArrayDeque<java.util.concurrent.Future<?>> inFlight = new java.util.ArrayDeque<>();

  ProductFileWriter(RunState run, WriteProgress progress) {
    this.run = run;
    this.progress = progress;
  }

  @Override
  public void open(ExecutionContext context) {
    String saved = context.getString(FILES, "");
    files.clear();
    if (!saved.isEmpty()) {
      files.addAll(List.of(saved.split("\n")));
    }
    String savedHeld = context.getString(HELD, "");
    heldParts.clear();
    if (!savedHeld.isEmpty()) {
      heldParts.addAll(List.of(savedHeld.split("\n")));
    }
    heldSent = false;
    progress.held.clear();
    rowsDone = context.getLong(ROWS_DONE, 0L);
    suppressedDone = context.getLong(SUPPRESSED, 0L);
    writtenDone = context.getLong(WRITTEN, 0L);
    unfitDone = context.getString(UNFIT, "{}");
    progress.suppressed = suppressedDone;
    written = writtenDone;
    run.policies.addUnfit(unfit(unfitDone));
    table = run.lakehouse.load(run.productTable);
    schema = ProductTables.writeSchema(table, run.pipeline);
    fileFactory = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET)
        .operationId("run-" + run.runKey.substring(0, 16)).build();
    // Rows go to Parquet as they are (no GenericRecord per row), with the table's write settings (row group and
    // dictionary sizes; zstd at level 1 as landing writes it); file column i comes from the product row's sources[i].
    List<String> names = run.policies.productColumns();
    int[] sources = new int[schema.columns().size()];
    java.util.Arrays.fill(sources, -1);
    for (int i = 0; i < names.size(); i++) {
      sources[schema.columns().indexOf(schema.findField(names.get(i)))] = i;
    }
    writers = new FlatWriterFactory<>(table, schema, type -> ArrayRowWriter.create(type, sources),
        FlatWriterFactory.fastZstd(table.properties()));
    rowsInFile = 0;
    leak = run.leakCheck();
    encoder = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "product-parquet-encoder");
      t.setDaemon(true);
      return t;
    });
  }

  /** The files a write step's context names under {@code key} ({@link #FILES}, {@link #HELD}). */
  static List<String> listed(ExecutionContext context, String key) {
    String saved = context.getString(key, "");
    return saved.isEmpty() ? List.of() : List.of(saved.split("\n"));
  }

  static Map<String, Long> unfit(String json) {
    try {
      return RunState.JSON.readValue(json, new TypeReference<Map<String, Long>>() { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void write(Chunk<? extends List<Object[]>> chunk) {
    List<Object[]> rows = new ArrayList<>();
    for (List<Object[]> item : chunk) {
      rows.addAll(item); // one item a chunk (TransformReader)
    }
    // the chunk's rows kept as held rows (few; none in most chunks)
    List<Object[]> suppressed = progress.held.isEmpty() ? List.of() : new ArrayList<>(progress.held);
    progress.held.clear();
    if (!rows.isEmpty() || !suppressed.isEmpty()) {
      while (inFlight.size() >= 2) {
        await(inFlight.removeFirst());
      }
      inFlight.addLast(encoder.submit(() -> encode(rows, suppressed)));
      rowsInFile += rows.size();
      written += rows.size();
      heldSent |= !suppressed.isEmpty();
    }
    if (rowsInFile >= run.settings.rowsPerFile() || progress.ended && (rowsInFile > 0 || heldSent)) {
      // The last file too is closed here, in its chunk: a failure to finish it (a full disk, an upload refused)
      // fails the step. Spring Batch records a step as completed before afterStep, and only logs what that throws:
      // closing it there lost the file's rows from the version without a word.
      closeFile();
    } else if (progress.ended) {
      checkpoint(); // the last rows were all suppressed: their count is the step's final state
    }
    run.progress.accept(progress.read);
  }

  /** On the encoder thread. */
  private void encode(List<Object[]> rows, List<Object[]> suppressed) {
    if (!suppressed.isEmpty()) {
      if (held == null) {
        var file = fileFactory.newOutputFile();
        heldLocation = file.encryptingOutputFile().location();
        held = writers.newDataWriter(file, table.spec(), null);
      }
      suppressed.forEach(held::write);
      leak.check(suppressed); // kept in the version's state: the same check as the product's rows
    }
    if (rows.isEmpty()) {
      return;
    }
    if (current == null) {
      var file = fileFactory.newOutputFile();
      currentLocation = file.encryptingOutputFile().location();
      current = writers.newDataWriter(file, table.spec(), null);
    }
    // The leak check takes the rows in parts (its filter probes in one loop each) right after they are written, while
    // they are still in this core's cache: a chunk's rows and their values are megabytes.
    for (int from = 0; from < rows.size(); from += CHECKED_AT_ONCE) {
      List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + CHECKED_AT_ONCE));
      for (Object[] row : part) {
        current.write(row);
      }
      leak.check(part);
    }
  }

  /** Closes and deletes an open file that is never committed ({@code writer}: null when none is open). */
  private void discard(DataWriter<Object[]> writer, String location) {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException | RuntimeException ignored) {
      // closing writes the last row group: on a full disk it fails, and the cut-off file is deleted all the same
    }
    try {
      table.io().deleteFile(location);
    } catch (RuntimeException ignored) {
      // an orphan file at worst; table maintenance removes those
    }
  }

  /** Closes the open file once everything sent is in it, and moves the checkpoint to the rows it covers. */
  private void closeFile() {
    drain();
    List<String> closed = await(encoder.submit(() -> {
      try {
        String path = null;
        if (current != null) {
          current.close();
          path = current.toDataFile().location();
          current = null;
        }
        String heldPath = null;
        if (held != null) {
          held.close();
          heldPath = held.toDataFile().location();
          held = null;
        }
        return java.util.Arrays.asList(path, heldPath);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot finish a product data file", e);
      }
    }));
    if (closed.get(0) != null) {
      files.add(closed.get(0));
      run.leakCheckedFiles.add(closed.get(0));
    }
    if (closed.get(1) != null) {
      heldParts.add(closed.get(1));
      run.leakCheckedFiles.add(closed.get(1));
    }
    rowsInFile = 0;
    heldSent = false;
    checkpoint();
  }

  private void drain() {
    while (!inFlight.isEmpty()) {
      await(inFlight.removeFirst());
    }
  }

  private static <T> T await(java.util.concurrent.Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the product", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("writing the product failed", e.getCause());
    }
  }

  private void checkpoint() {
    rowsDone = progress.read;
    suppressedDone = progress.suppressed;
    writtenDone = written;
    try {
      unfitDone = RunState.JSON.writeValueAsString(run.policies.unfitCounts());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void update(ExecutionContext context) {
    context.putString(FILES, String.join("\n", files));
    context.putString(HELD, String.join("\n", heldParts));
    context.putLong(ROWS_DONE, rowsDone);
    context.putLong(SUPPRESSED, suppressedDone);
    context.putLong(WRITTEN, writtenDone);
    context.putString(UNFIT, unfitDone);
  }

  /**
   * On success the final counts are saved (the step saves its context after this); every file is closed by then
   * ({@link #write}). Nothing here may fail the step: Spring Batch has recorded it completed and only logs an
   * exception from here, so a file still open would be a defect, said as a failed step rather than lost rows.
   */
  @Override
  public ExitStatus afterStep(StepExecution stepExecution) {
    if (stepExecution.getStatus() == org.springframework.batch.core.BatchStatus.COMPLETED) {
      if (rowsInFile > 0 || heldSent) {
        stepExecution.setStatus(org.springframework.batch.core.BatchStatus.FAILED);
        stepExecution.addFailureException(new IllegalStateException("the write step ended with a product file open ("
            + rowsInFile + " rows): not closed, so not published; run the same command again"));
        return ExitStatus.FAILED;
      }
      checkpoint();
      update(stepExecution.getExecutionContext());
    }
    return stepExecution.getExitStatus();
  }

  @Override
  public void close() {
    if (encoder == null) {
      return;
    }
    try {
      drain();
    } catch (RuntimeException ignored) {
      // the step has failed already; what matters now is that the open file is not left behind
    }
    try {
      await(encoder.submit(() -> {
        // Interrupted with a file open (or its closing failed, on a full disk say): its rows are written again on
        // restart; this file is never committed, and goes now (the held rows' file with it).
        discard(current, currentLocation);
        current = null;
        discard(held, heldLocation);
        held = null;
        return null;
      }));
    } finally {
      encoder.shutdownNow();
      encoder = null;
    }
  }
}
