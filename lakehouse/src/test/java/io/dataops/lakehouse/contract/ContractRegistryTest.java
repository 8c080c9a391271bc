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
}
