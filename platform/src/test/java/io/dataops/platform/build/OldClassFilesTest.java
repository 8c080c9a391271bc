package io.dataops.platform.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build step that gives picocli's Java 5 class files Java 6's version and frames, run on the real jar. */
class OldClassFilesTest {
  /** Loads and initializes every class of the jar (verifying each), then parses a command line and prints its help. */
  private static final String PROBE = String.join("\n",
      "import picocli.CommandLine;",
      "@CommandLine.Command(name = \"probe\", mixinStandardHelpOptions = true, description = \"checks the jar\")",
      "public class Probe implements Runnable {",
      "  @CommandLine.Option(names = \"--name\", description = \"a name\") String name;",
      "  @CommandLine.Parameters(description = \"numbers\") java.util.List<Integer> numbers;",
      "  public void run() { System.out.println(\"name \" + name + \" numbers \" + numbers); }",
      "  public static void main(String[] a) throws Exception {",
      "    int n = 0;",
      "    try (var zip = new java.util.zip.ZipFile(a[0])) {",
      "      for (var e : java.util.Collections.list(zip.entries())) {",
      "        String s = e.getName();",
      "        if (s.endsWith(\".class\") && !s.contains(\"-\")) {",
      "          Class.forName(s.substring(0, s.length() - 6).replace('/', '.'), true, Probe.class.getClassLoader());",
      "          n++;",
      "        }",
      "      }",
      "    }",
      "    System.out.println(\"loaded \" + n);",
      "    new CommandLine(new Probe()).execute(\"--name\", \"福田\", \"1\", \"22\");",
      "    new CommandLine(new Probe()).usage(System.out);",
      "    System.out.println(\"exit \" + new CommandLine(new Probe()).execute(\"--nope\"));",
      "  }",
      "}");

  @TempDir Path dir;

  @Test
  void everyClassGetsJavaSixWithFramesAndBehavesAsBeforeAndNothingElseChanges() throws Exception {
    Path original = Path.of(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = Files.createDirectories(dir.resolve("lib")).resolve(original.getFileName());
    Files.copy(original, jar);
    Map<String, byte[]> before = NativeLibraryFilesTest.contents(original);
    // every class but the module descriptor (META-INF/versions/9, Java 9's) is a Java 5 file
    List<String> classes = before.keySet().stream().filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
        .toList();
    assertThat(classes).as("picocli ships Java 5 class files").isNotEmpty()
        .allSatisfy(n -> assertThat(OldClassFiles.version(before.get(n))).isLessThan(OldClassFiles.JAVA_6));

    OldClassFiles.Result result = OldClassFiles.upgrade(jar);
    assertThat(result.upgraded()).isEqualTo(classes.size());
    assertThat(result.leftOld()).isEmpty();

    Map<String, byte[]> after = NativeLibraryFilesTest.contents(jar);
    assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(before.keySet());
    before.forEach((name, bytes) -> {
      if (classes.contains(name)) {
        assertThat(OldClassFiles.version(after.get(name))).as(name).isEqualTo(OldClassFiles.JAVA_6);
      } else {
        assertThat(after.get(name)).as(name).isEqualTo(bytes);
      }
    });
    long size = Files.size(jar);
    assertThat(OldClassFiles.upgrade(jar)).as("a second build finds nothing to do")
        .isEqualTo(new OldClassFiles.Result(0, List.of()));
    assertThat(Files.size(jar)).isEqualTo(size);

    // Real processes: every class verifies and initializes, the command line parses and prints its help as the
    // original jar does; recorded into a class-data archive, the upgraded classes are taken, the original ones not.
    Path probe = dir.resolve("Probe.java");
    Files.writeString(probe, PROBE);
    Run upgraded = probe(jar, probe, "upgraded");
    Run unchanged = probe(original, probe, "original");
    assertThat(upgraded.out()).contains("loaded " + classes.size(), "name 福田 numbers [1, 22]", "--name=<name>",
        "exit 2").isEqualTo(unchanged.out());
    assertThat(unchanged.cds()).as("the original classes are left out of the archive")
        .contains("Pre JDK 6 class not supported by CDS: 49.0 picocli/CommandLine\n");
    assertThat(upgraded.cds()).doesNotContain("picocli");
  }

  private record Run(String out, String cds) {}

  private Run probe(Path jar, Path probe, String name) throws Exception {
    Path log = dir.resolve(name + "-cds.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:ArchiveClassesAtExit=" + dir.resolve(name + ".jsa"), "-Xlog:disable", "-Xlog:cds=warning:file=" + log,
        "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-cp", jar.toString(), probe.toString(), jar.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return new Run(out, Files.exists(log) ? Files.readString(log) : "");
  }
}
