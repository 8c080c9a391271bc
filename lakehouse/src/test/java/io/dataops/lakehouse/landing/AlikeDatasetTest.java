package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: a table's name writes '-' as '_', so the datasets sp-two and sp_two landed into one table, each
 * feed under its own contract (the same file landed twice; one contract's personal markings applied to the other's
 * rows). A feed of a dataset that reads as the one a table holds is refused, naming that one.
 */
class AlikeDatasetTest extends LandingFixture {
  private static final String CONTRACT = """
      columns:
        - {name: id, type: long, required: true}
        - {name: city, type: string}
      """;

  private LandingResult land(String dataset) throws Exception {
    Path file = Files.writeString(dir.resolve(dataset + ".csv"), "id,city\n1,a\n2,b\n", StandardCharsets.UTF_8);
    return new Landing(lakehouse, 2, ProgressListener.NONE).land(new LandingRequest("dept", dataset,
        FeedFile.local(file), ContractParser.parse(CONTRACT, "test.contract.yaml"), null, Replaces.option(null)));
  }

  @Test
  void aFeedOfADatasetThatReadsAsTheTablesOwnIsRefused() throws Exception {
    assertThat(land("sp-two").rowsLanded()).isEqualTo(2);
    assertThatThrownBy(() -> land("sp_two")).isInstanceOf(BadInputException.class)
        .hasMessage("table ods.dept__sp_two holds dataset 'sp-two' of department 'dept': 'dept/sp_two' reads as that"
            + " one (names that differ only in '-' and '_' share a table); land it as dept/sp-two");
    assertThat(lakehouse.load(TableNames.ods("dept", "sp-two")).currentSnapshot().summary())
        .containsEntry("added-records", "2");
  }
}
