package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code pipeline run} of a pipeline in {@code mode: incremental} through the command line. */
class IncrementalProductCliTest extends HomeCliTest {

  /**
   * Before, {@code product list} and {@code product show} gave an incremental version's {@code rows} as the
   * rows its run added, while a reader of the version gets the earlier versions' rows too. They now give what the
   * version holds; {@code rowsOut} in its lineage stays what the run added.
   */
  @Test
  void anIncrementalVersionsRowsAreEveryRowAReaderGets() throws Exception {
    DeliveryCliTest.granted(dir);
    Path pipeline = Files.writeString(dir.resolve("pipelines/income.yaml"),
        CliTest.PIPELINE + "mode: incremental\n");
    JsonNode v1 = ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json").json();
    Path feed = dir.resolve("feeds/c2.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out",
        feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    JsonNode v2 = ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json").json();
    assertThat(v2.get("version").asInt()).isEqualTo(2);
    assertThat(v2.at("/privacy/heldBack").asLong()).as("rows of classes under k are held back").isPositive();

    JsonNode listed = ok(TestCast.OPERATOR, "product", "list", "--json").json();
    for (JsonNode version : new JsonNode[] {v1, v2}) {
      int n = version.get("version").asInt();
      long read = ok(TestCast.OPERATOR, "table", "show", "product.income_by_street", "--tag", "v" + n, "--limit",
          "100000", "--json").json().get("rows").size();
      JsonNode entry = entry(listed, n);
      assertThat(entry.get("rows").asLong()).as("v%d in product list", n).isEqualTo(read);
      JsonNode shown = ok(TestCast.OPERATOR, "product", "show", "income-by-street", String.valueOf(n), "--json")
          .json();
      assertThat(shown.get("rows").asLong()).as("v%d in product show", n).isEqualTo(read);
      assertThat(shown.at("/lineage/rowsOut").asLong()).as("what v%d's run added", n)
          .isEqualTo(version.get("rowsOut").asLong());
    }
    assertThat(entry(listed, 2).get("rows").asLong()).isEqualTo(v1.get("rowsOut").asLong() + v2.get("rowsOut").asLong())
        .isGreaterThan(v2.get("rowsOut").asLong());
  }

  /**
   * Before, an incremental run after the home's keys file was rotated added rows with other pseudonyms (and phones
   * encrypted under another key) to the version's earlier rows. Refused, showing the fingerprints and never a key; a
   * run in mode full rebuilds every row under the new keys.
   */
  @Test
  void anIncrementalRunAfterTheKeysWereRotatedIsRefusedAndAFullRunRebuilds() throws Exception {
    DeliveryCliTest.granted(dir);
    Path pipeline = Files.writeString(dir.resolve("pipelines/income.yaml"),
        CliTest.PIPELINE + "mode: incremental\n");
    ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json");
    Path feed = dir.resolve("feeds/c2.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out",
        feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    Path keys = home().resolve("secrets/keys.properties");
    String before = Files.readString(keys);
    String rotated = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    Files.writeString(keys, before.replaceAll("(?m)^default\\s*=.*$", "default = " + rotated));
    assertThat(Files.readString(keys)).contains(rotated);

    var refused = refused(TestCast.OPERATOR, "column 'person' of incremental product income-by-street: its earlier "
        + "versions pseudonymized it under the key of fingerprint ", "pipeline", "run", pipeline.toString());
    assertThat(refused.err()).contains("the key changed").contains("or run the pipeline in mode full")
        .doesNotContain(rotated);
    for (String line : before.split("\n")) {
      if (!line.startsWith("#") && line.contains("=")) {
        assertThat(refused.err()).doesNotContainIgnoringCase(line.split("=")[1].strip());
      }
    }

    Files.writeString(pipeline, CliTest.PIPELINE + "mode: full\n");
    JsonNode v2 = ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json").json();
    assertThat(v2.get("version").asInt()).isEqualTo(2);
    assertThat(v2.get("rowsIn").asLong()).as("every row, under the new key").isEqualTo(1800);
  }

  /**
   * Before, an incremental run of a file that found nothing appended since the version another file made gave that
   * version as its own: exit 0, "this run was done before (same file, input snapshots and keys): nothing ran", with
   * the other file's leak check. It now says nothing was appended since that version, which another file made, and
   * makes none; the same file again is recognized as before.
   */
  @Test
  void nothingAppendedSinceAnotherFilesVersionIsNotThisFilesRun() throws Exception {
    DeliveryCliTest.granted(dir);
    Path first = Files.writeString(dir.resolve("pipelines/income.yaml"), CliTest.PIPELINE + "mode: incremental\n");
    JsonNode v1 = ok(TestCast.OPERATOR, "pipeline", "run", first.toString(), "--json").json();
    Path other = Files.writeString(dir.resolve("pipelines/income-k5.yaml"),
        CliTest.PIPELINE.replace("k: 3", "k: 5") + "mode: incremental\n");

    var text = ok(TestCast.OPERATOR, "pipeline", "run", other.toString());
    assertThat(text.out()).doesNotContain("this run was done before").doesNotContain("leak check")
        .contains("nothing was appended to the inputs of " + other + " since version 1")
        .contains("which another pipeline file made (pipeline income-by-street").contains("no version made");
    JsonNode json = ok(TestCast.OPERATOR, "pipeline", "run", other.toString(), "--json").json();
    assertThat(json.get("recognized").asBoolean()).isFalse();
    assertThat(json.get("version").asInt()).isEqualTo(1);
    assertThat(json.at("/madeBy/pipelineSha256").asText()).isEqualTo(ok(TestCast.OPERATOR, "product", "show",
        "income-by-street", "1", "--json").json().at("/lineage/pipelineSha256").asText());
    assertThat(run(TestCast.OPERATOR, "product", "show", "income-by-street", "2", "--json").exit())
        .as("no version made").isNotZero();

    JsonNode same = ok(TestCast.OPERATOR, "pipeline", "run", first.toString(), "--json").json();
    assertThat(same.get("recognized").asBoolean()).as("the file that made v1: recognized").isTrue();
    assertThat(same.get("madeBy").isNull()).isTrue();
    assertThat(same.get("runKey").asText()).isEqualTo(v1.get("runKey").asText());
  }

  /**
   * Before, an incremental run of a file whose product columns or policies had changed rewrote the product's shape:
   * a dropped column was gone for the earlier rows, and a changed bucket width gave one column two encodings. Either
   * engine refuses it now, naming the columns (never a value) and the way out; a run in mode full rebuilds the
   * product.
   */
  @Test
  void anIncrementalRunThatWouldChangeTheProductsShapeIsRefusedOnEitherEngine() throws Exception {
    DeliveryCliTest.granted(dir);
    Path pipeline = Files.writeString(dir.resolve("pipelines/income.yaml"),
        CliTest.PIPELINE + "mode: incremental\n");
    ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json");
    Path feed = dir.resolve("feeds/c2.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out",
        feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    String changed = CliTest.PIPELINE.replace("width: 5000", "width: 10000")
        .replace("phone: {encrypt: ff1, key: fpe, shape: mobile}", "phone: remove");
    Files.writeString(pipeline, changed + "mode: incremental\n");

    for (String engine : new String[] {"spring-batch", "flink"}) {
      var refused = refused(TestCast.OPERATOR, "incremental product income-by-street would change its shape since "
          + "its last version: the parameters of column 'monthly_income' (generalize buckets) changed; column 'phone' "
          + "is dropped (the earlier rows would lose it)", "pipeline", "run", pipeline.toString(), "--engine", engine);
      assertThat(refused.err()).as(engine).contains("or run the pipeline in mode full").doesNotContain("5000")
          .doesNotContain("10000");
    }
    assertThat(run(TestCast.OPERATOR, "product", "show", "income-by-street", "2", "--json").exit())
        .as("no version made").isNotZero();

    Files.writeString(pipeline, changed + "mode: full\n");
    JsonNode v2 = ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json").json();
    assertThat(v2.get("version").asInt()).isEqualTo(2);
    assertThat(v2.get("rowsIn").asLong()).as("every row, in the new shape").isEqualTo(1800);
    assertThat(v2.get("rowsSuppressed").asLong()).as("some classes under k").isPositive();

    // Before, the rebuilt product went on in mode full only ("made without the class counts"): the full run kept its
    // counts and suppressed rows, and the file switched back to mode incremental continues from them.
    Path more = dir.resolve("feeds/c3.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "200", "--offset", "1800", "--out",
        more.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        more.toString());
    Files.writeString(pipeline, changed + "mode: incremental\n");
    JsonNode v3 = ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json").json();
    assertThat(v3.get("version").asInt()).isEqualTo(3);
    assertThat(v3.get("rowsIn").asLong()).as("only what was appended after the full run's snapshot").isEqualTo(200);
    assertThat(v3.at("/privacy/released").asLong()).as("rows the full run suppressed, lifted").isPositive();
    Files.writeString(pipeline, changed + "mode: full\n");
    JsonNode v4 = ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json").json();
    JsonNode listed = ok(TestCast.OPERATOR, "product", "list", "--json").json();
    assertThat(entry(listed, 3).get("rows").asLong()).as("a full run's product over the same snapshot")
        .isEqualTo(v4.get("rowsOut").asLong());
    assertThat(v3.at("/privacy/heldBack").asLong()).isEqualTo(v4.get("rowsSuppressed").asLong());
  }

  private static JsonNode entry(JsonNode listed, int version) {
    for (JsonNode v : listed) {
      if (v.get("name").asText().equals("income-by-street") && v.get("version").asInt() == version) {
        return v;
      }
    }
    throw new AssertionError("no v" + version + " in " + listed);
  }
}
