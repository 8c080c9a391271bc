package io.dataops.jobs.batch;

import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams the transform's rows into the write step, a chunk's rows ({@link RunSettings#chunkSize}) as one item: the
 * step's chunk is one item, so Spring Batch's per-item machinery (listeners, observations, the chunk's lists) runs
 * once a chunk instead of once a row, and commits and checkpoints come at the same rows as before. On a restart it
 * skips the rows whose output is already in closed files ({@link ProductFileWriter#ROWS_DONE}): the transform gives
 * its rows in the same order every time, the order of the run's {@link RowOrder} key, made at the step's first start
 * and kept in its context.
 */
final class TransformReader implements ItemStreamReader<List<Object[]>> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TransformReader.class);
  private final RunState run;
  private final WriteProgress progress;
  private DuckTransform transform;
  /** The row after the last chunk's, read to learn whether that chunk was the last. */
  private Object[] ahead;
  private boolean closed;
  private RowOrder order;

  TransformReader(RunState run, WriteProgress progress) {
    this.run = run;
    this.progress = progress;
  }

  @Override
  public void open(ExecutionContext context) {
    long skip = context.getLong(ProductFileWriter.ROWS_DONE, 0L);
    String saved = context.getString(RowOrder.CONTEXT_KEY, null);
    if (saved != null) {
      order = RowOrder.fromSaved(saved);
    } else if (skip > 0) {
      // An attempt of a version before row order keys wrote these rows in its order: the run goes on in that order.
      LOG.warn("this run was interrupted before an upgrade: it goes on writing its product in the input's row order");
      order = RowOrder.INPUT;
    } else {
      order = RowOrder.random();
    }
    context.putString(RowOrder.CONTEXT_KEY, order.saved());
    transform = new DuckTransform(run.plan, run.workDir.resolve("duck-write"),
        run.settings.duckMemoryLimit(), run.settings.duckThreads());
    transform.open(run.pipeline, order);
    for (long i = 0; i < skip; i++) {
      if (transform.next() == null) {
        throw new IllegalStateException("the transform gave fewer rows than the interrupted attempt had written ("
            + i + " < " + skip + "): the inputs changed under a pinned snapshot");
      }
    }
    progress.read = skip;
    progress.ended = false;
    ahead = null;
  }

  /**
   * The next chunk's rows (at most {@link RunSettings#chunkSize}), or null at the end. Reads one row ahead, so that
   * the chunk that holds the last rows says so ({@link WriteProgress#ended}): the writer closes the last file inside
   * that chunk, where a failure fails the step, not after it.
   */
  @Override
  public List<Object[]> read() {
    int size = run.settings.chunkSize();
    List<Object[]> rows = new ArrayList<>(size);
    if (ahead != null) {
      rows.add(ahead);
      ahead = null;
    }
    for (Object[] row; rows.size() < size && (row = transform.next()) != null; ) {
      rows.add(row);
    }
    ahead = rows.size() < size ? null : transform.next();
    progress.ended = ahead == null;
    progress.read += rows.size();
    return rows.isEmpty() ? null : rows;
  }

  @Override
  public void update(ExecutionContext context) {
    context.putString(RowOrder.CONTEXT_KEY, order.saved());
  }

  @Override
  public void close() {
    if (!closed && transform != null) {
      closed = true; // Spring may close a stream twice
      transform.close();
    }
  }
}
