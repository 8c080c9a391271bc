package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeakCheckTest {
  static final List<String> RAW = List.of("440304198503071231", "13812345678", "张三丰", "广东省深圳市福田区华富街道莲花一村12栋");

  private static LeakCheck check(List<String> columns, boolean[] exempt, long filterBytes) {
    LeakCheck c = new LeakCheck(columns, exempt, RAW.size(), filterBytes);
    RAW.forEach(c::addRaw);
    return c;
  }

  private static LeakCheck.Result finish(LeakCheck c) {
    if (c.needsConfirmation()) {
      RAW.forEach(c::confirm);
    }
    return c.result();
  }

  @Test
  void desensitizedOutputPasses() {
    LeakCheck c = check(List.of("name", "id_card", "phone", "person_key", "birth_year"), new boolean[5], 1 << 20);
    c.check(new Object[] {"张**", "440304********1231", "138****5678", "mzxw6ytboi2345abcdefg", 1985});
    c.check(new Object[] {null, "", "1", "mzxw6ytboi2345abcdefh", null});
    LeakCheck.Result r = finish(c);
    assertThat(r.passed()).isTrue();
    assertThat(r.equalToRaw()).isEmpty();
    assertThat(r.identifierShaped()).isEmpty();
  }

  @Test
  void aRawValueThatSlippedThroughFailsTheRunNamingTheColumnNotTheValue() {
    LeakCheck c = check(List.of("name", "remark"), new boolean[2], 1 << 20);
    c.check(new Object[] {"张三丰", "ok"});
    c.check(new Object[] {"张*丰", "广东省深圳市福田区华富街道莲花一村12栋"});
    LeakCheck.Result r = finish(c);
    assertThat(r.passed()).isFalse();
    assertThat(r.equalToRaw()).containsEntry("name", 1L).containsEntry("remark", 1L);
    assertThat(r.toString()).doesNotContain("张三丰");
  }

  @Test
  void identifierShapesInFreeTextFailUnlessTheColumnEncryptsOnPurpose() {
    LeakCheck c = check(List.of("note", "id_fpe", "contact"), new boolean[] {false, true, false}, 1 << 20);
    c.check(new Object[] {"身份证号11010519491231002X已核验", "110105194912310028", "电话 13912345678 转 8"});
    c.check(new Object[] {"订单号 440304198503071232（校验位不符）", "440304198503071231", "工号 1391234567890"});
    LeakCheck.Result r = finish(c);
    assertThat(r.identifierShaped()).containsEntry("note", 1L).containsEntry("contact", 1L).doesNotContainKey("id_fpe");
    assertThat(r.equalToRaw()).as("the encrypted column is exempt from equality too").isEmpty();
    assertThat(r.passed()).isFalse();
  }

  @Test
  void aTinyFilterHasFalseHitsThatConfirmationClears() {
    // The smallest filter (one 512-bit block) filled with many more raw values than it can tell apart: it says yes
    // to most values.
    LeakCheck c = check(List.of("v"), new boolean[1], 8);
    for (int i = 0; i < 300; i++) {
      c.addRaw("filler-" + i);
    }
    for (int i = 0; i < 2000; i++) {
      c.check(new Object[] {"value-" + i});
    }
    assertThat(c.needsConfirmation()).isTrue();
    LeakCheck.Result r = finish(c);
    assertThat(r.candidates()).isPositive();
    assertThat(r.passed()).as("no output value equals a raw one").isTrue();

    LeakCheck byLookup = check(List.of("v"), new boolean[1], 8);
    for (int i = 0; i < 300; i++) {
      byLookup.addRaw("filler-" + i);
    }
    for (int i = 0; i < 2000; i++) {
      byLookup.check(new Object[] {"value-" + i});
    }
    byLookup.confirmationComplete(); // an engine looked the candidate texts up among the raw values: none is there
    assertThat(byLookup.candidateTexts()).isNotEmpty();
    assertThat(byLookup.result().passed()).isTrue();

    LeakCheck unconfirmed = check(List.of("v"), new boolean[1], 8);
    for (int i = 0; i < 300; i++) {
      unconfirmed.addRaw("filler-" + i);
    }
    for (int i = 0; i < 2000; i++) {
      unconfirmed.check(new Object[] {"value-" + i});
    }
    assertThat(unconfirmed.result().passed()).as("never passes on a guess").isFalse();
  }

  @Test
  void identifiersAsPeopleWriteThemFailTheRunOnBothPaths() {
    // Found by a probe: a kept free-text column published an ID number in three groups and a mobile with hyphens.
    List<String> shapedValues = List.of("ID 110105 19491231 002X", "tel:139-3967-1729", "+86 138-0013-8000",
        "手机１３８００１３８０００", "138\u30000013\u30008000", "0086 13800138000", "证件 110105-19491231-002x。");
    List<String> clean = List.of("6222 0212 3456 7894", "2024-05-12 13:45:30", "0755-8888 6666", "１２３４５",
        "room 1203, building 7", "12 3800 1380 00 0");
    LeakCheck strings = new LeakCheck(List.of("v"), new boolean[1], 1, 1 << 16);
    LeakCheck bytes = new LeakCheck(List.of("v"), new boolean[1], 1, 1 << 16);
    for (String o : java.util.stream.Stream.concat(shapedValues.stream(), clean.stream()).toList()) {
      strings.checkValue(0, o);
      byte[] b = o.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      bytes.checkUtf8(0, b, b.length);
    }
    LeakCheck.Result r = strings.result();
    assertThat(bytes.result()).isEqualTo(r);
    assertThat(r.identifierShaped()).as("each written identifier, no bank card or date")
        .containsEntry("v", (long) shapedValues.size());
    assertThat(r.passed()).isFalse();
    for (String o : shapedValues) {
      assertThat(LeakCheck.identifierShaped(o)).as(o).isTrue();
    }
    for (String o : clean) {
      assertThat(LeakCheck.identifierShaped(o)).as(o).isFalse();
    }
  }

  /** A valid ID number: {@code body} and the check character GB 11643 gives it. */
  private static String id(String body) {
    return body + io.dataops.lakehouse.identifiers.PrcIdentifiers.idCardCheckChar(body);
  }

  /** The same text in full-width digits, as typed in Chinese text. */
  private static String fullWidth(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(ch -> b.append(ch >= '0' && ch <= '9' ? (char) ('０' + ch - '0') : (char) ch));
    return b.toString();
  }

  /** {@code out} checked as Strings and as UTF-8 bytes, each check over {@code raw} and confirmed: the same result. */
  private static LeakCheck.Result bothPaths(List<String> raw, List<String> out) {
    LeakCheck strings = new LeakCheck(List.of("v"), new boolean[1], raw.size() + 1, 1 << 16);
    LeakCheck bytes = new LeakCheck(List.of("v"), new boolean[1], raw.size() + 1, 1 << 16);
    raw.forEach(strings::addRaw);
    raw.forEach(bytes::addRaw);
    for (String o : out) {
      strings.checkValue(0, o);
      byte[] b = o.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      bytes.checkUtf8(0, b, b.length);
    }
    assertThat(bytes.candidateTexts()).isEqualTo(strings.candidateTexts());
    raw.forEach(strings::confirm);
    raw.forEach(bytes::confirm);
    LeakCheck.Result r = strings.result();
    assertThat(bytes.result()).isEqualTo(r);
    return r;
  }

  @Test
  void groupsJoinedBySlashesUnderscoresOrParenthesesFailTheRunOnBothPaths() {
    // Found by a probe: these passed a kept free-text column.
    String guardian = id("44130219980524940");
    List<String> shapedValues = List.of("guardian " + guardian.substring(0, 6) + "/" + guardian.substring(6, 14) + "/"
        + guardian.substring(14), "136/1234/5678", "(135)1234-5678", "134_1234_5678", "(135) 1234 5678",
        "联系人 (137) 1234 5678。", "tel 138\u00A00013\u00A08000", "tel 139\u200B3967\u200B1729",
        "mob 138\u206000130008", "tel \u0661\u0663\u0668\u0660\u0660\u0661\u0663\u0668\u0660\u0660\u0660",
        "id " + guardian.substring(0, 6) + "\u200B" + guardian.substring(6, 14) + "\u200B" + guardian.substring(14),
        "（135）1234—5678");
    List<String> clean = List.of("2024/01/05 13:30", "tel ext 1234", "12" + id("42010219751012953"),
        "order_2024_0105_1330", "2024/01/05 (1380013)");
    LeakCheck.Result r = bothPaths(List.of(), java.util.stream.Stream.concat(shapedValues.stream(), clean.stream())
        .toList());
    assertThat(r.identifierShaped()).containsEntry("v", (long) shapedValues.size());
    assertThat(r.rebuildable()).isEmpty();
    assertThat(r.equalToRaw()).isEmpty();
  }

  @Test
  void aRawIdAmongOtherDigitsOrInItsOldFifteenDigitFormFailsTheRunOnBothPaths() {
    // Found by a probe: a raw ID number followed by one more digit passed; so would its old 15-digit form.
    String resident = id("42010219751012953");
    String old = id("44030719780408196");
    List<String> leaking = List.of("No" + resident + "1", resident + "1x", "4420 1021 9751 0129 5321",
        "证号" + fullWidth(resident + "7"), "440307780408196", "旧证 440307 780408 196", "ref 9" + resident + "88 ok");
    for (String o : leaking) {
      assertThat(LeakCheck.identifierShaped(o)).as(o + ": not a shape, a random code would refuse runs").isFalse();
    }
    LeakCheck.Result r = bothPaths(List.of(resident, old), leaking);
    assertThat(r.passed()).isFalse();
    assertThat(r.rebuildable()).containsEntry("v", (long) leaking.size());
    assertThat(r.equalToRaw()).isEmpty();
    assertThat(r.identifierShaped()).isEmpty();
    assertThat(r.toString()).doesNotContain(resident).doesNotContain(old);

    LeakCheck.Result innocent = bothPaths(List.of(id("11010519491231002"), "13800138000"), leaking);
    assertThat(innocent.passed()).as("the same codes, the IDs they hold not among the raw values").isTrue();

    LeakCheck.Result exactly = bothPaths(List.of(resident, old), List.of(resident, "No " + resident));
    assertThat(exactly.equalToRaw()).as("a raw value counted once, as equal").containsEntry("v", 1L);
    assertThat(exactly.rebuildable()).as("18 digits are no longer run").isEmpty();
    assertThat(exactly.identifierShaped()).containsEntry("v", 2L);
  }

  @Test
  void aRawMobileWrittenAsAnAmountFailsTheRunOnBothPathsAnOtherSumPasses() {
    // Found by a review: the shape test reads 13,800,138,000 as a sum, so an input's mobile written so passed.
    List<String> amounts = List.of("13,800,138,000", "price 13，800，138，000 yuan", "共 " + fullWidth("13,800,138,000"),
        "13,800,138,000.");
    for (String o : amounts) {
      assertThat(LeakCheck.identifierShaped(o)).as(o + ": a sum, no shape").isFalse();
    }
    LeakCheck.Result r = bothPaths(List.of("13800138000"), amounts);
    assertThat(r.passed()).isFalse();
    assertThat(r.equalToRaw()).as("the input's number, only grouped").containsEntry("v", (long) amounts.size());
    assertThat(r.rebuildable()).isEmpty();
    assertThat(r.identifierShaped()).isEmpty();
    assertThat(r.failure()).doesNotContain("13800138000").doesNotContain("13,800,138,000");

    LeakCheck.Result sums = bothPaths(List.of("13912345678"), java.util.stream.Stream.concat(amounts.stream(),
        java.util.stream.Stream.of("1,380,013,800", "913,800,138,000", "price 13,800,138,000.50")).toList());
    assertThat(sums.passed()).as("sums that are no input's mobile, as before").isTrue();
  }

  /** {@code s} with its ASCII digits written in {@code zero}'s script (a code point: outside the BMP too). */
  private static String digitsFrom(int zero, String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(cp -> b.appendCodePoint(cp >= '0' && cp <= '9' ? zero + cp - '0' : cp));
    return b.toString();
  }

  /** {@code s} with its ASCII digits as the Chinese numerals 〇一二三四五六七八九. */
  private static String chineseNumerals(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(ch -> b.append(ch >= '0' && ch <= '9' ? "〇一二三四五六七八九".charAt(ch - '0') : (char) ch));
    return b.toString();
  }

  @Test
  void chineseNumeralsDigitsBeyondTheBmpAndCommaGroupsFailTheRunOnBothPaths() {
    // Found by a probe: a kept free-text column published raw ID numbers written these ways.
    String resident = id("44030419850307123");
    String grouped = resident.substring(0, 6) + "%s" + resident.substring(6, 14) + "%s" + resident.substring(14);
    List<String> shapedValues = List.of("身份证" + chineseNumerals(resident) + "已核验",
        "id " + digitsFrom(0x1D7CE, resident), "tel " + digitsFrom(0x1D7EC, "13800138000"),
        "tel " + digitsFrom(0x0966, "13800138000"), "id " + digitsFrom(0x104A0, resident),
        "id " + grouped.formatted(",", ","), "证件" + grouped.formatted("，", "，"), "证件" + grouped.formatted("、", "、"),
        "138、0013、8000", "tel 138，0013，8000", "号码" + chineseNumerals(grouped.formatted("、", "、")));
    List<String> clean = List.of("一九八五年三月七日，一二三四五六七八九十", "第一、二、三、四、五、六、七、八、九条",
        "price 13,800,138,000 yuan", "他说一不二，三心二意，七上八下，九九归一，四四方方", digitsFrom(0x1D7CE, "2024-05-12"),
        "1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
    LeakCheck.Result r = bothPaths(List.of(resident), java.util.stream.Stream.concat(shapedValues.stream(),
        clean.stream()).toList());
    assertThat(r.identifierShaped()).containsEntry("v", (long) shapedValues.size());
    assertThat(r.equalToRaw()).isEmpty();
    assertThat(r.rebuildable()).isEmpty();
    assertThat(r.failure()).doesNotContain(resident).doesNotContain(chineseNumerals(resident));

    // Among longer digits they are no shape (a code would refuse runs): they are tested against the raw values.
    List<String> longer = List.of("No" + chineseNumerals(resident + "1"), digitsFrom(0x1D7CE, "9" + resident),
        "ref " + grouped.formatted("、", "、") + "7", "ref " + grouped.formatted(",", ",") + ",7");
    for (String o : longer) {
      assertThat(LeakCheck.identifierShaped(o)).as(o).isFalse();
    }
    LeakCheck.Result leaked = bothPaths(List.of(resident), longer);
    assertThat(leaked.rebuildable()).containsEntry("v", (long) longer.size());
    assertThat(bothPaths(List.of(id("11010519491231002")), longer).passed()).as("their IDs not among the raw values")
        .isTrue();
  }

  @Test
  void theUtf8PreScanDecodesTextOnlyWhenItMayHoldAWideIdentifier() {
    for (String text : List.of("广东省深圳市福田区华富街道莲花一村12栋", "一九八五年三月七日", "order 12345678901234", "张三丰")) {
      byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(LeakCheck.writtenWideUtf8(b, b.length)).as(text).isFalse();
    }
    for (String text : List.of("一三八〇〇一三八〇〇〇", digitsFrom(0x1D7CE, "13800138000"), "138、0013、8000",
        "138，0013，8000", digitsFrom(0x0966, "13800138000"))) {
      byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(LeakCheck.writtenWideUtf8(b, b.length)).as(text).isTrue();
    }
  }

  @Test
  void utf8BytesFromAColumnarReaderGiveTheSameVerdictsAsStrings() {
    List<String> out = List.of("张三丰", "张*丰", "备注 13812345678 见附件", "ＩＤ４４０３０４", "440304198503071231", "x",
        "广东省深圳市福田区华富街道莲花一村12栋", "914403041001583826", "电话：13912345678。", "");
    LeakCheck strings = new LeakCheck(List.of("v"), new boolean[1], RAW.size(), 1 << 16);
    LeakCheck bytes = new LeakCheck(List.of("v"), new boolean[1], RAW.size(), 1 << 16);
    for (String r : RAW) {
      strings.addRaw(r);
      byte[] b = (r + "trailing").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      bytes.addRawUtf8(b, b.length - "trailing".length()); // only the first length bytes count
    }
    for (String o : out) {
      strings.checkValue(0, o);
      byte[] b = o.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      bytes.checkUtf8(0, java.util.Arrays.copyOf(b, b.length + 7), b.length);
    }
    assertThat(bytes.candidateTexts()).isEqualTo(strings.candidateTexts())
        .contains("张三丰", "440304198503071231", "广东省深圳市福田区华富街道莲花一村12栋");
    RAW.forEach(strings::confirm);
    RAW.forEach(bytes::confirm);
    LeakCheck.Result a = strings.result();
    LeakCheck.Result b = bytes.result();
    assertThat(b).isEqualTo(a);
    assertThat(a.equalToRaw()).containsEntry("v", 3L);
    assertThat(a.identifierShaped()).as("the ID number and the two mobiles in text").containsEntry("v", 3L);
  }

  @Test
  void aValueThatGivesBackARawIdentifierThroughItsCheckCharacterFailsTheRun() {
    List<String> raw = List.of("440304198503071231", "6222 0212 3456 7890 128");
    LeakCheck c = new LeakCheck(List.of("id_card", "card", "other"), new boolean[3], raw.size(), 1 << 16);
    raw.forEach(c::addRaw);
    // The case: mask custom keepFirst 17, exempted from the privacy check; the 18th character is the check.
    c.check(new Object[] {"44030419850307123*", "6222 0212 3456 7890 12*", "11010519491231002*"});
    c.check(new Object[] {"440304198503071230", "6222 0212 3456 7890 121", null}); // the check character changed
    c.check(new Object[] {"440304198*03071231", "6222 02#2 3456 7890 128", null}); // one digit hidden, the check kept
    c.check(new Object[] {44030419850307123L, null, null}); // the check character left out (a number, even)
    c.check(new Object[] {"440304********1231", "6222 02** **** **90 128", "4403041985030712**"}); // not one ID
    assertThat(c.needsConfirmation()).isTrue();
    raw.forEach(c::confirm);
    LeakCheck.Result r = c.result();
    assertThat(r.passed()).isFalse();
    assertThat(r.rebuildable()).containsEntry("id_card", 4L).containsEntry("card", 3L).doesNotContainKey("other");
    assertThat(r.equalToRaw()).isEmpty();
    assertThat(r.toString()).doesNotContain("440304198503071231").doesNotContain("7890 128");

    LeakCheck bytes = new LeakCheck(List.of("id_card"), new boolean[1], raw.size(), 1 << 16);
    raw.forEach(bytes::addRaw);
    byte[] wide = "44030419850307123＊".getBytes(java.nio.charset.StandardCharsets.UTF_8); // a three-byte mask character
    bytes.checkUtf8(0, wide, wide.length);
    raw.forEach(bytes::confirm);
    assertThat(bytes.result().rebuildable()).as("from a columnar reader's bytes").containsEntry("id_card", 1L);

    LeakCheck exempt = new LeakCheck(List.of("id_fpe"), new boolean[] {true}, raw.size(), 1 << 16);
    raw.forEach(exempt::addRaw);
    exempt.check(new Object[] {"44030419850307123*"});
    assertThat(exempt.result().passed()).as("a column that encrypts on purpose is not tested").isTrue();
  }

  @Test
  void findingsOfPartsMergedAndConfirmedByHashGiveTheSingleCheck() throws Exception {
    List<String> columns = List.of("name", "note", "code");
    List<Object[]> rows = List.of(new Object[] {"张三丰", "电话 13912345678", "x1"},
        new Object[] {"张*丰", "广东省深圳市福田区华富街道莲花一村12栋", "44030419850307123X"},
        new Object[] {"李四", null, "440304198503071231"}, new Object[] {"张三丰", "ok", "440304*********1231"});
    LeakCheck single = check(columns, new boolean[3], 1 << 20);
    rows.forEach(single::check);
    LeakCheck.Result expected = finish(single);
    assertThat(expected.passed()).isFalse();

    LeakFilter filter = new LeakFilter(RAW.size(), 1 << 20);
    RAW.forEach(filter::add);
    LeakCheck a = new LeakCheck(columns, new boolean[3], filter);
    LeakCheck b = new LeakCheck(columns, new boolean[3], filter);
    a.check(rows.get(0));
    a.check(rows.get(2));
    b.check(rows.get(1));
    b.check(rows.get(3));
    LeakCheck merged = new LeakCheck(columns, new boolean[3], filter);
    merged.mergeFindings(new java.io.ByteArrayInputStream(a.findingsBytes()));
    merged.mergeFindings(new java.io.ByteArrayInputStream(b.findingsBytes()));
    assertThat(merged.needsConfirmation()).isTrue();
    // An engine hashes the raw values where they are and hands every hash to the confirmation.
    ValueKey key = new ValueKey();
    RawHashes hashes = new RawHashes(merged.confirmation());
    RAW.forEach(hashes::addValue);
    hashes.flush();
    merged.confirmationComplete();
    assertThat(merged.result()).isEqualTo(expected);
    assertThat(merged.result().failure()).startsWith("leak check failed, nothing was published: name: 2 values equal "
        + "raw personal data").doesNotContain("张三丰");
    byte[] utf8 = RAW.get(2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Hash128 fromBytes = LeakCheck.rawHashUtf8(new ValueKey(), utf8, utf8.length);
    Hash128 fromString = LeakCheck.rawHash(new ValueKey(), RAW.get(2));
    assertThat(new long[] {fromBytes.h1, fromBytes.h2}).containsExactly(fromString.h1, fromString.h2);
    assertThat(LeakCheck.rawHash(key, "x")).as("too short to be personal data").isNull();
  }

  /** Raw values and output rows where most output values hit a tiny filter: candidates by the thousand. */
  private static final class Crowded {
    final List<String> raw = new java.util.ArrayList<>();
    final List<Object[]> rows = new java.util.ArrayList<>();

    Crowded(int leaks) {
      for (int i = 0; i < 300; i++) {
        raw.add("raw-person-" + i);
      }
      for (int i = 0; i < 3000; i++) {
        // every 97th row leaks a raw value into "name" (while leaks last); "id" leaks one rebuildable ID at row 5
        String name = i % 97 == 0 && i / 97 < leaks ? raw.get(i / 97) : "masked-" + i;
        String id = i == 5 && leaks > 0 ? "44030419850307123*" : "id-" + i;
        rows.add(new Object[] {name, id, "note " + i});
      }
      if (leaks > 0) {
        raw.add("440304198503071231");
      }
    }

    /** A check holding {@code inMemory} candidates in memory, spilling to {@code dir} (null: a folder of its own). */
    LeakCheck check(int inMemory, java.nio.file.Path dir) throws java.io.IOException {
      LeakCheck c = new LeakCheck(List.of("name", "id", "note"), new boolean[3], 8, 8).candidatesInMemory(inMemory);
      if (dir != null) {
        c.spillTo(dir);
      }
      raw.forEach(c::addRaw);
      rows.forEach(c::check);
      return c;
    }

    LeakCheck.Result confirmedByHashes(LeakCheck c) {
      RawHashes hashes = new RawHashes(c.confirmation());
      raw.forEach(hashes::addValue);
      hashes.flush();
      c.confirmationComplete();
      return c.result();
    }
  }

  @Test
  void candidatesBeyondMemorySpillAndAreConfirmedExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    // The smallest filter says yes to most of 9,000 output values: thousands of candidates, 100 held in memory.
    Crowded clean = new Crowded(0);
    java.nio.file.Path dir = tmp.resolve("leak-candidates");
    try (LeakCheck c = clean.check(100, dir)) {
      assertThat(c.spilled()).isTrue();
      assertThat(c.candidateTexts()).as("texts are not kept once candidates spill").isEmpty();
      try (var runs = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path run : runs.toList()) {
          assertThat(java.nio.file.Files.getPosixFilePermissions(run)).isEqualTo(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
          assertThat(new String(java.nio.file.Files.readAllBytes(run), java.nio.charset.StandardCharsets.ISO_8859_1))
              .doesNotContain("masked-").doesNotContain("raw-person-");
        }
      }
      LeakCheck.Result r = clean.confirmedByHashes(c);
      assertThat(r.candidates()).isGreaterThan(1000);
      assertThat(r.passed()).as("nothing leaks: every candidate was a chance hit").isTrue();
      assertThat(r.tooManyCandidates()).isFalse();
    }
    try (var left = java.nio.file.Files.list(dir)) {
      assertThat(left).as("closing deletes the spilled runs").isEmpty();
    }

    Crowded leaky = new Crowded(20);
    LeakCheck.Result inMemory;
    try (LeakCheck reference = leaky.check(LeakCheck.CANDIDATES_IN_MEMORY, null)) {
      assertThat(reference.spilled()).isFalse();
      inMemory = leaky.confirmedByHashes(reference);
    }
    assertThat(inMemory.equalToRaw()).isEqualTo(java.util.Map.of("name", 20L));
    assertThat(inMemory.rebuildable()).isEqualTo(java.util.Map.of("id", 1L));
    try (LeakCheck spilled = leaky.check(100, dir)) {
      assertThat(spilled.spilled()).isTrue();
      assertThat(leaky.confirmedByHashes(spilled)).as("the same verdict and counts as in memory").isEqualTo(inMemory);
    }
    try (LeakCheck byValue = leaky.check(7, null)) { // its own temporary folder; confirmed value by value
      leaky.raw.forEach(byValue::confirm);
      assertThat(byValue.result()).isEqualTo(inMemory);
    }
    try (LeakCheck unconfirmed = clean.check(100, null)) {
      LeakCheck.Result r = unconfirmed.result();
      assertThat(r.passed()).as("never passes on a guess").isFalse();
      assertThat(r.equalToRaw().values().stream().mapToLong(Long::longValue).sum()
          + r.rebuildable().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.candidates());
    }
  }

  @Test
  void aValueRepeatedInManyRowsSpillsInHashOrderAndCountsEveryRow() throws Exception {
    // One leaked value in 200,000 rows and one masked value hitting the filter by chance in as many: runs of equal
    // hashes, which the spill sorts in linear time, and every row counted once.
    try (LeakCheck c = new LeakCheck(List.of("name", "masked"), new boolean[2], 8, 8).candidatesInMemory(30_000)) {
      for (int i = 0; i < 300; i++) {
        c.addRaw("raw-person-" + i);
      }
      for (int i = 0; i < 200_000; i++) {
        c.checkUtf8(0, "raw-person-7".getBytes(java.nio.charset.StandardCharsets.UTF_8), 12);
        c.checkUtf8(1, "masked-same".getBytes(java.nio.charset.StandardCharsets.UTF_8), 11);
      }
      assertThat(c.spilled()).isTrue();
      RawHashes hashes = new RawHashes(c.confirmation());
      for (int i = 0; i < 300; i++) {
        hashes.addValue("raw-person-" + i);
        hashes.addValue("raw-person-7"); // repeats among the raw values too
      }
      hashes.flush();
      c.confirmationComplete();
      LeakCheck.Result r = c.result();
      assertThat(r.equalToRaw()).isEqualTo(java.util.Map.of("name", 200_000L));
      assertThat(r.candidates()).isEqualTo(400_000L);
    }
    long[] records = {5, 2, 0, -1, 9, 1, 5, 1, 2, 5, 2, 3, -1, 9, 4};
    assertThat(SpilledCandidates.byHash(records, 5, 3)).containsExactly(-1, 9, 1, -1, 9, 4, 5, 1, 2, 5, 2, 0, 5, 2, 3);
  }

  @Test
  void spilledFindingsOfPartsMergeIntoTheSingleCheck(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    Crowded leaky = new Crowded(20);
    LeakCheck.Result single;
    try (LeakCheck c = leaky.check(LeakCheck.CANDIDATES_IN_MEMORY, null)) {
      single = leaky.confirmedByHashes(c);
    }
    LeakFilter filter = new LeakFilter(8, 8);
    leaky.raw.forEach(filter::add);
    List<String> columns = List.of("name", "id", "note");
    try (LeakCheck a = new LeakCheck(columns, new boolean[3], filter).candidatesInMemory(50).spillTo(tmp.resolve("a"));
        LeakCheck b = new LeakCheck(columns, new boolean[3], filter).candidatesInMemory(50).spillTo(tmp.resolve("b"));
        LeakCheck merged = new LeakCheck(columns, new boolean[3], filter).candidatesInMemory(200)
            .spillTo(tmp.resolve("merged"))) {
      for (int i = 0; i < leaky.rows.size(); i++) {
        (i % 2 == 0 ? a : b).check(leaky.rows.get(i));
      }
      assertThat(a.spilled()).isTrue();
      java.nio.file.Path findings = tmp.resolve("findings.bin");
      try (var out = java.nio.file.Files.newOutputStream(findings)) {
        a.writeFindings(out);
      }
      try (var in = java.nio.file.Files.newInputStream(findings)) {
        merged.mergeFindings(in);
      }
      merged.mergeFindings(new java.io.ByteArrayInputStream(b.findingsBytes()));
      assertThat(merged.spilled()).isTrue();
      assertThat(leaky.confirmedByHashes(merged)).isEqualTo(single);
    }
  }

  @Test
  void repeatedValuesReplayWhatTestingThemAgainWouldCount() {
    // Each column repeats its values (a leak, a rebuildable ID, an identifier shape, a short code, clean values), the
    // last one with distinct values long enough for its memo to give up; checkUtf8 (never remembered) is the reference.
    List<String> columns = List.of("name", "id_masked", "note", "code", "key");
    LeakCheck remembered = check(columns, new boolean[5], 1 << 20);
    LeakCheck reference = check(columns, new boolean[5], 1 << 20);
    String[] names = {"张三丰", "张*丰", "李*"};
    String[] ids = {"44030419850307123X", "440304*********1231", "440304********1231"};
    String[] notes = {"电话 13912345678", "ok", "无"};
    String[] codes = {"x", "7", "44"};
    int rows = 3 * CheckedValues.TRIAL;
    for (int i = 0; i < rows; i++) {
      String key = "k" + (i % (CheckedValues.TRIAL + 7));
      Object[] row = {names[i % 3], ids[i % 3], notes[i % 3], codes[i % 3], key};
      remembered.check(row);
      for (int c = 0; c < row.length; c++) {
        byte[] utf8 = ((String) row[c]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        reference.checkUtf8(c, utf8, utf8.length);
      }
    }
    LeakCheck.Result expected = finish(reference);
    assertThat(expected.equalToRaw()).containsEntry("name", (long) rows / 3);
    assertThat(expected.rebuildable()).containsEntry("id_masked", (long) rows / 3);
    assertThat(expected.identifierShaped()).containsEntry("note", (long) rows / 3);
    assertThat(finish(remembered)).isEqualTo(expected);
    assertThat(remembered.candidateTexts()).isEqualTo(reference.candidateTexts());
  }

  @Test
  void typedValuesAreRememberedByEqualityNotByText() {
    // 12.50 and 12.5 are equal numbers with different texts: each keeps its own outcome.
    List<String> columns = List.of("income", "year");
    LeakCheck c = new LeakCheck(columns, new boolean[2], 4, 1 << 20);
    c.addRaw("12.50");
    for (int i = 0; i < 100; i++) {
      c.check(new Object[] {new java.math.BigDecimal("12.50"), 1985});
      c.check(new Object[] {new java.math.BigDecimal("12.5"), 1985L});
    }
    c.confirm("12.50");
    LeakCheck.Result r = c.result();
    assertThat(r.equalToRaw()).isEqualTo(java.util.Map.of("income", 100L));
    assertThat(r.valuesChecked()).isEqualTo(400);
  }

  /**
   * Hostile output rows for the batch check: a leak and a rebuildable ID among repeats, identifier shapes, values too
   * short to compare, nulls, multi-byte text, typed values (remembered and not), a column whose values rarely repeat
   * (its memo gives up), an exempt column, and a value repeated within a batch before its outcome is known.
   */
  private static List<Object[]> hostileRows(int n, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    Object[] names = {"张三丰", "张*丰", "李*", "𠀋*", "x", null, "广东省深圳市福田区华富街道莲花一村12栋"};
    Object[] ids = {"44030419850307123X", "440304*********1231", "440304********1231", "4403041985030*1231",
        "44030419850307123", "62220212345678901", null, "１２３"};
    Object[] notes = {"电话 13912345678", "ok", "无", "身份证号11010519491231002X已核验", "", null};
    Object[] typed = {1985, 1985L, new java.math.BigDecimal("12.50"), new java.math.BigDecimal("12.5"),
        java.time.LocalDate.of(1985, 3, 7), 440304198503071231L, 12.5d, -0.0d, null};
    List<Object[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {names[r.nextInt(names.length)], ids[r.nextInt(ids.length)],
          notes[r.nextInt(notes.length)], typed[r.nextInt(typed.length)],
          r.nextInt(50) == 0 ? null : "k" + r.nextInt(3 * CheckedValues.TRIAL), "110105194912310028"});
    }
    return rows;
  }

  @Test
  void chunksCheckedAtOnceAddExactlyWhatRowsCheckedOneByOneAdd() throws Exception {
    List<String> columns = List.of("name", "id", "note", "typed", "key", "fpe");
    boolean[] exempt = {false, false, false, false, false, true};
    List<Object[]> rows = hostileRows(4 * CheckedValues.TRIAL, 7);
    int[] chunks = {1, 7, 1000, 10_000, 3, 40_000};
    // A roomy filter (few chance hits) and a crowded one (the smallest filter over many raw values: most values hit).
    for (long filterBytes : new long[] {1 << 20, 8}) {
      LeakFilter filter = new LeakFilter(RAW.size(), filterBytes);
      RAW.forEach(filter::add);
      filter.add(new java.math.BigDecimal("12.50"));
      filter.add(1985);
      if (filterBytes == 8) {
        for (int i = 0; i < 300; i++) {
          filter.add("filler-" + i);
        }
      }
      for (int inMemory : new int[] {LeakCheck.CANDIDATES_IN_MEMORY, 500}) {
        try (LeakCheck oneByOne = new LeakCheck(columns, exempt, filter).candidatesInMemory(inMemory);
            LeakCheck chunked = new LeakCheck(columns, exempt, filter).candidatesInMemory(inMemory)) {
          rows.forEach(oneByOne::check);
          int at = 0;
          for (int k = 0; at < rows.size(); k++) {
            int size = Math.min(chunks[k % chunks.length], rows.size() - at);
            chunked.check(rows.subList(at, at + size));
            at += size;
          }
          String what = filterBytes + "-byte filter, " + inMemory + " candidates in memory";
          assertThat(oneByOne.spilled()).as(what).isEqualTo(inMemory == 500);
          assertThat(chunked.spilled()).as(what).isEqualTo(oneByOne.spilled());
          assertThat(chunked.candidateTexts()).as(what).isEqualTo(oneByOne.candidateTexts());
          assertThat(chunked.findingsBytes()).as(what + ": the same candidates in the same order")
              .isEqualTo(oneByOne.findingsBytes());
          for (LeakCheck c : List.of(oneByOne, chunked)) {
            RawHashes hashes = new RawHashes(c.confirmation());
            RAW.forEach(hashes::addValue);
            hashes.addValue(new java.math.BigDecimal("12.50"));
            hashes.addValue(1985);
            hashes.flush();
            c.confirmationComplete();
          }
          LeakCheck.Result expected = oneByOne.result();
          assertThat(expected.equalToRaw()).as(what).containsKeys("name", "typed");
          assertThat(expected.rebuildable()).as(what).containsKey("id");
          assertThat(expected.identifierShaped()).as(what).containsKey("note").doesNotContainKey("fpe");
          assertThat(chunked.result()).as(what).isEqualTo(expected);
        }
      }
    }
  }
}
