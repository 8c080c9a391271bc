package io.dataops.platform.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A build step (platform/pom.xml, before the class-data training run): rewrites the signed jars among the runtime
 * libraries without their signatures. The JVM verifies a signed jar's manifest and signature, and digests every
 * class it loads from it, at every start (Bouncy Castle's SM3, which every audited command loads, cost 0.23 s of
 * wall time that way), and the class-data archive cannot hold such classes. The signatures protect nothing here:
 * Maven checked the jars' checksums when it fetched them, and whoever can rewrite a jar in {@code lib/} can rewrite
 * the unsigned application jar beside it. Classes and resources are copied byte for byte; the manifest keeps its main
 * attributes (e.g. {@code Multi-Release}) and loses the per-entry digests the signature covered. Run again, it leaves
 * unsigned jars alone.
 */
public final class UnsignedJars {
  private UnsignedJars() {}

  /** {@code args[0]}: the folder of runtime jars (platform/target/lib). */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: UnsignedJars LIB_DIR");
    }
    List<String> rewritten = new ArrayList<>();
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
      for (Path jar : jars) {
        if (unsign(jar)) {
          rewritten.add(jar.getFileName().toString());
        }
      }
    }
    if (!rewritten.isEmpty()) {
      System.out.println("signatures removed from the runtime copies of " + String.join(", ", rewritten));
    }
  }

  /** Rewrites {@code jar} in place without its signature; false when it has none. */
  public static boolean unsign(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      if (zip.stream().noneMatch(e -> isSignature(e.getName()))) {
        return false;
      }
      Path part = jar.resolveSibling(jar.getFileName() + ".part");
      try (OutputStream file = Files.newOutputStream(part); ZipOutputStream out = new ZipOutputStream(file)) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
          ZipEntry entry = entries.nextElement();
          if (isSignature(entry.getName())) {
            continue;
          }
          ZipEntry copy = new ZipEntry(entry.getName());
          copy.setTime(entry.getTime());
          out.putNextEntry(copy);
          try (InputStream in = zip.getInputStream(entry)) {
            if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
              Manifest manifest = new Manifest(in);
              manifest.getEntries().clear(); // the per-entry digests only the signature used
              manifest.write(out);
            } else {
              in.transferTo(out);
            }
          }
          out.closeEntry();
        }
      }
      Files.move(part, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    }
  }

  /** A signature file of the jar specification: META-INF/*.SF, *.RSA, *.DSA, *.EC or SIG-* (not in a subfolder). */
  static boolean isSignature(String name) {
    if (!name.regionMatches(true, 0, "META-INF/", 0, 9) || name.indexOf('/', 9) >= 0) {
      return false;
    }
    String file = name.substring(9).toUpperCase(java.util.Locale.ROOT);
    return file.endsWith(".SF") || file.endsWith(".RSA") || file.endsWith(".DSA") || file.endsWith(".EC")
        || file.startsWith("SIG-");
  }
}
