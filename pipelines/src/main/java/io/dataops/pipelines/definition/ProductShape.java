package io.dataops.pipelines.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.PipelineDefinition.PolicySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of a product: each column it holds, with its type and the policy (with its parameters) that made its
 * values. Each version's snapshot records it ({@link #SUMMARY}). An incremental run adds its rows to the earlier
 * versions' rows, which keep the shape they were made with, so one whose shape differs is refused
 * ({@link #requireUnchanged}): found by a probe, a dropped column was gone for the earlier rows, a new one null for
 * them, and a changed bucket width gave one column two encodings. A run in mode full rebuilds every row and may change
 * it.
 *
 * <p>A policy's key and pseudonym context are left out: {@link PseudonymContexts} records and guards them (the key by
 * its fingerprint, so a key renamed with the same bytes changes nothing; the context as chosen, named or default).
 * The parameters are recorded by their digest: the snapshot holds no text of the pipeline file, and a refusal names
 * columns, never a parameter's value.
 */
public final class ProductShape {
  /**
   * The snapshot summary property giving the version's shape: a JSON object, column → {@link Column}, in column order.
   * Versions made before it lack it.
   */
  public static final String SUMMARY = "dataops.product-shape";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProductShape() {}

  /**
   * One product column as a version records it.
   *
   * @param type the column's type as users write it (int, decimal(10,2), ...)
   * @param policy the policy's name and variant as written (generalize buckets, pseudonymize hmac-sm3; keep when none)
   * @param parameters the SHA-256 of the policy's other parameters as written (key and context aside), in a canonical
   *     form
   */
  public record Column(String type, String policy, String parameters) {}

  /** What a version made by {@code p} records in {@link #SUMMARY}. */
  public static String of(BoundPipeline p) {
    try {
      return JSON.writeValueAsString(shape(p.definition(), p.columns()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the shape of product " + p.definition().product(), e);
    }
  }

  /**
   * Refuses an incremental run of {@code d} whose product {@code columns} differ from those the product's last version
   * recorded: a column added or dropped, or one whose type, policy or policy parameters changed. The message names the
   * columns and what changed, never a value. A last version made before the shape was recorded is accepted and this
   * run records the shape: what it was made with is not known, refusing it would make every incremental product made
   * before rebuild in mode full, and Iceberg's schema evolution still refuses a type it cannot change.
   */
  static void requireUnchanged(Lakehouse lakehouse, PipelineDefinition d, List<BoundColumn> columns) {
    Map<String, String> last = PseudonymContexts.lastRun(lakehouse, d.product());
    String recorded = last == null ? null : last.get(SUMMARY);
    if (recorded == null) {
      return;
    }
    Map<String, Column> before = parse(recorded);
    Map<String, Column> now = shape(d, columns);
    List<String> changes = new ArrayList<>();
    int line = 0;
    for (Map.Entry<String, Column> e : now.entrySet()) {
      String name = e.getKey();
      Column old = before.get(name);
      Column c = e.getValue();
      String change;
      if (old == null) {
        change = "column '" + name + "' is new (the earlier rows would have it empty)";
      } else if (!old.policy().equals(c.policy())) {
        change = "column '" + name + "' was made by " + old.policy() + " and would be by " + c.policy();
      } else if (!old.parameters().equals(c.parameters())) {
        change = "the parameters of column '" + name + "' (" + c.policy() + ") changed";
      } else if (!old.type().equals(c.type())) {
        change = "column '" + name + "' was " + old.type() + " and would be " + c.type();
      } else {
        continue;
      }
      changes.add(change);
      if (line == 0) {
        line = lineOf(d, columns, name);
      }
    }
    for (String name : before.keySet()) {
      if (!now.containsKey(name)) {
        changes.add("column '" + name + "' is dropped (the earlier rows would lose it)");
      }
    }
    if (changes.isEmpty()) {
      return;
    }
    throw new PipelineException(d.source(), line == 0 ? d.modeLine() : line, "incremental product " + d.product()
        + " would change its shape since its last version: " + String.join("; ", changes) + ". An incremental run "
        + "adds its rows to the earlier versions' rows, which keep the columns and policies they were made with, so "
        + "the version would mix two shapes; restore the columns and policies of the last version to go on, or run "
        + "the pipeline in mode full (which rebuilds every row) to change them"
        + (d.privacy() != null ? io.dataops.pipelines.plan.PinnedInput.AFTER_REBUILD : ""));
  }

  /** Each product column → its {@link Column}, in column order. */
  private static Map<String, Column> shape(PipelineDefinition d, List<BoundColumn> columns) {
    Map<String, Column> out = new LinkedHashMap<>();
    for (BoundColumn c : columns) {
      if (!c.inProduct()) {
        continue;
      }
      PolicySpec spec = d.policies().get(c.name());
      String policy = spec == null ? c.policy().kind()
          : spec.variant() == null ? spec.kind() : spec.kind() + " " + spec.variant();
      out.put(c.name(), new Column(c.outputType().toString(), policy, parameters(spec)));
    }
    return out;
  }

  /**
   * The digest of a policy's parameters: their names sorted (the order they are written in means nothing), the values
   * as written (a list's or mapping's order may mean something: text categories match in order).
   */
  private static String parameters(PolicySpec spec) {
    Map<String, Object> args = new TreeMap<>(spec == null ? Map.of() : spec.args());
    args.remove("key");
    args.remove("context");
    try {
      return Digests.sha256(JSON.writeValueAsString(args));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the parameters of the policy of column " + spec.column(), e);
    }
  }

  /** The line of column {@code name}'s policy, or of its place in the transform. */
  private static int lineOf(PipelineDefinition d, List<BoundColumn> columns, String name) {
    PolicySpec spec = d.policies().get(name);
    if (spec != null) {
      return spec.line();
    }
    return columns.stream().filter(c -> c.name().equals(name)).mapToInt(BoundColumn::line).findFirst().orElse(0);
  }

  private static Map<String, Column> parse(String recorded) {
    try {
      return JSON.readValue(recorded, new TypeReference<LinkedHashMap<String, Column>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the product's last version records a shape that cannot be read: "
          + e.getOriginalMessage(), e);
    }
  }
}
