package io.dataops.quality.expect;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.regex.RegularExpressions;
import io.dataops.core.BadInputException;
import io.dataops.quality.engine.BoundedRegex;
import io.dataops.quality.engine.CountAnalyzer;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.suite.Expectation;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Type;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** GX's map expectations on text that a library parses: python-dateutil dates and JSON Schema documents. */
final class TextExpectations {
  private TextExpectations() {}

  static void register(Map<String, ExpectationCatalog.Factory> f) {
    f.put("expect_column_values_to_be_dateutil_parseable", TextExpectations::dateutil);
    f.put("expect_column_values_to_match_json_schema", TextExpectations::jsonSchema);
  }

  /**
   * dateutil's {@code parser.parse} accepts the value (see {@link DateutilParser} for the rules followed). GX raises a
   * TypeError on a value that is not text, so a column of another type fails the expectation with exception_info.
   */
  private static CompiledExpectation dateutil(Args a, int index) {
    String column = a.column("column");
    if (a.table().type(column).typeId() != Type.TypeID.STRING) {
      throw a.error("column", "Values passed to expect_column_values_to_be_dateutil_parseable must be of type "
          + "string.");
    }
    LocalDate today = LocalDate.now(ZoneOffset.ofHours(8));
    return ExpectationCatalog.map(a, index, List.of(column), RowChecks.simple(column,
        "is not a date python-dateutil parses", (c, r) -> DateutilParser.parseable(c.getString(r), today)));
  }

  /**
   * Python's json.loads (NaN and Infinity accepted), in Jackson 3, which the JSON Schema validator reads; made on first
   * use, so suites without a schema never load Jackson 3.
   */
  private static final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /**
   * Each value, read as JSON, is valid against {@code json_schema} as Python's {@code jsonschema.validate} judges it:
   * the dialect its {@code $schema} names, else Draft 2020-12; {@code format} is an annotation, not asserted; no
   * remote {@code $ref} is fetched. A schema its meta-schema refuses raises SchemaError in GX (exception_info here);
   * a value that is not JSON makes json.loads raise, which GX does not catch: the expectation fails with
   * exception_info.
   */
  private static final String RECURSION = "RecursionError: the schema refers to itself ($ref) without end";

  /**
   * The schema's {@code pattern} and {@code patternProperties} as the validator's own JDK factory compiles them
   * (ECMAScript's $ and \p{Letter} forms rewritten), matched with a step budget per value ({@link BoundedRegex}):
   * unbounded, {@code ^(.*.){25}x$} took 27 s on one 31-character value.
   */
  private static com.networknt.schema.regex.RegularExpression boundedPattern(String regex) {
    BoundedRegex bounded = new BoundedRegex(java.util.regex.Pattern.compile(RegularExpressions
        .replaceLongformCharacterProperties(RegularExpressions.replaceDollarAnchors(regex))), regex);
    return bounded::find;
  }

  private static CompiledExpectation jsonSchema(Args a, int index) {
    String column = a.column("column");
    if (a.table().type(column).typeId() != Type.TypeID.STRING) {
      throw a.error("column", "TypeError: the JSON object must be str, bytes or bytearray, not "
          + a.table().type(column));
    }
    Object given = a.kwargs().get("json_schema");
    a.allow("json_schema");
    if (!(given instanceof Map<?, ?>) && !(given instanceof Boolean)) {
      throw a.fail("json_schema", "json_schema must be a JSON Schema object");
    }
    JsonNode schemaNode = Json.MAPPER.valueToTree(given);
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(false)
            .regularExpressionFactory(TextExpectations::boundedPattern).build())
        .schemaLoader(l -> l.fetchRemoteResources(false)));
    Schema schema;
    try {
      String dialect = schemaNode.isObject() && schemaNode.has("$schema") ? schemaNode.get("$schema").asString()
          : SpecificationVersion.DRAFT_2020_12.getDialectId();
      List<com.networknt.schema.Error> problems = registry.getSchema(SchemaLocation.of(dialect)).validate(schemaNode);
      if (!problems.isEmpty()) {
        throw a.error("json_schema", "SchemaError: " + problems.get(0).getMessage());
      }
      schema = registry.getSchema(schemaNode);
      schema.validate(Json.MAPPER.nullNode()); // a schema whose $ref loops on every value loops here already
    } catch (com.networknt.schema.SchemaException e) {
      throw a.error("json_schema", "SchemaError: " + e.getMessage());
    } catch (StackOverflowError e) {
      throw a.error("json_schema", RECURSION);
    }
    ExpectationCatalog.Compiled matches = (ExpectationCatalog.Compiled) ExpectationCatalog.map(a, index,
        List.of(column), RowChecks.simple(column, "does not match the JSON schema", (c, r) -> {
          JsonNode value = read(c.getString(r));
          try {
            return value != null && schema.validate(value).isEmpty();
          } catch (StackOverflowError loop) {
            // A $ref loop that only some values reach: the schema is the suite's to mend.
            throw new BadInputException("expect_column_values_to_match_json_schema on column '" + column + "': "
                + RECURSION);
          }
        }));
    // json.loads raising on a value is not caught by GX: counted apart, it turns the result into an error.
    CountAnalyzer notJson = new CountAnalyzer("not json.loads", column, (c, r) -> read(c.getString(r)) == null);
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(matches.analyzers().get(0), notJson), states -> {
      long bad = states.of(notJson).count;
      if (bad > 0) {
        return ExpectationResult.error(e, "JSONDecodeError: " + bad + " value(s) of column '" + column
            + "' are not JSON (json.loads raised)");
      }
      return matches.evaluate(states);
    });
  }

  private static JsonNode read(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (tools.jackson.core.JacksonException e) {
      return null;
    }
  }
}
