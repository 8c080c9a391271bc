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
    return pipeline(product, context, "full");
  }

  private static String pipeline(String product, String context, String mode) {
    return """
        name: %s
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        transform: SELECT id_card AS person_key, gender FROM citizens
        policy:
          person_key: {pseudonymize: hmac-sha256, key: default, length: 20%s}
        privacy: {quasiIdentifiers: [gender], k: 5}
        product: %s
        mode: %s
        """.formatted(product, context == null ? "" : ", context: " + context, product, mode);
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

  /** A version of {@code product} as a run of {@code p} left it (what the publish records of its pseudonyms). */
  private void versionBy(BoundPipeline p) {
    version(p.definition().product(), Map.of(io.dataops.pipelines.plan.Increment.SUMMARY_PIPELINE,
        p.definition().name(), PseudonymContexts.SUMMARY, PseudonymContexts.scheme(p),
        PseudonymContexts.SUMMARY_CONTEXTS, PseudonymContexts.contexts(p),
        PseudonymContexts.SUMMARY_KEYS, PseudonymContexts.keys(p,
            io.dataops.pipelines.plan.RunIdentity.of(p, keys, "spring-batch").keys())));
  }

  private static final String ROTATED = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

  /**
   * Before, only the context was compared, so an incremental run after the key was rotated (same name, other bytes)
   * or after the policy named another key added rows with other pseudonyms to the earlier ones. Refused at the
   * policy's line, naming the column, both fingerprints (never a key) and the way out; a full run may change it.
   */
  @Test
  void anIncrementalRunRefusesARotatedKeyNamingBothFingerprintsAndTheWayOut() {
    BoundPipeline first = bind(pipeline("product-a", "linked", "incremental"));
    versionBy(first);
    String before = keys.fingerprint("default");
    keys.with("default", ROTATED);
    String after = keys.fingerprint("default");

    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> bind(pipeline("product-a", "linked",
        "incremental")));
    assertThat(refused).isInstanceOf(PipelineException.class).hasMessageContaining("p.yaml:8: ")
        .hasMessageContaining("column 'person_key' of incremental product product-a: its earlier versions "
            + "pseudonymized it under the key of fingerprint " + before + ", this pipeline under key 'default' of "
            + "fingerprint " + after + ": the key changed")
        .hasMessageContaining("give a person two pseudonyms; restore the key of fingerprint " + before
            + " to go on, or run the pipeline in mode full");
    assertThat(refused.getMessage()).doesNotContainIgnoringCase(ROTATED)
        .doesNotContainIgnoringCase("000102030405060708090a0b0c0d0e0f");
    assertThat(pseudonym(bind(pipeline("product-a", "linked")))).as("a full run rebuilds every row, under the new key")
        .isNotEqualTo(pseudonym(first));

    keys.with("default", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bind(pipeline("product-a", "linked",
        "incremental").replace("key: default", "key: fpe")))).as("the policy names another key")
        .isInstanceOf(PipelineException.class).hasMessageContaining("this pipeline under key 'fpe' of fingerprint "
            + keys.fingerprint("fpe"));
    assertThat(pseudonym(bind(pipeline("product-a", "linked", "incremental")))).as("the key restored")
        .isEqualTo(pseudonym(bind(pipeline("product-a", "linked"))));
  }

  /** Encryption has the same problem: the version's values under two keys, one key revealing only some. */
  @Test
  void anIncrementalRunRefusesARotatedEncryptionKey() {
    String encrypted = pipeline("product-a", null, "incremental").replace(
        "{pseudonymize: hmac-sha256, key: default, length: 20}", "{encrypt: ff1, key: fpe, shape: id_card}");
    versionBy(bind(encrypted));
    String before = keys.fingerprint("fpe");
    keys.with("fpe", "00112233445566778899aabbccddeeff");

    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bind(encrypted)))
        .isInstanceOf(PipelineException.class).hasMessageContaining("p.yaml:8: ")
        .hasMessageContaining("its earlier versions encrypted it under the key of fingerprint " + before
            + ", this pipeline under key 'fpe' of fingerprint " + keys.fingerprint("fpe"))
        .hasMessageContaining("hold values encrypted under two keys");
    assertThat(bind(encrypted.replace("mode: incremental", "mode: full")).definition().incremental())
        .as("a full run may").isFalse();
  }

  /** A version made before the fingerprints were recorded (its contexts only) is not compared on the key. */
  @Test
  void aVersionWithoutKeyFingerprintsIsNotComparedOnTheKey() {
    BoundPipeline first = bind(pipeline("product-a", "linked", "incremental"));
    version("product-a", Map.of(io.dataops.pipelines.plan.Increment.SUMMARY_PIPELINE, "product-a",
        PseudonymContexts.SUMMARY, PseudonymContexts.scheme(first),
        PseudonymContexts.SUMMARY_CONTEXTS, PseudonymContexts.contexts(first)));
    keys.with("default", ROTATED);

    assertThat(pseudonym(bind(pipeline("product-a", "linked", "incremental")))).isNotEqualTo(pseudonym(first));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bind(pipeline("product-a", "other",
        "incremental")))).as("its contexts still are").hasMessageContaining("in context 'linked'");
  }

  /**
   * Before, only the default context's change was guarded, so an incremental run whose {@code context:}
   * was changed added rows with other pseudonyms to the earlier ones (a person under two pseudonyms in one version).
   * Refused at the policy's line, naming the product, both contexts and the way out; a full run may change it.
   */
  @Test
  void anIncrementalRunRefusesAChangedContextNamingBothAndTheWayOut() {
    versionBy(bind(pipeline("product-a", "linked", "incremental")));

    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bind(pipeline("product-a", "other",
        "incremental")))).isInstanceOf(PipelineException.class).hasMessageContaining("p.yaml:8: ")
        .hasMessageContaining("column 'person_key' of incremental product product-a: its earlier versions "
            + "pseudonymized it in context 'linked', this pipeline in context 'other'")
        .hasMessageContaining("give the policy context: linked to go on, or run the pipeline in mode full");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bind(pipeline("product-a", null,
        "incremental")))).as("the context left out: the default, the product's name, is a change too")
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("in context 'linked', this pipeline in context 'product-a' (the default");

    assertThat(pseudonym(bind(pipeline("product-a", "linked", "incremental"))))
        .isEqualTo(pseudonym(bind(pipeline("product-a", "linked"))));
    assertThat(bind(pipeline("product-a", "other")).warnings()).as("a full run rebuilds every row")
        .noneMatch(w -> w.contains("context"));
  }

  /** The default named the same as the earlier explicit context is no change. */
  @Test
  void anIncrementalRunMayNameTheContextItsDefaultGave() {
    versionBy(bind(pipeline("product-a", null, "incremental")));
    assertThat(pseudonym(bind(pipeline("product-a", "product-a", "incremental"))))
        .isEqualTo(pseudonym(bind(pipeline("product-a", null))));
  }

  /**
   * Before, the run key did not hold the default context, which the file does not say, so the same file on
   * the same inputs in another default (a product made before the default, whose versions were destroyed) was taken
   * for the run that made the earlier version, and made nothing. The key holds it now; a run in the empty context,
   * as every run before the default was, keeps the key it had.
   */
  @Test
  void theDefaultContextIsPartOfTheRunKey() {
    String yaml = pipeline("product-a", null);
    BoundPipeline own = bind(yaml);
    version("product-a", Map.of(io.dataops.pipelines.plan.Increment.SUMMARY_PIPELINE, "product-a"));
    BoundPipeline legacy = bind(yaml);
    assertThat(pseudonym(legacy)).isNotEqualTo(pseudonym(own));

    var ownKey = io.dataops.pipelines.plan.RunIdentity.of(own, keys, "spring-batch");
    var legacyKey = io.dataops.pipelines.plan.RunIdentity.of(legacy, keys, "spring-batch");
    assertThat(ownKey.inputs()).isEqualTo(legacyKey.inputs());
    assertThat(ownKey.runKey()).isNotEqualTo(legacyKey.runKey());
    assertThat(ownKey.asParameters()).containsEntry("pseudonym.context", "product-a");
    assertThat(legacyKey.runKey()).as("the key runs in the empty context always had")
        .isEqualTo(new io.dataops.pipelines.plan.RunIdentity(legacyKey.pipeline(), legacyKey.pipelineSha256(),
            legacyKey.inputs(), legacyKey.keys(), legacyKey.engine()).runKey());
    var named = io.dataops.pipelines.plan.RunIdentity.of(bind(pipeline("product-b", "linked")), keys, "spring-batch");
    assertThat(named.identifying()).as("a named context is in the file's digest already").doesNotContainKey(
        "pseudonym.context");
  }
}
