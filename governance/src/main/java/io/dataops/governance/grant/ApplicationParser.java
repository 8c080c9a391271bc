package io.dataops.governance.grant;

import static io.dataops.core.yaml.LinedYaml.line;

import io.dataops.core.SourceLineException;
import io.dataops.core.digest.Digests;
import io.dataops.core.text.FreeText;
import io.dataops.core.yaml.LinedYaml;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads an application file (YAML); every problem names the file and line. What needs the lakehouse (the tables,
 * their columns, the filters' SQL) is checked when the application is made ({@link Grants#apply}).
 *
 * <pre>
 * scenario: 企业用工分析                      # the scenario pipelines name
 * purpose: employment structure of the district's enterprises, for business-environment services
 * period: {from: 2026-01-01, until: 2026-12-31}   # from: default the day of applying
 * products: [enterprise-employment]
 * resources:
 *   - table: ods.human_resources__social_insurance
 *     columns: [id_card, name, credit_code, contribution_month, base_salary]
 *   - table: ods.market_regulation__enterprises
 *     columns: [credit_code, name, industry_code, district_code, status]
 *     filter: status IN ('存续', '在业')        # optional: only these rows
 * </pre>
 */
public final class ApplicationParser {
  public static final int SCENARIO_MAX = 200;
  public static final int PURPOSE_MAX = 2000;
  public static final int FILTER_MAX = 2000;
  private static final Set<String> TOP = Set.of("scenario", "purpose", "operator", "period", "products", "resources");
  private static final Set<String> PERIOD = Set.of("from", "until");
  private static final Set<String> RESOURCE = Set.of("table", "columns", "filter");
  private static final Pattern TABLE = Pattern.compile("ods\\.[a-z][a-z0-9_]*");
  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern PRODUCT = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern OPERATOR = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  private final String source;
  private final LinedYaml nodes;

  private ApplicationParser(String source) {
    this.source = source;
    this.nodes = new LinedYaml(this::fail);
  }

  public static Application parse(Path file) {
    String text = LinedYaml.readUtf8(file, "application", (line, problem) ->
        new SourceLineException(file.toString(), line, problem));
    return parse(text, file.toString());
  }

  public static Application parse(String yaml, String source) {
    return new ApplicationParser(source).read(yaml);
  }

  private Application read(String yaml) {
    Node root = nodes.compose(yaml, "YAML");
    if (!(root instanceof MappingNode top)) {
      throw fail(root == null ? 0 : line(root), "an application is a mapping with scenario, purpose, period, products "
          + "and resources");
    }
    Map<String, NodeTuple> f = nodes.fields(top, TOP, "application");
    String scenario = text(f, "scenario", top, SCENARIO_MAX);
    String purpose = text(f, "purpose", top, PURPOSE_MAX);
    String operator = null;
    if (f.containsKey("operator")) {
      operator = nodes.scalar(f.get("operator").getValueNode(), "operator").strip();
      if (!OPERATOR.matcher(operator).matches()) {
        throw fail(line(f.get("operator").getValueNode()), "operator is an organization id such as "
            + "futian-data-operator");
      }
    }
    if (!f.containsKey("period")) {
      throw fail(line(top), "the application has no 'period' ({from: DAY, until: DAY}: how long the grant lasts)");
    }
    Node periodNode = f.get("period").getValueNode();
    if (!(periodNode instanceof MappingNode pm)) {
      throw fail(line(periodNode), "'period' is a mapping: {from: 2026-01-01, until: 2026-12-31}");
    }
    Map<String, NodeTuple> pf = nodes.fields(pm, PERIOD, "period");
    LocalDate from = pf.containsKey("from") ? day(pf.get("from").getValueNode(), "from") : null;
    if (!pf.containsKey("until")) {
      throw fail(line(periodNode), "the period has no 'until' (the last day of the grant)");
    }
    LocalDate until = day(pf.get("until").getValueNode(), "until");
    if (from != null && until.isBefore(from)) {
      throw fail(line(pf.get("until").getValueNode()), "the period ends (" + until + ") before it begins (" + from
          + ")");
    }
    List<String> products = names(f, top);
    if (!f.containsKey("resources")) {
      throw fail(line(top), "the application has no 'resources' (the ods tables it asks for)");
    }
    Node resourcesNode = f.get("resources").getValueNode();
    if (!(resourcesNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
      throw fail(line(resourcesNode), "'resources' is a non-empty list of tables, each with its columns");
    }
    List<Application.Resource> resources = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Node item : seq.getValue()) {
      Application.Resource r = resource(item);
      Integer earlier = seen.put(r.table(), r.line());
      if (earlier != null) {
        throw fail(r.line(), "table " + r.table() + " is asked for twice (first at line " + earlier + ")");
      }
      resources.add(r);
    }
    return new Application(source, scenario, purpose, operator, from, until, products, resources,
        Digests.sha256(yaml));
  }

  private Application.Resource resource(Node item) {
    if (!(item instanceof MappingNode m)) {
      throw fail(line(item), "a resource is a mapping with 'table' and 'columns'");
    }
    Map<String, NodeTuple> f = nodes.fields(m, RESOURCE, "resource");
    if (!f.containsKey("table")) {
      throw fail(line(m), "a resource needs 'table' (ods.<department>__<dataset>)");
    }
    Node tableNode = f.get("table").getValueNode();
    String table = nodes.scalar(tableNode, "table").strip();
    if (!TABLE.matcher(table).matches()) {
      throw fail(line(tableNode), "a resource is an ods table, ods.<department>__<dataset>; '" + shown(table)
          + "' is not");
    }
    if (!f.containsKey("columns")) {
      throw fail(line(m), "resource " + table + " needs 'columns' (the columns asked for)");
    }
    Node columnsNode = f.get("columns").getValueNode();
    List<String> columns = nodes.stringList(columnsNode, "columns");
    if (columns.isEmpty()) {
      throw fail(line(columnsNode), "resource " + table + " asks for no column");
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String c : columns) {
      if (!COLUMN.matcher(c).matches()) {
        throw fail(line(columnsNode), "'" + shown(c) + "' is not a column name");
      }
      if (!unique.add(c)) {
        throw fail(line(columnsNode), "column '" + c + "' is listed twice");
      }
    }
    String filter = null;
    int filterLine = 0;
    if (f.containsKey("filter")) {
      Node fn = f.get("filter").getValueNode();
      filter = nodes.scalar(fn, "filter").strip();
      filterLine = line(fn);
      if (filter.isEmpty() || filter.length() > FILTER_MAX) {
        throw fail(filterLine, "a filter is 1 to " + FILTER_MAX + " characters of SQL; leave it out for all rows");
      }
    }
    return new Application.Resource(table, List.copyOf(unique), filter, line(m), line(columnsNode), filterLine);
  }

  private List<String> names(Map<String, NodeTuple> f, MappingNode top) {
    if (!f.containsKey("products")) {
      throw fail(line(top), "the application has no 'products' (the products it means to make)");
    }
    Node n = f.get("products").getValueNode();
    List<String> products = nodes.stringList(n, "products");
    if (products.isEmpty()) {
      throw fail(line(n), "'products' names at least one product");
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String p : products) {
      if (!PRODUCT.matcher(p).matches()) {
        throw fail(line(n), "product '" + shown(p) + "' must be lower-case letters, digits and '-', starting with a "
            + "letter (at most 63)");
      }
      if (!unique.add(p)) {
        throw fail(line(n), "product '" + p + "' is listed twice");
      }
    }
    return List.copyOf(unique);
  }

  private String text(Map<String, NodeTuple> f, String key, MappingNode top, int max) {
    if (!f.containsKey(key)) {
      throw fail(line(top), "the application has no '" + key + "'");
    }
    Node n = f.get(key).getValueNode();
    String v = nodes.scalar(n, key).strip();
    if (v.isEmpty()) {
      throw fail(line(n), key + " is empty: it is 1 to " + max + " characters on one line");
    }
    String problem = FreeText.problem(v, max);
    if (problem != null) {
      throw fail(line(n), key + " " + problem);
    }
    return v;
  }

  private LocalDate day(Node n, String what) {
    String v = nodes.scalar(n, what).strip();
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw fail(line(n), what + " is a day such as 2026-12-31, not '" + shown(v) + "'");
    }
  }

  private static String shown(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "…" : v;
  }

  private SourceLineException fail(int line, String problem) {
    return new SourceLineException(source, line, problem);
  }
}
