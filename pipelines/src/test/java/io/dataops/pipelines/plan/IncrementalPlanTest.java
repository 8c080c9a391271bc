package io.dataops.pipelines.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.definition.PipelineException;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.testing.PipelineFixture;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/** {@code mode: incremental}: read, refused where it would be wrong, and pinned to what was appended. */
class IncrementalPlanTest extends PipelineFixture {
  static final String CONTRACT = """
      columns:
        - {name: visit_id, type: long}
        - {name: street, type: string}
        - {name: topic, type: string}
      """;
  static final TableIdentifier VISITS = TableIdentifier.of("ods", "street_office__visits");

  static String pipeline(String transform, String extra) {
    return """
        name: visits
        scenario: 社区服务
        owner: futian-operator
        inputs:
          - table: ods.street_office__visits
            as: visits
            columns: [visit_id, street, topic]
        transform: |
          %s
        product: visits
        mode: incremental
        %s""".formatted(transform, extra);
  }

  private long landVisits(int first, int count) throws Exception {
    StringBuilder csv = new StringBuilder("visit_id,street,topic\n");
    for (int i = first; i < first + count; i++) {
      csv.append(i).append(",街道").append(i % 3).append(",话题").append(i % 5).append('\n');
    }
    return land("street-office", "visits", CONTRACT, csv.toString()).snapshotId();
  }

  private BoundPipeline bind(String yaml) {
    return new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(yaml, "p.yaml"), dir);
  }

  @Test
  void theModeIsReadWithItsLineAndFullIsTheDefault() {
    PipelineDefinition d = PipelineParser.parse(pipeline("SELECT visit_id FROM visits", ""), "p.yaml");
    assertThat(d.incremental()).isTrue();
    assertThat(d.modeLine()).isEqualTo(11);
    assertThat(PipelineParser.parse(pipeline("SELECT visit_id FROM visits", "").replace("mode: incremental\n", ""),
        "p.yaml").incremental()).isFalse();
    assertThatThrownBy(() -> PipelineParser.parse(pipeline("SELECT visit_id FROM visits", "")
        .replace("mode: incremental", "mode: streaming"), "p.yaml"))
        .isInstanceOf(PipelineException.class).hasMessageStartingWith("p.yaml:11: mode must be 'full'");
  }

  @Test
  void whatNeedsEarlierRowsIsRefusedAtTheModesLine() throws Exception {
    landVisits(1, 10);
    assertThatThrownBy(() -> bind(pipeline("SELECT street, count(*) AS n FROM visits GROUP BY street", "")))
        .isInstanceOf(PipelineException.class).hasMessageStartingWith("p.yaml:11: mode: incremental cannot run")
        .hasMessageContaining("aggregates");
    assertThatThrownBy(() -> bind(pipeline("SELECT DISTINCT street FROM visits", "")))
        .isInstanceOf(PipelineException.class).hasMessageContaining("DISTINCT").hasMessageContaining("p.yaml:11:");
    assertThat(bind(pipeline("SELECT street, topic FROM visits", "privacy: {quasiIdentifiers: [street], k: 2}\n"))
        .definition().incremental()).as("k-anonymity over the whole product: held-back rows").isTrue();
  }

  @Test
  void aRunReadsWhatWasAppendedAfterTheProductsLastVersionUpToItsSnapshot() throws Exception {
    long s1 = landVisits(1, 10);
    long s2 = landVisits(11, 5);
    long s3 = landVisits(16, 7);
    BoundPipeline p = bind(pipeline("SELECT visit_id, street FROM visits", ""));
    RunPlan first = RunPlan.of(p, keys, "spring-batch", lakehouse);
    assertThat(first.inputs()).singleElement().satisfies(in -> {
      assertThat(in.fromExclusive()).isNull();
      assertThat(in.rows()).isEqualTo(22);
    });
    assertThat(first.nothingNew()).isFalse();

    PinnedInput later = PinnedInput.increment(lakehouse, p.inputs().get(0), s1);
    assertThat(later.rows()).isEqualTo(12);
    Table table = lakehouse.load(VISITS);
    assertThat(later.dataFiles()).hasSize(2).doesNotContainAnyElementsOf(
        files(table, s1));
    assertThat(PinnedInput.increment(lakehouse, p.inputs().get(0), s3).nothingNew()).isTrue();
    assertThat(RunPlan.of(p, keys, "spring-batch", lakehouse).identity().inputs())
        .isEqualTo("ods.street_office__visits@.." + s3);
    assertThat(s2).isNotEqualTo(s3);
  }

  @Test
  void rowsDeletedOrOverwrittenSinceTheLastVersionAreRefusedNamingTableAndSnapshot() throws Exception {
    long s1 = landVisits(1, 10);
    Table table = lakehouse.load(VISITS);
    DataFile first = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    table.newDelete().deleteFile(first).commit();
    long deleted = lakehouse.load(VISITS).currentSnapshot().snapshotId();
    landVisits(11, 5);
    BoundPipeline p = bind(pipeline("SELECT visit_id, street FROM visits", ""));
    assertThatThrownBy(() -> PinnedInput.increment(lakehouse, p.inputs().get(0), s1))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("table ods.street_office__visits: snapshot " + deleted + " (delete) changed or "
            + "removed rows since snapshot " + s1);
  }

  private static java.util.List<String> files(Table table, long snapshot) {
    java.util.List<String> out = new java.util.ArrayList<>();
    table.snapshot(snapshot).addedDataFiles(table.io()).forEach(f -> out.add(f.location()));
    return out;
  }

  @Test
  void summariesOfSnapshotsReadBack() {
    assertThat(Increment.parse("{ods.a=1, ods.b=-2}")).isEqualTo(Map.of("ods.a", 1L, "ods.b", -2L));
    assertThat(Increment.parse(Increment.format(Map.of("ods.a", 7L)))).isEqualTo(Map.of("ods.a", 7L));
    assertThat(Increment.parse("")).isEmpty();
  }
}
