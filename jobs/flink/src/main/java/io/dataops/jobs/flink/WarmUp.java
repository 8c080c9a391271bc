package io.dataops.jobs.flink;

import io.dataops.jobs.flink.sql.FlinkFunctions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first Flink run of a process spends most of its time loading: the table planner (unpacked from its loader jar),
 * Calcite, the code generator, the mini-cluster and its tasks. This runs a one-row query of no table on a background
 * thread, so that a caller can overlap that with other work; no data is read or written.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static boolean started;

  private WarmUp() {}

  static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    Thread t = new Thread(WarmUp::load, "flink warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void load() {
    long t0 = System.nanoTime();
    try {
      FlinkEngine.loadRpcSystem();
      StreamExecutionEnvironment env = FlinkEngine.local().environment(1);
      StreamTableEnvironment t = StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
      FlinkFunctions.register(t);
      t.toDataStream(t.sqlQuery("SELECT CAST(1 AS INT) AS x")).sinkTo(new DiscardingSink<>());
      env.execute("warm-up"); // a one-row job: a mini-cluster, a task, the generated code compiled
      LOG.debug("Flink warmed up in {} ms", (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception | LinkageError e) {
      LOG.debug("Flink warm-up failed (the first run loads what it needs itself)", e);
    }
  }
}
