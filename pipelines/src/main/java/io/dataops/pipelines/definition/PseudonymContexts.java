package io.dataops.pipelines.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.PipelineDefinition.PolicySpec;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.desensitize.Pseudonymize;
import io.dataops.pipelines.plan.Increment;
import java.util.LinkedHashMap;
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
 *
 * <p>An incremental run adds rows to the earlier versions' rows, so it must pseudonymize each column in the context
 * they did, named or default: each version's snapshot records the context of every pseudonymized column
 * ({@link #SUMMARY_CONTEXTS}), and an incremental run that would change one is refused ({@link #requireUnchanged}).
 * So is one whose key for a pseudonymized or encrypted column changed (rotated, or the policy names another key): the
 * snapshot records each such column's key fingerprint ({@link #SUMMARY_KEYS}), never the key.
 */
public final class PseudonymContexts {
  /** The snapshot summary property saying which default context the version's pseudonyms used. */
  public static final String SUMMARY = "dataops.pseudonym-context";
  /**
   * The snapshot summary property giving the context of each pseudonymized column of the version (a JSON object,
   * column → context); versions made before it lack it.
   */
  public static final String SUMMARY_CONTEXTS = "dataops.pseudonym-contexts";
  /**
   * The snapshot summary property giving the fingerprint of the key of each pseudonymized or encrypted column of the
   * version (a JSON object, column → {@link KeyRing#fingerprint}: an HMAC of a fixed label under the key, which does
   * not reveal it); versions made before it lack it.
   */
  public static final String SUMMARY_KEYS = "dataops.key-fingerprints";
  /** The product's name (this default). */
  public static final String PRODUCT = "product";
  /** The empty context of products made before this default. */
  public static final String EMPTY = "empty";

  private static final ObjectMapper JSON = new ObjectMapper();

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
    Map<String, String> last = lastRun(lakehouse, product);
    return last == null ? null : last.getOrDefault(SUMMARY, EMPTY);
  }

  /** The snapshot summary of the product's last version made by a run (null: none). */
  static Map<String, String> lastRun(Lakehouse lakehouse, String product) {
    TableIdentifier id = Increment.productTable(product);
    if (!lakehouse.exists(id)) {
      return null;
    }
    Table table = lakehouse.load(id);
    for (Snapshot s = table.currentSnapshot(); s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      Map<String, String> summary = s.summary();
      if (summary.containsKey(SUMMARY) || summary.containsKey(Increment.SUMMARY_PIPELINE)) {
        return summary;
      }
    }
    return null;
  }

  /**
   * Refuses an incremental run of {@code d} whose {@code columns} pseudonymize a column in another context than the
   * product's last version did (before, only the default's change was guarded, and a changed {@code
   * context:} gave the version's rows two pseudonym schemes, a person two pseudonyms), or pseudonymize or encrypt a
   * column under another key ({@code keys} gives its fingerprint). A version made before the contexts, or the keys,
   * were recorded is not compared on them.
   */
  static void requireUnchanged(Lakehouse lakehouse, PipelineDefinition d, List<BoundColumn> columns, KeyRing keys) {
    Map<String, String> last = lastRun(lakehouse, d.product());
    if (last == null) {
      return;
    }
    String recorded = last.get(SUMMARY_CONTEXTS);
    Map<String, String> before = recorded == null ? Map.of() : parse(recorded, "pseudonym contexts");
    for (Map.Entry<String, String> now : contexts(columns).entrySet()) {
      String old = before.get(now.getKey());
      if (old == null || old.equals(now.getValue())) {
        continue;
      }
      PolicySpec spec = d.policies().get(now.getKey());
      throw new PipelineException(d.source(), spec == null ? d.modeLine() : spec.line(), "column '" + now.getKey()
          + "' of incremental product " + d.product() + ": its earlier versions pseudonymized it in context "
          + shown(old) + ", this pipeline in context " + shown(now.getValue())
          + (spec != null && unnamed(spec) ? " (the default, as the policy names none)" : "") + ": an incremental "
          + "run adds its rows to theirs, and the version would give a person two pseudonyms; give the policy "
          + "context: " + (old.isEmpty() ? "\"\"" : VisibleText.value(old)) + " to go on, or run the pipeline in mode "
          + "full (which rebuilds every row) to change it");
    }
    String recordedKeys = last.get(SUMMARY_KEYS);
    Map<String, String> keysBefore = recordedKeys == null ? Map.of() : parse(recordedKeys, "key fingerprints");
    for (BoundColumn c : columns) {
      String keyId = c.policy().keyId();
      String old = keyId == null ? null : keysBefore.get(c.name());
      String now = old == null ? null : keys.fingerprint(keyId);
      if (old == null || old.equals(now)) {
        continue;
      }
      PolicySpec spec = d.policies().get(c.name());
      boolean pseudonyms = c.policy() instanceof Pseudonymize;
      throw new PipelineException(d.source(), spec == null ? d.modeLine() : spec.line(), "column '" + c.name()
          + "' of incremental product " + d.product() + ": its earlier versions " + (pseudonyms ? "pseudonymized"
          : "encrypted") + " it under the key of fingerprint " + old + ", this pipeline under key '" + keyId
          + "' of fingerprint " + now + ": the key changed (rotated, or the policy names another); an incremental "
          + "run adds its rows to theirs, and the version would " + (pseudonyms ? "give a person two pseudonyms"
          : "hold values encrypted under two keys (no one key would reveal them all)") + "; restore the key of "
          + "fingerprint " + old + " to go on, or run the pipeline in mode full (which rebuilds every row) to change "
          + "it");
    }
  }

  private static String shown(String context) {
    return context.isEmpty() ? "\"\" (none)" : "'" + VisibleText.value(context) + "'";
  }

  /** What a version made by {@code p} records in {@link #SUMMARY_CONTEXTS}. */
  public static String contexts(BoundPipeline p) {
    try {
      return JSON.writeValueAsString(contexts(p.columns()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the pseudonym contexts of " + p.definition().product(), e);
    }
  }

  /** Each pseudonymized column → its context, in column order. */
  private static Map<String, String> contexts(List<BoundColumn> columns) {
    Map<String, String> out = new LinkedHashMap<>();
    for (BoundColumn c : columns) {
      if (c.policy() instanceof Pseudonymize ps) {
        out.put(c.name(), ps.context());
      }
    }
    return out;
  }

  /**
   * What a version made by {@code p} records in {@link #SUMMARY_KEYS}: each column whose policy uses a key → that
   * key's fingerprint, from {@code fingerprints} (key id → fingerprint, as the run's identity holds them).
   */
  public static String keys(BoundPipeline p, Map<String, String> fingerprints) {
    Map<String, String> out = new LinkedHashMap<>();
    for (BoundColumn c : p.columns()) {
      String keyId = c.policy().keyId();
      if (keyId != null && fingerprints.containsKey(keyId)) {
        out.put(c.name(), fingerprints.get(keyId));
      }
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the key fingerprints of " + p.definition().product(), e);
    }
  }

  private static Map<String, String> parse(String recorded, String what) {
    try {
      return JSON.readValue(recorded, new TypeReference<Map<String, String>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the product's last version records " + what + " that cannot be read: "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * The context {@code p}'s pseudonymizations that name none were given (the product's name, or a product's earlier
   * empty one); null when every pseudonymization names its own (then the file, whose digest the run key holds, says
   * them all).
   */
  public static String chosen(BoundPipeline p) {
    Map<String, PolicySpec> specs = p.definition().policies();
    for (BoundColumn c : p.columns()) {
      PolicySpec s = specs.get(c.name());
      if (s != null && unnamed(s) && c.policy() instanceof Pseudonymize ps) {
        return ps.context();
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
    return "".equals(chosen(p)) ? EMPTY : PRODUCT;
  }
}
