package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: Argon2id (Bouncy Castle) in the PHC string format that other Argon2 implementations read and
 * write, {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (standard Base64 without padding). New hashes use
 * OWASP's minimum parameters (19 MiB, 2 passes, 1 lane); a stored hash is checked with its own parameters, within
 * bounds, so that a tampered row cannot make a check take gigabytes.
 */
public final class Passwords {
  public static final int MEMORY_KIB = 19 * 1024;
  public static final int ITERATIONS = 2;
  public static final int PARALLELISM = 1;
  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 1024;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int MAX_MEMORY_KIB = 256 * 1024;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,172})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  /** A new hash with a fresh salt; refuses passwords shorter than {@value #MIN_LENGTH} characters. */
  public static String hash(char[] password) {
    if (password == null || password.length < MIN_LENGTH || password.length > MAX_LENGTH) {
      throw new BadInputException("a password must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = argon2id(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    try {
      return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
          + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    } finally {
      Arrays.fill(hash, (byte) 0);
    }
  }

  /**
   * Whether the password gives the stored hash (compared in constant time).
   *
   * @throws IllegalArgumentException when {@code phc} is not an Argon2id PHC string within bounds
   */
  public static boolean matches(char[] password, String phc) {
    Matcher m = PHC.matcher(phc == null ? "" : phc);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an Argon2id (v=19) PHC string");
    }
    int memory = Integer.parseInt(m.group(1));
    int iterations = Integer.parseInt(m.group(2));
    int lanes = Integer.parseInt(m.group(3));
    if (lanes < 1 || lanes > 16 || iterations < 1 || iterations > 16 || memory < 8 * lanes || memory > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException("Argon2id parameters out of bounds");
    }
    byte[] salt = Base64.getDecoder().decode(m.group(4));
    byte[] expected = Base64.getDecoder().decode(m.group(5));
    if (salt.length < 8 || expected.length < 16) {
      throw new IllegalArgumentException("Argon2id salt or hash too short");
    }
    if (password == null || password.length > MAX_LENGTH) {
      return false;
    }
    byte[] actual = argon2id(password, salt, memory, iterations, lanes, expected.length);
    try {
      return MessageDigest.isEqual(actual, expected);
    } finally {
      Arrays.fill(actual, (byte) 0);
    }
  }

  private static byte[] argon2id(char[] password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(lanes)
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }
}
