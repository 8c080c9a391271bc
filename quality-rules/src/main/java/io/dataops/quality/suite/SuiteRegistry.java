package io.dataops.quality.suite;

import io.dataops.core.BadInputException;
import io.dataops.core.CommitPoint;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.Digests;
import io.dataops.core.files.InterruptedMoves;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.TableNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
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

  /**
   * Stores the suite for the department's dataset, recording its {@code quality.suite.register} event through {@code
   * audit} once the copy is complete and before it takes its place: a suite is never in force without its event, and
   * one whose event cannot be recorded is not registered (the one before stays).
   */
  public Registered register(String department, String dataset, Path file, AuditSink audit) {
    ExpectationSuite suite = SuiteParser.parseDeferred(file);
    if (suite.expectations().isEmpty()) {
      // Found by a probe: a registered suite without expectations passed every feed, and each report said "passed".
      throw new io.dataops.core.BadInputException(file + ": the suite " + suite.name() + " has no expectations, so "
          + "every feed would pass it: a registered suite checks something (quality run --suite runs any suite)");
    }
    check(department, dataset);
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    String ext = name.endsWith(".yaml") || name.endsWith(".yml") ? ".yaml" : ".json";
    Path target = root.resolve(department).resolve(dataset + ext);
    try {
      OwnerOnly.directories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), SCRATCH, ".tmp"); // owner-only
      try {
        OwnerOnly.copy(file, tmp);
        // The stored bytes' digest: what the platform compares the file with before it checks a feed by it.
        audit.record(AuditEvent.ok("quality.suite.register", List.of("table:" + TableNames.ods(department, dataset)),
            Map.of("suite", suite.name(), "sha256", Digests.sha256(tmp), "file", root.relativize(target).toString())));
        CommitPoint.reached("registration-recorded");
        moveIn(tmp, target);
      } finally {
        Files.deleteIfExists(tmp); // gone after the move; left only by a failure
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the suite under " + root, e);
    }
    return new Registered(department, dataset, target, suite);
  }

  /** What a stored suite's scratch copy is named by before it is moved in ({@code .suite*.tmp}). */
  private static final String SCRATCH = ".suite";

  /** Moves a stored copy to {@code target}, removing the dataset's suite of the other format first. */
  private static void moveIn(Path copy, Path target) throws IOException {
    String name = target.getFileName().toString();
    String other = name.endsWith(".json") ? name.replaceFirst("\\.json$", ".yaml")
        : name.replaceFirst("\\.yaml$", ".json");
    Files.deleteIfExists(target.resolveSibling(other));
    Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Completes the registration of the department's dataset that a process killed after recording its event (with the
   * stored bytes' {@code sha256} and the {@code file} it names, relative to the registry) and before moving its copy
   * in: the copy holding those bytes goes where {@link #register} would have put it. False when no such copy is left
   * (or the event names a file that is not the dataset's suite).
   */
  public boolean finishInterrupted(String department, String dataset, String file, String sha256) {
    check(department, dataset);
    Path target = file == null ? null : root.resolve(file).normalize();
    if (target == null || !(target.equals(root.resolve(department).resolve(dataset + ".json"))
        || target.equals(root.resolve(department).resolve(dataset + ".yaml")))) {
      return false;
    }
    try {
      Optional<Path> copy = InterruptedMoves.find(target.getParent(), SCRATCH, sha256);
      if (copy.isEmpty()) {
        return false;
      }
      moveIn(copy.get(), target);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot complete the registration of the suite under " + root, e);
    }
  }

  /**
   * The dataset's stored suite, read. One stored before the parser refused what it holds (two expectations with one
   * id, say) is refused naming the stored file and how the department mends it: it checks nothing until then.
   */
  public Optional<Registered> find(String department, String dataset) {
    return file(department, dataset).map(f -> {
      try {
        return new Registered(department, dataset, f, SuiteParser.parseDeferred(f));
      } catch (SuiteException e) {
        throw new SuiteException(f.toString(), e.line(), e.problem() + "; the suite registered for " + department
            + "/" + dataset + " is refused until the department registers a corrected one (dataops quality suite "
            + "register --department " + department + " --dataset " + dataset + " --file SUITE)");
      }
    });
  }

  /** Where the dataset's suite is stored, if it is, without reading it. */
  public Optional<Path> file(String department, String dataset) {
    check(department, dataset);
    for (String ext : new String[] {".json", ".yaml"}) {
      Path f = root.resolve(department).resolve(dataset + ext);
      if (Files.isRegularFile(f)) {
        return Optional.of(f);
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
