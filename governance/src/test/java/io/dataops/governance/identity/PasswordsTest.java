package io.dataops.governance.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import org.junit.jupiter.api.Test;

class PasswordsTest {
  // Known answers of the Argon2 reference implementation (phc-winner-argon2, src/test.c): "password", salt "somesalt".
  private static final String REFERENCE_256K =
      "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
  private static final String REFERENCE_64M =
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

  @Test
  void hashesOfTheReferenceImplementationVerify() {
    assertThat(Passwords.matches("password".toCharArray(), REFERENCE_256K)).isTrue();
    assertThat(Passwords.matches("password".toCharArray(), REFERENCE_64M)).isTrue();
    assertThat(Passwords.matches("passwore".toCharArray(), REFERENCE_256K)).isFalse();
    assertThat(Passwords.matches("password".toCharArray(), REFERENCE_256K.replace("t=2", "t=3"))).isFalse();
  }

  @Test
  void newHashesUseOwaspParametersAFreshSaltAndThePhcFormat() {
    char[] pw = "correct horse battery".toCharArray();
    String a = Passwords.hash(pw);
    String b = Passwords.hash(pw);
    assertThat(a).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(a).isNotEqualTo(b);
    assertThat(Passwords.matches(pw, a)).isTrue();
    assertThat(Passwords.matches(pw, b)).isTrue();
    assertThat(Passwords.matches("correct horse battery!".toCharArray(), a)).isFalse();
  }

  @Test
  void shortPasswordsAreRefusedWithTheRule() {
    assertThatThrownBy(() -> Passwords.hash("short".toCharArray()))
        .isInstanceOf(BadInputException.class).hasMessage("a password must have 12 to 1024 characters");
  }

  @Test
  void storedHashesOutsideTheFormatOrItsBoundsAreNotComputed() {
    assertThatThrownBy(() -> Passwords.matches("password".toCharArray(), "$2b$12$abcdefghijklmnopqrstuv"))
        .isInstanceOf(IllegalArgumentException.class);
    // A tampered row asking for 2 GiB per check is refused before any memory is taken.
    assertThatThrownBy(() -> Passwords.matches("password".toCharArray(), REFERENCE_64M.replace("m=65536", "m=2097152")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of bounds");
    assertThatThrownBy(() -> Passwords.matches("password".toCharArray(), REFERENCE_256K.replace("argon2id", "argon2i")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
