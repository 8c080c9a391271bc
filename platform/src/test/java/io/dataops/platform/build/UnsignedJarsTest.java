package io.dataops.platform.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build step that strips signatures from the runtime jars, run on the real signed Bouncy Castle jar. */
class UnsignedJarsTest {
  @TempDir Path dir;

  @Test
  void theSignedBouncyCastleJarKeepsEveryClassByteForByteAndStillComputesSm3() throws Exception {
    Path signed = Path.of(SM3Digest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = dir.resolve("bcprov.jar");
    Files.copy(signed, jar);
    assertThat(signatures(jar)).as("the jar the test starts from is signed").isPositive();

    assertThat(UnsignedJars.unsign(jar)).isTrue();

    assertThat(signatures(jar)).isZero();
    Map<String, byte[]> before = contents(signed);
    Map<String, byte[]> after = contents(jar);
    before.keySet().removeIf(UnsignedJars::isSignature);
    before.remove(JarFile.MANIFEST_NAME);
    after.remove(JarFile.MANIFEST_NAME);
    assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
    before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    try (JarFile original = new JarFile(signed.toFile()); JarFile unsigned = new JarFile(jar.toFile(), true)) {
      assertThat(unsigned.getManifest().getMainAttributes()).isEqualTo(original.getManifest().getMainAttributes());
      assertThat(unsigned.getManifest().getEntries()).isEmpty();
      assertThat(unsigned.isMultiRelease()).isEqualTo(original.isMultiRelease());
      JarEntry digest = unsigned.getJarEntry("org/bouncycastle/crypto/digests/SM3Digest.class");
      try (InputStream in = unsigned.getInputStream(digest)) {
        in.readAllBytes(); // code signers are known only once the entry has been read through
      }
      assertThat(digest.getCodeSigners()).isNull();
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      Class<?> sm3 = loader.loadClass("org.bouncycastle.crypto.digests.SM3Digest");
      assertThat(sm3.getProtectionDomain().getCodeSource().getCodeSigners()).isNull();
      Object d = sm3.getConstructor().newInstance();
      byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
      sm3.getMethod("update", byte[].class, int.class, int.class).invoke(d, abc, 0, abc.length);
      byte[] out = new byte[32];
      sm3.getMethod("doFinal", byte[].class, int.class).invoke(d, out, 0);
      // GB/T 32905-2016, example 1
      assertThat(HexFormat.of().formatHex(out))
          .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    byte[] once = Files.readAllBytes(jar);
    assertThat(UnsignedJars.unsign(jar)).as("a second build finds nothing to do").isFalse();
    assertThat(Files.readAllBytes(jar)).isEqualTo(once);
    assertThat(dir.resolve("bcprov.jar.part")).doesNotExist();
  }

  @Test
  void anUnsignedJarIsLeftUntouched() throws Exception {
    Path jar = dir.resolve("plain.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new ZipEntry("META-INF/notes/readme.SF")); // a look-alike in a subfolder is no signature
      out.write("text".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    FileTime time = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(jar, time);
    byte[] bytes = Files.readAllBytes(jar);

    assertThat(UnsignedJars.unsign(jar)).isFalse();

    assertThat(Files.readAllBytes(jar)).isEqualTo(bytes);
    assertThat(Files.getLastModifiedTime(jar)).isEqualTo(time);
  }

  @Test
  void signatureFilesAreThoseOfTheJarSpecificationOnly() {
    assertThat(UnsignedJars.isSignature("META-INF/BCRSA204.SF")).isTrue();
    assertThat(UnsignedJars.isSignature("META-INF/BCRSA204.RSA")).isTrue();
    assertThat(UnsignedJars.isSignature("meta-inf/key.dsa")).isTrue();
    assertThat(UnsignedJars.isSignature("META-INF/KEY.EC")).isTrue();
    assertThat(UnsignedJars.isSignature("META-INF/SIG-PGP")).isTrue();
    assertThat(UnsignedJars.isSignature("META-INF/MANIFEST.MF")).isFalse();
    assertThat(UnsignedJars.isSignature("META-INF/versions/9/X.SF")).isFalse();
    assertThat(UnsignedJars.isSignature("org/example/KEY.RSA")).isFalse();
    assertThat(UnsignedJars.isSignature("META-INF/LICENSE.md")).isFalse();
  }

  private static long signatures(Path jar) throws Exception {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().filter(e -> UnsignedJars.isSignature(e.getName())).count();
    }
  }

  private static Map<String, byte[]> contents(Path jar) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        try (InputStream in = zip.getInputStream(e)) {
          entries.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return entries;
  }
}
