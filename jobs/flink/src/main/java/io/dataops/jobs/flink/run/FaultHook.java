package io.dataops.jobs.flink.run;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;

/**
 * A test's forced task failure in the write job ({@code flink.test.fail-after-rows}, a setting only tests give): on
 * its first attempt a subtask passes {@code afterRows} rows on to the writer, then fails (any subtask that gets that
 * many: which one reads which file is Flink's choice), so that Flink's restart, not a second run, must give the
 * product. Never in a job unless that setting is given.
 */
public final class FaultHook extends AbstractStreamOperator<RowData> implements OneInputStreamOperator<RowData, RowData> {
  private static final long serialVersionUID = 1L;
  /** Failures forced in this JVM (the in-process mini-cluster's tasks): tests check the fault did happen. */
  private static final AtomicInteger FORCED = new AtomicInteger();

  private final long afterRows;
  private transient boolean armed;
  private transient long rows;

  FaultHook(long afterRows) {
    this.afterRows = afterRows;
  }

  /** How many failures hooks forced in this JVM. */
  public static int forced() {
    return FORCED.get();
  }

  @Override
  public void open() throws Exception {
    super.open();
    armed = getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
  }

  @Override
  public void processElement(StreamRecord<RowData> element) {
    if (armed && rows++ == afterRows) {
      FORCED.incrementAndGet();
      throw new IllegalStateException("a test's forced failure of subtask "
          + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + " after " + afterRows + " rows");
    }
    output.collect(element);
  }
}
