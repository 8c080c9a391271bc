package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.storage.ReadThroughCache;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.io.FileIO;

/**
 * Data file locations as DuckDB reads them: local paths. The one place that turns a table's file into what DuckDB
 * reads (the Spring Batch engine, quality's row queries): a local warehouse's file is read where it is; an object's
 * ({@code s3://}) is read from a local copy in the {@link ReadThroughCache} its FileIO's properties name, since DuckDB
 * reads object storage only through its httpfs extension, which cannot be installed here. (Handing DuckDB Arrow
 * streams read by Iceberg was measured slower: see the README's object storage figures.)
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
