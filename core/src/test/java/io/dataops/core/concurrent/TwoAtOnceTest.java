package io.dataops.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two pieces of work at once: both results in order, each on its own thread; a failure of either thrown as it was
 * (a checked one too), both failures kept; the second thread has ended whenever the call returns or throws.
 */
class TwoAtOnceTest {
  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  @Test
  void bothResultsInOrderEachOnItsOwnThread() throws Exception {
    Thread caller = Thread.currentThread();
    List<String> r = TwoAtOnce.<String, RuntimeException>run("two-at-once-test",
        () -> Thread.currentThread() == caller ? "here" : "wrong thread",
        () -> Thread.currentThread().getName());
    assertThat(r).containsExactly("here", "two-at-once-test");
    assertThat(threadAlive("two-at-once-test")).isFalse();
  }

  @Test
  void aFailureOfEitherIsThrownAsItWasOnceBothEnded() {
    IOException mine = new IOException("here failed");
    IOException theirs = new IOException("there failed");
    long[] slowEnded = new long[1];
    assertThatThrownBy(() -> TwoAtOnce.<String, IOException>run("two-at-once-test", () -> "fine", () -> {
      throw theirs;
    })).isSameAs(theirs);
    assertThatThrownBy(() -> TwoAtOnce.<String, Exception>run("two-at-once-test", () -> {
      throw mine;
    }, () -> {
      Thread.sleep(200); // still working when here fails: the call waits for it
      slowEnded[0] = System.nanoTime();
      return "late";
    })).isSameAs(mine);
    assertThat(slowEnded[0]).isPositive();
    assertThat(threadAlive("two-at-once-test")).isFalse();
    IllegalStateException unchecked = new IllegalStateException("there, unchecked");
    assertThatThrownBy(() -> TwoAtOnce.<String, IOException>run("two-at-once-test", () -> {
      throw mine;
    }, () -> {
      throw unchecked;
    })).isSameAs(mine).satisfies(e -> assertThat(e.getSuppressed()).contains(unchecked));
  }
}
