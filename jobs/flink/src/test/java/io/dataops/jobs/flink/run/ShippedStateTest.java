package io.dataops.jobs.flink.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.run.PolicyDescription;
import io.dataops.pipelines.testing.PipelineFixture;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

/** What the job graph carries to the tasks: the policies as written and the keys file's path, never a key. */
class ShippedStateTest extends PipelineFixture {
  @Test
  void theOperatorsShipNoKeyMaterial() throws Exception {
    landSample(SampleDataset.CITIZENS, 50, 50, 1);
    BoundPipeline p = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse("""
        name: keyed
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, phone, gender]}
        policy:
          id_card: {pseudonymize: hmac-sha256, key: default, length: 20}
          phone: {encrypt: ff1, key: fpe, shape: mobile}
        privacy: {quasiIdentifiers: [gender], k: 2}
        product: keyed
        """, "p.yaml"), dir);
    PolicyDescription description = PolicyDescription.of(p, keys);
    TaskKeys taskKeys = new TaskKeys("/etc/dataops/keys.properties");
    RunScratch scratch = new RunScratch(lakehouse.io(), lakehouse.config().warehouse() + "/.dataops-runs/x/y");
    List<ColumnType> types = p.columns().stream().map(BoundColumn::sqlType).toList();
    RowType rowType = RowType.of(new LogicalType[] {new IntType()}, new String[] {"x"});
    byte[] shipped = serialize(List.of(
        new ClassCountOperator(description, taskKeys, ShippedPrivacy.of(p.privacy()), types, new int[] {2}, scratch,
            1 << 20),
        new ProductOperator(description, taskKeys, types, rowType, new int[] {0, 0, 0}, "v", "f", scratch,
            ProductOperator.heldRows(rowType))));
    String asText = new String(shipped, StandardCharsets.ISO_8859_1);
    for (String id : List.of("default", "fpe")) {
      byte[] key = keys.key(id);
      String hex = HexFormat.of().formatHex(key);
      assertThat(asText).doesNotContain(new String(key, StandardCharsets.ISO_8859_1))
          .doesNotContainIgnoringCase(hex);
    }
    assertThat(asText).contains("/etc/dataops/keys.properties");
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }
}
