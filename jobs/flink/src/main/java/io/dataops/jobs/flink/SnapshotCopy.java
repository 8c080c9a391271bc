package io.dataops.jobs.flink;

import io.dataops.lakehouse.catalog.Lakehouse;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest whole Flink job of the platform: a pinned, projected read of one table written, unchanged, into
 * uncommitted data files of another. The executor's jobs put the transform and the policies between the two ends;
 * publishing the files is the caller's ({@code PublishVersion.replaceWith(result.locations())}).
 */
public final class SnapshotCopy {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCopy.class);

  private final FlinkEngine engine;
  private final Lakehouse lakehouse;

  public SnapshotCopy(FlinkEngine engine, Lakehouse lakehouse) {
    this.engine = engine;
    this.lakehouse = lakehouse;
  }

  /** What a copy wrote: its files (in no particular order) and their rows. */
  public record Result(List<WrittenFile> files, long rows) {
    public Result {
      files = List.copyOf(files);
    }

    public List<String> locations() {
      return files.stream().map(WrittenFile::location).toList();
    }
  }

  /** Copies the read's rows into files of {@code target} written with {@code schema} (the read's columns' types). */
  public Result run(PinnedRead read, Table target, Schema schema, int parallelism) {
    StreamExecutionEnvironment env = engine.environment(parallelism);
    UncommittedWriter.Files files = UncommittedWriter.write(IcebergInput.read(env, lakehouse, read), target, schema);
    long start = System.nanoTime();
    List<WrittenFile> written = files.of(engine.execute(env,
        "copy " + read.table() + "@" + read.snapshotId() + " to " + target.name()));
    Result result = new Result(written, written.stream().mapToLong(WrittenFile::records).sum());
    LOG.info("{}: {} rows of {}@{} written to {} files of {} at parallelism {} in {} ms", engine, result.rows(),
        read.table(), read.snapshotId(), written.size(), target.name(), parallelism,
        (System.nanoTime() - start) / 1_000_000);
    return result;
  }
}
