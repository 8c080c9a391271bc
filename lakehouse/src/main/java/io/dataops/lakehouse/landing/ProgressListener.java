package io.dataops.lakehouse.landing;

/** Told how far a long operation has come; called from one thread, often, so it must be cheap. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (done, total, rows) -> { };

  void progress(long bytesDone, long bytesTotal, long rows);
}
