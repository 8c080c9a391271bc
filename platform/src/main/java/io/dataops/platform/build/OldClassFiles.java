package io.dataops.platform.build;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A build step (platform/pom.xml, before the class-data training run): gives the class files of a runtime jar that
 * are older than Java 6 (picocli's 228 classes are Java 5 files) Java 6's version and the stack map frames it
 * verifies with. The class-data archive leaves pre-Java 6 classes out, so every command loaded picocli from its jar:
 * it searched the class path (opening jars), parsed and verified each class with the old inference verifier
 * (0.1-0.2 s of CPU a command). Nothing else changes: the same instructions and attributes (the constant pool is
 * written anew), so the classes behave as before; ASM computes the frames from the code and the jar's own class
 * hierarchy. A class ASM cannot give frames (one using {@code jsr}) is left as it was, and so is every other entry of
 * the jar (Java's zip file system copies them as they are stored). Run again, it finds nothing to do.
 */
public final class OldClassFiles {
  /** Java 6: the first class file version with stack map frames, the oldest the archive takes. */
  static final int JAVA_6 = Opcodes.V1_6;

  private OldClassFiles() {}

  /**
   * {@code args[0]}: the folder of runtime jars (platform/target/lib); the others: globs of the jars to upgrade. Only
   * jars whose old classes the commands load are named (the training run's archive log names picocli's alone): other
   * jars' old classes (Hadoop's shaded ones, Commons Math) stay as they were shipped.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: OldClassFiles LIB_DIR JAR_GLOB...");
    }
    for (int i = 1; i < args.length; i++) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), args[i])) {
        for (Path jar : jars) {
          Result r = upgrade(jar);
          if (r.upgraded() > 0 || !r.leftOld().isEmpty()) {
            System.out.println(jar.getFileName() + ": " + r.upgraded() + " class files given Java 6's version and "
                + "frames" + (r.leftOld().isEmpty() ? "" : "; left old: " + String.join(", ", r.leftOld())));
          }
        }
      }
    }
  }

  /** How many class files were upgraded, and those that could not be. */
  public record Result(int upgraded, List<String> leftOld) {}

  /** Upgrades {@code jar}'s pre-Java 6 class files in place; a jar without any is not touched. */
  public static Result upgrade(Path jar) throws IOException {
    List<String> old = new ArrayList<>();
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of());
        Stream<Path> entries = Files.walk(fs.getPath("/"))) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (p.toString().endsWith(".class") && Files.isRegularFile(p) && version(Files.readAllBytes(p)) < JAVA_6) {
          old.add(p.toString());
        }
      }
    }
    if (old.isEmpty()) {
      return new Result(0, List.of());
    }
    int upgraded = 0;
    List<String> leftOld = new ArrayList<>();
    // the frames need the common superclass of two of the jar's types: loaded from the jar itself, never run
    try (URLClassLoader hierarchy = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      // Java's zip file system rewrites the jar on close
      try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
        for (String name : old) {
          Path p = fs.getPath(name);
          try {
            Files.write(p, withFrames(Files.readAllBytes(p), hierarchy));
            upgraded++;
          } catch (RuntimeException e) {
            leftOld.add(name.substring(1) + " (" + e.getMessage() + ")");
          }
        }
      }
    }
    return new Result(upgraded, leftOld);
  }

  /** The class file's major version. */
  static int version(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  /** The class at Java 6's version, its frames computed. */
  static byte[] withFrames(byte[] classFile, ClassLoader hierarchy) {
    ClassWriter out = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected ClassLoader getClassLoader() {
        return hierarchy;
      }
    };
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, out) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        super.visit(JAVA_6, access, name, signature, superName, interfaces);
      }
    }, 0);
    return out.toByteArray();
  }
}
