package io.dataops.jobs.flink.run;

import io.dataops.pipelines.privacy.Hash128;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.ValueKey;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * The leak check's confirmation on one subtask: the raw personal values it reads are hashed as the check hashes them,
 * and the hashes that are among the candidates' (shipped as hashes, never as values) are reported: those candidates
 * really equal raw personal data.
 */
final class ConfirmOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<RowData, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  static final String FOUND = "dataops.leak-confirmed";

  private final String input;
  private final ArrayList<LogicalType> types;
  private final String candidates;
  private final RunScratch scratch;
  private transient long[] sorted;
  private transient Set<List<Long>> found;
  private transient ValueKey key;
  private transient ListAccumulator<byte[]> confirmed;

  ConfirmOperator(String input, List<LogicalType> types, String candidates, RunScratch scratch) {
    this.input = input;
    this.types = new ArrayList<>(types);
    this.candidates = candidates;
    this.scratch = scratch;
  }

  @Override
  public void open() throws Exception {
    super.open();
    sorted = SharedStates.acquire(candidates, () -> {
      try (DataInputStream in = new DataInputStream(scratch.open(candidates))) {
        long[] pairs = new long[in.readInt()];
        for (int i = 0; i < pairs.length; i++) {
          pairs[i] = in.readLong();
        }
        return pairs;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the leak check's candidates", e);
      }
    });
    found = new HashSet<>();
    key = new ValueKey();
    confirmed = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(FOUND + "." + input, confirmed);
  }

  @Override
  public void processElement(StreamRecord<RowData> element) {
    RowData row = element.getValue();
    for (int i = 0; i < types.size(); i++) {
      if (row.isNullAt(i)) {
        continue;
      }
      LogicalTypeRoot root = types.get(i).getTypeRoot();
      Hash128 h;
      if (root == LogicalTypeRoot.VARCHAR || root == LogicalTypeRoot.CHAR) {
        StringData s = row.getString(i);
        byte[] utf8 = s.toBytes();
        h = LeakCheck.rawHashUtf8(key, utf8, utf8.length);
      } else {
        h = LeakCheck.rawHash(key, FlinkValues.internal(row, i, types.get(i)));
      }
      if (h != null && contains(h.h1, h.h2)) {
        found.add(List.of(h.h1, h.h2));
      }
    }
  }

  private boolean contains(long h1, long h2) {
    int lo = 0;
    int hi = sorted.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compare(sorted[2 * mid], h1);
      if (c == 0) {
        c = Long.compare(sorted[2 * mid + 1], h2);
      }
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  @Override
  public void endInput() {
    long[] out = new long[2 * found.size()];
    int i = 0;
    for (List<Long> pair : found) {
      out[i++] = pair.get(0);
      out[i++] = pair.get(1);
    }
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8 * out.length);
    Arrays.stream(out).forEach(bytes::putLong);
    confirmed.add(RunScratch.small(scratch, "confirmed-" + input, getRuntimeContext().getTaskInfo(), bytes.array()));
  }

  @Override
  public void close() throws Exception {
    try {
      if (sorted != null) {
        SharedStates.release(candidates);
      }
    } finally {
      super.close();
    }
  }
}
