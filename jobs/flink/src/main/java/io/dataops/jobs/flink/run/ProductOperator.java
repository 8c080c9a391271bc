package io.dataops.jobs.flink.run;

import io.dataops.core.files.ProcessScratch;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.LeakFilter;
import io.dataops.pipelines.run.PolicyDescription;
import io.dataops.pipelines.run.RowPolicies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

/**
 * The write pass on one subtask: each transform row gets its policies (rebuilt with the task's keys), is suppressed
 * when the verdict says its class is too small, else its values are tested against the run's merged leak filter and
 * it goes on, as a row of the product's write schema, to the writer chained after this operator. At the end it
 * reports its counts, the values its policies could not treat, and its leak findings (hashes, never values).
 */
final class ProductOperator extends AbstractStreamOperator<RowData>
    implements OneInputStreamOperator<Row, RowData>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  static final String READ = "dataops.rows-read";
  static final String SUPPRESSED = "dataops.rows-suppressed";
  static final String WRITTEN = "dataops.rows-written";
  static final String UNFIT = "dataops.unfit-values";
  static final String FINDINGS = "dataops.leak-findings";

  /**
   * Where the suppressed rows a full run keeps go, desensitized, as its version's held rows (the state an incremental
   * run continues from: {@code ProductClasses.keepsState}): a writer of their own takes them, never the product's.
   */
  static org.apache.flink.util.OutputTag<RowData> heldRows(RowType rowType) {
    return new org.apache.flink.util.OutputTag<>("held rows", InternalTypeInfo.of(rowType));
  }

  private final PolicyDescription description;
  private final TaskKeys keys;
  private final ArrayList<ColumnType> types;
  private final int[] identity;
  private final RowType rowType;
  private final int[] positions;
  private final String verdict;
  private final String filter;
  private final RunScratch scratch;
  private final org.apache.flink.util.OutputTag<RowData> held;
  private transient RowPolicies policies;
  private transient AnonymityCheck.Verdict classes;
  private transient LeakCheck leak;
  private transient java.nio.file.Path spill;
  private transient LongCounter read;
  private transient LongCounter suppressed;
  private transient LongCounter written;
  private transient ListAccumulator<HashMap<String, Long>> unfit;
  private transient ListAccumulator<byte[]> findings;

  /**
   * @param positions each product column's position in {@code rowType} (the product table's write schema)
   * @param verdict where the verdict's classes are (null: the pipeline declares no privacy)
   * @param filter where the merged leak filter is
   * @param held where suppressed rows go ({@link #heldRows}; null: they are left out)
   */
  ProductOperator(PolicyDescription description, TaskKeys keys, List<ColumnType> types, RowType rowType,
      int[] positions, String verdict, String filter, RunScratch scratch,
      org.apache.flink.util.OutputTag<RowData> held) {
    this.description = description;
    this.keys = keys;
    this.types = new ArrayList<>(types);
    this.identity = java.util.stream.IntStream.range(0, types.size()).toArray();
    this.rowType = rowType;
    this.positions = positions.clone();
    this.verdict = verdict;
    this.filter = filter;
    this.scratch = scratch;
    this.held = held;
  }

  @Override
  public void open() throws Exception {
    super.open();
    policies = description.rowPolicies(keys.open());
    if (verdict != null) {
      classes = SharedStates.acquire(verdict, () -> {
        try (InputStream in = scratch.open(verdict)) {
          return AnonymityCheck.Verdict.readFrom(in, null);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the run's privacy verdict", e);
        }
      });
    }
    LeakFilter merged = SharedStates.acquire(filter, () -> {
      try (InputStream in = scratch.open(filter)) {
        return LeakFilter.readFrom(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the run's leak filter", e);
      }
    });
    // Candidates beyond memory spill to the task's own temporary folder (hashes only), removed when the task closes.
    spill = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of(getContainingTask().getEnvironment()
        .getTaskManagerInfo().getTmpDirectories()[0]), "dataops-leaks");
    leak = new LeakCheck(policies.productColumns(), policies.identifierShaped(), merged)
        .spillTo(spill.resolve(LeakCheck.SPILL_FOLDER));
    read = new LongCounter();
    suppressed = new LongCounter();
    written = new LongCounter();
    unfit = new ListAccumulator<>();
    findings = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(READ, read);
    getRuntimeContext().addAccumulator(SUPPRESSED, suppressed);
    getRuntimeContext().addAccumulator(WRITTEN, written);
    getRuntimeContext().addAccumulator(UNFIT, unfit);
    getRuntimeContext().addAccumulator(FINDINGS, findings);
  }

  @Override
  public void processElement(StreamRecord<Row> element) {
    read.add(1);
    Object[] product = policies.apply(FlinkValues.fromRow(element.getValue(), types, identity, types.size()));
    if (classes != null) {
      // the chosen generalization (if any), then suppression
      Object[] published = classes.publish(policies, product);
      if (published == null) {
        suppressed.add(1);
        if (held != null) {
          leak.check(product); // kept in the version's state: the same check as the product's rows
          output.collect(held, new StreamRecord<>(FlinkValues.toRowData(product, positions, rowType)));
        }
        return;
      }
      product = published;
    }
    leak.check(product);
    written.add(1);
    output.collect(element.replace(FlinkValues.toRowData(product, positions, rowType)));
  }

  @Override
  public void endInput() throws IOException {
    unfit.add(new HashMap<>(policies.unfitCounts()));
    var task = getRuntimeContext().getTaskInfo();
    if (!leak.spilled()) {
      findings.add(RunScratch.small(scratch, "findings", task, leak.findingsBytes()));
      return;
    }
    // Spilled: streamed from the runs into a file of the run, never whole in memory.
    String name = "findings-" + task.getIndexOfThisSubtask() + "-" + task.getAttemptNumber() + ".bin";
    try (java.io.OutputStream out = scratch.create(name)) {
      leak.writeFindings(out);
    }
    findings.add(RunScratch.located(scratch.location(name)));
  }

  @Override
  public void close() throws Exception {
    try {
      if (classes != null) {
        SharedStates.release(verdict);
      }
      if (leak != null) {
        leak.close();
        SharedStates.release(filter);
      }
      if (spill != null) {
        ProcessScratch.deleteTree(spill);
      }
    } finally {
      super.close();
    }
  }
}
