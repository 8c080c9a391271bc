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
    StringBuilder csv = new StringBuilder("id,note,kind\n");
    String[] notes = {"110101199003071233", "13912345678", "ok"};
    for (int i = 0; i < 30; i++) {
      csv.append(i).append(',').append(notes[i % 3]).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
    }
    land("notes", """
        columns:
          - {name: id, type: long}
          - {name: note, type: string}
          - {name: kind, type: string}
        """, csv.toString());
    Suggester.Suggestion s = new Suggester(lakehouse, dir.resolve("work"), 2).suggest(table("notes"));
    String suite = new ObjectMapper().writeValueAsString(s.suite());
    assertThat(suite).doesNotContain("110101199003071233").doesNotContain("13912345678");
    assertThat(suite).as("a column without identifiers still gets its set").contains("\"value_set\":[\"a\",\"b\"]");
  }
}
