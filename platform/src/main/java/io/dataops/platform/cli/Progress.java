package io.dataops.platform.cli;

import io.dataops.lakehouse.landing.ProgressListener;
import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (the launcher tells us) and never more
 * than five times a second.
 */
final class Progress implements ProgressListener, AutoCloseable {
  private final PrintStream err;
  private final String label;
  private final long started = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  private Progress(PrintStream err, String label) {
    this.err = err;
    this.label = label;
  }

  static ProgressListener on(PrintStream err, String label) {
    return "tty".equals(System.getProperty("dataops.progress")) ? new Progress(err, label) : ProgressListener.NONE;
  }

  static void finish(ProgressListener p) {
    if (p instanceof Progress bar) {
      bar.close();
    }
  }

  @Override
  public void progress(long done, long total, long rows) {
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double fraction = total > 0 ? Math.min(1.0, done / (double) total) : 0;
    int width = 30;
    int filled = (int) Math.round(fraction * width);
    double seconds = (now - started) / 1e9;
    err.printf("\r%s [%s%s] %3d%%  %,d rows  %,.0f rows/s ", label, "#".repeat(filled), " ".repeat(width - filled),
        Math.round(fraction * 100), rows, seconds > 0 ? rows / seconds : 0);
    err.flush();
    drawn = true;
  }

  @Override
  public void close() {
    if (drawn) {
      err.print("\r" + " ".repeat(90) + "\r");
      err.flush();
      drawn = false;
    }
  }
}
