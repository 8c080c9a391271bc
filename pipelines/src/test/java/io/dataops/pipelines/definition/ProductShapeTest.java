package io.dataops.pipelines.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.plan.Increment;
import io.dataops.pipelines.testing.PipelineFixture;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: an incremental run of a pipeline whose product columns or policies had changed silently rewrote
 * the product's shape (a dropped column gone for the earlier rows, a new one null for them, a changed bucket width
 * two encodings in one column). Refused now, naming the columns; a run in mode full may change it.
 */
class ProductShapeTest extends PipelineFixture {
  private static final String PIPELINE = """
      name: income
      scenario: test
      owner: op
      inputs:
        - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender, monthly_income]}
      transform: SELECT id_card AS person, gender, monthly_income FROM citizens
      policy:
        person: {pseudonymize: hmac-sha256, key: default, length: 20}
        monthly_income: {generalize: buckets, width: 5000}
      privacy: {k: 2, quasiIdentifiers: [gender]}
      product: income
      mode: incremental
      """;

  @BeforeEach
  void landCitizens() throws Exception {
    landSample(SampleDataset.CITIZENS, 50, 50, 1);
  }

  /** A version of the product as a run of {@code p} left it (what the publish records of its shape). */
  private void versionBy(BoundPipeline p, boolean withShape) {
    TableIdentifier id = TableIdentifier.of(Zone.PRODUCT.namespaceName(), p.definition().product());
    Table t = lakehouse.createOrLoad(id, new Schema(Types.NestedField.optional(1, "person",
        Types.StringType.get())), Map.of());
    var append = t.newAppend().set(Increment.SUMMARY_PIPELINE, p.definition().name());
    if (withShape) {
      append.set(ProductShape.SUMMARY, ProductShape.of(p));
    }
    append.commit();
  }

  private Throwable refusal(String yaml) {
    return catchThrowable(() -> bindWithoutLimits(yaml));
  }

  @Test
  void aChangedBucketWidthIsRefusedAtThePolicysLineNamingTheColumnAndTheWayOut() {
    versionBy(bindWithoutLimits(PIPELINE), true);
    assertThat(bindWithoutLimits(PIPELINE).definition().incremental()).as("the same shape goes on").isTrue();

    Throwable refused = refusal(PIPELINE.replace("width: 5000", "width: 10000"));

    assertThat(refused).isInstanceOf(PipelineException.class).hasMessageContaining("p.yaml:9: ")
        .hasMessageContaining("incremental product income would change its shape since its last version: the "
            + "parameters of column 'monthly_income' (generalize buckets) changed.")
        .hasMessageContaining("or run the pipeline in mode full (which rebuilds every row) to change them (with "
            + "privacy too: the full run keeps the class counts and suppressed rows that incremental runs go on from)");
    assertThat(refused.getMessage()).as("column names only, never a value").doesNotContain("5000")
        .doesNotContain("10000");
    assertThat(refusal(PIPELINE.replace("{generalize: buckets, width: 5000}", "{generalize: buckets, "
        + "boundaries: [1000, 5000]}"))).hasMessageContaining("the parameters of column 'monthly_income'");
    assertThat(refusal(PIPELINE.replace("{generalize: buckets, width: 5000}", "suppress")))
        .hasMessageContaining("column 'monthly_income' was made by generalize buckets and would be by suppress");
    assertThat(refusal(PIPELINE.replace("gender, monthly_income FROM", "CAST(gender AS INTEGER) AS gender, "
        + "monthly_income FROM"))).as("another type").hasMessageContaining("column 'gender' was string and would be");
    assertThat(bindWithoutLimits(PIPELINE.replace("width: 5000", "width: 10000").replace("mode: incremental",
        "mode: full")).definition().incremental()).as("a full run rebuilds every row").isFalse();
  }

  @Test
  void anAddedAndADroppedColumnAreRefusedNamingBoth() {
    versionBy(bindWithoutLimits(PIPELINE), true);

    Throwable refused = refusal(PIPELINE.replace("columns: [id_card, gender, monthly_income]",
        "columns: [id_card, gender, monthly_income, district_code]").replace("SELECT id_card AS person, gender, "
        + "monthly_income", "SELECT id_card AS person, gender, district_code")
        .replace("  monthly_income: {generalize: buckets, width: 5000}\n", ""));

    assertThat(refused).isInstanceOf(PipelineException.class)
        .hasMessageContaining("column 'district_code' is new (the earlier rows would have it empty)")
        .hasMessageContaining("column 'monthly_income' is dropped (the earlier rows would lose it)");
    assertThat(refusal(PIPELINE.replace("{generalize: buckets, width: 5000}", "remove"))).as("removed by its policy")
        .hasMessageContaining("column 'monthly_income' is dropped");
  }

  /** The key and the context are guarded by their own records: a key renamed with the same bytes changes nothing. */
  @Test
  void theKeysNameIsNoChangeOfShape() {
    versionBy(bindWithoutLimits(PIPELINE), true);
    keys.with("renamed", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    assertThat(bindWithoutLimits(PIPELINE.replace("key: default", "key: renamed")).definition().incremental())
        .isTrue();
  }

  /** A version made before the shape was recorded is accepted: what it was made with is not known. */
  @Test
  void aVersionWithoutTheShapeIsNotCompared() {
    versionBy(bindWithoutLimits(PIPELINE), false);
    BoundPipeline changed = bindWithoutLimits(PIPELINE.replace("width: 5000", "width: 10000"));
    versionBy(changed, true);
    assertThat(refusal(PIPELINE)).as("the run after it records the shape, which the next is held to")
        .hasMessageContaining("the parameters of column 'monthly_income'");
  }
}
