package io.dataops.quality.suite;

import static io.dataops.core.yaml.LinedYaml.line;

import io.dataops.core.text.FreeText;
import io.dataops.core.yaml.LinedYaml;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads Great Expectations expectation suites, JSON or YAML, of both generations: 1.x ({@code name},
 * {@code expectations[].type}, {@code suite_parameters}) and 0.x ({@code expectation_suite_name},
 * {@code expectations[].expectation_type}, {@code evaluation_parameters}). {@code {"$PARAMETER": "expr"}} values are
 * evaluated as GX evaluates them ({@link ParameterExpression}) over the suite's parameters and those given at run
 * time (which win). The shape of the file is checked here; what the expectations mean (known types, columns,
 * arguments) is checked against the table by the expectation catalogue.
 */
public final class SuiteParser {
  private static final Set<String> SUITE_KEYS = Set.of("name", "expectation_suite_name", "id", "ge_cloud_id",
      "expectations", "meta", "notes", "suite_parameters", "evaluation_parameters", "data_asset_type");
  private static final Set<String> EXPECTATION_KEYS = Set.of("type", "expectation_type", "kwargs", "meta", "notes",
      "id", "ge_cloud_id", "severity", "rendered_content", "description");

  private final String source;
  private final LinedYaml nodes;
  private final Map<String, Object> runtime;
  private final boolean deferred;
  private final Clock clock;

  private SuiteParser(String source, Map<String, Object> runtime, boolean deferred, Clock clock) {
    this.source = source;
    this.nodes = new LinedYaml(this::fail);
    this.runtime = runtime;
    this.deferred = deferred;
    this.clock = clock;
  }

  /** The clock of {@code now()} in parameter expressions: the platform's local time. */
  public static final Clock LOCAL = Clock.system(java.time.ZoneOffset.ofHours(8));

  public static ExpectationSuite parse(Path file) {
    return parse(file, Map.of());
  }

  /** With parameters given at run time ({@code quality run --param NAME=VALUE}); they override the suite's. */
  public static ExpectationSuite parse(Path file, Map<String, Object> runtime) {
    return parse(read(file), file.getFileName().toString(), runtime);
  }

  /**
   * For storing a suite that will get its run-time parameters later: a {@code $PARAMETER} no one defines yet stays
   * unresolved (the run that lacks it is refused, naming it).
   */
  public static ExpectationSuite parseDeferred(Path file) {
    return new SuiteParser(file.getFileName().toString(), Map.of(), true, LOCAL).read(read(file).replace('\t', ' '));
  }

  public static ExpectationSuite parse(String text, String source) {
    return parse(text, source, Map.of());
  }

  public static ExpectationSuite parse(String text, String source, Map<String, Object> runtime) {
    return parse(text, source, runtime, LOCAL);
  }

  public static ExpectationSuite parse(String text, String source, Map<String, Object> runtime, Clock clock) {
    return new SuiteParser(source, runtime, false, clock).read(text.replace('\t', ' '));
  }

  private static String read(Path file) {
    return LinedYaml.readUtf8(file, "suite", (line, problem) -> new SuiteException(
        file.getFileName().toString(), line, problem));
  }

  private ExpectationSuite read(String text) {
    Node root = nodes.compose(text, "JSON or YAML");
    if (!(root instanceof MappingNode top)) {
      throw fail(root == null ? 0 : line(root), "a suite is an object with 'name' and 'expectations'");
    }
    Map<String, NodeTuple> fields = nodes.fields(top, SUITE_KEYS, "suite");
    String nameKey = fields.containsKey("name") ? "name" : "expectation_suite_name";
    Node nameNode = fields.containsKey(nameKey) ? fields.get(nameKey).getValueNode() : null;
    String name = nameNode == null ? null : nodes.scalar(nameNode, nameKey);
    if (name == null || name.isBlank()) {
      throw fail(line(top), "the suite has no 'name' (or 'expectation_suite_name')");
    }
    // Printed by every run, to the authority's terminal too: a line break would forge the lines after it (a probe).
    String problem = FreeText.problem(name, FreeText.MAX);
    if (problem != null) {
      throw fail(line(nameNode), "the suite's " + nameKey + " " + problem);
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (String key : List.of("evaluation_parameters", "suite_parameters")) {
      if (fields.containsKey(key)) {
        Object value = plain(fields.get(key).getValueNode());
        if (!(value instanceof Map<?, ?> m)) {
          throw fail(line(fields.get(key).getValueNode()), key + " must be an object");
        }
        m.forEach((k, v) -> parameters.put(String.valueOf(k), v));
      }
    }
    parameters.putAll(runtime);
    Map<String, Object> meta = fields.containsKey("meta") ? asMap(fields.get("meta").getValueNode(), "meta") : Map.of();
    if (!fields.containsKey("expectations")) {
      throw fail(line(top), "the suite has no 'expectations' list");
    }
    Node list = fields.get("expectations").getValueNode();
    if (!(list instanceof SequenceNode seq)) {
      throw fail(line(list), "'expectations' must be a list");
    }
    List<Expectation> expectations = new ArrayList<>();
    Map<String, Named> ids = new LinkedHashMap<>();
    int index = 0;
    for (Node item : seq.getValue()) {
      Expectation e = expectation(item, index++, parameters);
      Node id = idNode((MappingNode) item);
      Named named = new Named(id == null ? e.line() : line(id), id != null, e.line());
      Named first = ids.putIfAbsent(e.id(), named);
      if (first != null) {
        throw duplicateId(e.id(), named, first);
      }
      expectations.add(e);
    }
    return new ExpectationSuite(name, expectations, meta, parameters, source);
  }

  private Expectation expectation(Node item, int index, Map<String, Object> parameters) {
    if (!(item instanceof MappingNode map)) {
      throw fail(line(item), "an expectation is an object with 'type' and 'kwargs'");
    }
    Map<String, NodeTuple> f = nodes.fields(map, EXPECTATION_KEYS, "expectation");
    NodeTuple typeField = f.containsKey("type") ? f.get("type") : f.get("expectation_type");
    if (typeField == null) {
      throw fail(line(item), "expectation " + (index + 1) + " has no 'type' (or 'expectation_type')");
    }
    String type = nodes.scalar(typeField.getValueNode(), "type");
    Map<String, Object> kwargs = new LinkedHashMap<>();
    Map<String, Integer> kwargLines = new LinkedHashMap<>();
    if (f.containsKey("kwargs")) {
      Node k = f.get("kwargs").getValueNode();
      if (!(k instanceof MappingNode km)) {
        throw fail(line(k), type + ": kwargs must be an object");
      }
      for (NodeTuple t : km.getValue()) {
        String key = nodes.scalar(t.getKeyNode(), "key");
        if (kwargs.containsKey(key)) {
          // As plain() refuses one elsewhere: otherwise the last silently wins over the one a reader sees first.
          throw fail(line(t.getKeyNode()), type + ": key '" + key + "' appears twice in kwargs");
        }
        Object value = plain(t.getValueNode());
        if (value instanceof Map<?, ?> m && m.containsKey("$PARAMETER")) {
          value = parameter(m, parameters, type, key, line(t.getValueNode()));
        }
        kwargs.put(key, value);
        kwargLines.put(key, line(t.getKeyNode()));
      }
    }
    Map<String, Object> meta = f.containsKey("meta") ? asMap(f.get("meta").getValueNode(), "meta") : Map.of();
    Severity severity = Severity.ERROR;
    Node severityNode = f.containsKey("severity") ? f.get("severity").getValueNode() : null;
    Object metaSeverity = meta.get("severity");
    try {
      if (severityNode != null) {
        severity = Severity.parse(nodes.scalar(severityNode, "severity"));
      } else if (metaSeverity != null) {
        severity = Severity.parse(String.valueOf(metaSeverity));
      }
    } catch (IllegalArgumentException e) {
      throw fail(severityNode != null ? line(severityNode) : line(f.get("meta").getValueNode()), type + ": " + e.getMessage());
    }
    return new Expectation(id(map, index), type, kwargs, meta, severity, line(item), kwargLines);
  }

  /**
   * The expectation's id as written, else its position ("1" for the first). As in GX (ExpectationConfiguration's
   * {@code id}, 0.x's {@code ge_cloud_id}: a marshmallow UUID field that allows None), a null id ({@code id: null},
   * {@code id:}, JSON {@code null}) is no id; an empty or blank one is refused at its line (GX refuses it as not a
   * UUID), since it would name the rule in the failing rows and the report as nothing.
   */
  private String id(MappingNode item, int index) {
    Node n = idNode(item);
    if (n == null) {
      return String.valueOf(index + 1);
    }
    String id = nodes.scalar(n, "id");
    if (id.isBlank()) {
      throw fail(line(n), "expectation " + (index + 1) + " has " + (id.isEmpty() ? "an empty id" : "a blank id ('"
          + id + "')") + "; an id names the rule in the failing rows and the report: write one (id: names-present, "
          + "say), or leave 'id' out for its position (" + (index + 1) + ")");
    }
    return id;
  }

  /** Where an expectation's id is: the line of its {@code id} (else of the expectation, numbered by position). */
  private record Named(int line, boolean written, int expectationLine) {}

  /** The node of an expectation's {@code id}, or null when it has none or a null one (GX: None is no id). */
  private static Node idNode(MappingNode item) {
    return item.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("id"))
        .map(NodeTuple::getValueNode).filter(v -> !(v instanceof ScalarNode s && Tag.NULL.equals(s.getTag())))
        .findFirst().orElse(null);
  }

  /**
   * Two expectations with one id: the failing rows, the metrics and the report name a rule by its id, so their
   * failures could not be told apart, and when one raised the other's failing rows went with it. Ids are compared as
   * the rows hold them, as written; an expectation without an {@code id} has its position, "1" for the first.
   */
  private SuiteException duplicateId(String id, Named second, Named first) {
    String positional = " (its position: it has no 'id')";
    return fail(second.line(), "expectation id '" + id + "'" + (second.written() ? "" : positional) + " at line "
        + second.line() + " is already the id of the expectation at line " + first.expectationLine()
        + (first.written() ? "" : positional)
        + "; ids name the rule in the failing rows and the report: give one of them another id");
  }

  /** GX's substitution: a value given inline as {@code $PARAMETER.<expr>} wins; else the expression's value. */
  private Object parameter(Map<?, ?> ref, Map<String, Object> parameters, String type, String key, int line) {
    String expression = String.valueOf(ref.get("$PARAMETER"));
    if (ref.containsKey("$PARAMETER." + expression)) {
      return ref.get("$PARAMETER." + expression);
    }
    try {
      return ParameterExpression.evaluate(expression, parameters, clock);
    } catch (ParameterExpression.Problem e) {
      if (e.getMessage().startsWith("No value found")) {
        if (deferred) {
          return ref; // resolved when a run gives it
        }
        String name = e.getMessage().substring("No value found for $PARAMETER ".length());
        throw fail(line, type + ": kwarg '" + key + "' refers to suite parameter '" + name
            + "', which the suite does not define (give it with --param " + name + "=VALUE)");
      }
      throw fail(line, type + ": kwarg '" + key + "': suite parameter expression '"
          + ParameterExpression.shown(expression) + "': " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> asMap(Node n, String what) {
    Object v = plain(n);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?>)) {
      throw fail(line(n), what + " must be an object");
    }
    return (Map<String, Object>) v;
  }

  /** The node as plain Java: Map, List, String, Long/BigInteger, Double/BigDecimal, Boolean or null. */
  private Object plain(Node n) {
    if (n instanceof MappingNode m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        String key = nodes.scalar(t.getKeyNode(), "key");
        if (out.containsKey(key)) {
          throw fail(line(t.getKeyNode()), "key '" + key + "' appears twice");
        }
        out.put(key, plain(t.getValueNode()));
      }
      return out;
    }
    if (n instanceof SequenceNode s) {
      List<Object> out = new ArrayList<>();
      s.getValue().forEach(x -> out.add(plain(x)));
      return out;
    }
    ScalarNode s = (ScalarNode) n;
    String v = s.getValue();
    Tag tag = s.getTag();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT)) || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
    }
    if (Tag.INT.equals(tag)) {
      String digits = v.replace("_", "");
      if (!DECIMAL.matcher(digits).matches()) {
        throw fail(line(s), nonDecimal(v, digits));
      }
      BigInteger i = new BigInteger(digits.replace("+", ""));
      return i.bitLength() < 64 ? (Object) i.longValue() : i;
    }
    if (Tag.FLOAT.equals(tag)) {
      String t = v.replace("_", "");
      try {
        return new BigDecimal(t);
      } catch (NumberFormatException e) {
        return Double.valueOf(t.toLowerCase(java.util.Locale.ROOT).replace(".inf", "Infinity").replace(".nan", "NaN"));
      }
    }
    return v;
  }

  /** The only integers read: JSON's, and YAML 1.2's decimal ones (an optional sign, no leading zero). */
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

  /**
   * The refusal of a YAML 1.1 integer in another base (0x10, 0b101, 010, 1:30), naming what PyYAML reads it as. They
   * are refused, not read: GX suites are JSON, where none of them is valid, and a leading zero is 8 to PyYAML but 10 to
   * YAML 1.2 readers (010 is a zero-padded code more often than an octal number).
   */
  static String nonDecimal(String v, String digits) {
    boolean negative = digits.startsWith("-");
    String d = digits.replaceFirst("^[-+]", "");
    String kind;
    BigInteger value;
    try {
      if (d.startsWith("0b")) {
        kind = "binary";
        value = new BigInteger(d.substring(2), 2);
      } else if (d.startsWith("0x")) {
        kind = "hexadecimal";
        value = new BigInteger(d.substring(2), 16);
      } else if (d.contains(":")) {
        kind = "base-60";
        value = BigInteger.ZERO;
        for (String part : d.split(":")) {
          value = value.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
        }
      } else {
        kind = "octal";
        value = new BigInteger(d, 8);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      return "'" + v + "' is not a decimal number; write numbers in decimal, or quote text";
    }
    String read = (negative ? value.negate() : value).toString();
    return "'" + v + "' is a YAML 1.1 " + kind + " integer (" + read + " to PyYAML"
        + (kind.equals("octal") ? ", " + digits.replaceFirst("^\\+", "").replaceFirst("^(-?)0+(?=\\d)", "$1")
            + " to YAML 1.2 readers" : "") + "); write the number in decimal, or quote it if it is text";
  }

  private SuiteException fail(int line, String problem) {
    return new SuiteException(source, line, problem);
  }
}
