package io.dataops.pipelines.desensitize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The masks' and address generalization's fast paths give exactly what the code before them gave
 * ({@link MaskBefore}, {@link AddressPartsBefore}) on hostile values: empty, one char, surrogate pairs and lone
 * surrogates, combining marks, full-width digits, separators, compound surnames, very long values, null.
 */
class MaskFastPathTest {
  private static final String[] PIECES = {"", "1", "0", "X", "x", " ", "-", "+86", "0086", "86", "１", "３", "Ａ",
      "𠀀", "𡃁", "\uD800", "\uDC00", "é", "e\u0301", "\u0301", "·", "•", "张", "欧阳", "司马", "东郭", "买买提", "艾力",
      "Li", "Wei", "O'Brien", "\t", "\u3000", "\u00A0", "@", "example.com", "省", "市", "区", "县", "旗", "街道", "镇",
      "乡", "苏木", "自治区", "自治州", "自治县", "特别行政区", "地区", "盟", "北京市", "上海市", "重庆市", "广东省",
      "深圳市", "福田区", "华富街道", "莲花一村12栋", "内蒙古自治区", "新疆维吾尔自治区", "鄂尔多斯市", "伊金霍洛旗",
      "13800138000", "440304198503071234", "44030419850307123X", "440304850307123", "9FFC\u9FFC", "\u9FFD",
      "\u4E00", "\u3400", "ㄅ", "ア", "粤B12345", "6222 0212 3456 7890", "91440300MA5F1234XY"};

  static List<String> hostileValues() {
    List<String> values = new ArrayList<>(List.of("", "1", "𠀀", "\uD800", "é", "e\u0301", "１３８００１３８０００",
        "13800138000", "+8613800138000", "0086 138-0013-8000", "138 0013 8000", "23800138000", "1380013800",
        "440304198503071234", "44030419850307123X", "44030419850307123x", "440304850307123", "４４０３０４１９８５０３０７１２３４",
        "张三", "张", "欧阳娜娜", "欧阳", "欧阳娜", "司马相如", "买买提·艾力", "  王小明  ", "王\u0301小明", "王𠀀明", "𠀀王明",
        "John Smith", "mary-jane o'neil", "Émile Zola", "广东省深圳市福田区华富街道莲花一村12栋", "北京市朝阳区建国门外街道1号",
        "内蒙古自治区鄂尔多斯市伊金霍洛旗乌兰木伦镇", "新疆维吾尔自治区乌鲁木齐市天山区", "福田区华富街道", "深圳市福田区",
        "香港特别行政区中西区", "广东省" + "深".repeat(40) + "市", "x".repeat(5000), "中".repeat(5000),
        "a@example.com", "@x", "x@", "粤B12345", "粤B123456", "6222 0212 3456 7890", "6222-0212-3456-789012345",
        "91440300MA5F1234XY", "91440300MA5F1234X"));
    Random random = new Random(15);
    for (int i = 0; i < 20000; i++) {
      StringBuilder b = new StringBuilder();
      for (int j = random.nextInt(8); j >= 0; j--) {
        b.append(PIECES[random.nextInt(PIECES.length)]);
      }
      values.add(b.toString());
    }
    for (int i = 0; i < 3000; i++) { // digits with a stray char: the shapes' edges
      char[] c = "440304198503071234".toCharArray();
      c[random.nextInt(c.length)] = "X x１-𠀀".charAt(random.nextInt(7));
      values.add(new String(c).substring(0, random.nextInt(c.length + 1)));
      char[] m = "13800138000".toCharArray();
      m[random.nextInt(m.length)] = " -1２a".charAt(random.nextInt(5));
      values.add((random.nextBoolean() ? "+86" : "") + new String(m));
    }
    for (int i = 0; i < 3000; i++) { // any chars at all, surrogates included
      char[] c = new char[random.nextInt(24)];
      for (int j = 0; j < c.length; j++) {
        c[j] = (char) random.nextInt(0x10000);
      }
      values.add(new String(c));
    }
    for (int cp = 0x3400; cp <= 0xA000; cp++) { // every Han-block boundary char as a name's first char
      values.add(new String(Character.toChars(cp)) + "小明");
    }
    return values;
  }

  @Test
  void masksGiveWhatTheyGaveBefore() {
    List<String> values = hostileValues();
    List<Mask> masks = new ArrayList<>();
    for (Mask.Kind kind : Mask.Kind.values()) {
      masks.add(Mask.of(kind));
      masks.add(Mask.of(kind).withKeep(kind == Mask.Kind.CUSTOM ? 2 : null, kind == Mask.Kind.CUSTOM ? 1 : null, '＊'));
      masks.add(Mask.of(kind).withKeep(0, 0, '#'));
    }
    for (Mask.AddressLevel level : Mask.AddressLevel.values()) {
      masks.add(Mask.of(Mask.Kind.ADDRESS).withLevel(level));
    }
    masks.add(Mask.custom(3, 3, 'x'));
    for (Mask m : masks) {
      MaskBefore before = new MaskBefore(m);
      assertThat(m.apply(null)).isNull();
      for (String v : values) {
        assertThat(m.apply(v)).as("%s on %s", m.describe(), Arrays.toString(v.toCharArray()))
            .isEqualTo(before.apply(v));
      }
    }
  }

  @Test
  void addressEndsAndGeneralizationAreWhatTheyWereBefore() {
    for (String v : hostileValues()) {
      for (Mask.AddressLevel level : Mask.AddressLevel.values()) {
        int end = AddressParts.endOf(v, level);
        assertThat(end).as("%s at %s", v, level).isEqualTo(AddressPartsBefore.endOf(v, level));
        GeneralizeAddress g = new GeneralizeAddress(level);
        if (end > 0) {
          assertThat(g.apply(v)).isEqualTo(v.substring(0, end));
        }
      }
    }
  }
}
