package io.dataops.lakehouse.contract;

import io.dataops.core.digest.Digests;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.TableNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The contracts departments have registered, one file per dataset under {@code contracts/<department>/}. A
 * registered contract is stored exactly as submitted (its SHA-256 goes into every landing's lineage).
 */
public final class ContractRegistry {
  private final Path root;

  public ContractRegistry(Path root) {
    this.root = root;
  }

  /** A contract and where it came from. */
  public record Registered(String department, String dataset, FeedContract contract, Path file, String sha256) {}

  /** The contract a department may send beside a feed: {@code FILE.contract.yaml}. */
  public static Path sidecarOf(Path feed) {
    return feed.resolveSibling(feed.getFileName() + ".contract.yaml");
  }

  /**
   * Stores the contract for the department's dataset, recording its {@code contract.register} event through {@code
   * audit} once the copy is complete and before it takes its place: a contract is never in force without its event,
   * and one whose event cannot be recorded is not registered (the one before stays).
   */
  public Registered register(String department, String dataset, Path file, AuditSink audit) {
    FeedContract contract = ContractParser.parse(file);
    if (contract.department() != null && !contract.department().equals(department)) {
      throw new BadInputException(file.getFileName() + ": the contract names department '" + contract.department()
          + "', not '" + department + "'");
    }
    if (contract.dataset() != null && !contract.dataset().equals(dataset)) {
      throw new BadInputException(file.getFileName() + ": the contract names dataset '" + contract.dataset()
          + "', not '" + dataset + "'");
    }
    Path target = pathFor(department, dataset);
    // Datasets whose names differ only in '-' and '_' would share one table (its name writes '-' as '_').
    try {
      if (Files.isDirectory(target.getParent())) {
        try (Stream<Path> files = Files.list(target.getParent())) {
          for (Path f : files.toList()) {
            String other = datasetOf(f);
            if (other != null && !other.equals(dataset)
                && TableNames.ods(department, other).equals(TableNames.ods(department, dataset))) {
              throw new BadInputException("dataset '" + dataset + "' reads as the registered dataset '" + other
                  + "' of " + department + " (names that differ only in '-' and '_' share a table): register it as '"
                  + other + "'");
            }
          }
        }
      }
      OwnerOnly.directories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), SCRATCH, ".tmp"); // owner-only
      try {
        OwnerOnly.copy(file, tmp);
        audit.record(AuditEvent.ok("contract.register", List.of("contract:" + department + "/" + dataset),
            Map.of("sha256", sha256(tmp))));
        io.dataops.core.CommitPoint.reached("registration-recorded");
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp); // gone after the move; left only by a failure
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the contract under " + root, e);
    }
    return new Registered(department, dataset, contract, target, sha256(target));
  }

  /** What a stored contract's scratch copy is named by before it is moved in ({@code .contract*.tmp}). */
  private static final String SCRATCH = ".contract";

  /**
   * Completes the registration of the department's dataset that a process killed after recording its event (with the
   * stored bytes' {@code sha256}) and before moving its copy in: the copy holding those bytes takes its place. False
   * when no such copy is left.
   */
  public boolean finishInterrupted(String department, String dataset, String sha256) {
    Path target = pathFor(department, dataset);
    try {
      return io.dataops.core.files.InterruptedMoves.finish(target.getParent(), SCRATCH, sha256, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot complete the registration of the contract under " + root, e);
    }
  }

  /** Where the dataset's contract is stored, if it is, without reading it. */
  public Optional<Path> file(String department, String dataset) {
    Path file = pathFor(department, dataset);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  public Optional<Registered> find(String department, String dataset) {
    Path file = pathFor(department, dataset);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(new Registered(department, dataset, ContractParser.parse(file), file, sha256(file)));
  }

  public List<Registered> list() {
    List<Registered> all = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return all;
    }
    try (Stream<Path> departments = Files.list(root)) {
      for (Path dept : departments.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(dept)) {
          for (Path f : files.filter(p -> datasetOf(p) != null).sorted().toList()) {
            String dataset = datasetOf(f);
            all.add(new Registered(dept.getFileName().toString(), dataset, ContractParser.parse(f), f, sha256(f)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the contracts under " + root, e);
    }
    return all;
  }

  /** The dataset a stored contract file is of, by its name; null for any other file. */
  private static String datasetOf(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : null;
  }

  private static final String SUFFIX = ".contract.yaml";

  private Path pathFor(String department, String dataset) {
    // The table name's spelling keeps the folder names safe (no path separators, no '..').
    TableNames.ods(department, dataset);
    if (!department.matches("[a-z0-9][a-z0-9_-]*") || !dataset.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new BadInputException("department and dataset are lower-case letters, digits, '-' and '_'");
    }
    return root.resolve(department).resolve(dataset + SUFFIX);
  }

  public static String sha256(Path file) {
    return Digests.sha256(file);
  }
}
