package io.dataops.pipelines.plan;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.TransformScan;
import io.dataops.pipelines.privacy.Population;
import io.dataops.pipelines.run.RowPolicies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pipeline's population table ({@code privacy.population}) as the privacy check reads it: its pinned snapshot's
 * files streamed from DuckDB (locked as the transform is), only the rows the run's grant lets through when it is a
 * granted resource (an ods table: its row filter applies as to an input), each row's quasi-identifier columns through
 * the product columns' policies and the chosen generalization, so that its people fall into the product's classes.
 * A narrower population only raises the journalist risk: the estimate stays on the safe side.
 */
final class PopulationTable implements Population {
  /**
   * The table pinned to its snapshot, its data files as local paths, and the row filter of the grant it is read
   * under (null: all rows).
   */
  record Pinned(BoundPipeline.Population table, List<String> files, String grantFilter) {}

  private final Pinned pinned;
  private final BoundPipeline pipeline;
  private final Path spill;

  PopulationTable(Pinned pinned, BoundPipeline pipeline, Path spill) {
    this.pinned = pinned;
    this.pipeline = pipeline;
    this.spill = spill;
  }

  /**
   * Pins the pipeline's population table (null when it names none) under {@code grants} (null: ungoverned), which
   * must give its quasi-identifier columns when it is an ods table.
   */
  static Pinned pin(Lakehouse lakehouse, BoundPipeline pipeline, List<ReadGrant> grants) {
    BoundPipeline.Population p = pipeline.privacy() == null ? null : pipeline.privacy().population();
    if (p == null) {
      return null;
    }
    PinnedInput in = PinnedInput.governed(lakehouse, input(p), grants, () -> PinnedInput.of(lakehouse, input(p)),
        pipeline.definition());
    return new Pinned(p, LocalFiles.of(lakehouse.io()).paths(in.dataFiles(), "the population count"),
        in.grantFilter());
  }

  private static BoundPipeline.BoundInput input(BoundPipeline.Population p) {
    return new BoundPipeline.BoundInput("population", p.table(), p.snapshotId(), p.columns(), Map.of(), null);
  }

  @Override
  public String table() {
    return pinned.table().table().toString();
  }

  @Override
  public long snapshotId() {
    return pinned.table().snapshotId();
  }

  @Override
  public void forEach(int[] levels, Consumer<Object[]> sink) {
    RowPolicies policies = new RowPolicies(pipeline);
    List<String> columns = new ArrayList<>(pinned.table().columns().keySet());
    String sql = "SELECT " + String.join(", ", columns.stream().map(c -> '"' + c.replace("\"", "\"\"") + '"')
        .toList()) + " FROM population";
    try (TransformScan scan = new TransformScan(List.of(input(pinned.table())), List.of(pinned.files()),
        java.util.Collections.singletonList(pinned.grantFilter()), sql, columns,
        new ArrayList<>(pinned.table().columns().values()), spill, pipeline.definition().source(),
        pipeline.definition().privacy().populationLine())) {
      for (Object[] raw = scan.next(); raw != null; raw = scan.next()) {
        sink.accept(policies.quasiIdentifiersOfRaw(raw, levels));
      }
    }
  }
}
