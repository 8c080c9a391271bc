package io.dataops.pipelines.definition;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.plan.ReadGrant;
import io.dataops.pipelines.testing.PipelineFixture;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validator reads rows under the caller's grant twice (the detector's sample of undeclared text columns, the
 * measure of undeclared quasi-identifiers). Before, a grant that did not cover a table or column refused those reads
 * with no file and line, unlike the file's other refusals; they now name the input's line (its columns' line for a
 * column).
 */
class GovernedReadLinesTest extends PipelineFixture {

  @BeforeEach
  void landData() throws Exception {
    landSample(SampleDataset.CITIZENS, 300, 300, 1);
    // a contract that declares no column personal: the detector samples its text columns
    land("street-office", "visits", """
        columns:
          - {name: visit_id, type: long}
          - {name: contact, type: string}
          - {name: topic, type: string}
        """, "visit_id,contact,topic\n1,13812345678,低保\n2,13987654321,户籍\n3,15900001111,医保\n");
  }

  private static final String VISITS = """
      name: visits
      scenario: test
      owner: op
      inputs:
        - table: ods.street_office__visits
          as: visits
          columns: [visit_id, contact, topic]
      policy:
        contact: {mask: mobile, keepFirst: 3, keepLast: 0}
      privacy: {k: 2, quasiIdentifiers: [topic]}
      product: visits
      """;

  /** No undeclared text column (the contract declares id_card and birth_date), a kept column the measure reads. */
  private static final String INCOMES = """
      name: incomes
      scenario: test
      owner: op
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, birth_date, monthly_income]
      policy:
        id_card: {mask: custom, keepFirst: 6}
        birth_date: {generalize: year}
      privacy: {k: 2, quasiIdentifiers: [birth_date]}
      product: incomes
      """;

  private BoundPipeline bindUnder(String yaml, ReadGrant grant) {
    return new PipelineValidator(lakehouse, keys).readsUnder((d, inputs) -> List.of(grant))
        .bind(PipelineParser.parse(yaml, "p.yaml"), dir);
  }

  @Test
  void theDetectorsReadRefusedByTheGrantNamesTheInputsLine() {
    assertThatThrownBy(() -> bindUnder(VISITS, new ReadGrant(7, "ods.street_office__visits",
        List.of("visit_id", "contact"), null))).isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:7: column 'topic' of ods.street_office__visits is not granted by grant 7 (granted: "
            + "visit_id, contact)");
    assertThatThrownBy(() -> bindUnder(VISITS, new ReadGrant(7, "ods.public_security__citizens",
        List.of("visit_id", "contact", "topic"), null))).isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:5: table ods.street_office__visits is not covered by the run's grant 7: the operator "
            + "applies for it");
  }

  @Test
  void theMeasuresReadRefusedByTheGrantNamesTheInputsLine() {
    assertThatThrownBy(() -> bindUnder(INCOMES, new ReadGrant(7, "ods.public_security__citizens",
        List.of("id_card", "birth_date"), null))).isInstanceOf(PipelineException.class)
        .hasMessage("p.yaml:7: column 'monthly_income' of ods.public_security__citizens is not granted by grant 7 "
            + "(granted: id_card, birth_date)");
  }
}
