package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw ID number copied into a free-text column the contract does not call personal, written in Chinese numerals
 * (found by a probe: published whole): the leak check refuses the run on either engine, publishes nothing and names no
 * value.
 */
class WrittenIdentifierLeakCliTest {
  @TempDir Path dir;

  @Test
  void anIdNumberInChineseNumeralsInAFreeTextColumnIsRefusedByTheLeakCheck() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path contract = Files.writeString(dir.resolve("visits.contract.yaml"), """
        department: d
        dataset: visits
        columns:
          - {name: visit_id, type: long}
          - {name: visitor, type: string, personal: name}
          - {name: visitor_id_card, type: string, personal: id_card}
          - {name: note, type: string}
        """);
    Path feed = Files.writeString(dir.resolve("visits.csv"), """
        visit_id,visitor,visitor_id_card,note
        1,张三丰,440304198503071231,来访人身份证四四〇三〇四一九八五〇三〇七一二三一已核验
        2,李四光,11010519491231002X,咨询低保政策，第一、二、三项材料齐全
        3,王五,440304198503071231,户籍迁入办理
        """);
    String clerk = TestCast.DEPARTMENT_D;
    assertThat(CliTest.exactly("contract", "register", "--department", "d", "--dataset", "visits", "--file",
        contract.toString(), "--home", home.toString(), "--as", clerk).exit()).isZero();
    assertThat(CliTest.exactly("land", "--department", "d", "--dataset", "visits", "--file", feed.toString(),
        "--home", home.toString(), "--as", clerk).exit()).isZero();
    Path pipeline = Files.writeString(dir.resolve("visit-notes.yaml"), """
        name: visit-notes
        scenario: 窗口服务分析
        owner: op
        inputs:
          - {table: ods.d__visits, as: visits, columns: [visit_id, visitor, visitor_id_card, note]}
        policy:
          visitor: remove
          visitor_id_card: {pseudonymize: hmac-sha256, key: default, length: 16}
        # k over the visitor: the one-visit visitor's row is suppressed, the leaking note's row (a visitor seen twice)
        # is kept, so the run reaches the leak check; the note is exempt so that k does not suppress every row first.
        privacy:
          quasiIdentifiers: [visitor_id_card]
          k: 2
          exempt:
            visit_id: "the window's own serial number, which no outsider knows"
            note: "free text: the leak check, not k, guards what it carries"
        product: visit-notes
        """);
    TestCast.grant(home, "窗口服务分析", "visit-notes");
    for (String engine : java.util.List.of("spring-batch", "flink")) {
      CliTest.Run run = CliTest.exactly("pipeline", "run", pipeline.toString(), "--engine", engine, "--home",
          home.toString(), "--as", TestCast.OPERATOR);
      assertThat(run.exit()).as(engine + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).as(engine).startsWith("dataops: leak check failed, nothing was published: note: 1 values "
          + "contain an ID or mobile number").doesNotContain("四四〇三", "440304", "张三丰");
    }
    CliTest.Run products = CliTest.exactly("product", "list", "--json", "--home", home.toString(), "--as",
        TestCast.OPERATOR);
    assertThat(products.exit()).as(products.err()).isZero();
    assertThat(products.json()).as("no version was made").isEmpty();
  }
}
