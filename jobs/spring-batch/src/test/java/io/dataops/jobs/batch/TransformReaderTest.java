package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.pipelines.plan.RunPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** The order the write step reads the transform's rows in, and what a restart finds of it in the step's context. */
class TransformReaderTest extends SpringBatchFixture {
  private static final RunSettings SMALL = new RunSettings("256MB", 2, 1 << 20, 250, 1000);

  /** Every row the reader gives after opening on {@code context}, each as a list of its values. */
  private List<List<Object>> read(ExecutionContext context) {
    RunState run = new RunState(lakehouse, RunPlan.of(bind(PROFILE), keys, "spring-batch", lakehouse),
        dir.resolve("work"), SMALL, null);
    TransformReader reader = new TransformReader(run, new WriteProgress());
    List<List<Object>> rows = new ArrayList<>();
    try {
      reader.open(context);
      for (List<Object[]> chunk; (chunk = reader.read()) != null; ) {
        chunk.forEach(r -> rows.add(Arrays.asList(r)));
      }
      reader.update(context);
    } finally {
      reader.close();
    }
    return rows;
  }

  private static ExecutionContext context(long rowsDone, String order) {
    ExecutionContext c = new ExecutionContext();
    if (rowsDone > 0) {
      c.putLong(ProductFileWriter.ROWS_DONE, rowsDone);
    }
    if (order != null) {
      c.putString(RowOrder.CONTEXT_KEY, order);
    }
    return c;
  }

  @Test
  void aRunKeepsItsRandomKeySoARestartSkipsExactlyTheRowsWrittenInThatOrder() {
    ExecutionContext first = context(0, null);
    List<List<Object>> all = read(first);
    String key = first.getString(RowOrder.CONTEXT_KEY);
    assertThat(key).as("a new key, saved for a restart").hasSize(32).isNotEqualTo("input");
    assertThat(all).hasSize(3000);

    assertThat(read(context(1000, key))).as("a restart after 1,000 rows written").isEqualTo(all.subList(1000, 3000));
    ExecutionContext other = context(0, null);
    List<List<Object>> again = read(other);
    assertThat(other.getString(RowOrder.CONTEXT_KEY)).as("each run its own key").isNotEqualTo(key);
    assertThat(again).as("the same rows").containsExactlyInAnyOrderElementsOf(all).isNotEqualTo(all);
  }

  @Test
  void aRunAnEarlierReleaseBeganGoesOnInTheInputsOrder() {
    List<List<Object>> inputOrder = read(context(0, "input"));
    assertThat(inputOrder).hasSize(3000);
    // An attempt of a release before row order keys checkpointed 1,000 rows and saved no key.
    ExecutionContext earlier = context(1000, null);
    assertThat(read(earlier)).isEqualTo(inputOrder.subList(1000, 3000));
    assertThat(earlier.getString(RowOrder.CONTEXT_KEY)).as("kept for its next restart").isEqualTo("input");
  }
}
