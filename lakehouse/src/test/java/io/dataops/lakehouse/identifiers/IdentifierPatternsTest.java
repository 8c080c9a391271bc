package io.dataops.lakehouse.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.table.PreviewMask;
import org.junit.jupiter.api.Test;

/**
 * Identifiers in free text as people write them (found by a probe: a mobile written with the country code and hyphens,
 * and bank card numbers, were shown whole in quality reports of a column not declared personal).
 */
class IdentifierPatternsTest {
  @Test
  void numbersWrittenWithSeparatorsOrACountryCodeAreFoundInText() {
    for (String text : new String[] {"+86 138-0013-8000", "tel 0086 13800138000", "138 0013 8000",
        "call 138.0013.8000 now", "86-138-0013-8000", "6222 0212 3456 7894", "6222021234567894",
        "card 6222-0212-3456-7894.", "110101 19900307 002X", "11010119900307002x", "１３８００１３８０００",
        "138\u30000013\u30008000", "１１０１０１１９９００３０７００２Ｘ"}) {
      assertThat(IdentifierPatterns.inText(text)).as(text).isTrue();
    }
  }

  @Test
  void aProductsLeakCheckFindsWrittenResidentIdsAndMobilesButNotBankCards() {
    assertThat(IdentifierPatterns.identifierInWrittenForms("+86 138-0013-8000")).isTrue();
    assertThat(IdentifierPatterns.identifierInWrittenForms("110101 19900307 002X")).isTrue();
    assertThat(IdentifierPatterns.identifierInWrittenForms("１３８００１３８０００")).isTrue();
    assertThat(IdentifierPatterns.identifierInWrittenForms("6222 0212 3456 7894")).as("a Luhn-valid card").isFalse();
    assertThat(IdentifierPatterns.inWrittenForms("6222 0212 3456 7894")).isTrue();
  }

  @Test
  void ordinaryNumbersAreNot() {
    for (String text : new String[] {"2024-05-12 13:45:30", "room 1203, building 7", "0755-8888 6666",
        "6222 0212 3456 7895", "123456789012345", "12 3800 1380 00 0", "v1.2.3", ""}) {
      assertThat(IdentifierPatterns.inText(text)).as(text).isFalse();
    }
  }

  @Test
  void reportsMaskWhatTheTextFinds() {
    assertThat(PreviewMask.maskIdentifiers("+86 138-0013-8000")).isEqualTo("+** ***-****-****");
    assertThat(PreviewMask.maskIdentifiers("6222021234567894")).isEqualTo("6222********7894");
    assertThat(PreviewMask.maskIdentifiers("card 6222 0212 3456 7894")).isEqualTo("card **** **** **** ****");
    assertThat(PreviewMask.maskIdentifiers("13800138000")).isEqualTo("138****8000");
    assertThat(PreviewMask.maskIdentifiers("room 1203, building 7")).isEqualTo("room 1203, building 7");
    assertThat(PreviewMask.maskIdentifiers("手机１３８００１３８０００")).isEqualTo("手机***********");
  }
}
