package io.dataops.lakehouse.landing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * The FileIO a landing worker writes its files through: it remembers every file created and the stream open on
 * it, so that a failed landing (a full disk, say) can close and delete all of them, a file cut off midway included.
 * Closing matters: a deleted file that is still open keeps its space until the process ends. One worker's.
 */
final class WrittenFiles implements FileIO {
  private final FileIO io;
  private final List<String> locations = new ArrayList<>();
  private final List<PositionOutputStream> streams = new ArrayList<>();

  WrittenFiles(FileIO io) {
    this.io = io;
  }

  @Override
  public InputFile newInputFile(String path) {
    return io.newInputFile(path);
  }

  @Override
  public OutputFile newOutputFile(String path) {
    OutputFile file = io.newOutputFile(path);
    return new OutputFile() {
      @Override
      public PositionOutputStream create() {
        locations.add(path);
        return opened(file.create());
      }

      @Override
      public PositionOutputStream createOrOverwrite() {
        locations.add(path);
        return opened(file.createOrOverwrite());
      }

      @Override
      public String location() {
        return file.location();
      }

      @Override
      public InputFile toInputFile() {
        return file.toInputFile();
      }
    };
  }

  private PositionOutputStream opened(PositionOutputStream stream) {
    streams.add(stream);
    return stream;
  }

  @Override
  public void deleteFile(String path) {
    io.deleteFile(path);
  }

  @Override
  public Map<String, String> properties() {
    return io.properties();
  }

  /** Closes every stream still open and deletes every file created, quietly: the landing reports the first error. */
  void deleteAll() {
    for (PositionOutputStream s : streams) {
      try {
        s.close(); // a stream on a full disk fails to flush but still releases its file
      } catch (IOException | RuntimeException | FSError ignored) {
        // closed as far as it goes
      }
    }
    for (String location : locations) {
      try {
        io.deleteFile(location);
      } catch (RuntimeException ignored) {
        // an orphan: never committed, so never visible; table maintenance removes it
      }
    }
  }
}
