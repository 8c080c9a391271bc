package io.dataops.platform.config;

import io.dataops.core.files.OwnerOnly;
import io.dataops.pipelines.desensitize.ConfiguredKeyRing;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The secret keys that pseudonymization and format-preserving encryption use, by name. A key comes from the
 * environment ({@code DATAOPS_KEY_<NAME>}, name upper-cased with '-' as '_'), else from the keys file ({@code name =
 * hex}) that {@code keys.file} / {@code DATAOPS_KEYS_FILE} names. On the embedded default (no keys file configured)
 * the keys file is {@code <home>/secrets/keys.properties}, created on first use, owner-only, with a 256-bit
 * {@code default} key (HMAC) and a 128-bit {@code fpe} key (AES/SM4), so the demo runs with real keys that belong to
 * that home. Key material is never logged, printed or put in an exception message.
 */
public final class ConfiguredKeys extends ConfiguredKeyRing {
  public static final String ENV_PREFIX = ConfiguredKeyRing.ENV_PREFIX;

  private final boolean generated;

  private ConfiguredKeys(Map<String, String> env, Path file, boolean generated) {
    super(env, file, !generated);
    this.generated = generated;
  }

  /**
   * @param configuredFile the keys file the configuration names, or null for the home's own (generated) one
   */
  public static ConfiguredKeys of(Path home, Map<String, String> env, String configuredFile) {
    if (configuredFile != null) {
      return new ConfiguredKeys(env, Path.of(configuredFile), false);
    }
    return new ConfiguredKeys(env, home.resolve("secrets").resolve("keys.properties"), true);
  }

  /** The embedded home's keys file is made, with fresh keys, when it is first needed. */
  @Override
  protected void beforeFirstRead() {
    if (generated && !Files.exists(file())) {
      createDefaults();
    }
  }

  /** Writes fresh random keys, readable by the owner only; a concurrent creator wins and its keys are used. */
  private void createDefaults() {
    SecureRandom random = new SecureRandom();
    byte[] hmac = new byte[32];
    byte[] fpe = new byte[16];
    random.nextBytes(hmac);
    random.nextBytes(fpe);
    try {
      Path file = file();
      OwnerOnly.directories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "keys", ".tmp");
      try {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // not a POSIX file system: the folder's own protection applies
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
          w.write("# Secret keys of this home, generated on first use. Keep this file private and backed up:\n"
              + "# pseudonyms made with a key can only be matched, and encrypted values only decrypted, with it.\n"
              + "# default: HMAC key for pseudonymize; fpe: AES-128/SM4 key for format-preserving encryption.\n");
          w.write("default = " + HexFormat.of().formatHex(hmac) + "\n");
          w.write("fpe = " + HexFormat.of().formatHex(fpe) + "\n");
        }
        try {
          Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException someoneElse) {
          // another process created the keys first: use theirs
        } catch (UnsupportedOperationException noLinks) {
          Files.move(tmp, file);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the keys file " + file() + ": " + e.getClass().getSimpleName(), e);
    } finally {
      java.util.Arrays.fill(hmac, (byte) 0);
      java.util.Arrays.fill(fpe, (byte) 0);
    }
  }
}
