package io.dataops.platform.config;

import ch.qos.logback.core.FileAppender;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The log file, created owner-only with its folder (logback would create them with the process's umask): a log may
 * name tables, files and people's actions. In a home this user cannot write, nothing is logged.
 */
public final class OwnerOnlyFileAppender<E> extends FileAppender<E> {
  @Override
  public void openFile(String fileName) throws IOException {
    Path file = Path.of(fileName).toAbsolutePath();
    OwnerOnly.directories(file.getParent());
    OwnerOnly.createFile(file);
    super.openFile(fileName);
  }
}
