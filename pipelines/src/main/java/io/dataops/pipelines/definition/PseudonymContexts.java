package io.dataops.pipelines.definition;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.PipelineDefinition.PolicySpec;
import io.dataops.pipelines.desensitize.Pseudonymize;
import io.dataops.pipelines.plan.Increment;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The context of a pseudonymization that names none. It is the product's name: a person's pseudonym is stable from
 * version to version of one product, and unrelated in two products (found by a probe: with one context for all, two
 * k-anonymous products joined on the pseudonym re-identified people). An operator who wants two products linkable
 * gives both the same {@code context:}.
 *
 * <p>Products made before this default had the empty context. Their next versions keep it, with a warning, until the
 * operator names a context: pseudonyms that change between versions would break whoever follows a person across
 * them, and an incremental version would mix two schemes in its rows. Each version's snapshot records which default
 * it used ({@link #SUMMARY}); a version without it predates the default.
 */
public final class PseudonymContexts {
  /** The snapshot summary property saying which default context the version's pseudonyms used. */
  public static final String SUMMARY = "dataops.pseudonym-context";
  /** The product's name (this default). */
  public static final String PRODUCT = "product";
  /** The empty context of products made before this default. */
  public static final String EMPTY = "empty";

  private PseudonymContexts() {}

  /** The default context for {@code d}'s pseudonymizations, and the warning it carries (null: none). */
  public record Default(String context, String warning) {}

  static Default of(Lakehouse lakehouse, PipelineDefinition d) {
    List<String> unnamed = unnamed(d);
    Default product = new Default(d.product(), null);
    if (unnamed.isEmpty()) {
      return product;
    }
    if (!EMPTY.equals(lastScheme(lakehouse, d.product()))) {
      return product;
    }
    return new Default("", "column" + (unnamed.size() > 1 ? "s " : " ") + String.join(", ", unnamed)
        + " keep" + (unnamed.size() > 1 ? "" : "s") + " the pseudonyms of the earlier versions of product "
        + d.product() + ", made without a context: a person has the same pseudonym in every product that "
        + "pseudonymizes with the same key and no context, so those products can be joined on it; give the policy "
        + "a context: context: \"\" to keep these pseudonyms (linkable), or context: " + d.product()
        + " in a run in mode full (which rebuilds every row) to make them this product's own");
  }

  /**
   * What the product's last version made by a run recorded, walking back from the current snapshot (a destruction's
   * own commits name no pipeline): {@link #EMPTY} for a version made before the default; null when there is none.
   */
  private static String lastScheme(Lakehouse lakehouse, String product) {
    TableIdentifier id = Increment.productTable(product);
    if (!lakehouse.exists(id)) {
      return null;
    }
    Table table = lakehouse.load(id);
    for (Snapshot s = table.currentSnapshot(); s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      Map<String, String> summary = s.summary();
      if (summary.containsKey(SUMMARY)) {
        return summary.get(SUMMARY);
      }
      if (summary.containsKey("dataops.pipeline")) {
        return EMPTY;
      }
    }
    return null;
  }

  /** The columns whose pseudonymization names no context, in policy order. */
  private static List<String> unnamed(PipelineDefinition d) {
    return d.policies().values().stream().filter(PseudonymContexts::unnamed).map(PolicySpec::column).toList();
  }

  private static boolean unnamed(PolicySpec s) {
    return "pseudonymize".equals(s.kind()) && !s.args().containsKey("context");
  }

  /** What a version made by {@code p} records in {@link #SUMMARY}. */
  public static String scheme(BoundPipeline p) {
    Map<String, PolicySpec> specs = p.definition().policies();
    for (BoundPipeline.BoundColumn c : p.columns()) {
      PolicySpec s = specs.get(c.name());
      if (s != null && unnamed(s) && c.policy() instanceof Pseudonymize ps && ps.context().isEmpty()) {
        return EMPTY;
      }
    }
    return PRODUCT;
  }
}
