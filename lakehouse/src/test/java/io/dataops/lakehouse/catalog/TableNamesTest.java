package io.dataops.lakehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import org.junit.jupiter.api.Test;

class TableNamesTest {
  @Test
  void aDepartmentAndADatasetNameOneTable() {
    assertThat(TableNames.ods("public-security", "citizens").toString()).isEqualTo("ods.public_security__citizens");
    assertThat(TableNames.quarantine("hr2", "social_insurance-2026").toString())
        .isEqualTo("quarantine.hr2__social_insurance_2026");
  }

  @Test
  void namesThatCouldShareATableWithAnotherPairAreRefused() {
    // department a's dataset b__c and department a__b's dataset c would both be ods.a__b__c
    for (String[] pair : new String[][] {{"a", "b__c"}, {"a__b", "c"}, {"a-", "c"}, {"a", "-c"}, {"a", "b-_c"}}) {
      assertThatThrownBy(() -> TableNames.ods(pair[0], pair[1])).isInstanceOf(BadInputException.class)
          .hasMessageContaining("cannot name a table");
    }
  }

  @Test
  void aHostileNameIsRefusedAndNotRepeated() {
    assertThatThrownBy(() -> TableNames.ods("dept", "x\u001b[2J")).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("dataset '(5 characters)' cannot name a table");
    assertThatThrownBy(() -> TableNames.ods("d".repeat(65), "x")).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("department '(65 characters)' cannot name a table: use 1 to 64 ");
    assertThatThrownBy(() -> TableNames.ods("d", "x".repeat(121))).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("dataset '(121 characters)' cannot name a table: use 1 to 120 ");
    assertThat(TableNames.ods("d".repeat(64), "x".repeat(120)).name()).hasSize(186);
    assertThatThrownBy(() -> TableNames.ods("../etc", "x")).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("department '../etc' cannot name a table");
    assertThatThrownBy(() -> TableNames.ods("Dept", "x")).isInstanceOf(BadInputException.class);
  }
}
