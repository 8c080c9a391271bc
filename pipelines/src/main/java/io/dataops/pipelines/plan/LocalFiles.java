package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Data file locations as DuckDB reads them: local paths. DuckDB reads s3:// only through its httpfs extension, which
 * cannot be installed here, so every DuckDB reader (the Spring Batch engine, quality's row queries) goes through this.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * The local path of a location as the table's FileIO names it ({@code file:/x}, {@code file:///x} or {@code /x});
   * anything else is refused, naming {@code reader} (e.g. "the Spring Batch engine").
   */
  public static String path(String location, String reader) {
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location.startsWith("file:/") && !location.startsWith("file://")
          ? "file://" + location.substring("file:".length()) : location)).toString();
    }
    if (location.startsWith("/")) {
      return location;
    }
    throw new BadInputException(reader + " reads a local warehouse; " + location + " is not local "
        + "(object storage comes with the storage issue)");
  }
}
