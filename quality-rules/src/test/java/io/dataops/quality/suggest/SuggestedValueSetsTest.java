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

  @Test
  void valueSetsAreInTheColumnsTypeSoTheSuggestedSuitePassesOnItsOwnTable() throws Exception {
    // Found by a probe: an int column's set was written as text ("1", "10", ...) and the suggested suite failed
    // every row of the table it was suggested for.
    StringBuilder csv = new StringBuilder("id,n,big,flag,kind\n");
    for (int i = 0; i < 51; i++) {
      csv.append(i).append(',').append(i % 11).append(',').append(10_000_000_000L + i % 3).append(',')
          .append(i % 2 == 0).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
    }
    land("typed", """
        columns:
          - {name: id, type: long}
          - {name: n, type: int}
          - {name: big, type: long}
          - {name: flag, type: boolean}
          - {name: kind, type: string}
        """, csv.toString());
    Suggester.Suggestion s = new Suggester(lakehouse, dir.resolve("work"), 2).suggest(table("typed"));
    String suite = new ObjectMapper().writeValueAsString(s.suite());
    assertThat(suite).contains("\"value_set\":[0,1,2,3,4,5,6,7,8,9,10]")
        .contains("\"value_set\":[10000000000,10000000001,10000000002]")
        .contains("\"value_set\":[false,true]").contains("\"value_set\":[\"a\",\"b\"]")
        .contains("the smallest value was 0\"");
    var report = run("typed", suite);
    assertThat(report.validation().results()).allSatisfy(r -> assertThat(r.success()).as(r.toString()).isTrue());
  }
}
