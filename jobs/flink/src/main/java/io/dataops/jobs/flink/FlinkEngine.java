package io.dataops.jobs.flink;

import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.util.Reference;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a Flink job runs: an in-process mini-cluster started for the job (the default), or a session cluster, whose
 * JobManager is reached at its REST address and receives each job with the job jar ({@link JobJar}). Jobs run in
 * batch mode: inputs are pinned snapshots, so every job is bounded.
 */
public final class FlinkEngine {
  /** Off-heap memory of the in-process mini-cluster (Flink's own local defaults, made explicit to keep them bounded). */
  static final MemorySize LOCAL_MANAGED_MEMORY = MemorySize.ofMebiBytes(128);
  static final MemorySize LOCAL_NETWORK_MEMORY = MemorySize.ofMebiBytes(64);
  /** How often a job's failed tasks are restarted before the run fails (and nothing is published). */
  static final int RESTART_ATTEMPTS = 3;

  private final String host;
  private final int restPort;
  private final Path jobJar;

  private FlinkEngine(String host, int restPort, Path jobJar) {
    this.host = host;
    this.restPort = restPort;
    this.jobJar = jobJar;
  }

  /** A mini-cluster in this process, started for each job with as many slots as the job's parallelism. */
  public static FlinkEngine local() {
    return new FlinkEngine(null, 0, null);
  }

  /** A running session cluster: its JobManager's REST address and the job jar every job is submitted with. */
  public static FlinkEngine remote(String host, int restPort, Path jobJar) {
    return new FlinkEngine(Objects.requireNonNull(host, "host"), restPort, Objects.requireNonNull(jobJar, "jobJar"));
  }

  public boolean isLocal() {
    return host == null;
  }

  /** A fresh environment for one job, in batch mode, at the given parallelism. */
  public StreamExecutionEnvironment environment(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    Configuration conf = new Configuration();
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    // A failed task is restarted by Flink itself. In BATCH mode there are no checkpoints: exchanges are blocking, so
    // the results of finished stages stay and only the failed task's region (its pipelined operators) runs again,
    // from its inputs' start (the source hands the task's splits back for reassignment) — the batch form of
    // "restart from the last checkpoint". The failed attempt's accumulators do not count and its writer aborted its
    // files, so the job's result is that of one clean pass.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTART_ATTEMPTS);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofMillis(500));
    // Chained operators hand each other the record itself, not a copy (a copy of every row between operators was
    // about a sixth of a run's work): no operator of ours keeps a record it was given beyond processing it.
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    StreamExecutionEnvironment env;
    if (isLocal()) {
      conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_MANAGED_MEMORY);
      conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, LOCAL_NETWORK_MEMORY);
      conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, LOCAL_NETWORK_MEMORY);
      conf.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
      conf.set(DeploymentOptions.ATTACHED, true);
      // shuffle files hold raw rows: this process's owner-only folder, removed at its exit (LocalTemp)
      conf.set(CoreOptions.TMP_DIRS, LocalTemp.folder().toString());
      conf.set(WebOptions.TMP_DIR, LocalTemp.folder().toString());
      env = new StreamExecutionEnvironment(LocalClusters.LOADER, conf, FlinkEngine.class.getClassLoader());
      env.setParallelism(parallelism);
    } else {
      env = StreamExecutionEnvironment.createRemoteEnvironment(host, restPort, conf, jobJar.toString());
      env.setParallelism(parallelism);
    }
    return env;
  }

  /**
   * The mini-clusters jobs run on, one per job as Flink's local environment makes them, but all on one RPC system
   * loaded once per process: Flink would otherwise unpack its RPC jar and load its classes into a fresh class loader
   * for every job (about a second each, more on a loaded machine; a run has two or three jobs).
   */
  private static final class LocalClusters {
    static final PipelineExecutorFactory FACTORY = new PipelineExecutorFactory() {
      @Override
      public String getName() {
        return LocalExecutor.NAME;
      }

      @Override
      public boolean isCompatibleWith(Configuration configuration) {
        return LocalExecutor.NAME.equals(configuration.get(DeploymentOptions.TARGET));
      }

      @Override
      public PipelineExecutor getExecutor(Configuration configuration) {
        return LocalExecutor.createWithFactory(configuration, c -> new MiniCluster(c, LocalClusters::rpc));
      }
    };
    static final PipelineExecutorServiceLoader LOADER = new PipelineExecutorServiceLoader() {
      @Override
      public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
        return FACTORY;
      }

      @Override
      public Stream<String> getExecutorNames() {
        return Stream.of(LocalExecutor.NAME);
      }
    };
    private static RpcSystem rpc;

    /** Borrowed: a mini-cluster's shutdown leaves it for the next one (it lives as long as the process). */
    static synchronized Reference<RpcSystem> rpc() {
      if (rpc == null) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, LocalTemp.folder().toString()); // where it unpacks its jar
        rpc = RpcSystem.load(conf);
      }
      return Reference.borrowed(rpc);
    }
  }

  /** Loads the RPC system local jobs share (else the first local job does). */
  static void loadRpcSystem() {
    LocalClusters.rpc();
  }

  /** Runs the environment's job to its end and returns its result (accumulators, duration). */
  public JobExecutionResult execute(StreamExecutionEnvironment env, String jobName) {
    try {
      return env.execute(jobName);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the Flink job '" + jobName + "' failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return isLocal() ? "FlinkEngine[local mini-cluster]" : "FlinkEngine[" + host + ":" + restPort + ", " + jobJar + "]";
  }
}
