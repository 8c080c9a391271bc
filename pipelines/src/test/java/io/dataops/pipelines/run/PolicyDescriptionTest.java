package io.dataops.pipelines.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.PipelineException;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.desensitize.TestKeys;
import io.dataops.pipelines.testing.PipelineFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Policies shipped as a description and rebuilt on a task with its own keys give the bound pipeline's outputs. */
class PolicyDescriptionTest extends PipelineFixture {
  private static final String DEFAULT_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final String FPE_KEY = "2B7E151628AED2A6ABF7158809CF4F3C";

  /** Every kind of policy, and every variant a policy has, each on a column of the transform. */
  private static final String EVERY_POLICY = """
      name: every-policy
      scenario: 策略序列化
      owner: futian-operator
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [record_id, name, id_card, phone, gender, birth_date, address, district_code, monthly_income,
                    updated_at]
      transform: |
        SELECT record_id, id_card AS key_sha, id_card AS key_sm3, id_card AS id_ff1, phone AS phone_ff3,
               id_card AS id_masked, phone AS phone_masked, name AS name_masked, address AS address_masked,
               record_id AS record_custom, name, gender, birth_date AS birth_year, birth_date AS birth_month,
               birth_date AS age_band, district_code AS region, address AS address_street, address AS address_kind,
               monthly_income AS income, monthly_income AS income_band, monthly_income AS income_bounds,
               updated_at AS updated_month
        FROM citizens
      policy:
        record_id: keep
        key_sha: {pseudonymize: hmac-sha256, key: default, length: 20}
        key_sm3: {pseudonymize: hmac-sm3, key: default, context: 社保}
        id_ff1: {encrypt: ff1, key: fpe, shape: id_card, tweak: citizens}
        phone_ff3: {encrypt: ff3-1, key: fpe, shape: mobile, cipher: sm4}
        id_masked: {mask: id_card}
        phone_masked: {mask: mobile, maskChar: '#'}
        name_masked: {mask: name}
        address_masked: {mask: address, level: district}
        record_custom: {mask: custom, keepFirst: 2, keepLast: 2}
        name: remove
        birth_year: {generalize: year}
        birth_month: {generalize: month}
        age_band: {generalize: age_band, width: 5}
        region: {generalize: region, level: city}
        address_street: {generalize: address, level: street}
        address_kind: {generalize: categories, categories: {福田: [福田区], 南山: [南山区, 蛇口]}, otherwise: 其他}
        income: suppress
        income_band: {generalize: buckets, width: 2000}
        income_bounds: {generalize: buckets, boundaries: [0, 3000, 10000]}
        updated_month: {generalize: month}
      privacy: {quasiIdentifiers: [gender, birth_year, region], k: 2, l: 2, sensitive: income_band}
      product: every-policy
      """;

  private BoundPipeline pipeline;
  private List<Object[]> rows;

  @BeforeEach
  void bind() throws Exception {
    landSample(SampleDataset.CITIZENS, 400, 400, 3);
    pipeline = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(EVERY_POLICY, "p.yaml"), dir);
    rows = transformRows(pipeline);
  }

  /** The transform's rows: every output column here is an input column under another name. */
  private List<Object[]> transformRows(BoundPipeline p) throws Exception {
    Table table = lakehouse.load(TableIdentifier.parse("ods.public_security__citizens"));
    List<Object[]> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table)
        .useSnapshot(p.inputs().get(0).snapshotId()).build()) {
      for (Record r : records) {
        out.add(p.columns().stream().map(c -> r.getField(c.lineage().get(0).column())).toArray());
      }
    }
    out.add(new Object[p.columns().size()]); // nulls everywhere
    return out;
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static PolicyDescription deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (PolicyDescription) in.readObject();
    }
  }

  /** What a policy gives for a value: the output, or the kind of failure (an unfit value). */
  private static Object outcome(ColumnPolicy policy, Object value) {
    try {
      return policy.apply(value);
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  @Test
  void everyPolicyRebuiltFromItsShippedDescriptionGivesTheSameOutputs() throws Exception {
    byte[] shipped = serialize(PolicyDescription.of(pipeline, keys));
    // The task has its own key ring, read from its configuration: the same keys, another object.
    TestKeys taskKeys = new TestKeys().with("default", DEFAULT_KEY).with("fpe", FPE_KEY);
    PolicyDescription description = deserialize(shipped);
    assertThat(description.keyFingerprints()).containsOnlyKeys("default", "fpe");

    List<ColumnPolicy> rebuilt = description.policies(taskKeys);
    Set<String> kinds = new TreeSet<>();
    for (int c = 0; c < pipeline.columns().size(); c++) {
      BoundColumn column = pipeline.columns().get(c);
      ColumnPolicy bound = column.policy();
      ColumnPolicy task = rebuilt.get(c);
      kinds.add(bound.getClass().getSimpleName());
      assertThat(task.getClass()).as(column.name()).isEqualTo(bound.getClass());
      assertThat(task.describe()).as(column.name()).isEqualTo(bound.describe());
      assertThat(task.retains()).as(column.name()).isEqualTo(bound.retains());
      assertThat(task.keptInClear()).as(column.name()).isEqualTo(bound.keptInClear());
      assertThat(task.keepsIdentifierShape()).as(column.name()).isEqualTo(bound.keepsIdentifierShape());
      assertThat(task.outputType(column.sqlType().type())).isEqualTo(bound.outputType(column.sqlType().type()));
      for (Object[] row : rows) {
        Object expected = outcome(bound, row[c]);
        assertThat(outcome(task, row[c])).as(column.name()).isEqualTo(expected);
        assertThat(task.quasiIdentifierValue(expected)).isEqualTo(bound.quasiIdentifierValue(expected));
      }
    }
    assertThat(kinds).containsExactly("FormatPreservingEncryption", "GeneralizeAddress", "GeneralizeDate",
        "GeneralizeNumber", "GeneralizeRegion", "GeneralizeText", "Keep", "Mask", "Pseudonymize", "Remove",
        "Suppress");

    RowPolicies original = new RowPolicies(pipeline);
    RowPolicies onTask = description.rowPolicies(taskKeys);
    assertThat(onTask.productColumns()).isEqualTo(original.productColumns()).doesNotContain("name");
    assertThat(onTask.privacySqlColumns()).isEqualTo(original.privacySqlColumns());
    assertThat(onTask.identifierShaped()).isEqualTo(original.identifierShaped());
    for (Object[] row : rows) {
      Object[] product = original.apply(row);
      assertThat(onTask.apply(row)).isEqualTo(product);
      assertThat(onTask.applyForPrivacy(row)).isEqualTo(original.applyForPrivacy(row));
      assertThat(onTask.quasiIdentifiers(product)).isEqualTo(original.quasiIdentifiers(product));
      assertThat(onTask.sensitive(product)).isEqualTo(original.sensitive(product));
      assertThat(onTask.weight(product)).isEqualTo(original.weight(product));
    }
    assertThat(onTask.unfitCounts()).isEqualTo(original.unfitCounts());
  }

  @Test
  void noKeyMaterialIsShippedAndATaskWithOtherKeysRefusesToRebuild() throws Exception {
    byte[] shipped = serialize(PolicyDescription.of(pipeline, keys));
    String asText = new String(shipped, StandardCharsets.ISO_8859_1);
    for (String hex : List.of(DEFAULT_KEY, FPE_KEY)) {
      byte[] key = HexFormat.of().parseHex(hex);
      assertThat(asText).doesNotContain(new String(key, StandardCharsets.ISO_8859_1))
          .doesNotContainIgnoringCase(hex).doesNotContainIgnoringCase(hex.substring(0, 16));
    }
    PolicyDescription description = deserialize(shipped);

    TestKeys otherDefault = new TestKeys().with("default", DEFAULT_KEY.replace('0', '9')).with("fpe", FPE_KEY);
    assertThatThrownBy(() -> description.rowPolicies(otherDefault)).isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:19: the key 'default' here has fingerprint " + otherDefault.fingerprint("default")
            + ", not " + keys.fingerprint("default") + " as when the run was planned: every task must read the same "
            + "keys");
    TestKeys noFpe = new TestKeys().with("default", DEFAULT_KEY);
    assertThatThrownBy(() -> description.rowPolicies(noFpe)).isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:21: no key 'fpe'");
  }
}
