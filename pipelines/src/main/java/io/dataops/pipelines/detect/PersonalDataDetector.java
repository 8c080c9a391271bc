package io.dataops.pipelines.detect;

import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classifies a column as personal data by its content, with its name as a hint: resident ID numbers (valid check
 * character and birth date), mobile numbers, bank cards (13-19 digits with a valid Luhn digit), Chinese names (two to
 * four Han characters starting with a common surname), addresses (administrative divisions and street markers),
 * email addresses and vehicle plates. A kind is reported when at least 80% of the non-empty sample values have its
 * shape, or 50% when the column's name also says so. Used by {@code pipeline validate} to insist on a policy for
 * columns a department forgot to declare personal.
 */
public final class PersonalDataDetector {
  private PersonalDataDetector() {}

  /** What the detector concluded, and why (the share of sample values with the shape; never a value). */
  public record Detection(PersonalData kind, double share, int sampled, boolean nameHint) {
    public String reason() {
      return String.format(Locale.ROOT, "%.0f%% of %d sampled values look like %s%s", share * 100, sampled,
          kind.spelling(), nameHint ? " and the column name says so" : "");
    }
  }

  private static final Map<PersonalData, Pattern> NAME_HINTS = new EnumMap<>(PersonalData.class);

  static {
    NAME_HINTS.put(PersonalData.ID_CARD, Pattern.compile("(id_?card|id_?no|sfz|sfzh|zjhm|身份证|证件号)"));
    NAME_HINTS.put(PersonalData.MOBILE, Pattern.compile("(phone|mobile|tel|sjh|lxdh|手机|电话)"));
    NAME_HINTS.put(PersonalData.BANK_CARD, Pattern.compile("(bank|card_?no|account|yhk|银行卡|卡号|账号)"));
    NAME_HINTS.put(PersonalData.NAME, Pattern.compile("(^name$|_name$|^xm$|姓名|representative|contact)"));
    NAME_HINTS.put(PersonalData.ADDRESS, Pattern.compile("(address|addr|dz|zz|地址|住址)"));
    NAME_HINTS.put(PersonalData.EMAIL, Pattern.compile("(e_?mail|邮箱)"));
    NAME_HINTS.put(PersonalData.VEHICLE_PLATE, Pattern.compile("(plate|hphm|车牌)"));
  }

  private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
      + "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
      + "武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
      + "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
      + "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  private static final Pattern PLATE = Pattern.compile(
      "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}");
  private static final Pattern ADDRESS_MARK = Pattern.compile("(省|自治区|市|区|县|镇|乡|街道)");
  private static final Pattern ADDRESS_DETAIL = Pattern.compile("(路|街|道|巷|村|号|栋|楼|室|小区|大厦|花园)");

  public static Optional<Detection> classify(String columnName, List<String> sample) {
    String name = columnName.toLowerCase(Locale.ROOT);
    Map<PersonalData, Integer> hits = new EnumMap<>(PersonalData.class);
    int n = 0;
    for (String raw : sample) {
      if (raw == null || raw.isBlank()) {
        continue;
      }
      String v = raw.strip();
      n++;
      PersonalData kind = shapeOf(v);
      if (kind != null) {
        hits.merge(kind, 1, Integer::sum);
      }
    }
    if (n == 0) {
      return Optional.empty();
    }
    Detection best = null;
    for (Map.Entry<PersonalData, Integer> e : hits.entrySet()) {
      double share = e.getValue() / (double) n;
      boolean hint = NAME_HINTS.containsKey(e.getKey()) && NAME_HINTS.get(e.getKey()).matcher(name).find();
      if (share >= 0.8 || hint && share >= 0.5) {
        if (best == null || share > best.share()) {
          best = new Detection(e.getKey(), share, n, hint);
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The personal-data shape of one value, or null. */
  static PersonalData shapeOf(String v) {
    int len = v.length();
    if (len == 18 && PrcIdentifiers.hasValidIdCardCheckChar(v) && PrcIdentifiers.idCardBirthDate(v) != null) {
      return PersonalData.ID_CARD;
    }
    if (len == 11 && PrcIdentifiers.isMainlandMobile(v)) {
      return PersonalData.MOBILE;
    }
    if (len >= 13 && len <= 19 && allDigits(v) && PrcIdentifiers.luhn(v)) {
      return PersonalData.BANK_CARD;
    }
    if (v.indexOf('@') > 0 && EMAIL.matcher(v).matches()) {
      return PersonalData.EMAIL;
    }
    if ((len == 7 || len == 8) && PLATE.matcher(v).matches()) {
      return PersonalData.VEHICLE_PLATE;
    }
    int cps = v.codePointCount(0, len);
    if (cps >= 2 && cps <= 4 && allHan(v) && SURNAMES.indexOf(v.charAt(0)) >= 0) {
      return PersonalData.NAME;
    }
    if (cps >= 6 && ADDRESS_MARK.matcher(v).find() && ADDRESS_DETAIL.matcher(v).find()) {
      return PersonalData.ADDRESS;
    }
    return null;
  }

  private static boolean allDigits(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean allHan(String v) {
    return v.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
  }
}
