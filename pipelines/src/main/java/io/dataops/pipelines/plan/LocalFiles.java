package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.StaleCopies;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.storage.ReadThroughCache;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.io.FileIO;

/**
 * Data file locations as DuckDB reads them: local paths. The one place that turns a table's file into what DuckDB
 * reads (the Spring Batch engine, quality's row queries): a local warehouse's file is read where it is; an object's
 * ({@code s3://}) is read from a local copy in the {@link ReadThroughCache} its FileIO's properties name, since DuckDB
 * reads object storage only through its httpfs extension, which cannot be installed here. (Handing DuckDB Arrow
 * streams read by Iceberg was measured slower: see the README's object storage figures.) Files that may hold raw
 * personal data where the inputs' cache must not keep them (a product not yet checked) are copied into a private
 * folder instead ({@link #privateCopies}).
 */
public final class LocalFiles {
  private final FileIO io;

  private LocalFiles(FileIO io) {
    this.io = io;
  }

  /** The resolver of the files that {@code io} (a table's, or the lakehouse's) names. */
  public static LocalFiles of(FileIO io) {
    return new LocalFiles(io);
  }

  /** Each location's local path, in the same order. */
  public List<String> paths(List<String> locations, String reader) {
    return locations.stream().map(l -> path(l, reader)).toList();
  }

  /**
   * The local path of a location as the table's FileIO names it ({@code file:/x}, {@code file:///x}, {@code /x}, or
   * {@code s3://bucket/key} through the cache); anything else is refused, naming {@code reader}.
   */
  public String path(String location, String reader) {
    if (ObjectStore.isObjectLocation(location)) {
      return ReadThroughCache.of(io.properties()).local(io, location).toString();
    }
    return localPath(location, reader);
  }

  /**
   * Each location's local path, in the same order, objects copied into {@code folder} (owner-only, emptied first of
   * what a killed process left there), not into the shared read-through cache: for files that may hold raw personal
   * data, such as product files the leak check has not passed yet. Closing the result deletes the copies and the
   * folder; nothing is created when every location is local.
   */
  public PrivateCopies privateCopies(List<String> locations, Path folder, String reader) throws IOException {
    if (locations.stream().noneMatch(ObjectStore::isObjectLocation)) {
      return new PrivateCopies(locations.stream().map(l -> localPath(l, reader)).toList(), null);
    }
    PrivateCopies.delete(folder);
    OwnerOnly.directories(folder);
    List<String> paths = new ArrayList<>();
    try {
      for (String location : locations) {
        if (!ObjectStore.isObjectLocation(location)) {
          paths.add(localPath(location, reader));
          continue;
        }
        Path local = folder.resolve(paths.size() + ".parquet");
        try (InputStream in = io.newInputFile(location).newStream()) {
          OwnerOnly.copy(in, local);
        }
        paths.add(local.toString());
      }
    } catch (IOException | RuntimeException e) {
      PrivateCopies.delete(folder);
      throw e;
    }
    return new PrivateCopies(List.copyOf(paths), folder);
  }

  /** Local paths of {@link #privateCopies}; {@code folder} is null when nothing was copied. */
  public record PrivateCopies(List<String> paths, Path folder) implements AutoCloseable {
    @Override
    public void close() {
      if (folder != null) {
        delete(folder);
      }
    }

    /** The folder and the copies in it (it holds no subfolders). */
    private static void delete(Path folder) {
      if (!Files.isDirectory(folder)) {
        return;
      }
      try (Stream<Path> copies = Files.list(folder)) {
        copies.forEach(StaleCopies::deleteQuietly);
      } catch (IOException e) {
        // what is left goes with the folder's parent (a run's folder)
      }
      StaleCopies.deleteQuietly(folder);
    }
  }

  /** The path of a local location; an object's is refused (its file is read through {@link #path}). */
  public static String localPath(String location, String reader) {
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location.startsWith("file:/") && !location.startsWith("file://")
          ? "file://" + location.substring("file:".length()) : location)).toString();
    }
    if (location.startsWith("/")) {
      return location;
    }
    throw new BadInputException(reader + " reads local files or s3:// objects; " + location + " is neither");
  }
}
