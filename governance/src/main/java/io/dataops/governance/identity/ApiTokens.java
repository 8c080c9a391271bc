package io.dataops.governance.identity;

import io.dataops.core.digest.Digests;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * API tokens: {@code dop_} and 32 random bytes in Base64url (43 characters). The first {@value #ID_LENGTH}
 * characters after the prefix are the token's id (stored in clear, to find the token and to name it in lists and
 * revocations); the database keeps only the SHA-256 of the whole text, so a copy of the database gives no token.
 */
final class ApiTokens {
  static final String PREFIX = "dop_";
  static final int ID_LENGTH = 8;
  private static final Pattern FORMAT = Pattern.compile("dop_[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  /**
   * A new token whose id does not begin with {@code -}: an id is typed as a command's argument ({@code user token
   * revoke ID}), and one beginning with {@code -} is read as options ({@code -h...} printed the help and revoked
   * nothing). Drawing again costs under 0.03 bits of the 256.
   */
  static String generate() {
    byte[] secret = new byte[32];
    String text;
    do {
      RANDOM.nextBytes(secret);
      text = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    } while (text.charAt(0) == '-');
    return PREFIX + text;
  }

  static boolean wellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  static String id(String token) {
    return token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
  }

  static String digest(String token) {
    return Digests.sha256(token);
  }

  /** What a message says about a token: its id only. */
  static String describe(String id) {
    return PREFIX + id + "…";
  }
}
