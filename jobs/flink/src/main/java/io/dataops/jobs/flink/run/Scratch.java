package io.dataops.jobs.flink.run;

import io.dataops.core.files.ProcessScratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Local scratch folders of tasks and of the client. */
final class Scratch {
  private Scratch() {}

  /**
   * Removes the folders of the same run ({@code <name>-<pid>}, this one's siblings) that processes now gone left
   * behind: a killed client's spill files.
   */
  static void deleteDeadSiblings(Path dir) {
    String name = dir.getFileName().toString();
    String prefix = name.substring(0, name.lastIndexOf('-') + 1);
    if (prefix.isEmpty() || !Files.isDirectory(dir.getParent())) {
      return;
    }
    try (Stream<Path> siblings = Files.list(dir.getParent())) {
      siblings.filter(s -> s.getFileName().toString().startsWith(prefix) && !s.equals(dir)
              && ProcessScratch.gone(s.getFileName().toString().substring(prefix.length())))
          .forEach(ProcessScratch::deleteTree);
    } catch (IOException ignored) {
      // scratch space
    }
  }
}
