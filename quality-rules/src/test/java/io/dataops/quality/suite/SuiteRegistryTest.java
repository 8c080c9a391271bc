package io.dataops.quality.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A suite is in force only with its audit event: one whose event cannot be recorded leaves the one before. */
class SuiteRegistryTest {
  @TempDir Path dir;

  static String suite(String name) {
    return "{\"name\": \"" + name + "\", \"expectations\": [{\"type\": \"expect_column_values_to_not_be_null\","
        + " \"kwargs\": {\"column\": \"id_card\"}}]}";
  }

  @Test
  void aSuiteWhoseEventCannotBeRecordedIsNotRegistered() throws Exception {
    SuiteRegistry registry = new SuiteRegistry(dir.resolve("suites"));
    List<AuditEvent> events = new ArrayList<>();
    Path first = Files.writeString(dir.resolve("first.json"), suite("citizens.v1"));
    registry.register("public-security", "citizens", first, events::add);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("quality.suite.register");
      assertThat(e.objects()).containsExactly("table:ods.public_security__citizens");
      assertThat(e.details()).containsEntry("suite", "citizens.v1");
    });

    AuditSink full = event -> {
      throw new IllegalStateException("cannot record audit event " + event.action() + ": database or disk is full");
    };
    Path second = Files.writeString(dir.resolve("second.yaml"), suite("citizens.v2"));
    assertThatThrownBy(() -> registry.register("public-security", "citizens", second, full))
        .hasMessageContaining("disk is full");
    assertThat(registry.find("public-security", "citizens").orElseThrow().suite().name())
        .as("the suite before stays in force").isEqualTo("citizens.v1");
    try (var files = Files.list(dir.resolve("suites/public-security"))) {
      assertThat(files.map(f -> f.getFileName().toString())).as("no copy left behind").containsExactly(
          "citizens.json");
    }
    registry.register("public-security", "citizens", second, events::add);
    assertThat(registry.find("public-security", "citizens").orElseThrow().suite().name()).isEqualTo("citizens.v2");
    assertThat(events).hasSize(2);
  }

  /** Found by a probe: a suite without expectations was registered, and every feed passed it. */
  @Test
  void aSuiteWithoutExpectationsIsNotRegistered() throws Exception {
    SuiteRegistry registry = new SuiteRegistry(dir.resolve("suites"));
    List<AuditEvent> events = new ArrayList<>();
    Path empty = Files.writeString(dir.resolve("empty.json"), "{\"name\": \"citizens.none\", \"expectations\": []}");
    assertThatThrownBy(() -> registry.register("public-security", "citizens", empty, events::add))
        .isInstanceOf(io.dataops.core.BadInputException.class)
        .hasMessage(empty + ": the suite citizens.none has no expectations, so every feed would pass it: a registered"
            + " suite checks something (quality run --suite runs any suite)");
    assertThat(events).isEmpty();
    assertThat(registry.find("public-security", "citizens")).isEmpty();
  }

  /** Found by a probe: a suite's name with a line break was registered, and each run printed the forged lines. */
  @Test
  void aSuiteWhoseNameBreaksItsLineIsNotRegistered() throws Exception {
    SuiteRegistry registry = new SuiteRegistry(dir.resolve("suites"));
    List<AuditEvent> events = new ArrayList<>();
    Path forged = Files.writeString(dir.resolve("forged.json"), suite("citizens\\nquality run: all rules passed"));
    assertThatThrownBy(() -> registry.register("public-security", "citizens", forged, events::add))
        .isInstanceOf(SuiteException.class).hasMessageContaining("forged.json:1: the suite's name holds a control"
            + " character (U+000A)");
    assertThat(events).isEmpty();
    assertThat(registry.find("public-security", "citizens")).isEmpty();
  }

  /**
   * A suite stored before two expectations with one id were refused (or written into the folder as one was) is not
   * read as it was: it is refused naming the stored file, the line, and how the department mends it.
   */
  @Test
  void aStoredSuiteGivingTwoExpectationsOneIdIsRefusedSayingHowToMendIt() throws Exception {
    SuiteRegistry registry = new SuiteRegistry(dir.resolve("suites"));
    Path stored = dir.resolve("suites/public-security/citizens.json");
    Files.createDirectories(stored.getParent());
    Files.writeString(stored, """
        {"name": "citizens", "expectations": [
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id_card"}, "id": "present"},
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"}, "id": "present"}]}
        """);
    assertThatThrownBy(() -> registry.find("public-security", "citizens")).isInstanceOf(SuiteException.class)
        .hasMessage(stored + ":3: expectation id 'present' at line 3 is already the id of the expectation at line 2;"
            + " ids name the rule in the failing rows and the report: give one of them another id; the suite"
            + " registered for public-security/citizens is refused until the department registers a corrected one"
            + " (dataops quality suite register --department public-security --dataset citizens --file SUITE)");
    Path mended = Files.writeString(dir.resolve("mended.json"), Files.readString(stored).replace(
        "\"name\"}, \"id\": \"present\"", "\"name\"}, \"id\": \"named\""));
    registry.register("public-security", "citizens", mended, event -> { });
    assertThat(registry.find("public-security", "citizens").orElseThrow().suite().expectations())
        .extracting(Expectation::id).containsExactly("present", "named");
  }

  /** A suite stored before empty ids were refused is refused as one with a duplicate id is, saying how to mend it. */
  @Test
  void aStoredSuiteWithAnEmptyIdIsRefusedSayingHowToMendIt() throws Exception {
    SuiteRegistry registry = new SuiteRegistry(dir.resolve("suites"));
    Path stored = dir.resolve("suites/public-security/citizens.json");
    Files.createDirectories(stored.getParent());
    Files.writeString(stored, """
        {"name": "citizens", "expectations": [
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id_card"}, "id": ""}]}
        """);
    assertThatThrownBy(() -> registry.find("public-security", "citizens")).isInstanceOf(SuiteException.class)
        .hasMessage(stored + ":2: expectation 1 has an empty id; an id names the rule in the failing rows and the "
            + "report: write one (id: names-present, say), or leave 'id' out for its position (1); the suite"
            + " registered for public-security/citizens is refused until the department registers a corrected one"
            + " (dataops quality suite register --department public-security --dataset citizens --file SUITE)");
    Path mended = Files.writeString(dir.resolve("mended.json"), Files.readString(stored).replace(
        "\"id\": \"\"", "\"id\": \"present\""));
    registry.register("public-security", "citizens", mended, event -> { });
    assertThat(registry.find("public-security", "citizens").orElseThrow().suite().expectations())
        .extracting(Expectation::id).containsExactly("present");
  }
}
