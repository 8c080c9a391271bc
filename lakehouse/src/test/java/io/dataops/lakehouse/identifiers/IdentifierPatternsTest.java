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

  /** A valid ID number: {@code body} and the check character GB 11643 gives it. */
  private static String id(String body) {
    return body + PrcIdentifiers.idCardCheckChar(body);
  }

  @Test
  void groupsJoinedBySlashesUnderscoresParenthesesOrShortSeparatorRunsAreFound() {
    // Found by a probe: these passed a product's leak check and were shown whole in quality reports.
    String guardian = id("44130219980524940");
    String slashed = "guardian " + guardian.substring(0, 6) + "/" + guardian.substring(6, 14) + "/"
        + guardian.substring(14);
    for (String text : new String[] {slashed, "136/1234/5678", "(135)1234-5678", "134_1234_5678", "(135) 1234 5678",
        "tel: +86 (135) 1234 5678", "137 / 1234 / 5678"}) {
      assertThat(IdentifierPatterns.identifierInWrittenForms(text)).as(text).isTrue();
      assertThat(IdentifierPatterns.inText(text)).as(text).isTrue();
    }
    assertThat(IdentifierPatterns.identifierInWrittenForms("138 -/0013 8000")).as("three joiners").isTrue();
    assertThat(IdentifierPatterns.identifierInWrittenForms("138 - / 0013 8000")).as("four joiners: two numbers")
        .isFalse();
  }

  @Test
  void groupsJoinedByInvisibleOrWideSpacesAndDigitsOfOtherScriptsAreFound() {
    // Found by a probe: each passed a product's leak check (the ID is a raw one of the probe's input).
    String resident = id("44030419640505104");
    for (String text : new String[] {"tel 138\u00A00013\u00A08000", "tel 139\u200B3967\u200B1729",
        "tel 138  0013  8000", "mob 138\u206000130008",
        "tel \u0661\u0663\u0668\u0660\u0660\u0661\u0663\u0668\u0660\u0660\u0660",
        "id " + resident.substring(0, 6) + "\u200B" + resident.substring(6, 14) + "\u200B" + resident.substring(14),
        "\uFEFF138\uFF0D0013\uFF0D8000", "（135）1234—5678", "138\u202F0013\u202F8000"}) {
      assertThat(IdentifierPatterns.identifierInWrittenForms(text)).as(text).isTrue();
      assertThat(IdentifierPatterns.inText(text)).as(text).isTrue();
    }
    assertThat(PreviewMask.maskIdentifiers("tel 139\u200B3967\u200B1729")).doesNotContain("3967");
  }

  @Test
  void datesExtensionsAndJoinersLeadingToNoDigitAreNot() {
    for (String text : new String[] {"2024/01/05 13:30", "tel ext 1234", "2024/01/05 13:30 (room 1203)",
        "order_2024_0105_1330", "v1.2.3 (build 4567)", "1380013800 /", "2024/01/05 (1380013)"}) {
      assertThat(IdentifierPatterns.identifierInWrittenForms(text)).as(text).isFalse();
    }
  }

  @Test
  void anIdAmongOtherDigitsOrOfFifteenDigitsIsMaskedInReportsButNotAShapeOfAProduct() {
    String resident = id("42010219751012953");
    String code = "12" + resident; // a 20-digit code that happens to hold a valid ID number
    for (String text : new String[] {"No" + resident + "1", resident + "1", code, "ref " + code + " ok",
        "4" + resident.substring(0, 17) + "X", "9" + id("11010519491231002").replace('X', 'x')}) {
      assertThat(IdentifierPatterns.find(text)).as(text).isEqualTo(IdentifierPatterns.Found.NONE);
      assertThat(IdentifierPatterns.identifierInWrittenForms(text)).as(text).isFalse();
    }
    for (String text : new String[] {"No" + resident + "1", resident + "1", code, "ref " + code + " ok",
        "9" + id("11010519491231002").replace('X', 'x'), "4420 1021 9751 0129 5321"}) {
      assertThat(IdentifierPatterns.inText(text)).as(text).isTrue();
    }
    assertThat(PreviewMask.maskIdentifiers("No" + resident + "1")).isEqualTo("No" + "*".repeat(19));
    assertThat(PreviewMask.maskIdentifiers("ref " + code + " ok")).isEqualTo("ref " + "*".repeat(20) + " ok");

    // The 15-digit ID number of before 1999: area code, YYMMDD of the 1900s, three digits.
    for (String text : new String[] {"440307780408196", "old ID 440307 780408 196", "110105491231002"}) {
      assertThat(IdentifierPatterns.inText(text)).as(text).isTrue();
      assertThat(IdentifierPatterns.identifierInWrittenForms(text)).as(text).isFalse();
    }
    assertThat(PreviewMask.maskIdentifiers("old 440307780408196")).isEqualTo("old " + "*".repeat(15));
    for (String text : new String[] {"440307781308196", "990307780408196", "4403077804081961", "123456789012345"}) {
      assertThat(IdentifierPatterns.inText(text)).as(text + ": no month 13, no province 99, 16 digits").isFalse();
    }
  }
}
