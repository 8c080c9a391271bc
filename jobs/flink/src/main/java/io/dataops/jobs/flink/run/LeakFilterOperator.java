package io.dataops.jobs.flink.run;

import io.dataops.pipelines.privacy.LeakFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * One subtask's part of the leak filter: every raw value of an input's personal-data columns it reads goes into a
 * filter of the size the whole run's values call for, so that the parts merge by OR into the filter of all values
 * ({@link LeakFilter}). The part (bits of hashes, never a value) is written to the run's scratch folder.
 */
final class LeakFilterOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<RowData, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  static final String PARTS = "dataops.leak-filter-parts";

  private final String input;
  private final ArrayList<LogicalType> types;
  private final long expectedRaw;
  private final long maxFilterBytes;
  private final RunScratch scratch;
  private transient LeakFilter filter;
  private transient ListAccumulator<String> parts;

  LeakFilterOperator(String input, List<LogicalType> types, long expectedRaw, long maxFilterBytes, RunScratch scratch) {
    this.input = input;
    this.types = new ArrayList<>(types);
    this.expectedRaw = expectedRaw;
    this.maxFilterBytes = maxFilterBytes;
    this.scratch = scratch;
  }

  @Override
  public void open() throws Exception {
    super.open();
    filter = new LeakFilter(expectedRaw, maxFilterBytes);
    parts = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(PARTS + "." + input, parts);
  }

  @Override
  public void processElement(StreamRecord<RowData> element) {
    RowData row = element.getValue();
    for (int i = 0; i < types.size(); i++) {
      if (row.isNullAt(i)) {
        continue;
      }
      LogicalTypeRoot root = types.get(i).getTypeRoot();
      if (root == LogicalTypeRoot.VARCHAR || root == LogicalTypeRoot.CHAR) {
        StringData s = row.getString(i);
        byte[] utf8 = s.toBytes();
        filter.addUtf8(utf8, utf8.length);
      } else {
        filter.add(FlinkValues.internal(row, i, types.get(i)));
      }
    }
  }

  @Override
  public void endInput() throws IOException {
    var task = getRuntimeContext().getTaskInfo();
    String name = "filter-" + input + "-" + task.getIndexOfThisSubtask() + "-" + task.getAttemptNumber() + ".bin";
    try (OutputStream out = scratch.create(name)) {
      filter.writeTo(out);
    }
    parts.add(scratch.location(name));
  }
}
