package io.dataops.pipelines.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.contract.PersonalData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonalDataDetectorTest {
  private static PersonalData kind(String column, String... values) {
    return PersonalDataDetector.classify(column, java.util.Arrays.asList(values)).map(PersonalDataDetector.Detection::kind)
        .orElse(null);
  }

  @Test
  void recognisesPrcIdentifiersByContentWhateverTheColumnIsCalled() {
    assertThat(kind("c1", "440304198503071231", "11010519491231002X", "440304198503071231")).isEqualTo(
        PersonalData.ID_CARD);
    assertThat(kind("c2", "13812345678", "15900001111", "19912345678")).isEqualTo(PersonalData.MOBILE);
    assertThat(kind("c3", "6222021234567890128", "4111111111111111", "6222021234567890128"))
        .as("valid Luhn digits").isEqualTo(PersonalData.BANK_CARD);
    assertThat(kind("c4", "张三", "欧阳娜娜", "李小明", "王芳")).isEqualTo(PersonalData.NAME);
    assertThat(kind("c5", "广东省深圳市福田区华富街道莲花一村12栋", "福田区沙头街道天安数码城3栋")).isEqualTo(PersonalData.ADDRESS);
    assertThat(kind("c6", "a@b.cn", "zhang.san@example.com")).isEqualTo(PersonalData.EMAIL);
    assertThat(kind("c7", "粤B12345", "粤BD12345", "京A8888X")).isEqualTo(PersonalData.VEHICLE_PLATE);
  }

  @Test
  void invalidIdentifiersAndOrdinaryValuesAreNotPersonal() {
    assertThat(kind("c", "440304198503071232", "440304198502301231")).as("wrong check char; 30 February").isNull();
    assertThat(kind("c", "6222021234567890123")).as("bad Luhn digit").isNull();
    assertThat(kind("name", "深圳市华信科技有限公司", "福田区博创贸易商行")).as("company names are not people").isNull();
    assertThat(kind("status", "正常", "注销")).isNull();
    assertThat(kind("amount", "3000.00", "12.5")).isNull();
    assertThat(kind("empty", "", " ", null)).isNull();
  }

  @Test
  void aColumnNameLowersTheShareNeeded() {
    List<String> half = new ArrayList<>(List.of("13812345678", "15900001111", "0755-8888888", "未知"));
    assertThat(kind("col", half.toArray(String[]::new))).as("50% is not enough without a hint").isNull();
    assertThat(kind("contact_phone", half.toArray(String[]::new))).isEqualTo(PersonalData.MOBILE);
    assertThat(PersonalDataDetector.classify("contact_phone", half).orElseThrow().reason())
        .isEqualTo("50% of 4 sampled values look like mobile and the column name says so");
  }
}
