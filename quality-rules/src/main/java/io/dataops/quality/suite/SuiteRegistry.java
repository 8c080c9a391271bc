package io.dataops.quality.suite;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The suite each department dataset is checked by after every feed: {@code suites/<department>/<dataset>.json}
 * (or {@code .yaml}), stored as submitted once it parses.
 */
public final class SuiteRegistry {
  private final Path root;

  public SuiteRegistry(Path root) {
    this.root = root;
  }

  public record Registered(String department, String dataset, Path file, ExpectationSuite suite) {}

  public Registered register(String department, String dataset, Path file) {
    ExpectationSuite suite = SuiteParser.parseDeferred(file);
    check(department, dataset);
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    String ext = name.endsWith(".yaml") || name.endsWith(".yml") ? ".yaml" : ".json";
    Path target = root.resolve(department).resolve(dataset + ext);
    try {
      OwnerOnly.directories(target.getParent());
      Files.deleteIfExists(root.resolve(department).resolve(dataset + (ext.equals(".json") ? ".yaml" : ".json")));
      Path tmp = Files.createTempFile(target.getParent(), ".suite", ".tmp"); // owner-only
      OwnerOnly.copy(file, tmp);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the suite under " + root, e);
    }
    return new Registered(department, dataset, target, suite);
  }

  public Optional<Registered> find(String department, String dataset) {
    check(department, dataset);
    for (String ext : new String[] {".json", ".yaml"}) {
      Path f = root.resolve(department).resolve(dataset + ext);
      if (Files.isRegularFile(f)) {
        return Optional.of(new Registered(department, dataset, f, SuiteParser.parseDeferred(f)));
      }
    }
    return Optional.empty();
  }

  private static void check(String department, String dataset) {
    if (!department.matches("[a-z0-9][a-z0-9_-]*") || !dataset.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new BadInputException("department and dataset are lower-case letters, digits, '-' and '_'");
    }
  }
}
