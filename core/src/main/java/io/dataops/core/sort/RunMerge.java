package io.dataops.core.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The k-way merge of sorted runs (in memory or spilled, see {@link SpillRuns}), pulled one record at a time: each
 * {@link #next} returns the source that holds the least record, which stays valid until the following call (the
 * source is advanced lazily, so its buffer is not overwritten under the caller). Equal records arrive adjacent;
 * combining them is the caller's (peek and take while equal). Closing closes every source.
 */
public final class RunMerge<S extends RunMerge.Source> implements AutoCloseable {
  /** One sorted run, read a record at a time into the source's own fields. */
  public interface Source {
    /** Loads the next record; false at the end of the run. */
    boolean advance() throws IOException;

    default void close() {}
  }

  private final PriorityQueue<S> heap;
  private final List<S> sources = new ArrayList<>();
  private S pending;

  /** A merge of {@code sources} by {@code order}; each is advanced to its first record here. */
  public RunMerge(List<? extends S> sources, Comparator<? super S> order) {
    this.heap = new PriorityQueue<>(Math.max(1, sources.size()), order);
    try {
      for (S s : sources) {
        this.sources.add(s);
        if (s.advance()) {
          heap.add(s);
        }
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? new UncheckedIOException("cannot read a spilled run", io)
          : (RuntimeException) e;
    }
  }

  /** The source holding the least record not yet returned, or null when every run is read. */
  public S next() {
    S least = peek();
    pending = heap.poll();
    return least;
  }

  /** The source {@link #next} would return, without taking it (for combining equal records). */
  public S peek() {
    if (pending != null) {
      try {
        if (pending.advance()) {
          heap.add(pending);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read a spilled run", e);
      }
      pending = null;
    }
    return heap.peek();
  }

  @Override
  public void close() {
    sources.forEach(Source::close);
    heap.clear();
    pending = null;
  }
}
