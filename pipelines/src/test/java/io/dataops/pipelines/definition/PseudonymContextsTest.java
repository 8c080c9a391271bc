package io.dataops.pipelines.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.run.PolicyDescription;
import io.dataops.pipelines.testing.PipelineFixture;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: every product pseudonymizing with one key and no context gave a person the same pseudonym, so two
 * products, each k-anonymous alone, joined on it re-identified people. The default context is now the product's name.
 */
class PseudonymContextsTest extends PipelineFixture {
  private static final String PERSON = "person-0001";

  @BeforeEach
  void landCitizens() throws Exception {
    landSample(SampleDataset.CITIZENS, 50, 50, 1);
  }

  private static String pipeline(String product, String context) {
    return """
        name: %s
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        transform: SELECT id_card AS person_key, gender FROM citizens
        policy:
          person_key: {pseudonymize: hmac-sha256, key: default, length: 20%s}
        product: %s
        """.formatted(product, context == null ? "" : ", context: " + context, product);
  }

  private BoundPipeline bind(String yaml) {
    return bindWithoutLimits(yaml);
  }

  private static Object pseudonym(BoundPipeline p) {
    return policy(p).apply(PERSON);
  }

  private static ColumnPolicy policy(BoundPipeline p) {
    return p.columns().stream().filter(c -> c.name().equals("person_key")).findFirst().orElseThrow().policy();
  }

  /** A version of {@code product} as an earlier run left it: its snapshot with {@code summary}. */
  private void version(String product, Map<String, String> summary) {
    TableIdentifier id = TableIdentifier.of(Zone.PRODUCT.namespaceName(), product.replace('-', '_'));
    Table t = lakehouse.createOrLoad(id, new Schema(Types.NestedField.optional(1, "person_key",
        Types.StringType.get())), Map.of());
    var append = t.newAppend();
    summary.forEach(append::set);
    append.commit();
  }

  @Test
  void twoProductsFromOneInputWithOneKeyGiveAPersonUnrelatedPseudonyms() {
    BoundPipeline a = bind(pipeline("product-a", null));
    BoundPipeline b = bind(pipeline("product-b", null));
    assertThat(pseudonym(a)).isNotEqualTo(pseudonym(b));
    assertThat(a.warnings()).noneMatch(w -> w.contains("context"));
  }

  @Test
  void versionsOfOneProductGiveThePersonTheSamePseudonym() {
    BoundPipeline first = bind(pipeline("product-a", null));
    version("product-a", Map.of(PseudonymContexts.SUMMARY, PseudonymContexts.scheme(first)));
    BoundPipeline next = bind(pipeline("product-a", null));
    assertThat(pseudonym(next)).isEqualTo(pseudonym(first));
    assertThat(next.warnings()).noneMatch(w -> w.contains("context"));
  }

  @Test
  void anEqualExplicitContextLinksTwoProducts() {
    assertThat(pseudonym(bind(pipeline("product-a", "shared"))))
        .isEqualTo(pseudonym(bind(pipeline("product-b", "shared"))));
  }

  /**
   * A product whose versions were made before the default (no context recorded) keeps the empty context, with a
   * warning to name one: its next version (an incremental one appends to the earlier rows) must not switch silently.
   */
  @Test
  void aProductMadeWithTheEmptyContextKeepsItAndIsWarned() {
    BoundPipeline legacy = bind(pipeline("product-a", "\"\""));
    version("product-a", Map.of("dataops.pipeline", "product-a"));
    version("product-a", Map.of()); // a later commit that is no run's version (a destruction's)

    BoundPipeline next = bind(pipeline("product-a", null));

    assertThat(pseudonym(next)).isEqualTo(pseudonym(legacy));
    assertThat(PseudonymContexts.scheme(next)).isEqualTo(PseudonymContexts.EMPTY);
    assertThat(next.warnings()).anySatisfy(w -> assertThat(w).contains("column person_key keeps the pseudonyms of "
        + "the earlier versions of product product-a, made without a context").contains("context: \"\"")
        .contains("context: product-a in a run in mode full"));
    BoundPipeline named = bind(pipeline("product-a", "product-a"));
    assertThat(pseudonym(named)).as("named by the operator: this product's own").isNotEqualTo(pseudonym(legacy))
        .isEqualTo(pseudonym(bind(pipeline("product-c", "product-a"))));
    assertThat(named.warnings()).noneMatch(w -> w.contains("made without a context"));
    assertThat(PseudonymContexts.scheme(named)).isEqualTo(PseudonymContexts.PRODUCT);
  }

  /** A parallel task rebuilds the policy from the description: the context the validator chose, not its own. */
  @Test
  void theDescriptionShipsTheChosenContext() {
    BoundPipeline p = bind(pipeline("product-a", null));
    Object shipped = PolicyDescription.of(p, keys).policies(keys).get(0).apply(PERSON);
    assertThat(shipped).isEqualTo(pseudonym(p));
  }
}
