package io.dataops.quality.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.landing.FeedTables;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteException;
import io.dataops.quality.suite.SuiteParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Great Expectations' behaviour as fixtures ({@code src/test/resources/gx-conformance/*.yaml}): per expectation,
 * data of our own and the result GX gives on it, worked out from GX 1.2's expectation classes, metrics and test
 * definitions (nulls, empty tables, mostly, type errors, bounds, strict flags), with the backends (pandas, spark,
 * sqlite, postgresql) on which GX gives that result. Each case runs through the real engine on a real Iceberg
 * table and must give GX's {@code success}, {@code observed_value} and unexpected counts, or raise what GX raises
 * ({@code raises}: the expectation fails with exception_info) or refuse what GX refuses ({@code refused}).
 * {@code json} gives result fields as GX's JSON writes them (Python's json.dumps of its
 * {@code convert_to_json_serializable}), where the spelling of a number matters: a float is Python's repr.
 */
class GxConformanceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> BACKENDS = Set.of("pandas", "spark", "sqlite", "postgresql");
  @TempDir static Path dir;
  static Lakehouse lakehouse;
  private static final Set<String> landed = new HashSet<>();

  @BeforeAll
  static void open() {
    lakehouse = Lakehouse.open(LakehouseConfig.embedded(dir.resolve("home")));
  }

  @AfterAll
  static void close() {
    lakehouse.close();
  }

  @TestFactory
  Stream<DynamicNode> fixtures() throws IOException, URISyntaxException {
    Path folder = Path.of(getClass().getResource("/gx-conformance").toURI());
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).as("fixtures").hasSizeGreaterThan(10);
    return files.stream().map(f -> {
      try {
        Object yaml = new org.yaml.snakeyaml.Yaml().load(Files.readString(f, StandardCharsets.UTF_8));
        return fixture(f, JSON.valueToTree(yaml));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private DynamicNode fixture(Path file, JsonNode spec) {
    String type = spec.get("expectation").asText();
    String prefix = file.getFileName().toString().replace(".yaml", "").replaceAll("[^a-z0-9]", "_");
    List<DynamicNode> cases = new ArrayList<>();
    for (JsonNode c : spec.get("cases")) {
      String title = c.get("title").asText();
      cases.add(DynamicTest.dynamicTest(title, () -> {
        for (JsonNode b : c.path("backends")) {
          assertThat(BACKENDS).as(title).contains(b.asText());
        }
        // A case may name a sibling expectation (not_in_set beside in_set) to share its fixture's datasets.
        check(c.has("expectation") ? c.get("expectation").asText() : type, prefix, spec, c);
      }));
    }
    return DynamicContainer.dynamicContainer(type, cases);
  }

  private void check(String type, String prefix, JsonNode spec, JsonNode c) throws Exception {
    String dataset = prefix + "-" + c.get("dataset").asText(); // one separator: "__" joins department and dataset
    ensureLanded(dataset, spec.get("datasets").get(c.get("dataset").asText()));
    Map<String, Object> suite = Map.of("name", "gx", "expectations", List.of(Map.of("type", type,
        "kwargs", JSON.convertValue(c.get("kwargs"), Map.class))));
    String text = JSON.writeValueAsString(suite);
    QualityRunner runner = new QualityRunner(lakehouse, dir.resolve("work"), 2, 64L << 20);
    if (c.has("refused")) {
      assertThatThrownBy(() -> runner.run(TableNames.ods("gx", dataset), null, SuiteParser.parse(text, "gx.json")))
          .isInstanceOf(SuiteException.class).hasMessageContaining(c.get("refused").asText());
      return;
    }
    ExpectationResult outcome = runner.run(TableNames.ods("gx", dataset), null, SuiteParser.parse(text, "gx.json"))
        .validation().results().get(0);
    JsonNode result = JSON.valueToTree(outcome);
    if (c.has("raises")) {
      assertThat(result.get("success").asBoolean()).isFalse();
      assertThat(result.at("/exception_info/exception_message").asText()).as(result.toString())
          .contains(c.get("raises").asText());
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = c.get("out").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> want = it.next();
      JsonNode got = want.getKey().equals("success") ? result.get("success") : result.get("result").get(want.getKey());
      same(want.getKey(), want.getValue(), got, result);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = c.path("json").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> want = it.next();
      assertThat(tokens(JSON.writeValueAsString(outcome.result().get(want.getKey()))))
          .as(want.getKey() + " as JSON in " + result).isEqualTo(tokens(want.getValue().asText()));
    }
  }

  /**
   * JSON text as its tokens, each with its text as written: a number's spelling counts (GX's {@code 1.0} is not
   * {@code 1}, its {@code 1e+22} not {@code 1.0E22}); spacing does not.
   */
  private static List<String> tokens(String json) throws IOException {
    List<String> out = new ArrayList<>();
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        out.add(t + " " + p.getText());
      }
    }
    return out;
  }

  /**
   * Equal as JSON, numbers to 1e-9 relative (an observed_value written as a whole float, {@code 50.0}, must be a
   * float; an int past 2^53 must be exactly that int);
   * "absent": GX leaves the field out.
   */
  private static void same(String what, JsonNode want, JsonNode got, JsonNode whole) {
    if (want.isTextual() && want.asText().equals("absent")) {
      assertThat(got).as(what + " is left out in " + whole).isNull();
    } else if (what.equals("observed_value") && want.isFloatingPointNumber()
        && want.asDouble() == Math.rint(want.asDouble()) && got != null && got.isIntegralNumber()) {
      // An observed whole float written with its ".0" (50.0) is what GX's float shows; 50 is an int there.
      assertThat(got.toString()).as(what + " is a float in " + whole).isEqualTo(want.toString());
    } else if (want.isIntegralNumber() && got != null && got.isNumber()
        && want.bigIntegerValue().abs().bitLength() > 53) {
      // Past 2^53 a double is no longer each int: an int past it must be that int, exactly (a probe found a long's
      // max shown as its double's neighbour).
      assertThat(got.isIntegralNumber() ? got.bigIntegerValue() : null).as(what + " in " + whole)
          .isEqualTo(want.bigIntegerValue());
    } else if (want.isNumber() && got != null && got.isNumber()) {
      assertThat(got.asDouble()).as(what + " in " + whole).isCloseTo(want.asDouble(),
          within(1e-9 * Math.max(1, Math.abs(want.asDouble()))));
    } else if (want.isArray() && got != null && got.isArray() && want.size() == got.size()) {
      for (int i = 0; i < want.size(); i++) {
        same(what + "[" + i + "]", want.get(i), got.get(i), whole);
      }
    } else if (want.isObject() && got != null && got.isObject() && want.size() == got.size()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        same(what + "." + f.getKey(), f.getValue(), got.get(f.getKey()), whole);
      }
    } else {
      assertThat(got == null ? "absent" : got.toString()).as(what + " in " + whole).isEqualTo(want.toString());
    }
  }

  /** The dataset as an ods table: landed from CSV, or created empty (landing refuses a feed without rows). */
  private static synchronized void ensureLanded(String name, JsonNode dataset) throws Exception {
    if (!landed.add(name)) {
      return;
    }
    StringBuilder contract = new StringBuilder("columns:\n");
    List<String> columns = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = dataset.get("columns").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> col = it.next();
      columns.add(col.getKey());
      contract.append("  - {name: ").append(col.getKey()).append(", type: \"").append(col.getValue().asText())
          .append("\"}\n");
    }
    FeedContract parsed = ContractParser.parse(contract.toString(), name + ".contract.yaml");
    if (dataset.get("rows").isEmpty()) {
      lakehouse.createOrLoad(TableNames.ods("gx", name), FeedTables.odsSchema(parsed), Map.of());
      return;
    }
    StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
    for (JsonNode row : dataset.get("rows")) {
      List<String> cells = new ArrayList<>();
      row.forEach(v -> cells.add(v.isNull() ? "" : "\"" + v.asText().replace("\"", "\"\"") + "\""));
      csv.append(String.join(",", cells)).append('\n');
    }
    Path file = dir.resolve(name + ".csv");
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    var result = new Landing(lakehouse).land(new LandingRequest("gx", name, file, parsed, null));
    assertThat(result.rowsQuarantined()).as(name + " lands whole").isZero();
  }
}
