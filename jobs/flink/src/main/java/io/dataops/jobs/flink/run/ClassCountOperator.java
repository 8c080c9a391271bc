package io.dataops.jobs.flink.run;

import io.dataops.core.files.ProcessScratch;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.ClassCounts;
import io.dataops.pipelines.run.PolicyDescription;
import io.dataops.pipelines.run.RowPolicies;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * The privacy check's first pass on one subtask: the transform's privacy columns with their policies applied (keys
 * from the task's own configuration), counted into equivalence classes (spilling to the task's scratch folder beyond
 * the budget); at the end of its rows the part's counts are written to the run's scratch folder and named in an
 * accumulator, for the client to merge into the single-pass verdict.
 */
final class ClassCountOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<Row, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  static final String PARTS = "dataops.class-count-parts";

  private final PolicyDescription description;
  private final TaskKeys keys;
  private final ShippedPrivacy privacy;
  private final ArrayList<ColumnType> types;
  private final int[] targets;
  private final RunScratch scratch;
  private final long memoryBudget;
  private transient RowPolicies policies;
  private transient AnonymityCheck check;
  private transient Path spill;
  private transient ListAccumulator<String> parts;

  /**
   * @param types the transform's column types (all of them)
   * @param targets where each column of the rows goes in a transform row (the privacy columns)
   */
  ClassCountOperator(PolicyDescription description, TaskKeys keys, ShippedPrivacy privacy, List<ColumnType> types,
      int[] targets, RunScratch scratch, long memoryBudget) {
    this.description = description;
    this.keys = keys;
    this.privacy = privacy;
    this.types = new ArrayList<>(types);
    this.targets = targets.clone();
    this.scratch = scratch;
    this.memoryBudget = memoryBudget;
  }

  @Override
  public void open() throws Exception {
    super.open();
    policies = description.rowPolicies(keys.open());
    spill = Files.createTempDirectory(Path.of(getContainingTask().getEnvironment().getTaskManagerInfo()
        .getTmpDirectories()[0]), "dataops-classes");
    check = privacy.newCheck(spill, memoryBudget);
    parts = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(PARTS, parts);
  }

  @Override
  public void processElement(StreamRecord<Row> element) {
    Object[] row = FlinkValues.fromRow(element.getValue(), types, targets, types.size());
    Object[] product = policies.applyForPrivacy(row);
    check.add(policies.quasiIdentifiers(product), policies.sensitive(product), policies.weight(product),
        policies.person(product));
  }

  @Override
  public void endInput() throws IOException {
    var task = getRuntimeContext().getTaskInfo();
    String name = "classes-" + task.getIndexOfThisSubtask() + "-" + task.getAttemptNumber() + ".bin";
    try (ClassCounts counts = check.counts(); OutputStream out = scratch.create(name)) {
      counts.writeTo(out);
    }
    parts.add(scratch.location(name));
  }

  @Override
  public void close() throws Exception {
    try {
      if (check != null) {
        check.close();
      }
      if (spill != null) {
        ProcessScratch.deleteTree(spill);
      }
    } finally {
      super.close();
    }
  }
}
