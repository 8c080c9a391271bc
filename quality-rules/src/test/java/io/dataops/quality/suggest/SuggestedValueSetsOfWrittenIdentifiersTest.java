package io.dataops.quality.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.lakehouse.table.PreviewMask;
import io.dataops.quality.QualityFixture;
import org.junit.jupiter.api.Test;

/**
 * Identifiers written in Chinese numerals, in digits beyond the first 65,536 code points or in groups joined by commas
 * (found by a probe: they passed a product's leak check; the reports share its patterns): a suggested suite lists no
 * value set holding them, and a report shows them masked.
 */
class SuggestedValueSetsOfWrittenIdentifiersTest extends QualityFixture {
  /** 440304198503071231 in Chinese numerals, mobiles in mathematical bold digits and with enumeration commas. */
  private static final String[] CONTACTS = {"身份证四四〇三〇四一九八五〇三〇七一二三一", "tel 𝟏𝟑𝟖𝟎𝟎𝟏𝟑𝟖𝟎𝟎𝟎",
      "138、0013、8000", "440304,19850307,1231"};

  @Test
  void aColumnHoldingWrittenIdentifiersGetsNoValueSetAndReportsMaskThem() throws Exception {
    StringBuilder csv = new StringBuilder("id,kind,contact\n");
    for (int i = 0; i < 40; i++) {
      csv.append(i).append(',').append(i % 2 == 0 ? "a" : "b").append(",\"").append(CONTACTS[i % CONTACTS.length])
          .append("\"\n");
    }
    land("contacts", """
        columns:
          - {name: id, type: long}
          - {name: kind, type: string}
          - {name: contact, type: string}
        """, csv.toString());
    Suggester.Suggestion s = new Suggester(lakehouse, dir.resolve("work"), 2).suggest(table("contacts"));
    String suite = new ObjectMapper().writeValueAsString(s.suite());
    assertThat(suite).doesNotContain("〇三〇四一九八五").doesNotContain("𝟎𝟏𝟑𝟖").doesNotContain("0013、8000")
        .doesNotContain("19850307");
    assertThat(suite).as("a column without identifiers still gets its set").contains("\"value_set\":[\"a\",\"b\"]");

    for (String contact : CONTACTS) {
      assertThat(PreviewMask.maskIdentifiers(contact)).as(contact).doesNotContain("〇三〇四").doesNotContain("𝟎𝟏𝟑")
          .doesNotContain("0013").doesNotContain("19850307");
    }
  }
}
