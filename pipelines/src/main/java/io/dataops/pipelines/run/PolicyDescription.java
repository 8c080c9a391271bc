package io.dataops.pipelines.run;

import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.PipelineDefinition.PolicySpec;
import io.dataops.pipelines.definition.PipelineException;
import io.dataops.pipelines.definition.PolicyFactory;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.desensitize.Keep;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.desensitize.PolicyException;
import io.dataops.pipelines.desensitize.Pseudonymize;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bound pipeline's {@link RowPolicies} as a small serializable description, to ship to parallel tasks (a Flink job
 * graph is Java-serialized to the JobManager and every TaskManager).
 *
 * <p>Why a description and not the policies: pseudonymization and format-preserving encryption hold their secret key,
 * so serializing them would copy key material into the job graph, the cluster's blob store and any checkpoint or
 * savepoint. The description holds only what the pipeline file says and the validator decided: each column's policy
 * as written (with its line, for errors), the day age bands are counted at, the privacy check's columns (and the
 * generalization search's hierarchies and person key), and the fingerprints of the keys used. A task rebuilds the policies with the same {@link PolicyFactory} the validator used
 * and a {@link KeyRing} read from its own configuration; it refuses a key whose fingerprint differs from the planned
 * one, since another key would silently give other pseudonyms and ciphertexts. The validation against the lakehouse
 * (personal data, keep limits) was done when the pipeline was bound and is not repeated.
 *
 * @param source the pipeline file's name, for errors
 * @param keyFingerprints each key id the policies use with its {@link KeyRing#fingerprint}
 */
public record PolicyDescription(String source, LocalDate asOf, List<Column> columns, List<String> quasiIdentifiers,
    String sensitive, String weightColumn, Map<String, String> keyFingerprints,
    BoundPipeline.Optimization optimization) implements Serializable {

  /**
   * One column of the transform's result and its policy as written ({@code kind} null: none written, kept as it is).
   * {@code args} holds the pipeline file's values (text, lists and maps of text); never a key, only its name.
   */
  public record Column(String name, String kind, String variant, Map<String, Object> args, int line)
      implements Serializable {
    public Column {
      args = args == null ? Map.of() : portableMap(args);
    }
  }

  public PolicyDescription {
    columns = List.copyOf(columns);
    quasiIdentifiers = List.copyOf(quasiIdentifiers);
    keyFingerprints = Collections.unmodifiableMap(new TreeMap<>(keyFingerprints));
  }

  /** The description of {@code p}'s policies; {@code keys} only gives the fingerprints of the keys they use. */
  public static PolicyDescription of(BoundPipeline p, KeyRing keys) {
    Map<String, PolicySpec> specs = p.definition().policies();
    List<Column> columns = new ArrayList<>();
    Map<String, String> fingerprints = new TreeMap<>();
    for (BoundColumn c : p.columns()) {
      PolicySpec s = specs.get(c.name());
      Map<String, Object> args = s == null ? Map.of() : s.args();
      if (c.policy() instanceof Pseudonymize ps && !args.containsKey("context")) {
        // the context the validator chose (the product's name, or a product's earlier empty one), not chosen again
        args = new LinkedHashMap<>(args);
        args.put("context", ps.context());
      }
      columns.add(s == null ? new Column(c.name(), null, null, Map.of(), c.line())
          : new Column(c.name(), s.kind(), s.variant(), args, s.line()));
      String keyId = c.policy().keyId();
      if (keyId != null) {
        fingerprints.put(keyId, keys.fingerprint(keyId));
      }
    }
    BoundPipeline.Privacy privacy = p.privacy();
    return new PolicyDescription(p.definition().source(), p.asOf(), columns,
        privacy == null ? List.of() : privacy.quasiIdentifiers(), privacy == null ? null : privacy.sensitive(),
        privacy == null ? null : privacy.weightColumn(), fingerprints, privacy == null ? null
            : privacy.optimization());
  }

  /** Every column's policy, in row order, built with the task's keys (which must be the planned ones). */
  public List<ColumnPolicy> policies(KeyRing keys) {
    keyFingerprints.forEach((id, planned) -> {
      String here;
      try {
        here = keys.fingerprint(id);
      } catch (PolicyException e) {
        throw new PipelineException(source, line(id), e.getMessage());
      }
      if (!here.equals(planned)) {
        throw new PipelineException(source, line(id), "the key '" + id + "' here has fingerprint " + here
            + ", not " + planned + " as when the run was planned: every task must read the same keys");
      }
    });
    List<ColumnPolicy> out = new ArrayList<>();
    for (Column c : columns) {
      out.add(c.kind() == null ? new Keep()
          : PolicyFactory.build(source, new PolicySpec(c.name(), c.kind(), c.variant(), c.args(), c.line()), keys,
              asOf, "")); // of() names every pseudonymization's context
    }
    return out;
  }

  /** The row policies, rebuilt with the task's keys: the same outputs as those of the bound pipeline. */
  public RowPolicies rowPolicies(KeyRing keys) {
    return new RowPolicies(columns.stream().map(Column::name).toList(), policies(keys), quasiIdentifiers, sensitive,
        weightColumn, optimization);
  }

  /** The line of the first policy that names key {@code id}. */
  private int line(String id) {
    return columns.stream().filter(c -> id.equals(c.args().get("key"))).mapToInt(Column::line).findFirst().orElse(0);
  }

  /** A copy in serializable collections: text, lists and maps, as the pipeline parser gives them. */
  private static Map<String, Object> portableMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), portable(v)));
    return Collections.unmodifiableMap(out);
  }

  private static Object portable(Object v) {
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(x -> out.add(portable(x)));
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map<?, ?> m) {
      return portableMap(m);
    }
    throw new IllegalArgumentException("a policy argument of type " + (v == null ? "null" : v.getClass().getName())
        + " cannot be shipped");
  }
}
