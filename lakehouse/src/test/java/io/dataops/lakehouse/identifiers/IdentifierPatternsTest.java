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
        "4000 0212 3456 7895", "123456789012345", "12 3800 1380 00 0", "v1.2.3", ""}) {
      assertThat(IdentifierPatterns.inText(text)).as(text).isFalse();
    }
  }

  @Test
  void reportsMaskWhatTheTextFinds() {
    assertThat(PreviewMask.maskIdentifiers("+86 138-0013-8000")).isEqualTo("+** ***-****-****");
    assertThat(PreviewMask.maskIdentifiers("6222021234567894")).isEqualTo("6222********7894");
    assertThat(PreviewMask.maskIdentifiers("card 6222 0212 3456 7894")).isEqualTo("card **** **** **** ****");
    assertThat(PreviewMask.maskIdentifiers("13800138000")).isEqualTo("138****8000");
    // Found by a probe: a UnionPay card number failing its Luhn digit (a typo, the value a card rule fails) was shown.
    assertThat(PreviewMask.maskIdentifiers("6222021234567890123")).isEqualTo("6222***********0123");
    assertThat(PreviewMask.maskIdentifiers("card 6222 0212 3456 7895")).isEqualTo("card **** **** **** ****");
    assertThat(PreviewMask.maskIdentifiers("room 1203, building 7")).isEqualTo("room 1203, building 7");
    assertThat(PreviewMask.maskIdentifiers("手机１３８００１３８０００")).isEqualTo("手机***********");
  }

  @Test
  void reportsHideTheChineseNumeralsOfTheIdentifierNotThoseOfWords() {
    // Found by a review: every 〇 to 九 of a value that held an identifier was hidden, in place names too.
    assertThat(PreviewMask.maskIdentifiers("九龙塘 一三八〇〇一三八〇〇〇")).isEqualTo("九龙塘 ***********");
    assertThat(PreviewMask.maskIdentifiers("香港九龙 tel 138-0013-8000 room 12"))
        .isEqualTo("香港九龙 tel ***-****-**** room **");
    assertThat(PreviewMask.maskIdentifiers("第一、身份证四四〇三〇四一九八五〇三〇七一二三一，住三楼"))
        .isEqualTo("第一、身份证" + "*".repeat(18) + "，住三楼");
    assertThat(PreviewMask.maskIdentifiers("电话 13800138000，证件 四四〇三〇四一九八五〇三〇七一二三一，住五楼"))
        .as("an unbroken mobile beside an ID number in numerals: both hidden")
        .isEqualTo("电话 ***********，证件 " + "*".repeat(18) + "，住五楼");
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

  /** {@code s} with its ASCII digits written in {@code zero}'s script (a code point: outside the BMP too). */
  static String digitsFrom(int zero, String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(cp -> b.appendCodePoint(cp >= '0' && cp <= '9' ? zero + cp - '0' : cp));
    return b.toString();
  }

  /** {@code s} with its ASCII digits as the Chinese numerals 〇一二三四五六七八九. */
  static String chineseNumerals(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(ch -> b.append(ch >= '0' && ch <= '9' ? "〇一二三四五六七八九".charAt(ch - '0') : (char) ch));
    return b.toString();
  }

  @Test
  void chineseNumeralsDigitsBeyondTheBmpAndGroupsJoinedByCommasAreFound() {
    // Found by a probe: each passed a product's leak check.
    String resident = id("44030419850307123");
    String grouped = resident.substring(0, 6) + "%s" + resident.substring(6, 14) + "%s" + resident.substring(14);
    assertThat(chineseNumerals(resident)).isEqualTo("四四〇三〇四一九八五〇三〇七一二三" + chineseNumerals(resident.substring(17)));
    for (String text : new String[] {"身份证" + chineseNumerals(resident) + "已核验", "手机一三八〇〇一三八〇〇〇",
        "号码 " + chineseNumerals(grouped.formatted(" ", " ")), "id " + digitsFrom(0x1D7CE, resident),
        "tel " + digitsFrom(0x1D7EC, "13800138000"), "tel " + digitsFrom(0x0966, "13800138000"),
        "id " + digitsFrom(0x104A0, resident), digitsFrom(0x1D7F6, "138") + "-0013-8000",
        "id " + grouped.formatted(",", ","), "证件" + grouped.formatted("，", "，"), "证件" + grouped.formatted("、", "、"),
        "tel 138,0013,8000", "tel 138，0013，8000", "138、0013、8000", "id " + grouped.formatted(", ", ", "),
        "id " + chineseNumerals(grouped.formatted("、", "、"))}) {
      assertThat(IdentifierPatterns.identifierInWrittenForms(text)).as(text).isTrue();
      assertThat(IdentifierPatterns.inText(text)).as(text).isTrue();
      assertThat(PreviewMask.maskIdentifiers(text)).as(text).doesNotContain(resident.substring(6, 14))
          .doesNotContain(chineseNumerals(resident.substring(6, 14))).doesNotContain("0013")
          .doesNotContain(digitsFrom(0x1D7CE, resident.substring(6, 14))).doesNotContain("〇〇一三");
    }
    assertThat(PreviewMask.maskIdentifiers("手机一三八〇〇一三八〇〇〇")).isEqualTo("手机***********");
    assertThat(PreviewMask.maskIdentifiers("tel " + digitsFrom(0x1D7EC, "13800138000"))).isEqualTo("tel " + "*".repeat(11));
  }

  @Test
  void chineseNumeralsInTextCommaListsAndAmountsAreNotIdentifiers() {
    String resident = id("44030419850307123");
    for (String text : new String[] {"一九八五年三月七日，一二三四五六七八九十", "第一、二、三、四、五、六、七、八、九条", "一一一一一一一一一一",
        "他说一不二，三心二意，七上八下，九九归一，四四方方", "1, 2, 3, 4, 5, 6, 7, 8, 9, 10", "room 1203, building 7",
        chineseNumerals(resident.substring(0, 17)) + "Z", "一三八〇〇一三八〇〇〇〇", "price 13,800,138,000 yuan",
        "营收１３，８００，１３８，０００元"}) {
      assertThat(IdentifierPatterns.identifierInWrittenForms(text)).as(text).isFalse();
    }
    assertThat(IdentifierPatterns.inText("price 13,800,138,000 yuan")).as("a report masks what looks like a mobile")
        .isTrue();
    assertThat(IdentifierPatterns.identifierInWrittenForms("id " + String.join(",", resident.substring(0, 3),
        resident.substring(3, 6), resident.substring(6, 9), resident.substring(9, 12), resident.substring(12, 15),
        resident.substring(15)))).as("18 digits are no amount").isTrue();
  }

  @Test
  void idNumbersWithAWrongOrMissingCheckCharacterAreMaskedInReportsButNotAShapeOfAProduct() {
    // Found by a probe: shown whole in reports and previews; the first 17 digits are the person and give the check
    // character. A product's leak check keeps the check character (its 18-digit codes would fail whole runs).
    String body = "44030419900101123";
    assertThat(PrcIdentifiers.idCardCheckChar(body)).isEqualTo('3');
    for (String wrong : new String[] {body + "X", body + "x", body + "5"}) {
      assertThat(PreviewMask.maskIdentifiers(wrong)).as(wrong).isEqualTo("440304********" + wrong.substring(14));
      assertThat(IdentifierPatterns.find(wrong)).as(wrong).isEqualTo(IdentifierPatterns.Found.NONE);
      assertThat(IdentifierPatterns.findToMask(wrong)).as(wrong).isEqualTo(IdentifierPatterns.Found.ID_CARD);
    }
    assertThat(PreviewMask.maskIdentifiers(body)).isEqualTo("*".repeat(17));
    assertThat(PreviewMask.maskIdentifiers("ID" + body)).isEqualTo("ID" + "*".repeat(17));
    assertThat(PreviewMask.maskIdentifiers("id " + body + "A ok")).isEqualTo("id " + "*".repeat(17) + "A ok");
    assertThat(PreviewMask.maskIdentifiers("id 440304 19900101 1235")).isEqualTo("id ****** ******** ****");
    assertThat(PreviewMask.maskIdentifiers("No" + body + "51")).isEqualTo("No" + "*".repeat(19));
    assertThat(PreviewMask.maskIdentifiers("No00" + body)).as("among longer digits, at their end")
        .isEqualTo("No" + "*".repeat(19));
    assertThat(PreviewMask.maskIdentifiers("证件" + chineseNumerals(body) + "五")).isEqualTo("证件" + "*".repeat(18));
    assertThat(IdentifierPatterns.identifierInWrittenForms("id 440304 19900101 1235")).isFalse();
    assertThat(IdentifierPatterns.identifierInWrittenForms("id 440304 19900101 123")).isFalse();

    // No birth date (month 13, 30 February, before 1900) or no province: an order number, a code, as it is.
    for (String other : new String[] {"110105202313451234", "440304199002301235", "44030418991231124X",
        "990304199001011235", "11010520231345123", "order 110105202313451234 paid", "1101 0520 2313 4512 34"}) {
      assertThat(PreviewMask.maskIdentifiers(other)).as(other).isEqualTo(other);
      assertThat(IdentifierPatterns.inText(other)).as(other).isFalse();
    }
  }
}
