package io.dataops.pipelines.desensitize;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Keys as configuration gives them: {@code DATAOPS_KEY_<NAME>} in the environment (name upper-cased, '-' as '_'),
 * else the keys file ({@code name = hex}). Only reads: the platform's embedded home generates its keys file before
 * (see the platform's ConfiguredKeys), and a parallel task of an engine reads the same file or environment on its own
 * machine, so no key travels with a job. Key material is never logged, printed or put in a message.
 */
public class ConfiguredKeyRing implements KeyRing {
  public static final String ENV_PREFIX = "DATAOPS_KEY_";
  private static final Pattern HEX = Pattern.compile("(?i)[0-9a-f]+");

  private final Map<String, String> env;
  private final Path file;
  private final boolean fileRequired;
  private Properties fromFile;

  /**
   * @param file the keys file, or null for the environment only
   * @param fileRequired whether a missing file is refused (a configured one) or read as empty (one not made yet)
   */
  public ConfiguredKeyRing(Map<String, String> env, Path file, boolean fileRequired) {
    this.env = Map.copyOf(env);
    this.file = file;
    this.fileRequired = fileRequired;
  }

  /** The keys file read after the environment (null: none). */
  public Path file() {
    return file;
  }

  @Override
  public byte[] key(String id) {
    String envName = ENV_PREFIX + id.toUpperCase(Locale.ROOT).replace('-', '_');
    String hex = env.get(envName);
    String where = "environment variable " + envName;
    if ((hex == null || hex.isBlank()) && file != null) {
      hex = fileKeys().getProperty(id);
      where = "keys file " + file + " (entry '" + id + "')";
    }
    if (hex == null || hex.isBlank()) {
      throw new PolicyException("no key '" + id + "': set " + envName + " to its hex value"
          + (file == null ? "" : " or add '" + id + " = HEX' to the keys file " + file));
    }
    hex = hex.strip();
    if (!HEX.matcher(hex).matches() || hex.length() % 2 != 0 || hex.length() < 32) {
      throw new PolicyException("the key '" + id + "' in the " + where + " is not a hex string of at least 16 bytes");
    }
    return HexFormat.of().parseHex(hex);
  }

  /** Called once before the keys file is first read (the embedded home creates its keys there). */
  protected void beforeFirstRead() {}

  /**
   * A keys file others may read or change is refused, whoever made it (a probe's chmod 644 let every local user match
   * pseudonyms and decrypt): the home's generated one, one that {@code keys.file} names, and the one a Flink task reads.
   */
  private void refuseIfOthersMayUse() {
    try {
      OwnerOnly.modeOpenToOthers(file).ifPresent(mode -> {
        throw new BadInputException("the keys file " + file + " may be read or changed by other users (" + mode
            + "): with its keys they could match this home's pseudonyms and decrypt its encrypted values; make it "
            + "owner-only (chmod 600 " + file + ")");
      });
    } catch (IOException e) {
      throw new BadInputException("cannot read the permissions of the keys file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private synchronized Properties fileKeys() {
    if (fromFile == null) {
      beforeFirstRead();
      Properties p = new Properties();
      if (Files.isRegularFile(file)) {
        refuseIfOthersMayUse();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(r);
        } catch (IOException e) {
          throw new BadInputException("cannot read the keys file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
      } else if (fileRequired) {
        throw new BadInputException("the keys file " + file + " named by keys.file does not exist");
      }
      fromFile = p;
    }
    return fromFile;
  }
}
