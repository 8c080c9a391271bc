package io.dataops.jobs.batch;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams the transform's rows into the write step. On a restart it skips the rows whose output is already in closed
 * files ({@link ProductFileWriter#ROWS_DONE}): the transform gives its rows in the same order every time.
 */
final class TransformReader implements ItemStreamReader<Object[]> {
  private final RunState run;
  private final WriteProgress progress;
  private DuckTransform transform;
  private boolean closed;

  TransformReader(RunState run, WriteProgress progress) {
    this.run = run;
    this.progress = progress;
  }

  @Override
  public void open(ExecutionContext context) {
    long skip = context.getLong(ProductFileWriter.ROWS_DONE, 0L);
    transform = new DuckTransform(run.plan, run.workDir.resolve("duck-write"),
        run.settings.duckMemoryLimit(), run.settings.duckThreads());
    transform.open(run.pipeline);
    for (long i = 0; i < skip; i++) {
      if (transform.next() == null) {
        throw new IllegalStateException("the transform gave fewer rows than the interrupted attempt had written ("
            + i + " < " + skip + "): the inputs changed under a pinned snapshot");
      }
    }
    progress.read = skip;
  }

  @Override
  public Object[] read() {
    Object[] row = transform.next();
    if (row != null) {
      progress.read++;
    }
    return row;
  }

  @Override
  public void close() {
    if (!closed && transform != null) {
      closed = true; // Spring may close a stream twice
      transform.close();
    }
  }
}
