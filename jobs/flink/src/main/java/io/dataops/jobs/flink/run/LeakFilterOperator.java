package io.dataops.jobs.flink.run;

import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.privacy.LeakFilter;
import io.dataops.pipelines.privacy.Hash128;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.RawHashes;
import io.dataops.pipelines.privacy.ValueKey;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * ({@link LeakFilter}). The part (bits of hashes, never a value) is written to the run's scratch folder, and so are
 * the 128-bit hashes of the values it added: the leak check confirms the filter's hits among them, without reading
 * the inputs again.
 */
final class LeakFilterOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<RowData, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  static final String PARTS = "dataops.leak-filter-parts";
  /** The files of raw values' hashes, as (h1, h2) pairs of longs. */
  static final String HASHES = "dataops.leak-raw-hashes";

  private final String input;
  private final ArrayList<LogicalType> types;
  private final long expectedRaw;
  private final long maxFilterBytes;
  private final RunScratch scratch;
  private transient LeakFilter filter;
  private transient ListAccumulator<String> parts;
  private transient ListAccumulator<String> hashParts;
  private transient ValueKey key;
  private transient String hashesName;
  private transient DataOutputStream hashes;
  /** A date's text, written by RawHashes.isoDate (one definition, no StringBuilder per value). */
  private transient byte[] date;

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
    hashParts = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(HASHES + "." + input, hashParts);
    key = new ValueKey();
    date = new byte[10];
    var task = getRuntimeContext().getTaskInfo();
    hashesName = "raw-" + input + "-" + task.getIndexOfThisSubtask() + "-" + task.getAttemptNumber() + ".bin";
    hashes = new DataOutputStream(new BufferedOutputStream(scratch.create(hashesName), 1 << 16));
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
        keep(LeakCheck.rawHashUtf8(key, utf8, utf8.length));
      } else if (root == LogicalTypeRoot.DATE && RawHashes.isoDate(row.getInt(i), date, 0)) {
        filter.addUtf8(date, date.length);
        keep(LeakCheck.rawHashUtf8(key, date, date.length));
      } else {
        // the value's text once, for the filter and the hash alike (as add(Object) and rawHash would make it)
        String text = ValueType.text(FlinkValues.internal(row, i, types.get(i)));
        if (text != null) {
          byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
          filter.addUtf8(utf8, utf8.length);
          keep(LeakCheck.rawHashUtf8(key, utf8, utf8.length));
        }
      }
    }
  }

  /** The hash the filter took (null: a value too short to be personal data, which it did not take). */
  private void keep(Hash128 h) {
    if (h == null) {
      return;
    }
    try {
      hashes.writeLong(h.h1);
      hashes.writeLong(h.h2);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the raw values' hashes to the run's scratch folder", e);
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
    hashes.close();
    hashes = null;
    hashParts.add(scratch.location(hashesName));
  }

  @Override
  public void close() throws Exception {
    try {
      if (hashes != null) {
        hashes.close(); // a failed attempt's file stays in the scratch folder, which the run removes
      }
    } finally {
      super.close();
    }
  }
}
