package io.dataops.quality.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.quality.QualityFixture;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: a suggested suite listed the raw ID and mobile numbers of a column its contract does not call
 * personal as a value set, printed and written to a shared file.
 */
class SuggestedValueSetsTest extends QualityFixture {
  @Test
  void aColumnHoldingIdentifiersGetsNoValueSet() throws Exception {
    StringBuilder csv = new StringBuilder("id,note,kind,contact\n");
    String[] notes = {"110101199003071233", "13912345678", "ok"};
    // found by a later probe: identifiers as people write them were listed
    String[] contacts = {"+86 137-1234-5678", "441302/19980524/9405", "none"};
    for (int i = 0; i < 30; i++) {
      csv.append(i).append(',').append(notes[i % 3]).append(',').append(i % 2 == 0 ? "a" : "b").append(',')
          .append(contacts[i % 3]).append('\n');
    }
    land("notes", """
        columns:
          - {name: id, type: long}
          - {name: note, type: string}
          - {name: kind, type: string}
          - {name: contact, type: string}
        """, csv.toString());
    Suggester.Suggestion s = new Suggester(lakehouse, dir.resolve("work"), 2).suggest(table("notes"));
    String suite = new ObjectMapper().writeValueAsString(s.suite());
    assertThat(suite).doesNotContain("110101199003071233").doesNotContain("13912345678")
        .doesNotContain("137-1234-5678").doesNotContain("19980524");
    assertThat(suite).as("a column without identifiers still gets its set").contains("\"value_set\":[\"a\",\"b\"]");
  }
}
