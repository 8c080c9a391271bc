package io.dataops.pipelines.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.plan.PinnedInput;
import io.dataops.pipelines.testing.PipelineFixture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validator's measure of undeclared quasi-identifiers counts kept columns inside DuckDB: the same smallest groups
 * as the row-by-row pass, on values chosen to tell them apart (nulls, null persons and weights, multi-byte and
 * trailing-space texts, decimals, dates, booleans), and as a plain count of the rows landed.
 */
class SmallestGroupsInDuckDbTest extends PipelineFixture {
  private static final String CONTRACT = """
      columns:
        - {name: person, type: string, personal: other}
        - {name: town, type: string}
        - {name: code, type: int}
        - {name: amount, type: "decimal(10,2)"}
        - {name: day, type: date}
        - {name: flag, type: boolean}
        - {name: rate, type: double}
        - {name: visits, type: long}
      """;
  private static final String[] TOWNS = {"福田", "福田 ", "Futian", "futian", "南山区", "", "😀街"};
  private static final String PIPELINE = """
      name: ledger-profile
      scenario: test
      owner: op
      inputs:
        - table: ods.finance__ledger
          as: ledger
          columns: [person, town, code, amount, day, flag, rate, visits]
      transform: |
        SELECT person AS person_key, town, code, amount, day, flag, rate, visits, day AS born
        FROM ledger
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        born: {generalize: year}
      privacy:
        quasiIdentifiers: [flag]
        k: 5
      product: ledger-profile
      """;
  /** Each town's rows, people (a missing person counts as one) and summed visits, counted as the CSV is written. */
  private final Map<String, Long> townRows = new HashMap<>();
  private final Map<String, Set<String>> townPeople = new HashMap<>();
  private final Map<String, Long> townVisits = new HashMap<>();

  @BeforeEach
  void landLedger() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    StringBuilder csv = new StringBuilder("person,town,code,amount,day,flag,rate,visits\n");
    for (int i = 0; i < 3000; i++) {
      // "" is a null cell (no column is required)
      row(csv, random.nextInt(20) == 0 ? "" : "P" + random.nextInt(400),
          random.nextInt(30) == 0 ? TOWNS[6] : TOWNS[random.nextInt(6)],
          random.nextInt(15) == 0 ? "" : String.valueOf(random.nextInt(40)),
          random.nextInt(12) == 0 ? "" : random.nextInt(3) + "." + (random.nextBoolean() ? "50" : "5"),
          random.nextInt(10) == 0 ? "" : "2026-01-" + String.format("%02d", 1 + random.nextInt(28)),
          random.nextInt(7) == 0 ? "" : String.valueOf(random.nextBoolean()),
          random.nextBoolean() ? "0.0" : random.nextInt(9) == 0 ? "-0.0" : "1.5",
          random.nextInt(10) == 0 ? "" : String.valueOf(random.nextInt(4)));
    }
    // Small groups, where nulls and equal values decide: code 999 is four rows of three people (one of them the
    // missing person, two told apart by case only) and weighs 5; 9.90 and 9.9 are one amount; the town with a trailing space is one row of nobody; code 997 is "Futian" and "futian", one row each.
    row(csv, "", "稀", "999", "9.90", "2025-12-31", "", "-0.0", "");
    row(csv, "", "稀", "999", "9.9", "2025-12-31", "", "0.0", "2");
    row(csv, "P1", "稀", "999", "9.9", "2025-12-31", "true", "0.0", "3");
    row(csv, "p1", "稀", "999", "9.9", "2025-12-31", "true", "0.0", "0");
    row(csv, "", "稀 ", "998", "9.95", "2025-12-30", "true", "0.0", "1");
    row(csv, "P7", "Futian", "997", "1.00", "2025-12-29", "false", "0.0", "1");
    row(csv, "P8", "futian", "997", "1.00", "2025-12-29", "false", "0.0", "1");
    land("finance", "ledger", CONTRACT, csv.toString());
  }

  private void row(StringBuilder csv, String person, String town, String code, String amount, String day,
      String flag, String rate, String visits) {
    csv.append(String.join(",", person, "\"" + town + "\"", code, amount, day, flag, rate, visits)).append('\n');
    townRows.merge(town, 1L, Long::sum);
    townPeople.computeIfAbsent(town, t -> new HashSet<>()).add(person);
    townVisits.merge(town, visits.isEmpty() ? 0 : Long.parseLong(visits), Long::sum);
  }

  private Map<String, Long> measure(BoundPipeline p, List<String> names, String person, String weight,
      boolean inDuckDb) {
    return measure(p, p.sql(), names, person, weight, inDuckDb);
  }

  private Map<String, Long> measure(BoundPipeline p, String sql, List<String> names, String person, String weight,
      boolean inDuckDb) {
    Map<String, BoundColumn> byName = new HashMap<>();
    p.columns().forEach(c -> byName.put(c.name(), c));
    List<PinnedInput> pinned = p.inputs().stream().map(in -> PinnedInput.of(lakehouse, in)).toList();
    return PipelineValidator.measure(PipelineParser.parse(PIPELINE, "p.yaml"), pinned, sql, 9,
        names.stream().map(byName::get).toList(), person == null ? null : byName.get(person),
        weight == null ? null : byName.get(weight), 5, lakehouse, inDuckDb);
  }

  private static long smallest(Map<String, Long> sizes, long cap) {
    return sizes.values().stream().mapToLong(n -> Math.min(n, cap)).min().orElseThrow();
  }

  @Test
  void keptColumnsCountedInDuckDbGiveTheRowByRowMeasureAndTheCountOfTheRowsLanded() {
    BoundPipeline p = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(PIPELINE, "p.yaml"), dir);
    // kept columns of every type DuckDB groups alike, a generalized one and a double (both counted row by row)
    List<String> columns = List.of("town", "code", "amount", "day", "visits", "born", "rate");
    for (String person : new String[] {"person_key", null}) {
      for (String weight : new String[] {"visits", null}) {
        Map<String, Long> byRows = measure(p, columns, person, weight, false);
        Map<String, Long> inDuckDb = measure(p, columns, person, weight, true);
        assertThat(inDuckDb).as("person %s, weight %s", person, weight).isEqualTo(byRows);
        assertThat(inDuckDb.keySet()).containsExactlyElementsOf(columns);
      }
    }
    Map<String, Long> people = new HashMap<>();
    townPeople.forEach((town, ids) -> people.put(town, (long) ids.size()));
    assertThat(measure(p, List.of("town"), "person_key", null, true)).containsEntry("town", smallest(people, 5));
    assertThat(measure(p, List.of("town"), null, "visits", true)).containsEntry("town",
        smallest(townVisits, Long.MAX_VALUE));
    assertThat(measure(p, List.of("town"), null, null, true)).containsEntry("town",
        smallest(townRows, Long.MAX_VALUE));
  }

  @Test
  void aCollationOnATextMergesNoGroupsThatTheProductShowsApart() {
    // The SQL subset refuses COLLATE; were a collation to reach the measure (COLLATE NOCASE makes DuckDB's GROUP BY
    // take "Futian" and "futian", "P1" and "p1" as one), the product still shows them apart, and so must the measure
    // count them (else a small group hides in a larger one).
    BoundPipeline p = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(PIPELINE, "p.yaml"), dir);
    String only = p.sql().replace("FROM ledger", "FROM ledger WHERE code IN (997, 999)");
    String collated = only.replace("SELECT person AS person_key, town,",
        "SELECT person COLLATE NOCASE AS person_key, town COLLATE NOCASE AS town,");
    assertThat(only).isNotEqualTo(p.sql());
    assertThat(collated).isNotEqualTo(only);
    for (String person : new String[] {"person_key", null}) {
      assertThat(measure(p, collated, List.of("town", "code"), person, null, true)).as("person %s", person)
          .isEqualTo(measure(p, collated, List.of("town", "code"), person, null, false))
          .isEqualTo(measure(p, only, List.of("town", "code"), person, null, true));
    }
    // "Futian" and "futian" are one row and one person each; code 999 is P1, p1 and the missing person
    assertThat(measure(p, collated, List.of("town", "code"), "person_key", null, true))
        .isEqualTo(Map.of("town", 1L, "code", 2L));
    assertThat(measure(p, collated, List.of("town", "code"), null, null, true))
        .isEqualTo(Map.of("town", 1L, "code", 2L));
    assertThat(measure(p, collated.replace("997, 999", "999"), List.of("code"), "person_key", null, true))
        .isEqualTo(Map.of("code", 3L));
  }

  @Test
  void aColumnOfAnEmptyInputIsAbsentAndATransformThatFailsNamesTheLineNotAValue() {
    BoundPipeline p = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(PIPELINE.replace(
        "FROM ledger", "FROM ledger WHERE code > 1000"), "p.yaml"), dir);
    assertThat(measure(p, List.of("town", "code"), null, null, true)).isEmpty();
    // the validation's own measure runs the query: its error names the SQL's line and DuckDB's kind of error only
    assertThatThrownBy(() -> new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(PIPELINE.replace(
        "FROM ledger", "FROM ledger WHERE CAST(town AS INT) > 0"), "p.yaml"), dir))
        .hasMessage("p.yaml:9: the transform failed in DuckDB while measuring the product's columns (Conversion "
            + "Error)");
  }
  @Test
  void aWideProductWithHostileColumnNamesIsMeasuredAsRowByRow() {
    // More kept columns than a GROUPING() bit mask has bits, under names that quote, collide with the query's own
    // (c0, c1, p, w) or try to end it: each column is still measured as the row-by-row pass measures it.
    StringBuilder select = new StringBuilder("SELECT person AS person_key, visits, town AS \"x\"\"y\", "
        + "code AS \"c1\", amount AS \"c0\", day AS \"p\", flag AS \"w\", town AS \"名 字\", "
        + "code AS \"a); SELECT 1; --\"");
    List<String> names = new java.util.ArrayList<>(List.of("x\"y", "c1", "c0", "p", "w", "名 字", "a); SELECT 1; --"));
    for (int i = 0; i < 70; i++) {
      String source = List.of("town", "code", "amount", "day").get(i % 4);
      select.append(", ").append(i % 8 == 0 ? "CAST(" + source + " AS VARCHAR) || '" + i % 3 + "'" : source)
          .append(" AS t").append(i);
      names.add("t" + i);
    }
    String pipeline = PIPELINE.replace(
        "SELECT person AS person_key, town, code, amount, day, flag, rate, visits, day AS born\n", select + "\n")
        .replace("  born: {generalize: year}\n", "").replace("quasiIdentifiers: [flag]", "quasiIdentifiers: [w]");
    assertThat(pipeline).doesNotContain("born");
    BoundPipeline p = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(pipeline, "p.yaml"), dir);
    List<String> measured = names.stream().filter(n -> !n.equals("w")).toList();
    assertThat(measured).hasSizeGreaterThan(64);
    for (String person : new String[] {"person_key", null}) {
      for (String weight : new String[] {"visits", null}) {
        Map<String, Long> byRows = measure(p, measured, person, weight, false);
        assertThat(measure(p, measured, person, weight, true)).as("person %s, weight %s", person, weight)
            .isEqualTo(byRows).containsOnlyKeys(measured);
      }
    }
  }
}
