package io.dataops.jobs.flink.run;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.ProcessScratch;
import io.dataops.jobs.flink.FlinkEngine;
import io.dataops.jobs.flink.IcebergInput;
import io.dataops.jobs.flink.PinnedRead;
import io.dataops.jobs.flink.UncommittedWriter;
import io.dataops.jobs.flink.WrittenFile;
import io.dataops.jobs.flink.sql.FlinkFunctions;
import io.dataops.jobs.flink.sql.FlinkTransform;
import io.dataops.jobs.flink.sql.FlinkTypes;
import io.dataops.jobs.flink.sql.TransformDataException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.plan.RunLock;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.plan.RunRecord;
import io.dataops.pipelines.plan.TrialRun;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.ClassCounts;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.LeakDetectedException;
import io.dataops.pipelines.privacy.LeakFilter;
import io.dataops.pipelines.privacy.RawHashes;
import io.dataops.pipelines.privacy.PrivacyReport;
import io.dataops.pipelines.run.PolicyDescription;
import io.dataops.pipelines.run.RowPolicies;
import io.dataops.pipelines.plan.ProductClasses;
import io.dataops.products.publish.HeldRows;
import io.dataops.products.publish.PipelineVersions;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.publish.PublishVersion;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Lineage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.iceberg.expressions.Expression;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.util.SerializedThrowable;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a plan on Flink, in two bounded jobs and the publish, the steps of the plan:
 * <ol>
 *   <li>privacy classes and leak filter (one job): the transform's privacy columns with their policies counted into
 *       partial class counts per subtask, and the inputs' raw personal values into partial leak filters (and their
 *       exact hashes into scratch files); the client merges the parts into the single-pass verdict and the filter of
 *       all values (bit for bit the Spring Batch engine's);</li>
 *   <li>write: the transform with every policy, the verdict's suppression and every value tested against the filter,
 *       into uncommitted Parquet files of the product table; the subtasks' findings are merged in the client;</li>
 *   <li>leak check: values that hit the filter are confirmed among the raw values' hashes the first job kept (the
 *       inputs are not read a third time);</li>
 *   <li>publish: a failed leak check removes the files and publishes nothing; else the files become the version in
 *       one visible change, through the publish both engines use.</li>
 * </ol>
 * The states tasks and client hand each other go through the run's scratch folder in the warehouse ({@link
 * RunScratch}), the keys never: tasks read theirs from their own configuration ({@link TaskKeys}).
 */
public final class FlinkRun {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkRun.class);
  public static final String ENGINE = "flink";

  private final FlinkEngine engine;
  private final Lakehouse lakehouse;
  private final ProductPublisher publisher;
  private final RunPlan plan;
  private final BoundPipeline pipeline;
  private final FlinkTransform transform;
  private final int parallelism;
  private final TaskKeys keys;
  private final Path workDir;
  private final long privacyMemory;
  private final long filterMemory;
  private final RunAttempts attempts;
  private final String attempt = UUID.randomUUID().toString();
  private final RunScratch scratch;
  private String dataLocation;
  private final PolicyDescription description;
  private final RowPolicies policies;
  private final List<ColumnType> types;
  private final Map<String, Double> steps = new LinkedHashMap<>();
  private long failAfterRows = -1;

  /**
   * @param keysFile the keys file tasks read (null: their environment only)
   * @param workDir the client's scratch folder for this attempt (merges spill there)
   */
  public FlinkRun(FlinkEngine engine, Lakehouse lakehouse, ProductPublisher publisher, RunPlan plan,
      FlinkTransform transform, int parallelism, String keysFile, Path workDir, long privacyMemory,
      long filterMemory) {
    this.engine = engine;
    this.lakehouse = lakehouse;
    this.publisher = publisher;
    this.plan = plan;
    this.pipeline = plan.pipeline();
    this.transform = transform;
    this.parallelism = parallelism;
    this.keys = new TaskKeys(keysFile);
    this.workDir = workDir;
    this.privacyMemory = privacyMemory;
    this.filterMemory = LeakFilter.memoryLimit(filterMemory);
    String warehouse = lakehouse.config().warehouse();
    this.attempts = new RunAttempts(lakehouse.io(), (warehouse.endsWith("/") ? warehouse : warehouse + "/")
        + ".dataops-runs/" + plan.runKey().substring(0, 16));
    this.scratch = new RunScratch(lakehouse.io(), attempts.scratch(attempt));
    this.description = PolicyDescription.of(pipeline, new PlannedKeys(plan.identity().keys()));
    this.policies = plan.newRowFunction();
    this.types = pipeline.columns().stream().map(BoundColumn::sqlType).toList();
  }

  /**
   * The fingerprints the run was planned with, as a key ring that has no key: the client never needs a key, only to
   * tell the tasks which keys they must find.
   */
  private record PlannedKeys(Map<String, String> fingerprints) implements io.dataops.pipelines.desensitize.KeyRing {
    @Override
    public byte[] key(String id) {
      throw new IllegalStateException("the Flink client holds no key");
    }

    @Override
    public String fingerprint(String id) {
      String f = fingerprints.get(id);
      if (f == null) {
        throw new IllegalStateException("the run was planned without key '" + id + "'");
      }
      return f;
    }
  }

  /** What the jobs counted, for the version's lineage; {@code held}: the suppressed rows a full run keeps. */
  private record Written(List<WrittenFile> files, long read, long suppressed, long written, Map<String, Long> unfit,
      List<byte[]> findings, List<WrittenFile> held) {}

  /** A test's fault: a subtask of the write job fails once, on its first attempt, after that many rows. */
  public FlinkRun failOnceAfter(long rows) {
    this.failAfterRows = rows;
    return this;
  }

  /** What the jobs made before the publish: the files, the privacy verdict and the leak check's result. */
  private record Produced(Written written, PrivacyReport privacy, ProductClasses.Judged judged, LeakCheck.Result leak) {}

  /** Runs the jobs and publishes; returns the version and the seconds each step took. */
  public ProductVersion execute(Actor actor) {
    org.apache.iceberg.Table table = prepare();
    dataLocation = table.location() + "/data/flink-" + attempt;
    attempts.register(attempt, dataLocation, RunRecord.of(plan));
    Produced produced = null;
    boolean publishing = false;
    try {
      produced = produce(table, true);
      Written written = produced.written();
      LeakCheck.Result leak = produced.leak();
      if (!leak.passed()) {
        throw new LeakDetected(leak.failure());
      }
      long t0 = System.nanoTime();
      ProductClasses.Judged judged = produced.judged();
      List<String> files = written.files().stream().map(WrittenFile::location).toList();
      // A refusal here (the held rows the current version names are gone) publishes nothing: the files go below.
      HeldRows.Split split = judged == null ? null : plan.incremental()
          ? HeldRows.split(lakehouse, plan, judged.verdict(), files)
          // a full run's suppressed rows, as the state an incremental run continues from
          : HeldRows.suppressed(lakehouse, plan, files, written.held().stream().map(WrittenFile::location).toList());
      publishing = true;
      Lineage lineage = split == null || !plan.incremental()
          ? PipelineVersions.lineage(plan, ENGINE, produced.privacy(), leak, written.read(), written.written(),
              written.suppressed(), written.unfit())
          : PipelineVersions.lineage(plan, ENGINE, produced.privacy(), leak, written.read(), written.written(),
              written.unfit(), split);
      PublishVersion publish = PipelineVersions.publish(publisher, plan, ENGINE, files, lineage, actor, null, judged,
          split);
      ProductVersion v;
      try {
        v = publish.commit();
      } catch (RuntimeException refused) {
        if (publish.discarded() && split != null) {
          // the product's files went with the refused version; the state saved for it goes with them
          for (String f : split.stateOf(judged, files)) {
            try {
              lakehouse.io().deleteFile(f);
            } catch (RuntimeException ignored) {
              // an orphan at worst
            }
          }
        }
        throw refused;
      }
      removeUnpublished(v, files);
      if (split != null) {
        PipelineVersions.removeUnused(lakehouse, v, judged, split);
      }
      step("publish", t0);
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("the run's states could not be written to " + scratch.location(""), e);
    } catch (RuntimeException e) {
      if (produced != null && !publishing) {
        RunScratch.remove(lakehouse.io(), dataLocation, fileLocations(produced.written()), f -> false);
      }
      throw e;
    } finally {
      scratch.clear();
      ProcessScratch.deleteTree(workDir);
    }
  }

  /**
   * After this run published: removes what the dead attempts of its product's other runs left (scratch states, the
   * client's spill folders, files no snapshot of theirs holds) — the leak filter's hashes of raw values among them,
   * which nothing reads again: a run's next attempt starts anew. Each run is cleared while holding its lock ({@code
   * lock}: empty while another process holds it, a run starting again meanwhile), which it then removes.
   */
  public void removeStaleRuns(java.util.function.Function<RunRecord, Optional<RunLock>> lock) {
    String root = attempts.root();
    String product = pipeline.definition().product();
    String own = plan.runKey().substring(0, 16);
    for (Map.Entry<String, RunRecord> stale : RunAttempts.deadRuns(lakehouse.io(), root, product).entrySet()) {
      if (stale.getKey().equals(own)) {
        continue;
      }
      Optional<RunLock> held = lock.apply(stale.getValue());
      if (held.isEmpty()) {
        continue;
      }
      try {
        org.apache.iceberg.Table table = lakehouse.load(ProductTables.id(product));
        new RunAttempts(lakehouse.io(), root + "/" + stale.getKey()).removeDead(table, stale.getValue().runKey());
        Scratch.deleteDeadSiblings(workDir.resolveSibling("flink-" + stale.getKey() + "-"
            + ProcessHandle.current().pid()));
      } finally {
        held.get().closeRemoving();
      }
    }
  }

  /**
   * Runs the jobs and publishes nothing: the product's files go to this attempt's scratch folder (outside the product
   * table), which the returned trial removes when it is closed; a failed leak check is reported, not thrown. A trial
   * killed before it is closed leaves its folder to the next attempt of the same run key, as a killed run does.
   */
  public TrialRun trial() {
    if (plan.incremental()) {
      throw new BadInputException("pipeline " + pipeline.definition().name() + " is incremental: a trial compares "
          + "full runs only");
    }
    org.apache.iceberg.Table table = prepare();
    dataLocation = scratch.location("data");
    attempts.register(attempt, dataLocation, RunRecord.of(plan));
    boolean handedOver = false;
    try {
      Produced produced = produce(table, false);
      Written w = produced.written();
      List<String> files = fileLocations(w);
      TrialRun trial = new TrialRun(ENGINE, parallelism, files, w.read(), w.written(), w.suppressed(), w.unfit(),
          produced.privacy(), produced.leak(), steps, () -> {
            RunScratch.remove(lakehouse.io(), dataLocation, files, f -> false);
            scratch.clear();
          });
      handedOver = true;
      return trial;
    } catch (IOException e) {
      throw new UncheckedIOException("the run's states could not be written to " + scratch.location(""), e);
    } finally {
      ProcessScratch.deleteTree(workDir);
      if (!handedOver) {
        RunScratch.remove(lakehouse.io(), dataLocation, List.of(), f -> false);
        scratch.clear();
      }
    }
  }

  private static List<String> fileLocations(Written w) {
    return java.util.stream.Stream.concat(w.files().stream(), w.held().stream()).map(WrittenFile::location).toList();
  }

  /** Checks the pinned snapshots, loads the product table, clears what killed attempts of this run left. */
  private org.apache.iceberg.Table prepare() {
    long t0 = System.nanoTime();
    for (BoundInput in : pipeline.inputs()) {
      if (lakehouse.load(in.table()).snapshot(in.snapshotId()) == null) {
        throw new BadInputException("snapshot " + in.snapshotId() + " of " + in.table()
            + " no longer exists (expired); run the pipeline again to pin the current one");
      }
    }
    org.apache.iceberg.Table table = ProductTables.createOrLoad(lakehouse, pipeline);
    try {
      OwnerOnly.directories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run's folder " + workDir, e);
    }
    // What a killed attempt of this run left goes now; this attempt's files go to a folder of its own.
    attempts.removeDead(table, plan.runKey());
    Scratch.deleteDeadSiblings(workDir);
    step("prepare", t0);
    return table;
  }

  /**
   * The steps before the publish: privacy classes and leak filter, the product's files, the leak check. {@code
   * publishing}: a full run with privacy saves its class counts and keeps its suppressed rows, the state an
   * incremental run continues from (not a trial's, which publishes nothing).
   */
  private Produced produce(org.apache.iceberg.Table table, boolean publishing) throws IOException {
    Schema writeSchema = ProductTables.writeSchema(table, pipeline);
    long t0 = System.nanoTime();
    PrivacyReport privacy = null;
    String verdict = null;
    ProductClasses.Judged judged = null;
    boolean keepSuppressed = publishing && !plan.incremental() && ProductClasses.keepsState(plan);
    JobExecutionResult first = firstPass();
    if (pipeline.privacy() != null && plan.incremental()) {
      // over the whole product; the write pass keeps every row, the held-back rule splits the files at the publish
      judged = judge(first);
      privacy = judged.verdict().report();
    } else if (pipeline.privacy() != null) {
      AnonymityCheck.Verdict v;
      if (keepSuppressed) {
        judged = save(first);
        v = judged.verdict();
      } else {
        v = verdict(first);
      }
      privacy = v.report();
      verdict = "verdict.bin";
      try (OutputStream out = scratch.create(verdict)) {
        v.writeTo(out);
      }
      verdict = scratch.location(verdict);
    }
    LeakFilter filter = filter(first);
    try (OutputStream out = scratch.create("filter.bin")) {
      filter.writeTo(out);
    }
    step("privacy-classes+leak-filter", t0);

    t0 = System.nanoTime();
    Written written = write(table, writeSchema, verdict, scratch.location("filter.bin"), keepSuppressed);
    step("write-product", t0);
    try {
      t0 = System.nanoTime();
      LeakCheck.Result leak = leakCheck(filter, written.findings(), first);
      step("leak-check", t0);
      return new Produced(written, privacy, judged, leak);
    } catch (IOException | RuntimeException e) {
      RunScratch.remove(lakehouse.io(), dataLocation, fileLocations(written), f -> false);
      throw e;
    }
  }

  /** How long each step of this run took. */
  public Map<String, Double> stepSeconds() {
    return steps;
  }

  private void step(String name, long started) {
    steps.put(name, (System.nanoTime() - started) / 1e9);
  }

  /** A leak: the pipeline's policies let personal data through (recorded by the platform as a failed leak check). */
  public static final class LeakDetected extends LeakDetectedException {
    LeakDetected(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- the jobs

  /** A job's environment with the inputs' views and DuckDB's functions registered. */
  private StreamTableEnvironment tables(StreamExecutionEnvironment env) {
    return tables(env, new HashMap<>());
  }

  /** As above; {@code reads} is given each input's read, by alias, for other branches of the job to share. */
  private StreamTableEnvironment tables(StreamExecutionEnvironment env, Map<String, DataStream<RowData>> reads) {
    StreamTableEnvironment t = StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
    FlinkFunctions.register(t);
    for (FlinkTransform.InputView v : transform.inputs()) {
      DataStream<RowData> raw = IcebergInput.read(env, lakehouse, new PinnedRead(v.table(), from(v.alias()),
          v.snapshotId(), v.readColumns(), v.pushdown()));
      reads.put(v.alias(), raw);
      t.createTemporaryView(FlinkTransform.quote(v.rawName()), t.fromDataStream(raw));
      t.createTemporaryView(FlinkTransform.quote(v.alias()), t.sqlQuery(v.select()));
    }
    return t;
  }

  /** Privacy classes and the leak filter's parts, in one job. */
  private JobExecutionResult firstPass() {
    StreamExecutionEnvironment env = engine.environment(parallelism);
    Map<String, DataStream<RowData>> reads = new HashMap<>();
    if (pipeline.privacy() != null) {
      StreamTableEnvironment t = tables(env, reads);
      int[] columns = policies.privacySqlColumns();
      StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM (" + transform.sql() + ") AS `transform_result`");
      for (int c : columns) {
        select.add(FlinkTransform.quote(pipeline.columns().get(c).name()));
      }
      if (columns.length == 0) {
        // Every quasi-identifier exempted: one class of all rows, still counted (SELECT with no column is no SQL).
        select.add("TRUE AS `dataops_row`");
      }
      Table privacyColumns = t.sqlQuery(select.toString());
      t.toDataStream(privacyColumns).transform("privacy classes", Types.VOID, new ClassCountOperator(description,
              keys, ShippedPrivacy.of(pipeline.privacy()), types, columns, scratch, privacyMemory))
          .sinkTo(new DiscardingSink<>()).name("end of privacy classes");
    }
    rawValues(env, reads, (alias, rows, rowTypes) -> rows.transform("leak filter of " + alias, Types.VOID,
        new LeakFilterOperator(alias, rowTypes, plan.expectedRawValues(), filterMemory, scratch)));
    if (env.getTransformations().isEmpty()) {
      return null;
    }
    return run(env, "privacy classes and leak filter of " + pipeline.definition().name());
  }

  /** Where the plan reads an input from (exclusive): an incremental run reads only what was appended after it. */
  private Long from(String alias) {
    return plan.inputs().stream().filter(in -> in.input().alias().equals(alias)).findFirst().orElseThrow()
        .fromExclusive();
  }

  @FunctionalInterface
  private interface RawConsumer {
    DataStream<Void> accept(String alias, DataStream<RowData> rows, List<LogicalType> types);
  }

  /**
   * The raw values of every input's personal-data columns, as the leak check reads them (no filter). An input the
   * transform's view already reads whole (no row filter pushed down, every personal column among its columns) is not
   * read a second time: its read in {@code reads} feeds both.
   */
  private void rawValues(StreamExecutionEnvironment env, Map<String, DataStream<RowData>> reads,
      RawConsumer consumer) {
    for (BoundInput in : pipeline.inputs()) {
      if (in.personal().isEmpty() || plan.input(in).dataFiles().isEmpty()) {
        continue;
      }
      List<String> personal = List.copyOf(in.personal().keySet());
      FlinkTransform.InputView view = transform.inputs().stream().filter(v -> v.alias().equals(in.alias()))
          .findFirst().orElse(null);
      DataStream<RowData> raw;
      if (reads.containsKey(in.alias()) && view != null && view.pushdown().op() == Expression.Operation.TRUE
          && view.readColumns().containsAll(personal)) {
        int[] at = personal.stream().mapToInt(view.readColumns()::indexOf).toArray();
        RowType all = ((InternalTypeInfo<RowData>) reads.get(in.alias()).getType()).toRowType();
        RowType projected = RowType.of(java.util.Arrays.stream(at).mapToObj(all::getTypeAt)
            .toArray(LogicalType[]::new), personal.toArray(String[]::new));
        raw = reads.get(in.alias()).map(new Project(at)).returns(InternalTypeInfo.of(projected))
            .name("personal columns of " + in.alias());
      } else {
        raw = IcebergInput.read(env, lakehouse, new PinnedRead(in.table().toString(), from(in.alias()),
            in.snapshotId(), personal));
      }
      RowType rowType = ((InternalTypeInfo<RowData>) raw.getType()).toRowType();
      consumer.accept(in.alias(), raw, rowType.getChildren()).sinkTo(new DiscardingSink<>())
          .name("end of " + in.alias());
    }
  }

  /** Some columns of a row, in a view of it (nothing copied). */
  private record Project(int[] at) implements MapFunction<RowData, RowData> {
    @Override
    public RowData map(RowData row) {
      return ProjectedRowData.from(at).replaceRow(row);
    }
  }

  /** A full run's class counts, the whole product's, saved as they are for an incremental run to continue from. */
  private ProductClasses.Judged save(JobExecutionResult first) throws IOException {
    Path spill = workDir.resolve("classes");
    try (ClassCounts merged = merged(first, spill)) {
      return ProductClasses.save(plan, lakehouse, merged, spill, privacyMemory);
    }
  }

  private AnonymityCheck.Verdict verdict(JobExecutionResult first) throws IOException {
    List<String> parts = first == null ? List.of() : this.<String>accumulated(first, ClassCountOperator.PARTS);
    Path spill = workDir.resolve("classes");
    try (AnonymityCheck check = plan.newAnonymityCheck(spill, privacyMemory)) {
      ClassCounts merged = null;
      try {
        for (String part : parts) {
          try (InputStream in = scratch.open(part)) {
            ClassCounts c = ClassCounts.readFrom(in, spill, privacyMemory);
            if (merged == null) {
              merged = c;
            } else {
              merged.merge(c);
              c.close();
            }
          }
        }
        return merged == null ? check.finish() : check.finish(merged);
      } finally {
        if (merged != null) {
          merged.close();
        }
      }
    }
  }

  /** The verdict over the product's saved class counts plus this increment's, which are saved for the version. */
  private ProductClasses.Judged judge(JobExecutionResult first) throws IOException {
    Path spill = workDir.resolve("classes");
    try (ClassCounts merged = merged(first, spill)) {
      return ProductClasses.judge(plan, lakehouse, merged, spill, privacyMemory);
    }
  }

  /** The subtasks' class counts merged (the caller closes them); empty counts when there were none. */
  private ClassCounts merged(JobExecutionResult first, Path spill) throws IOException {
    List<String> parts = first == null ? List.of() : this.<String>accumulated(first, ClassCountOperator.PARTS);
    ClassCounts merged;
    try (AnonymityCheck empty = plan.newAnonymityCheck(spill, privacyMemory)) {
      merged = empty.counts();
    }
    try {
      for (String part : parts) {
        try (InputStream in = scratch.open(part); ClassCounts c = ClassCounts.readFrom(in, spill, privacyMemory)) {
          merged.merge(c);
        }
      }
      return merged;
    } catch (IOException | RuntimeException e) {
      merged.close();
      throw e;
    }
  }

  private LeakFilter filter(JobExecutionResult first) throws IOException {
    LeakFilter merged = new LeakFilter(plan.expectedRawValues(), filterMemory);
    if (first == null) {
      return merged;
    }
    for (BoundInput in : pipeline.inputs()) {
      for (String part : this.<String>accumulated(first, LeakFilterOperator.PARTS + "." + in.alias())) {
        try (InputStream stream = scratch.open(part)) {
          merged.merge(LeakFilter.readFrom(stream));
        }
      }
    }
    return merged;
  }

  private Written write(org.apache.iceberg.Table table, Schema writeSchema, String verdict, String filter,
      boolean keepSuppressed) {
    StreamExecutionEnvironment env = engine.environment(parallelism);
    StreamTableEnvironment t = tables(env);
    Table result = t.sqlQuery(transform.sql());
    requireTypes(result);
    RowType rowType = FlinkSchemaUtil.convert(writeSchema);
    List<String> names = policies.productColumns();
    int[] positions = new int[names.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = rowType.getFieldIndex(names.get(i));
    }
    var heldRows = keepSuppressed ? ProductOperator.heldRows(rowType) : null;
    org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator<RowData> policed = t.toDataStream(result)
        .transform("policies, suppression and leak check", InternalTypeInfo.of(rowType), new ProductOperator(
            description, keys, types, rowType, positions, verdict, filter, scratch, heldRows));
    // the suppressed rows a full run keeps: into files of their own in the attempt's folder, merged at the publish
    UncommittedWriter.Files held = heldRows == null ? null : UncommittedWriter.write(policed.getSideOutput(heldRows),
        table, writeSchema, dataLocation, table.name() + ".held");
    DataStream<RowData> product = RandomOrder.of(policed);
    if (failAfterRows >= 0) {
      product = product.transform("a test's fault", product.getType(), new FaultHook(failAfterRows));
    }
    UncommittedWriter.Files files = UncommittedWriter.write(product, table, writeSchema, dataLocation);
    JobExecutionResult r = run(env, "write " + pipeline.definition().product());
    Map<String, Long> unfit = new LinkedHashMap<>();
    for (HashMap<String, Long> part : this.<HashMap<String, Long>>accumulated(r, ProductOperator.UNFIT)) {
      part.forEach((c, n) -> unfit.merge(c, n, Long::sum));
    }
    // in the transform's column order, as the Spring Batch engine reports them
    Map<String, Long> ordered = new LinkedHashMap<>();
    pipeline.columns().forEach(c -> {
      if (unfit.containsKey(c.name())) {
        ordered.put(c.name(), unfit.get(c.name()));
      }
    });
    return new Written(files.of(r), counter(r, ProductOperator.READ), counter(r, ProductOperator.SUPPRESSED),
        counter(r, ProductOperator.WRITTEN), ordered, accumulated(r, ProductOperator.FINDINGS),
        held == null ? List.of() : held.of(r));
  }

  /** The translation's result must have the pipeline's columns and types: rows are read by position. */
  private void requireTypes(Table result) {
    List<Column> columns = result.getResolvedSchema().getColumns();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < pipeline.columns().size(); i++) {
      BoundColumn c = pipeline.columns().get(i);
      LogicalType want = FlinkTypes.of(c.sqlType());
      LogicalType got = i < columns.size() ? columns.get(i).getDataType().getLogicalType().copy(true) : null;
      if (!want.equals(got)) {
        problems.add(c.name() + " is " + got + ", not " + want);
      }
    }
    if (columns.size() != pipeline.columns().size() || !problems.isEmpty()) {
      throw new IllegalStateException("the Flink transform of " + pipeline.definition().name() + " does not give the "
          + "pipeline's columns: " + problems);
    }
  }

  /**
   * The leak check over the write job's findings; the filter's hits are confirmed among the hashes of the raw values
   * the first job kept (streamed): the inputs are not read again. Candidates that outgrow memory spill to the run's
   * folder (hashes only) and are settled by a sort-merge; the spilled files go when the check ends, passed or not.
   */
  private LeakCheck.Result leakCheck(LeakFilter filter, List<byte[]> findings, JobExecutionResult first)
      throws IOException {
    try (LeakCheck check = new LeakCheck(policies.productColumns(), policies.identifierShaped(), filter)
        .spillTo(workDir.resolve(LeakCheck.SPILL_FOLDER))) {
      for (byte[] f : findings) {
        try (InputStream in = scratch.stream(f)) {
          check.mergeFindings(in);
        }
      }
      if (check.needsConfirmation()) {
        RawHashes.Sink confirmation = check.confirmation();
        if (first != null) {
          for (BoundInput in : pipeline.inputs()) {
            for (String part : this.<String>accumulated(first, LeakFilterOperator.HASHES + "." + in.alias())) {
              try (InputStream hashes = scratch.open(part)) {
                confirm(confirmation, hashes);
              }
            }
          }
        }
        check.confirmationComplete();
      }
      return check.result();
    }
  }

  /** Hands a file of raw values' hashes, (h1, h2) pairs of longs, to the confirmation a block at a time. */
  private static void confirm(RawHashes.Sink confirmation, InputStream hashes) throws IOException {
    byte[] block = new byte[1 << 16]; // a whole number of (h1, h2) pairs
    ByteBuffer b = ByteBuffer.wrap(block);
    long[] h1 = new long[block.length / 16];
    long[] h2 = new long[block.length / 16];
    for (int n = hashes.readNBytes(block, 0, block.length); n > 0; n = hashes.readNBytes(block, 0, block.length)) {
      int pairs = n / 16;
      for (int i = 0; i < pairs; i++) {
        h1[i] = b.getLong(16 * i);
        h2[i] = b.getLong(16 * i + 8);
      }
      confirmation.accept(h1, h2, pairs);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Runs a job; a failure on the data is bad input (the message names what failed, never a value). */
  private JobExecutionResult run(StreamExecutionEnvironment env, String name) {
    long t0 = System.nanoTime();
    try {
      JobExecutionResult r = engine.execute(env, name);
      LOG.info("{}: '{}' at parallelism {} in {} ms", engine, name, parallelism, (System.nanoTime() - t0) / 1_000_000);
      return r;
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  private RuntimeException failure(RuntimeException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String message = c.getMessage() == null ? "" : c.getMessage();
      if (c instanceof TransformDataException || message.contains(TransformDataException.MARKER)) {
        return new BadInputException("pipeline " + pipeline.definition().name() + " failed on its input data, "
            + "nothing was published: " + TransformDataException.reason(message)
            + " (change the transform or the data)");
      }
      if (c instanceof BadInputException bad) {
        return bad;
      }
      if (c instanceof SerializedThrowable s && isBadInput(s.getOriginalErrorClassName())) {
        return new BadInputException(message.lines().findFirst().orElse(message));
      }
    }
    return new IllegalStateException("pipeline " + pipeline.definition().name() + " failed on Flink, nothing was "
        + "published (run the same command again): " + firstLine(e), e);
  }

  private static boolean isBadInput(String className) {
    try {
      return BadInputException.class.isAssignableFrom(Class.forName(className, false,
          FlinkRun.class.getClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> accumulated(JobExecutionResult r, String name) {
    Object v = r.getAccumulatorResult(name);
    return v == null ? List.of() : (List<T>) v;
  }

  private static long counter(JobExecutionResult r, String name) {
    Object v = r.getAccumulatorResult(name);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /**
   * The version's files are this run's, unless an interrupted attempt of the same run had already staged its own:
   * then the publish completed that one, and this attempt's files are orphans, removed here.
   */
  private void removeUnpublished(ProductVersion v, List<String> files) {
    org.apache.iceberg.Table table = lakehouse.load(ProductTables.id(pipeline.definition().product()));
    Snapshot s = table.snapshot(v.snapshotId());
    Set<String> kept = new HashSet<>();
    if (s != null) {
      s.addedDataFiles(table.io()).forEach(f -> kept.add(RunScratch.path(f.location())));
    }
    RunScratch.remove(lakehouse.io(), dataLocation, files, kept::contains);
  }
}
