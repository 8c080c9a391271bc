package io.dataops.jobs.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A local Flink job in its own JVM, for {@code LocalTempTest}: numbers exchanged between two tasks (a batch job's
 * blocking shuffle, written to files), then, with a marker path as argument, held after the exchange once the marker
 * is made (for the test to look and kill), else run to its end.
 */
public final class LocalTempChild {
  private LocalTempChild() {}

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = FlinkEngine.local().environment(2);
    env.fromSequence(1, 20_000).keyBy(new Modulo()).map(new Hold(args.length > 0 ? args[0] : null))
        .sinkTo(new DiscardingSink<>());
    FlinkEngine.local().execute(env, "local-temp");
  }

  static final class Modulo implements KeySelector<Long, Long> {
    @Override
    public Long getKey(Long value) {
      return value % 7;
    }
  }

  static final class Hold implements MapFunction<Long, Long> {
    private final String marker;

    Hold(String marker) {
      this.marker = marker;
    }

    @Override
    public Long map(Long value) throws Exception {
      if (marker != null) {
        try {
          Files.createFile(Path.of(marker));
        } catch (java.nio.file.FileAlreadyExistsException theOtherTask) {
          // made by the other subtask
        }
        Thread.sleep(Long.MAX_VALUE); // killed here
      }
      return value;
    }
  }
}
