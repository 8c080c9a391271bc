package io.dataops.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A write failed because its device is full (or a disk quota is reached): neither bad input nor a defect of the
 * platform. The message is one line naming the device and what was being written; the command line prints it as it
 * is (exit status 1) and logs the details.
 */
public class StorageFullException extends RuntimeException {
  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when {@code failure} or one of its causes is the operating system's "no space left" or quota error. */
  public static boolean isCause(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      if (c instanceof IOException && m != null
          && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  /** The device a location is on, as "MOUNT POINT (DEVICE)" for a local path; else the location itself. */
  public static String deviceOf(String location) {
    try {
      URI uri = URI.create(location);
      Path path = uri.getScheme() == null ? Path.of(location) : "file".equals(uri.getScheme()) ? Path.of(uri) : null;
      while (path != null && !Files.exists(path)) {
        path = path.getParent();
      }
      return path == null ? location : Files.getFileStore(path).toString();
    } catch (IOException | RuntimeException e) {
      return location;
    }
  }
}
