package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/** JSON Lines feeds crafted by a probe (probe O), landed through the real landing path. */
class JsonLinesHostileFeedTest extends LandingFixture {

  static final String CONTRACT = """
      format: jsonl
      columns:
        - {name: rid, type: string, required: true, maxLength: 20}
        - {name: id_card, type: string, personal: id_card}
        - {name: mobile, type: string, personal: mobile}
        - {name: txt, type: string}
        - {name: n, type: long}
        - {name: d, type: double}
        - {name: b, type: boolean}
      """;

  private LandingResult landJson(String contract, byte[] content) {
    LandingResult r = land(contract, "feed.jsonl", content);
    assertThat(r.rowsRead()).as("every row landed or quarantined").isEqualTo(r.rowsLanded() + r.rowsQuarantined());
    return r;
  }

  private LandingResult landJson(String contract, String content) {
    return landJson(contract, content.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> reasons() {
    return quarantineRows().stream().map(x -> (String) x.getField("reason")).toList();
  }

  @Test
  void aNumberWithAHugeExponentIsMeasuredNotWrittenOut() {
    // Found by a probe: {"txt":1e999999999} ran the landing out of memory; 1e2147483647 failed it outright.
    LandingResult r = landJson(CONTRACT, """
        {"rid":"r1","txt":1e999999999}
        {"rid":"r2","txt":1e2147483647}
        {"rid":"r3","txt":-1e-2147483647}
        {"rid":1e99999999}
        {"rid":"r5","txt":1.5e3,"n":12e1}
        {"rid":"r6","d":1e400}
        {"rid":"r7","d":-1e400}
        {"rid":"r8","n":1e2147483647}
        {"rid":"r9","b":1.5}
        {"rid":"r10","b":1.0,"d":2.5e0}
        {"rid":"r11","b":1e2147483647}
        {"rid":"r12","txt":1e2147483648,"d":1e-2147483648}
        """);
    assertThat(r.rowsRead()).isEqualTo(12);
    assertThat(r.rowsLanded()).isEqualTo(2);
    List<Record> ok = odsRows();
    assertThat(ok.get(0).getField("txt")).isEqualTo("1500");
    assertThat(ok.get(0).getField("n")).isEqualTo(120L);
    assertThat(ok.get(1).getField("b")).isEqualTo(true);
    assertThat(ok.get(1).getField("d")).isEqualTo(2.5);
    assertThat(quarantineRows()).extracting(x -> x.getField("rule")).containsExactly(Problem.BAD_VALUE,
        Problem.BAD_VALUE, Problem.BAD_VALUE, Problem.TOO_LONG, Problem.BAD_VALUE, Problem.BAD_VALUE,
        Problem.BAD_VALUE, Problem.BAD_VALUE, Problem.BAD_VALUE, Problem.BAD_VALUE);
    assertThat(reasons()).containsExactly(
        "column txt: a number of 1000000000 digits written out, out of range for text (at most 1000)",
        "column txt: a number of 2147483648 digits written out, out of range for text (at most 1000)",
        "column txt: a number of 2147483648 digits written out, out of range for text (at most 1000)",
        "column rid: a number of length 100000000 exceeds maxLength 20",
        "column d: out of the range of double",
        "column d: out of the range of double",
        "column n: not a whole number in the range of long",
        "column b: not a boolean (0 or 1)",
        "column b: not a boolean (0 or 1)",
        "column txt: a number whose exponent is out of range; column d: out of the range of double (too close to zero:"
            + " it would land as 0)");
  }

  @Test
  void aDoubleTooCloseToZeroIsQuarantinedAndMinusZeroKeepsItsSign() {
    // Found by a probe: 1e-400 landed as 0.0 (as 1e400 is out of range, so is a non-zero number that would land as
    // 0), and -0.0 as 0.0, a BigDecimal having no -0.
    LandingResult r = landJson(CONTRACT, """
        {"rid":"z1","d":1e-400}
        {"rid":"z2","d":-1e-400}
        {"rid":"z3","d":0e-400}
        {"rid":"z4","d":-0.0}
        {"rid":"z5","d":-0}
        {"rid":"z6","d":4.9e-324}
        {"rid":"z7","d":0.000e5}
        """);
    assertThat(r.rowsRead()).isEqualTo(7);
    assertThat(odsRows()).extracting(x -> x.getField("rid")).containsExactly("z3", "z4", "z5", "z6", "z7");
    assertThat(odsRows()).extracting(x -> Double.doubleToRawLongBits((Double) x.getField("d"))).containsExactly(
        Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(Double.MIN_VALUE), Double.doubleToRawLongBits(0.0));
    assertThat(quarantineRows()).extracting(x -> x.getField("rule")).containsOnly(Problem.BAD_VALUE);
    assertThat(reasons()).containsExactly(
        "column d: out of the range of double (too close to zero: it would land as 0)",
        "column d: out of the range of double (too close to zero: it would land as 0)");
  }

  @Test
  void maxRecordBytesHoldsForEveryLineNotOnlyBeyondTheReadBuffer() {
    // Found by a probe: a 100,000-byte line landed under a limit of 1,024 while a 5,000-byte line was quarantined.
    String contract = CONTRACT + "maxRecordBytes: 1024\n";
    String jsonl = "{\"rid\":\"m1\",\"txt\":\"" + "a".repeat(100_000) + "\"}\n"
        + "{\"rid\":\"m2\",\"txt\":\"ok\"}\n"
        + "{\"rid\":\"m3\",\"txt\":\"" + "b".repeat(5_000) + "\"}\n"
        + "{\"rid\":\"m4\",\"txt\":\"" + "c".repeat(1_024 - 22) + "\"}\r\n"; // exactly 1,024 bytes before its CRLF
    LandingResult r = landJson(contract, jsonl);
    assertThat(r.rowsRead()).isEqualTo(4);
    assertThat(odsRows()).extracting(x -> x.getField("rid")).containsExactly("m2", "m4");
    assertThat(quarantineRows()).extracting(x -> x.getField("rule"))
        .containsExactly(Problem.RECORD_TOO_LONG, Problem.RECORD_TOO_LONG);
    assertThat(quarantineRows()).extracting(x -> x.getField("line_number")).containsExactly(1L, 3L);
    assertThat(reasons()).allMatch(x -> x.equals("the row is longer than maxRecordBytes (1024); its first 1024 bytes"
        + " are kept"));
  }

  @Test
  void aUtf8ByteOrderMarkOverridesTheContractsEncoding() {
    // Found by a probe: the mark was skipped but the text read as GBK, and 张伟 landed as 寮犱紵.
    String contract = CONTRACT + "encoding: GBK\n";
    byte[] body = "{\"rid\":\"c1\",\"txt\":\"张伟\"}\n{\"rid\":\"c2\",\"txt\":\"张三 福田区\"}\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] file = new byte[body.length + 3];
    file[0] = (byte) 0xEF;
    file[1] = (byte) 0xBB;
    file[2] = (byte) 0xBF;
    System.arraycopy(body, 0, file, 3, body.length);
    LandingResult r = landJson(contract, file);
    assertThat(r.encoding()).isEqualTo("UTF-8");
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(odsRows()).extracting(x -> x.getField("txt")).containsExactly("张伟", "张三 福田区");
  }

  @Test
  void aNulOrAByteOrderMarkInAStringIsABadValueAsInCsv() {
    // Found by a probe: JSON's escapes of U+0000 and U+FEFF landed, where CSV quarantines both.
    String jsonl = "{\"rid\":\"a1\",\"txt\":\"nul\\u0000secret\"}\n"
        + "{\"rid\":\"a2\",\"txt\":\"fine\"}\n"
        + "{\"rid\":\"a3\",\"txt\":\"bom\\ufeffsecret\"}\n"
        + "{\"rid\":\"a4\",\"txt\":\"bom\uFEFFraw\"}\n";
    LandingResult r = landJson(CONTRACT, jsonl);
    assertThat(r.rowsRead()).isEqualTo(4);
    assertThat(odsRows()).extracting(x -> x.getField("rid")).containsExactly("a2");
    assertThat(quarantineRows()).extracting(x -> x.getField("rule")).containsOnly(Problem.BAD_VALUE);
    assertThat(reasons()).containsExactly("column txt: holds a NUL character (U+0000)",
        "column txt: holds a byte-order mark character (U+FEFF)",
        "column txt: holds a byte-order mark character (U+FEFF)");
  }

  /**
   * A value the reader would not hand on (a NUL, a byte-order mark, a JSON number for an identifier, nested JSON, a
   * double beyond range) stopped the line's other values being checked: every column's problem is told, in the
   * contract's column order, and a problem of the line as a whole (an undeclared field) still comes with its values'.
   */
  @Test
  void aRowsReasonTellsEveryColumnsProblemInColumnOrder() {
    String jsonl = "{\"b\":\"maybe\",\"d\":{\"x\":1},\"n\":\"seven\",\"txt\":\"a\\u0000b\","
        + "\"mobile\":13800138000}\n"
        + "{\"rid\":\"r2\",\"n\":2}\n"
        + "{\"rid\":\"r3\",\"zz\":1,\"txt\":\"\\ufeff\",\"d\":1e400,\"n\":\"x\"}\n";
    LandingResult r = landJson(CONTRACT, jsonl);
    assertThat(r.rowsRead()).isEqualTo(3);
    assertThat(odsRows()).extracting(x -> x.getField("rid")).containsExactly("r2");
    List<Record> bad = quarantineRows();
    assertThat(bad).extracting(x -> x.getField("row_number")).containsExactly(1L, 3L);
    assertThat(reasons()).containsExactly(
        "column rid: required value is missing; "
            + "column mobile: a JSON number in a column of mobile values, which JSON writers can change (JavaScript"
            + " keeps about 16 digits): send the value as a JSON string; "
            + "column txt: holds a NUL character (U+0000); "
            + "column n: not a whole number (long); "
            + "column d: nested JSON where a single value was promised; "
            + "column b: not a boolean (true/false, yes/no, 1/0, 是/否)",
        "field 'zz' is not declared in the contract; "
            + "column txt: holds a byte-order mark character (U+FEFF); "
            + "column d: out of the range of double");
    assertThat(bad).extracting(x -> x.getField("rule")).containsExactly(Problem.MISSING_REQUIRED,
        Problem.UNEXPECTED_FIELD);
  }

  @Test
  void anIdentifierTypedAsAJsonNumberIsQuarantinedAsInExcel() {
    // Found by a probe: JSON.stringify(110101199003077774) gives 110101199003077780, which landed.
    String jsonl = """
        {"rid":"a13","id_card":110101199003077780}
        {"rid":"a14","mobile":13800138000}
        {"rid":"a15","mobile":1.3800138e10}
        {"rid":"a16","id_card":"110101199003077774","mobile":"13800138000","txt":13800138000}
        """;
    LandingResult r = landJson(CONTRACT, jsonl);
    assertThat(r.rowsRead()).isEqualTo(4);
    assertThat(odsRows()).extracting(x -> x.getField("rid")).containsExactly("a16");
    assertThat(odsRows().get(0).getField("txt")).as("a number in a column not of identifiers").isEqualTo("13800138000");
    assertThat(reasons()).containsExactly(
        "column id_card: a JSON number in a column of id_card values, which JSON writers can change (JavaScript keeps"
            + " about 16 digits): send the value as a JSON string",
        "column mobile: a JSON number in a column of mobile values, which JSON writers can change (JavaScript keeps"
            + " about 16 digits): send the value as a JSON string",
        "column mobile: a JSON number in a column of mobile values, which JSON writers can change (JavaScript keeps"
            + " about 16 digits): send the value as a JSON string");
  }

  @Test
  void undeclaredFieldNamesAreShownOnlyAsNamesAndVisibly() {
    // Found by a probe: an 18-digit key with a wrong check digit was kept in full (the masker does not see it as an
    // ID), and C1 controls and bidirectional overrides stayed in the reason.
    String jsonl = "{\"rid\":\"k1\",\"110101199003077777\":\"x\"}\n"
        + "{\"rid\":\"k2\",\"13800138000\":\"x\"}\n"
        + "{\"rid\":\"k3\",\"\\u202etxt2\":\"x\",\"a\\u009bb\":1}\n"
        + "{\"rid\":\"k4\",\"txt\":\"a\",\"\\u001ftxt\":\"b\"}\n"
        + "{\"rid\":\"k5\",\"\\u001fTXT\":{\"x\":1}}\n"
        + "{\"rid\":\"k6\"}\n";
    LandingResult r = landJson(CONTRACT, jsonl);
    assertThat(r.rowsRead()).isEqualTo(6);
    assertThat(r.rowsLanded()).isEqualTo(1);
    List<String> reasons = reasons();
    assertThat(reasons).containsExactly(
        "a field the contract does not declare (its name is not shown: it looks like a value, not a name)",
        "a field the contract does not declare (its name is not shown: it looks like a value, not a name)",
        "field '<U+202E>txt2' is not declared in the contract; field 'a<U+009B>b' is not declared in the contract",
        "field '\u241ftxt' appears more than once in the line",
        "column txt: nested JSON where a single value was promised");
    assertThat(String.join("", reasons)).doesNotContain("1101011990", "13800138000", "\u202e", "\u009b", "\u001f");
  }

  @Test
  void aUtf16FileIsRefusedNotCountedAsRows() {
    // Found by a probe: the trailing NUL of UTF-16 counted as a third row of a two-line file.
    String text = "{\"rid\":\"u1\",\"txt\":\"张伟\"}\n{\"rid\":\"u2\",\"txt\":\"ok\"}\n";
    for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
      assertThatThrownBy(() -> land(CONTRACT, "feed.jsonl", text.getBytes(cs))).as(cs.name())
          .isInstanceOf(BadInputException.class)
          .hasMessage("the file is UTF-16; send JSON Lines as UTF-8, GBK or GB18030");
    }
  }

  @Test
  void aRecordLongerThanTheHeapCanParseRefusesTheFeedInsteadOfRunningOutOfMemory() {
    // Found by a probe: a 200 MB line, within maxRecordBytes, ran a 1 GB heap out of memory.
    long budget = Runtime.getRuntime().maxMemory() / 16;
    byte[] head = "{\"rid\":\"h1\"}\n{\"rid\":\"h2\",\"txt\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] file = Arrays.copyOf(head, (int) budget + 64);
    Arrays.fill(file, head.length, file.length - 3, (byte) 'x');
    file[file.length - 3] = '"';
    file[file.length - 2] = '}';
    file[file.length - 1] = '\n';
    assertThatThrownBy(() -> land(CONTRACT + "maxRecordBytes: 268435456\n", "feed.jsonl", file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("line 2 is longer than " + budget / (1 << 20) + " MB: maxRecordBytes (268,435,456)"
            + " allows it, but one JSON record can take at most a sixteenth of the heap")
        .hasMessageEndingWith("land the feed again with a larger heap (DATAOPS_HEAP=4g parses records up to 256 MB)"
            + " or lower maxRecordBytes");
  }
}
