package io.dataops.jobs.flink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The jar a job is submitted to a cluster with: the classes of this package and nothing else. Flink, Iceberg, the
 * JDBC drivers and the platform's own modules are on the cluster's class path: Iceberg's static worker pools and a
 * JDBC driver registered from a job's class loader would pin that loader (and its metaspace) after the job ended.
 * Built from wherever this class was loaded (the build's classes folder, or a jar holding them), with fixed entry
 * times, so the same classes make the same bytes.
 */
public final class JobJar {
  /** The entries of a job jar start with this. */
  public static final String PACKAGE = JobJar.class.getPackageName().replace('.', '/') + "/";
  private static final long FIXED_TIME = 315_532_800_000L; // 1980-01-01, the earliest time a zip entry holds

  private JobJar() {}

  /** Writes the job jar to {@code target} and returns it. */
  public static Path write(Path target) {
    TreeMap<String, byte[]> classes = new TreeMap<>();
    try {
      Path source = Path.of(JobJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(source)) {
        fromFolder(source, classes);
      } else {
        fromJar(source, classes);
      }
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
      Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "job", ".jar.tmp");
      try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out)) {
        JarEntry m = new JarEntry(JarFile.MANIFEST_NAME);
        m.setTime(FIXED_TIME);
        jar.putNextEntry(m);
        manifest.write(jar);
        for (var e : classes.entrySet()) {
          JarEntry entry = new JarEntry(e.getKey());
          entry.setTime(FIXED_TIME);
          jar.putNextEntry(entry);
          jar.write(e.getValue());
        }
      }
      return Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the job jar " + target, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of a jar's entries, in order. */
  public static List<String> entries(Path jar) {
    List<String> names = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      f.stream().forEach(e -> names.add(e.getName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static void fromFolder(Path root, TreeMap<String, byte[]> classes) throws IOException {
    Path dir = root.resolve(PACKAGE);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        classes.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
  }

  private static void fromJar(Path source, TreeMap<String, byte[]> classes) throws IOException {
    try (JarFile jar = new JarFile(source.toFile())) {
      Enumeration<JarEntry> all = jar.entries();
      while (all.hasMoreElements()) {
        JarEntry e = all.nextElement();
        if (!e.isDirectory() && e.getName().startsWith(PACKAGE)) {
          try (InputStream in = jar.getInputStream(e)) {
            classes.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
  }
}
