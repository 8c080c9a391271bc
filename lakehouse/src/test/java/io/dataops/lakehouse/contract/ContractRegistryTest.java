package io.dataops.lakehouse.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A contract is in force only with its audit event: one whose event cannot be recorded leaves the one before. */
class ContractRegistryTest {
  @TempDir Path dir;

  @Test
  void aContractWhoseEventCannotBeRecordedIsNotRegistered() throws Exception {
    Path feed = dir.resolve("citizens.csv");
    SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 10, feed, FeedFormat.CSV,
        StandardCharsets.UTF_8, 0, 7, 0, 100, 10, false));
    Path contract = SampleGenerator.contractPathFor(feed);
    ContractRegistry registry = new ContractRegistry(dir.resolve("contracts"));
    List<AuditEvent> events = new ArrayList<>();
    ContractRegistry.Registered first = registry.register("public-security", "citizens", contract, events::add);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("contract.register");
      assertThat(e.objects()).containsExactly("contract:public-security/citizens");
      assertThat(e.details()).containsEntry("sha256", first.sha256());
    });

    Path changed = dir.resolve("changed.contract.yaml");
    Files.writeString(changed, Files.readString(contract) + "\n# a later revision\n");
    AuditSink full = event -> {
      throw new IllegalStateException("cannot record audit event " + event.action() + ": database or disk is full");
    };
    assertThatThrownBy(() -> registry.register("public-security", "citizens", changed, full))
        .hasMessageContaining("disk is full");
    assertThat(registry.find("public-security", "citizens").orElseThrow().sha256())
        .as("the contract before stays in force").isEqualTo(first.sha256());
    try (var files = Files.list(first.file().getParent())) {
      assertThat(files).as("no copy left behind").containsExactly(first.file());
    }
  }

  /**
   * Found by a probe: sp-two and sp_two registered as two datasets of one department, whose feeds then landed into
   * one table (its name writes '-' as '_'), each under its own contract.
   */
  @Test
  void aDatasetWhoseNameDiffersFromARegisteredOneOnlyInDashAndUnderscoreIsRefused() throws Exception {
    Path feed = dir.resolve("citizens.csv");
    SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 10, feed, FeedFormat.CSV,
        StandardCharsets.UTF_8, 0, 7, 0, 100, 10, false));
    String text = Files.readString(SampleGenerator.contractPathFor(feed)).replace("dataset: citizens\n", "")
        .replace("department: public-security\n", "");
    Path contract = Files.writeString(dir.resolve("any.contract.yaml"), text);
    ContractRegistry registry = new ContractRegistry(dir.resolve("contracts"));
    List<AuditEvent> events = new ArrayList<>();
    registry.register("public-security", "sp-two", contract, events::add);
    assertThatThrownBy(() -> registry.register("public-security", "sp_two", contract, events::add))
        .hasMessage("dataset 'sp_two' reads as the registered dataset 'sp-two' of public-security (names that differ"
            + " only in '-' and '_' share a table): register it as 'sp-two'");
    registry.register("public-security", "sp-two", contract, events::add); // the same name again: a revision
    registry.register("civil-affairs", "sp_two", contract, events::add); // another department's own table
    assertThat(events).hasSize(3);
    assertThat(registry.find("public-security", "sp_two")).isEmpty();
  }
}
