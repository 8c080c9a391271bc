package io.dataops.jobs.flink.run;

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
      siblings.filter(s -> s.getFileName().toString().startsWith(prefix) && !s.equals(dir)).forEach(s -> {
        try {
          long pid = Long.parseLong(s.getFileName().toString().substring(prefix.length()));
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return;
          }
        } catch (NumberFormatException notOurs) {
          return;
        }
        deleteTree(s);
      });
    } catch (IOException ignored) {
      // scratch space
    }
  }

  static void deleteTree(Path dir) {
    io.dataops.core.files.ProcessScratch.deleteTree(dir); // a folder already gone: nothing to do
  }
}
