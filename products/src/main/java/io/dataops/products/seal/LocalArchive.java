package io.dataops.products.seal;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.core.files.OwnerOnly;
import io.dataops.products.registry.ProductVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Archives in a folder of the home: {@code archive/<product>/v<N>/}, files 0400 and folders 0500. The copy is made in
 * a scratch folder and renamed into place whole, so an interrupted seal never leaves half an archive under its name.
 */
public record LocalArchive(Path root) implements ArchiveStore {
  public static final String IMMUTABILITY = "none: a local archive of read-only files (0400, folders 0500), verified"
      + " by digest";

  @Override
  public String locationOf(String product, int version) {
    return root.resolve(product).resolve(ProductVersion.tagOf(version)).toString();
  }

  @Override
  public String anchorsLocation() {
    return root.resolve("_audit-checkpoints").toString();
  }

  @Override
  public String immutability() {
    return IMMUTABILITY;
  }

  @Override
  public List<String> list(String archive) {
    Path dir = Path.of(archive);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the archive " + archive, e);
    }
  }

  @Override
  public InputStream open(String archive, String name) throws IOException {
    return Files.newInputStream(inside(archive, name));
  }

  @Override
  public boolean exists(String archive, String name) {
    return Files.isRegularFile(inside(archive, name));
  }

  private static Path inside(String archive, String name) {
    Path dir = Path.of(archive);
    Path p = dir.resolve(name).normalize();
    if (!p.startsWith(dir)) {
      throw new IllegalStateException("a file name leaves the archive folder: " + name);
    }
    return p;
  }

  @Override
  public void write(String archive, List<Entry> files, byte[] manifest, DigestAlgorithm algorithm)
      throws IOException {
    Path target = Path.of(archive);
    if (Files.exists(target)) {
      throw new IllegalStateException("the archive " + archive + " exists: it is not overwritten");
    }
    OwnerOnly.directories(target.getParent());
    Path scratch = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-",
        PosixFilePermissions.asFileAttribute(OwnerOnly.FOLDER));
    try {
      for (Entry f : files) {
        Path copy = inside(scratch.toString(), f.name());
        OwnerOnly.directories(copy.getParent());
        try (InputStream in = f.content().open()) {
          OwnerOnly.copy(in, copy);
        }
        if (!Digests.hex(algorithm, copy).equals(f.digest())) {
          throw new IllegalStateException("the archive copy of " + f.name() + " differs from the file it copies");
        }
      }
      OwnerOnly.write(scratch.resolve(SealManifest.FILE_NAME), manifest);
      readOnly(scratch);
      Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteTree(scratch);
      throw e;
    }
  }

  @Override
  public void discardIncomplete(String archive) throws IOException {
    deleteTree(Path.of(archive));
  }

  @Override
  public void remove(String archive) throws IOException {
    deleteTree(Path.of(archive));
    for (Path scratch : scratches(archive)) {
      deleteTree(scratch);
    }
  }

  @Override
  public List<String> left(String archive) {
    List<String> left = new ArrayList<>(list(archive));
    if (left.isEmpty() && Files.exists(Path.of(archive))) {
      left.add("(the folder " + archive + ")");
    }
    for (Path scratch : scratches(archive)) {
      left.add("(the copy an interrupted seal left: " + scratch + ")");
    }
    return left;
  }

  /**
   * The scratch folders of seals of this archive that were killed before their rename ({@code .v1.partial-*} beside
   * {@code v1}): whole copies of the version's files, which a destruction removes with the archive (found by a probe:
   * one survived a seal killed mid-copy, then a second seal and the destruction, its post-check passing).
   */
  private static List<Path> scratches(String archive) {
    Path target = Path.of(archive);
    Path parent = target.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return List.of();
    }
    String prefix = "." + target.getFileName() + ".partial-";
    try (Stream<Path> siblings = Files.list(parent)) {
      return siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent, e);
    }
  }

  /** Files 0400 and folders 0500: an archive is not changed in place. */
  static void readOnly(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-x------"
          : "r--------"));
    }
  }

  /** Removes a folder tree, read-only parts included. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(all::add);
    }
    for (Path p : all) {
      if (Files.isDirectory(p)) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
      }
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
