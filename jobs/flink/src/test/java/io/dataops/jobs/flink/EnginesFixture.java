package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.Actor;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.plan.ExecutorEnvironment;
import io.dataops.pipelines.plan.Executors;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.pipelines.testing.PipelineFixture;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.BeforeEach;

/**
 * Both engines as the platform makes them (through {@link Executors}, from one {@link ExecutorEnvironment}), over an
 * embedded lakehouse with the sample data the tests land; the keys the policies use are in a keys file, where the
 * Flink engine's tasks read them.
 */
abstract class EnginesFixture extends PipelineFixture {
  static final String DEFAULT_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String FPE_KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
  Path keysFile;

  @BeforeEach
  void writeKeys() throws IOException {
    keysFile = io.dataops.core.files.OwnerOnly.writeString(dir.resolve("keys.properties"), "default = " + DEFAULT_KEY + "\nfpe = " + FPE_KEY
        + "\n");
  }

  BoundPipeline bind(String yaml) {
    return new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(yaml, "p.yaml"), dir);
  }

  ProductRegistry registry() {
    return new ProductRegistry(lakehouse.config().catalogUri(), lakehouse.config().catalogUser(), lakehouse.config().catalogPassword());
  }

  PipelineExecutor executor(String engine, Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.putIfAbsent("keys.file", keysFile.toString());
    String url = lakehouse.config().catalogUri();
    return Executors.create(engine, new ExecutorEnvironment(lakehouse, keys, dir.resolve("work"), url,
        lakehouse.config().catalogUser(), lakehouse.config().catalogPassword(),
        all, Map.of(ProductPublisher.class, ProductPublisher.ungated(lakehouse, registry()))));
  }

  PipelineRunResult run(String engine, BoundPipeline p, Map<String, String> settings) {
    PipelineExecutor e = executor(engine, settings);
    return e.run(RunPlan.of(p, keys, e.engine(), lakehouse), RunControl.of(Actor.SYSTEM));
  }

  PipelineRunResult onSpringBatch(BoundPipeline p) {
    return run("spring-batch", p, Map.of());
  }

  PipelineRunResult onFlink(BoundPipeline p, int parallelism) {
    return run("flink", p, Map.of("flink.parallelism", String.valueOf(parallelism)));
  }

  /** The rows of the version a run made, as a multiset of value lists in the product's column order. */
  Map<List<Object>, Integer> rows(PipelineRunResult r) {
    Table table = lakehouse.load(ProductTables.id(r.product()));
    List<String> columns = table.schemas().get(table.snapshot(r.snapshotId()).schemaId()).columns().stream()
        .map(NestedField::name).toList();
    Map<List<Object>, Integer> out = new HashMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(r.snapshotId()).build()) {
      for (Record rec : records) {
        List<Object> values = new ArrayList<>();
        for (String c : columns) {
          Object v = rec.getField(c);
          values.add(v instanceof BigDecimal d ? d.toPlainString() : v);
        }
        out.merge(values, 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  ProductVersion version(PipelineRunResult r) {
    return registry().find(r.product(), r.version()).orElseThrow();
  }

  /**
   * A filter of one 512-bit block (most values hit it) and 64 candidates in memory (the rest spill, in runs of 64):
   * the leak check's test knobs, as system properties the engines' checks read (the mini-cluster's tasks run in this
   * JVM).
   */
  static final Map<String, String> CROWDED_LEAK_CHECK = Map.of(
      io.dataops.pipelines.privacy.LeakFilter.MEMORY_LIMIT_PROPERTY, "64",
      io.dataops.pipelines.privacy.LeakCheck.CANDIDATES_IN_MEMORY_PROPERTY, "64");

  /** The same product rows, privacy report (k, classes, suppressed, risks) and leak check on both engines. */
  void assertSameOutcome(PipelineRunResult reference, PipelineRunResult flink) {
    assertThat(flink.engine()).isEqualTo("flink");
    assertThat(reference.engine()).isEqualTo("spring-batch");
    assertThat(rows(flink)).as("the product's rows").isEqualTo(rows(reference));
    assertThat(flink.rowsIn()).isEqualTo(reference.rowsIn());
    assertThat(flink.rowsOut()).isEqualTo(reference.rowsOut());
    assertThat(flink.rowsSuppressed()).isEqualTo(reference.rowsSuppressed());
    assertThat(flink.unfitValues()).isEqualTo(reference.unfitValues());
    assertThat(flink.privacy()).isEqualTo(reference.privacy());
    assertThat(flink.leakCheck()).isEqualTo(reference.leakCheck());
    Map<String, Object> leakRef = new HashMap<>(version(reference).lineage().leakCheck());
    Map<String, Object> leakFlink = new HashMap<>(version(flink).lineage().leakCheck());
    assertThat(leakFlink).as("the leak check's counts").isEqualTo(leakRef);
    Map<String, Object> privacyRef = version(reference).lineage().privacy();
    Map<String, Object> privacyFlink = version(flink).lineage().privacy();
    if (privacyRef == null) {
      assertThat(privacyFlink).isNull();
    } else {
      Map<String, Object> a = new HashMap<>(privacyRef);
      Map<String, Object> b = new HashMap<>(privacyFlink);
      a.remove("spilledBytes");
      b.remove("spilledBytes");
      assertThat(b).as("the privacy report").isEqualTo(a);
    }
  }
}
