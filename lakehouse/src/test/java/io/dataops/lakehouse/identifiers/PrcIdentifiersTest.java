package io.dataops.lakehouse.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PrcIdentifiersTest {

  @Test
  void idCardCheckCharactersOfTheStandardsExamples() {
    // GB 11643-1999 appendix examples.
    assertThat(PrcIdentifiers.idCardCheckChar("11010519491231002")).isEqualTo('X');
    assertThat(PrcIdentifiers.idCardCheckChar("44052418800101001")).isEqualTo('4');
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("11010519491231002X")).isTrue();
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("11010519491231002x")).as("lower-case x").isTrue();
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("440524188001010014")).isTrue();
  }

  @Test
  void idCardRejectsWrongCheckLengthAndLetters() {
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("110105194912310021")).isFalse();
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("11010519491231002")).isFalse();
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("11010519491231002XX")).isFalse();
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("1101051949123A002X")).isFalse();
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar("")).isFalse();
    assertThat(PrcIdentifiers.hasValidIdCardCheckChar(null)).isFalse();
    assertThatThrownBy(() -> PrcIdentifiers.idCardCheckChar("1234")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idCardBirthDateAndSex() {
    assertThat(PrcIdentifiers.idCardBirthDate("11010519491231002X")).isEqualTo(LocalDate.of(1949, 12, 31));
    assertThat(PrcIdentifiers.idCardBirthDate("110105194902300025")).as("30 February").isNull();
    assertThat(PrcIdentifiers.idCardIsMale("11010519491231002X")).isFalse(); // 17th digit 2: female
    assertThat(PrcIdentifiers.idCardIsMale("440524188001010014")).isTrue(); // 17th digit 1: male
  }

  @Test
  void creditCodeCheckCharacters() {
    assertThat(PrcIdentifiers.hasValidCreditCodeCheckChar("91350100M000100Y43")).isTrue();
    assertThat(PrcIdentifiers.hasValidCreditCodeCheckChar("91350100M000100Y44")).isFalse();
    assertThat(PrcIdentifiers.hasValidCreditCodeCheckChar("91350100M000100Y4")).isFalse();
    assertThat(PrcIdentifiers.hasValidCreditCodeCheckChar("91350100M000100I43")).as("I is not in the alphabet").isFalse();
    assertThat(PrcIdentifiers.creditCodeCheckChar("91350100M000100Y4")).isEqualTo('3');
  }

  @Test
  void organizationCodeCheckCharacter() {
    // GB 11714 example D2143569-X: weighted sum 199, 11 - 199 mod 11 = 10, written X.
    assertThat(PrcIdentifiers.organizationCodeCheckChar("D2143569")).isEqualTo('X');
  }

  @Test
  void mainlandMobiles() {
    assertThat(PrcIdentifiers.isMainlandMobile("13800138000")).isTrue();
    assertThat(PrcIdentifiers.isMainlandMobile("19912345678")).isTrue();
    assertThat(PrcIdentifiers.isMainlandMobile("12800138000")).as("second digit 2").isFalse();
    assertThat(PrcIdentifiers.isMainlandMobile("1380013800")).as("ten digits").isFalse();
    assertThat(PrcIdentifiers.isMainlandMobile("1380013800a")).isFalse();
    assertThat(PrcIdentifiers.isMainlandMobile("+8613800138000")).isFalse();
    assertThat(PrcIdentifiers.isMainlandMobile(null)).isFalse();
  }
}
