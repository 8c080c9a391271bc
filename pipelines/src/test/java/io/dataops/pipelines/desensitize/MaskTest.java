package io.dataops.pipelines.desensitize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.types.ValueType;
import org.junit.jupiter.api.Test;

class MaskTest {
  private static Object mask(Mask.Kind kind, String v) {
    return Mask.of(kind).apply(v);
  }

  @Test
  void residentIdNumbersKeepRegionAndLastFourWhateverTheirWidth() {
    assertThat(mask(Mask.Kind.ID_CARD, "440304198503071234")).isEqualTo("440304********1234");
    assertThat(mask(Mask.Kind.ID_CARD, "11010519491231002X")).isEqualTo("110105********002X");
    assertThat(mask(Mask.Kind.ID_CARD, "11010519491231002x")).isEqualTo("110105********002x");
    assertThat(mask(Mask.Kind.ID_CARD, "440304850307123")).as("the old 15-digit form: no check character")
        .isEqualTo("440304******123");
    assertThat(mask(Mask.Kind.ID_CARD, "44030419850307123")).as("17 characters: odd width, all hidden")
        .isEqualTo("*****************");
    assertThat(mask(Mask.Kind.ID_CARD, "4403041985030712X4")).as("X only as the last character").isEqualTo("*".repeat(18));
    assertThat(mask(Mask.Kind.ID_CARD, "")).isEqualTo("");
    assertThat(mask(Mask.Kind.ID_CARD, null)).isNull();
    assertThat(Mask.of(Mask.Kind.ID_CARD).withKeep(6, 0, '#').apply("440304198503071234"))
        .isEqualTo("440304############");
    assertThat(Mask.of(Mask.Kind.ID_CARD).retains()).containsExactly("region (ID digits 1-6)",
        "ID characters 15-18 (digit 17 is the sex)");
    assertThatThrownBy(() -> Mask.of(Mask.Kind.ID_CARD).withKeep(10, 8, null))
        .hasMessage("mask id_card keeping first 10 and last 8 would keep the whole value");
  }

  @Test
  void mobileNumbersKeepTheirPrefixAndSeparators() {
    assertThat(mask(Mask.Kind.MOBILE, "13812345678")).isEqualTo("138****5678");
    assertThat(mask(Mask.Kind.MOBILE, "+8613812345678")).isEqualTo("+86138****5678");
    assertThat(mask(Mask.Kind.MOBILE, "138 1234 5678")).isEqualTo("138 **** 5678");
    assertThat(mask(Mask.Kind.MOBILE, "138-1234-5678")).isEqualTo("138-****-5678");
    assertThat(mask(Mask.Kind.MOBILE, "0755-83456789")).as("a landline is not a mobile: every digit hidden")
        .isEqualTo("****-********");
    assertThat(mask(Mask.Kind.MOBILE, "1381234567")).as("10 digits").isEqualTo("**********");
    assertThat(mask(Mask.Kind.MOBILE, "23812345678")).as("does not start with 1").isEqualTo("***********");
  }

  @Test
  void bankCardsCreditCodesPlatesAndEmails() {
    assertThat(mask(Mask.Kind.BANK_CARD, "6222021234567890123")).isEqualTo("622202*********0123");
    assertThat(mask(Mask.Kind.BANK_CARD, "6222 0212 3456 7890")).isEqualTo("6222 02** **** 7890");
    assertThat(mask(Mask.Kind.BANK_CARD, "62220212")).as("too short for a card").isEqualTo("********");
    assertThat(mask(Mask.Kind.CREDIT_CODE, "91440300MA5F12345X")).isEqualTo("91440300********5X");
    assertThat(mask(Mask.Kind.CREDIT_CODE, "91440300MA5F1234")).isEqualTo("****************");
    assertThat(mask(Mask.Kind.VEHICLE_PLATE, "粤B12345")).isEqualTo("粤B****5");
    assertThat(mask(Mask.Kind.VEHICLE_PLATE, "粤BD12345")).as("new-energy plates have 8").isEqualTo("粤B*****5");
    assertThat(mask(Mask.Kind.VEHICLE_PLATE, "粤B")).isEqualTo("**");
    assertThat(mask(Mask.Kind.EMAIL, "zhangsan@example.com.cn")).isEqualTo("z*******@example.com.cn");
    assertThat(mask(Mask.Kind.EMAIL, "z@qq.com")).isEqualTo("*@qq.com");
    assertThat(mask(Mask.Kind.EMAIL, "not-an-email")).isEqualTo("************");
  }

  @Test
  void chineseNamesKeepTheSurnameCompoundSurnamesIncluded() {
    assertThat(mask(Mask.Kind.NAME, "张三")).isEqualTo("张*");
    assertThat(mask(Mask.Kind.NAME, "王小明")).isEqualTo("王**");
    assertThat(mask(Mask.Kind.NAME, "欧阳娜娜")).isEqualTo("欧阳**");
    assertThat(mask(Mask.Kind.NAME, "欧阳")).as("two characters: surname 欧 and given name 阳").isEqualTo("欧*");
    assertThat(mask(Mask.Kind.NAME, "买买提·艾力")).isEqualTo("买**·**");
    assertThat(mask(Mask.Kind.NAME, "李")).isEqualTo("*");
    assertThat(mask(Mask.Kind.NAME, "John Smith")).isEqualTo("J*** S****");
    assertThat(mask(Mask.Kind.NAME, "𠀋一")).as("a surname outside the basic plane").isEqualTo("𠀋*");
    // Found by a probe: invisible characters around a name, decomposed accents and apostrophes showed more.
    assertThat(mask(Mask.Kind.NAME, "\u00A0张三\u00A0丰")).isEqualTo("张***");
    assertThat(mask(Mask.Kind.NAME, "\uFEFF诸葛\u00A0孔明")).isEqualTo("诸葛***");
    assertThat(mask(Mask.Kind.NAME, "\u200B王小明\u200B")).isEqualTo("王**");
    assertThat(mask(Mask.Kind.NAME, "Jose\u0301 Garci\u0301a")).isEqualTo(mask(Mask.Kind.NAME, "José García"))
        .isEqualTo("J*** G*****");
    assertThat(mask(Mask.Kind.NAME, "Zhe\u0300ng Xia\u030Cng")).isEqualTo("Z**** X****");
    assertThat(mask(Mask.Kind.NAME, "O'Brien-Smith")).isEqualTo("O'*****-S****");
    assertThat(mask(Mask.Kind.NAME, "q\u0336\u0336x")).as("marks that compose with nothing").isEqualTo("q***");
  }

  @Test
  void addressesKeepTheirDivisionsDownToTheLevelAsked() {
    String a = "广东省深圳市福田区华富街道莲花一村12栋301";
    assertThat(mask(Mask.Kind.ADDRESS, a)).isEqualTo("广东省深圳市福田区华富街道" + "*".repeat(10));
    assertThat(Mask.of(Mask.Kind.ADDRESS).withLevel(Mask.AddressLevel.DISTRICT).apply(a))
        .isEqualTo("广东省深圳市福田区" + "*".repeat(14));
    assertThat(new GeneralizeAddress(Mask.AddressLevel.STREET).apply(a)).isEqualTo("广东省深圳市福田区华富街道");
    assertThat(new GeneralizeAddress(Mask.AddressLevel.CITY).apply(a)).isEqualTo("广东省深圳市");
    assertThat(new GeneralizeAddress(Mask.AddressLevel.PROVINCE).apply(a)).isEqualTo("广东省");
    assertThat(new GeneralizeAddress(Mask.AddressLevel.STREET).apply("北京市朝阳区建国门外街道1号"))
        .as("a municipality is its own prefecture").isEqualTo("北京市朝阳区建国门外街道");
    assertThat(new GeneralizeAddress(Mask.AddressLevel.DISTRICT).apply("新疆维吾尔自治区乌鲁木齐市天山区人民路8号"))
        .isEqualTo("新疆维吾尔自治区乌鲁木齐市天山区");
    assertThat(new GeneralizeAddress(Mask.AddressLevel.STREET).apply("福田区沙头街道天安数码城"))
        .as("no province or city").isEqualTo("福田区沙头街道");
    assertThat(new GeneralizeAddress(Mask.AddressLevel.STREET).apply("广东省深圳市福田区深南大道1号"))
        .as("no sub-district: down to the district").isEqualTo("广东省深圳市福田区");
    assertThat(mask(Mask.Kind.ADDRESS, "莲花一村12栋")).as("no division at all: hidden").isEqualTo("*******");
    assertThatThrownBy(() -> new GeneralizeAddress(Mask.AddressLevel.STREET).apply("莲花一村12栋"))
        .isInstanceOf(UnfitValueException.class).hasMessageNotContaining("莲花");
  }

  @Test
  void customMasksCountCodePointsAndRefuseNonStringColumns() {
    Mask m = Mask.custom(2, 1, '#');
    assertThat(m.apply("ABCDEFG")).isEqualTo("AB####G");
    assertThat(m.apply("ABC")).as("keeping 3 of 3 would show it all").isEqualTo("###");
    assertThat(m.apply("京A·12")).isEqualTo("京A##2");
    assertThat(m.outputType(ValueType.STRING)).isEqualTo(ValueType.STRING);
    assertThatThrownBy(() -> m.outputType(ValueType.DATE)).hasMessage("mask applies to string columns, not date");
    assertThatThrownBy(() -> Mask.Kind.parse("passport")).hasMessageStartingWith("unknown mask 'passport'");
  }
}
