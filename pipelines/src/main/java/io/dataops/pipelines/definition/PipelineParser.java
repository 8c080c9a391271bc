package io.dataops.pipelines.definition;

import io.dataops.core.digest.Digests;
import static io.dataops.core.yaml.LinedYaml.line;

import io.dataops.core.yaml.LinedYaml;
import io.dataops.pipelines.definition.PipelineDefinition.Input;
import io.dataops.pipelines.definition.PipelineDefinition.PolicySpec;
import io.dataops.pipelines.definition.PipelineDefinition.PrivacySpec;
import io.dataops.pipelines.definition.PipelineDefinition.QualitySpec;
import io.dataops.pipelines.definition.PipelineDefinition.ScheduleSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a pipeline file (YAML). Everything that can be checked without the lakehouse is checked here, each problem
 * reported with the file and line; {@link PipelineValidator} then checks it against the tables.
 *
 * <pre>
 * name: citizens-profile                  # the pipeline
 * scenario: 社区服务人口结构分析              # the scenario it was granted for
 * owner: futian-operator
 * inputs:
 *   - table: ods.public_security__citizens
 *     as: citizens                        # the name the SQL uses (default: the table's name)
 *     columns: [id_card, gender, birth_date, district_code]   # the columns it may read
 *     filter: "gender IS NOT NULL"        # optional, SQL over those columns
 *     snapshot: latest                    # or a snapshot id; a run pins the exact one
 * transform: |                            # optional SQL SELECT over the aliases
 *   SELECT id_card, gender, birth_date, district_code FROM citizens
 * policy:                                 # per output column; keep is the default for non-personal columns
 *   id_card: {pseudonymize: hmac-sha256, key: default, length: 20}
 *   birth_date: {generalize: year}
 * privacy: {quasiIdentifiers: [birth_date, gender, district_code], k: 5}
 *   # optional: exempt: {phone: "why the part a mask keeps cannot identify anyone"}  (recorded with every version)
 * product: citizens-profile
 * quality: {suite: citizens-profile.suite.json}
 * mode: full                              # or incremental: read only what was appended since the last version
 * </pre>
 */
public final class PipelineParser {
  /** A pipeline's or product's name (the REST API holds a product name in its path to it). */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** What is wrong with a pipeline or product name: its characters, or (right characters) its length. */
  static String nameProblem(String key, String value) {
    if (value.matches("[a-z][a-z0-9-]*")) {
      return key + " '" + value.substring(0, 20) + "…' has " + value.length() + " characters, at most 63 are allowed";
    }
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return key + " '" + shown + "' must be lower-case letters, digits and '-', starting with a letter";
  }
  private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");
  private static final Set<String> TOP = Set.of("name", "scenario", "owner", "description", "inputs", "transform",
      "policy", "privacy", "product", "quality", "asOf", "mode", "schedule");
  private static final Set<String> INPUT = Set.of("table", "as", "columns", "filter", "snapshot");
  private static final Set<String> PRIVACY = Set.of("quasiIdentifiers", "k", "l", "sensitive", "countColumn",
      "exempt", "optimize", "suppressionLimit", "personKey", "hierarchies", "undeclaredQuasiIdentifiers", "population", "riskThreshold",
      "tCloseness");
  private static final Set<String> T_CLOSENESS = Set.of("column", "t", "distance");
  private static final Set<String> HIERARCHY_WORDS = Set.of("region", "date", "top");
  private static final Set<String> HIERARCHY_KINDS = Set.of("bands", "prefix", "tree");
  private static final Set<String> QUALITY = Set.of("suite");
  private static final Set<String> SCHEDULE = Set.of("cron", "onFeed", "engine", "maxAttempts", "timeout");
  static final Set<String> SIMPLE_POLICIES = Set.of("keep", "remove", "suppress");
  static final Map<String, Set<String>> POLICY_ARGS = Map.of(
      "mask", Set.of("keepFirst", "keepLast", "maskChar", "level"),
      "pseudonymize", Set.of("key", "length", "context"),
      "encrypt", Set.of("cipher", "shape", "key", "keepFirst", "tweak", "tweakHex"),
      "generalize", Set.of("width", "boundaries", "level", "categories", "otherwise"));

  private final String source;
  private final LinedYaml nodes;

  private PipelineParser(String source) {
    this.source = source;
    this.nodes = new LinedYaml(this::fail);
  }

  public static PipelineDefinition parse(Path file) {
    String text = LinedYaml.readUtf8(file, "pipeline", (line, problem) -> new PipelineException(file.toString(), line,
        problem));
    return parse(text, file.getFileName().toString());
  }

  public static PipelineDefinition parse(String yaml, String sourceName) {
    return new PipelineParser(sourceName).read(yaml);
  }

  private PipelineDefinition read(String yaml) {
    Node root = nodes.compose(yaml, "YAML");
    if (!(root instanceof MappingNode top)) {
      throw fail(root == null ? 0 : line(root), "a pipeline is a mapping with name, inputs, policy and product");
    }
    Map<String, NodeTuple> f = nodes.fields(top, TOP, "pipeline");
    String name = required(f, "name", top);
    if (!NAME.matcher(name).matches()) {
      throw fail(line(f.get("name").getValueNode()), nameProblem("name", name));
    }
    String scenario = required(f, "scenario", top);
    String owner = required(f, "owner", top);
    String description = optional(f, "description");

    if (!f.containsKey("inputs")) {
      throw fail(line(top), "the pipeline has no 'inputs' (the granted tables it reads)");
    }
    Node inputsNode = f.get("inputs").getValueNode();
    if (!(inputsNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
      throw fail(line(inputsNode), "'inputs' must be a non-empty list of tables");
    }
    List<Input> inputs = new ArrayList<>();
    Map<String, Integer> aliases = new LinkedHashMap<>();
    for (Node item : seq.getValue()) {
      Input in = input(item);
      Integer earlier = aliases.put(in.alias(), in.line());
      if (earlier != null) {
        throw fail(in.line(), "two inputs are called '" + in.alias() + "' (first at line " + earlier
            + "); give one another name with 'as'");
      }
      inputs.add(in);
    }

    String transform = null;
    int transformLine = 0;
    if (f.containsKey("transform")) {
      Node t = f.get("transform").getValueNode();
      transform = nodes.scalar(t, "transform");
      // A block scalar (|) starts on the line after its key.
      transformLine = t instanceof ScalarNode s && s.getScalarStyle() != null
          && (s.getScalarStyle().getChar() != null && (s.getScalarStyle().getChar() == '|'
          || s.getScalarStyle().getChar() == '>')) ? line(t) + 1 : line(t);
      if (transform.isBlank()) {
        throw fail(line(t), "'transform' is empty; leave it out to take the single input as it is");
      }
    } else if (inputs.size() > 1) {
      throw fail(line(inputsNode), "with several inputs, a 'transform' (SQL SELECT) must say how they combine");
    }

    Map<String, PolicySpec> policies = new LinkedHashMap<>();
    if (f.containsKey("policy")) {
      Node p = f.get("policy").getValueNode();
      if (!(p instanceof MappingNode pm)) {
        throw fail(line(p), "'policy' maps output columns to their policy, e.g. id_card: {mask: id_card}");
      }
      for (NodeTuple t : pm.getValue()) {
        String column = nodes.scalar(t.getKeyNode(), "column");
        if (policies.containsKey(column)) {
          throw fail(line(t.getKeyNode()), "column '" + column + "' has two policies");
        }
        policies.put(column, policy(column, t.getValueNode()));
      }
    }

    PrivacySpec privacy = f.containsKey("privacy") ? privacy(f.get("privacy").getValueNode()) : null;
    String product = required(f, "product", top);
    if (!NAME.matcher(product).matches()) {
      throw fail(line(f.get("product").getValueNode()), nameProblem("product", product));
    }
    QualitySpec quality = null;
    if (f.containsKey("quality")) {
      Node q = f.get("quality").getValueNode();
      if (!(q instanceof MappingNode qm)) {
        throw fail(line(q), "'quality' is a mapping: {suite: FILE}");
      }
      Map<String, NodeTuple> qf = nodes.fields(qm, QUALITY, "quality");
      quality = new QualitySpec(required(qf, "suite", qm), line(q));
    }
    LocalDate asOf = null;
    if (f.containsKey("asOf")) {
      Node a = f.get("asOf").getValueNode();
      try {
        asOf = LocalDate.parse(nodes.scalar(a, "asOf"));
      } catch (DateTimeParseException e) {
        throw fail(line(a), "asOf must be a date like 2026-11-01");
      }
    }
    boolean incremental = false;
    int modeLine = 0;
    if (f.containsKey("mode")) {
      Node m = f.get("mode").getValueNode();
      String mode = nodes.scalar(m, "mode");
      modeLine = line(m);
      if (!mode.equals("full") && !mode.equals("incremental")) {
        throw fail(modeLine, "mode must be 'full' (each run rebuilds the product) or 'incremental' (each run adds "
            + "what was appended to the inputs since the product's last version)");
      }
      incremental = mode.equals("incremental");
    }
    ScheduleSpec schedule = f.containsKey("schedule") ? schedule(f.get("schedule").getValueNode()) : null;
    return new PipelineDefinition(source, name, scenario, owner, description, List.copyOf(inputs), transform,
        transformLine, java.util.Collections.unmodifiableMap(policies), privacy, product,
        line(f.get("product").getValueNode()), quality, asOf, sha256(yaml), incremental, modeLine, schedule);
  }

  /**
   * {@code schedule: {cron: '0 0 2 * * *', onFeed: true, engine: flink, maxAttempts: 3, timeout: 2h}}: at least cron
   * or onFeed.
   */
  private ScheduleSpec schedule(Node n) {
    if (!(n instanceof MappingNode m)) {
      throw fail(line(n), "'schedule' is a mapping, e.g. {cron: '0 0 2 * * *', onFeed: true}");
    }
    Map<String, NodeTuple> f = nodes.fields(m, SCHEDULE, "schedule");
    String cron = optional(f, "cron");
    int cronLine = f.containsKey("cron") ? line(f.get("cron").getValueNode()) : 0;
    if (cron != null && cron.isBlank()) {
      throw fail(cronLine, "schedule.cron is empty; leave it out to run only on new feeds (onFeed: true)");
    }
    boolean onFeed = false;
    if (f.containsKey("onFeed")) {
      Node o = f.get("onFeed").getValueNode();
      String v = nodes.scalar(o, "onFeed");
      if (!v.equals("true") && !v.equals("false")) {
        throw fail(line(o), "schedule.onFeed is true (run when an input table has a new snapshot) or false");
      }
      onFeed = v.equals("true");
    }
    if (cron == null && !onFeed) {
      throw fail(line(m), "a schedule says when the pipeline runs: cron, onFeed: true, or both");
    }
    String engine = optional(f, "engine");
    int engineLine = f.containsKey("engine") ? line(f.get("engine").getValueNode()) : 0;
    Integer maxAttempts = null;
    if (f.containsKey("maxAttempts")) {
      Node a = f.get("maxAttempts").getValueNode();
      String v = nodes.scalar(a, "maxAttempts");
      if (!v.matches("[1-9][0-9]{0,2}")) {
        throw fail(line(a), "schedule.maxAttempts is a whole number from 1 to 999, not '" + v + "'");
      }
      maxAttempts = Integer.valueOf(v);
    }
    String timeout = optional(f, "timeout");
    int timeoutLine = f.containsKey("timeout") ? line(f.get("timeout").getValueNode()) : 0;
    if (timeout != null && timeout.isBlank()) {
      throw fail(timeoutLine, "schedule.timeout is empty; leave it out for the scheduler's (24h, or the one the "
          + "schedule has)");
    }
    return new ScheduleSpec(cron, cronLine, onFeed, engine, engineLine, maxAttempts, timeout, timeoutLine, line(m));
  }

  private Input input(Node item) {
    if (!(item instanceof MappingNode m)) {
      throw fail(line(item), "an input is a mapping with 'table' and 'columns'");
    }
    Map<String, NodeTuple> f = nodes.fields(m, INPUT, "input");
    String table = required(f, "table", m);
    if (!TABLE.matcher(table).matches()) {
      throw fail(line(f.get("table").getValueNode()), "table '" + table + "' must be NAMESPACE.NAME, e.g. "
          + "ods.public_security__citizens");
    }
    String alias = f.containsKey("as") ? nodes.scalar(f.get("as").getValueNode(), "as") : table.substring(table.indexOf('.') + 1);
    if (!ALIAS.matcher(alias).matches()) {
      throw fail(line(f.containsKey("as") ? f.get("as").getValueNode() : m), "the input's name '" + alias
          + "' must be lower-case letters, digits and '_'");
    }
    if (!f.containsKey("columns")) {
      throw fail(line(m), "input " + table + " has no 'columns': list the columns the pipeline reads (and only those)");
    }
    Node cn = f.get("columns").getValueNode();
    List<String> columns = stringList(cn, "columns");
    if (columns.isEmpty()) {
      throw fail(line(cn), "'columns' must list at least one column");
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (!seen.add(c)) {
        throw fail(line(cn), "column '" + c + "' is listed twice");
      }
    }
    String filter = null;
    int filterLine = 0;
    if (f.containsKey("filter")) {
      filter = nodes.scalar(f.get("filter").getValueNode(), "filter");
      filterLine = line(f.get("filter").getValueNode());
    }
    String snapshot = "latest";
    if (f.containsKey("snapshot")) {
      Node s = f.get("snapshot").getValueNode();
      snapshot = nodes.scalar(s, "snapshot");
      if (!snapshot.equals("latest") && !snapshot.matches("-?\\d{1,19}")) {
        throw fail(line(s), "snapshot must be 'latest' or a snapshot id (see: dataops table history " + table + ")");
      }
    }
    return new Input(table, alias, List.copyOf(columns), filter, snapshot, line(m), line(cn), filterLine);
  }

  private PolicySpec policy(String column, Node n) {
    if (n instanceof ScalarNode) {
      String kind = nodes.scalar(n, "policy");
      if (SIMPLE_POLICIES.contains(kind)) {
        return new PolicySpec(column, kind, null, Map.of(), line(n));
      }
      if (POLICY_ARGS.containsKey(kind)) {
        throw fail(line(n), "column '" + column + "': " + kind + " needs its kind, e.g. {" + kind + ": "
            + example(kind) + "}");
      }
      throw fail(line(n), "column '" + column + "': unknown policy '" + kind + "' (expected keep, remove, suppress, "
          + "mask, pseudonymize, encrypt or generalize)");
    }
    if (!(n instanceof MappingNode m)) {
      throw fail(line(n), "column '" + column + "': a policy is a word (keep) or a mapping ({mask: id_card})");
    }
    String kind = null;
    String variant = null;
    Map<String, Object> args = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = nodes.scalar(t.getKeyNode(), "key");
      if (POLICY_ARGS.containsKey(key)) {
        if (kind != null) {
          throw fail(line(t.getKeyNode()), "column '" + column + "' has two policies, " + kind + " and " + key);
        }
        kind = key;
        variant = nodes.scalar(t.getValueNode(), key);
      }
    }
    if (kind == null) {
      throw fail(line(m), "column '" + column + "': say which policy: mask, pseudonymize, encrypt or generalize");
    }
    Set<String> allowed = POLICY_ARGS.get(kind);
    for (NodeTuple t : m.getValue()) {
      String key = nodes.scalar(t.getKeyNode(), "key");
      if (key.equals(kind)) {
        continue;
      }
      if (!allowed.contains(key)) {
        throw fail(line(t.getKeyNode()), "column '" + column + "': " + kind + " has no option '" + key + "' (known: "
            + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
      args.put(key, value(t.getValueNode()));
    }
    return new PolicySpec(column, kind, variant, java.util.Collections.unmodifiableMap(args), line(m));
  }

  private static String example(String kind) {
    return switch (kind) {
      case "mask" -> "id_card";
      case "pseudonymize" -> "hmac-sha256";
      case "encrypt" -> "ff1";
      default -> "year";
    };
  }

  /** A YAML value as plain Java (String, List, Map), with scalars kept as text. */
  private Object value(Node n) {
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    if (n instanceof SequenceNode s) {
      List<Object> out = new ArrayList<>();
      s.getValue().forEach(x -> out.add(value(x)));
      return out;
    }
    MappingNode m = (MappingNode) n;
    Map<String, Object> out = new LinkedHashMap<>();
    m.getValue().forEach(t -> out.put(nodes.scalar(t.getKeyNode(), "key"), value(t.getValueNode())));
    return out;
  }

  private PrivacySpec privacy(Node n) {
    if (!(n instanceof MappingNode m)) {
      throw fail(line(n), "'privacy' is a mapping: {quasiIdentifiers: [...], k: 5}");
    }
    Map<String, NodeTuple> f = nodes.fields(m, PRIVACY, "privacy");
    List<String> qi = f.containsKey("quasiIdentifiers")
        ? stringList(f.get("quasiIdentifiers").getValueNode(), "quasiIdentifiers") : List.of();
    if (!f.containsKey("k")) {
      throw fail(line(m), "privacy needs k (each record must be indistinguishable from at least k-1 others)");
    }
    int k = nodes.positiveInt(f.get("k").getValueNode(), "k");
    if (k < 2) {
      throw fail(line(f.get("k").getValueNode()), "k must be at least 2 (k = 1 protects no one)");
    }
    Integer l = null;
    String sensitive = null;
    io.dataops.pipelines.privacy.Closeness closeness = f.containsKey("tCloseness")
        ? closeness(f.get("tCloseness").getValueNode()) : null;
    if (f.containsKey("l")) {
      l = nodes.positiveInt(f.get("l").getValueNode(), "l");
      if (l < 2 || l > 16) {
        throw fail(line(f.get("l").getValueNode()), "l must be between 2 and 16");
      }
      if (!f.containsKey("sensitive") && closeness == null) {
        throw fail(line(f.get("l").getValueNode()), "l-diversity needs the sensitive column ('sensitive')");
      }
    }
    if (f.containsKey("sensitive")) {
      sensitive = nodes.scalar(f.get("sensitive").getValueNode(), "sensitive");
      if (l == null && closeness == null) {
        throw fail(line(f.get("sensitive").getValueNode()), "'sensitive' is only used with l (or tCloseness)");
      }
      if (closeness != null && !closeness.column().equals(sensitive)) {
        throw fail(line(f.get("sensitive").getValueNode()), "l-diversity and t-closeness are about one sensitive "
            + "column: 'sensitive' is " + sensitive + ", tCloseness's column " + closeness.column());
      }
    }
    if (closeness != null) {
      sensitive = closeness.column();
    }
    if (sensitive != null && qi.contains(sensitive)) {
      // every class would then hold one sensitive value: l-diversity and t-closeness could never hold
      throw fail(line((f.containsKey("sensitive") ? f.get("sensitive") : f.get("tCloseness")).getValueNode()),
          "sensitive column '" + sensitive + "' is also a quasi-identifier: each class would hold one value of it, "
          + "so no class could be diverse; the sensitive column is what k-anonymity protects, not what it groups by");
    }
    String weight = f.containsKey("countColumn") ? nodes.scalar(f.get("countColumn").getValueNode(), "countColumn") : null;
    Map<String, String> exempt = new java.util.LinkedHashMap<>();
    if (f.containsKey("exempt")) {
      Node e = f.get("exempt").getValueNode();
      if (!(e instanceof MappingNode em)) {
        throw fail(line(e), "'exempt' maps a column to the reason its retained part is no quasi-identifier: "
            + "{phone: \"...\"}");
      }
      for (NodeTuple t : em.getValue()) {
        String column = nodes.scalar(t.getKeyNode(), "exempt column");
        String reason = nodes.scalar(t.getValueNode(), "exempt reason");
        if (reason.strip().length() < 10) {
          throw fail(line(t.getValueNode()), "exempt: say why '" + column + "' cannot identify anyone (the reason "
              + "is recorded with every version)");
        }
        if (exempt.put(column, reason.strip()) != null) {
          throw fail(line(t.getKeyNode()), "exempt: '" + column + "' is named twice");
        }
      }
    }
    boolean optimize = false;
    if (f.containsKey("optimize")) {
      Node o = f.get("optimize").getValueNode();
      String v = nodes.scalar(o, "optimize");
      if (!v.equals("true") && !v.equals("false")) {
        throw fail(line(o), "optimize is true (search the generalization that loses least) or false");
      }
      optimize = v.equals("true");
    }
    double limit = PrivacySpec.DEFAULT_SUPPRESSION_LIMIT;
    if (f.containsKey("suppressionLimit")) {
      Node s = f.get("suppressionLimit").getValueNode();
      limit = share(nodes.scalar(s, "suppressionLimit"), line(s), "suppressionLimit");
      if (!optimize) {
        throw fail(line(s), "suppressionLimit applies to the generalization search: set optimize: true");
      }
    }
    String personKey = f.containsKey("personKey") ? nodes.scalar(f.get("personKey").getValueNode(), "personKey")
        : null;
    Map<String, io.dataops.pipelines.privacy.lattice.Hierarchies.Spec> hierarchies = new LinkedHashMap<>();
    if (f.containsKey("hierarchies")) {
      Node h = f.get("hierarchies").getValueNode();
      if (!(h instanceof MappingNode hm)) {
        throw fail(line(h), "'hierarchies' maps a quasi-identifier to its hierarchy: region, date, top, "
            + "{bands: [...]}, {prefix: [...]} or {tree: {...}}");
      }
      if (!optimize) {
        throw fail(line(h), "hierarchies are used by the generalization search: set optimize: true");
      }
      for (NodeTuple t : hm.getValue()) {
        String column = nodes.scalar(t.getKeyNode(), "hierarchy column");
        if (hierarchies.put(column, hierarchy(column, t.getValueNode())) != null) {
          throw fail(line(t.getKeyNode()), "hierarchies: '" + column + "' is named twice");
        }
      }
    }
    boolean refuseUndeclared = false;
    if (f.containsKey("undeclaredQuasiIdentifiers")) {
      Node u = f.get("undeclaredQuasiIdentifiers").getValueNode();
      String v = nodes.scalar(u, "undeclaredQuasiIdentifiers");
      if (!v.equals("add") && !v.equals("refuse")) {
        throw fail(line(u), "undeclaredQuasiIdentifiers is add (a kept column that places people in groups smaller "
            + "than k becomes a quasi-identifier) or refuse (the pipeline is refused, naming it)");
      }
      refuseUndeclared = v.equals("refuse");
    }
    String population = null;
    int populationLine = 0;
    if (f.containsKey("population")) {
      Node pn = f.get("population").getValueNode();
      population = nodes.scalar(pn, "population");
      populationLine = line(pn);
      if (!TABLE.matcher(population).matches()) {
        throw fail(populationLine, "population is a table (namespace.name) holding one row per person of the "
            + "population, with a column of each quasi-identifier's name; not '" + population + "'");
      }
    }
    double riskThreshold = PrivacySpec.DEFAULT_RISK_THRESHOLD;
    if (f.containsKey("riskThreshold")) {
      Node rn = f.get("riskThreshold").getValueNode();
      riskThreshold = share(nodes.scalar(rn, "riskThreshold"), line(rn), "riskThreshold");
    }
    return new PrivacySpec(List.copyOf(qi), k, l, sensitive, weight, java.util.Collections.unmodifiableMap(exempt),
        line(m), optimize, limit, personKey, java.util.Collections.unmodifiableMap(hierarchies), refuseUndeclared,
        population, populationLine, riskThreshold, closeness);
  }

  /** {@code tCloseness: {column: C, t: 0.2, distance: equal|ordered}} (distance equal when not given). */
  private io.dataops.pipelines.privacy.Closeness closeness(Node n) {
    if (!(n instanceof MappingNode m)) {
      throw fail(line(n), "'tCloseness' is a mapping: {column: diagnosis, t: 0.2, distance: equal} (or ordered, for "
          + "numbers and dates)");
    }
    Map<String, NodeTuple> f = nodes.fields(m, T_CLOSENESS, "tCloseness");
    if (!f.containsKey("column") || !f.containsKey("t")) {
      throw fail(line(m), "tCloseness needs the sensitive column and t: {column: diagnosis, t: 0.2}");
    }
    String column = nodes.scalar(f.get("column").getValueNode(), "column");
    Node tn = f.get("t").getValueNode();
    double t;
    try {
      t = Double.parseDouble(nodes.scalar(tn, "t"));
    } catch (NumberFormatException e) {
      t = Double.NaN;
    }
    if (!(t > 0 && t <= 1)) {
      throw fail(line(tn), "t is an earth mover's distance above 0 and at most 1 (e.g. 0.2)");
    }
    io.dataops.pipelines.privacy.Closeness.Distance distance = io.dataops.pipelines.privacy.Closeness.Distance.EQUAL;
    if (f.containsKey("distance")) {
      Node dn = f.get("distance").getValueNode();
      try {
        distance = io.dataops.pipelines.privacy.Closeness.Distance.of(nodes.scalar(dn, "distance"));
      } catch (IllegalArgumentException e) {
        throw fail(line(dn), e.getMessage());
      }
    }
    return new io.dataops.pipelines.privacy.Closeness(column, t, distance);
  }

  /** A share written as 0.05 or 5%, between 0 and 1 (0 allowed: suppress nothing). */
  private double share(String text, int line, String what) {
    String t = text.strip();
    double v;
    try {
      v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100 : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw fail(line, what + " is a share like 0.05 or 5%, not '" + text + "'");
    }
    if (!(v >= 0 && v < 1)) {
      throw fail(line, what + " is a share from 0 up to (not including) 1, not '" + text + "'");
    }
    return v;
  }

  /** One declared hierarchy, checked for its shape here (its fit to the column is checked when binding). */
  private io.dataops.pipelines.privacy.lattice.Hierarchies.Spec hierarchy(String column, Node n) {
    String expected = "a hierarchy is region, date, top, {bands: [widths]}, {prefix: [lengths]} or "
        + "{tree: {group: [values]}}";
    if (n instanceof ScalarNode) {
      String word = nodes.scalar(n, "hierarchy");
      if (!HIERARCHY_WORDS.contains(word)) {
        throw fail(line(n), "hierarchy of '" + column + "': unknown '" + word + "'; " + expected);
      }
      return new io.dataops.pipelines.privacy.lattice.Hierarchies.Spec(column, word, null, line(n));
    }
    if (!(n instanceof MappingNode m) || m.getValue().size() != 1) {
      throw fail(line(n), "hierarchy of '" + column + "': " + expected);
    }
    NodeTuple t = m.getValue().get(0);
    String kind = nodes.scalar(t.getKeyNode(), "hierarchy");
    if (!HIERARCHY_KINDS.contains(kind)) {
      throw fail(line(t.getKeyNode()), "hierarchy of '" + column + "': unknown '" + kind + "'; " + expected);
    }
    Node v = t.getValueNode();
    if (kind.equals("tree")) {
      if (!(v instanceof MappingNode)) {
        throw fail(line(v), "hierarchy of '" + column + "': a tree maps groups to subgroups or to lists of values");
      }
      Object tree = value(v);
      try {
        io.dataops.pipelines.privacy.lattice.TreeHierarchy.parse((Map<?, ?>) tree);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw fail(line(v), "hierarchy of '" + column + "': " + e.getMessage());
      }
      return new io.dataops.pipelines.privacy.lattice.Hierarchies.Spec(column, kind, tree, line(v));
    }
    List<String> items = nodes.stringList(v, kind);
    if (items.isEmpty()) {
      throw fail(line(v), "hierarchy of '" + column + "': " + kind + " lists at least one "
          + (kind.equals("bands") ? "width" : "length"));
    }
    List<Object> numbers = new ArrayList<>();
    java.math.BigDecimal previous = null;
    for (String item : items) {
      java.math.BigDecimal x;
      try {
        x = new java.math.BigDecimal(item.strip());
      } catch (NumberFormatException e) {
        throw fail(line(v), "hierarchy of '" + column + "': '" + item + "' is not a number");
      }
      if (x.signum() <= 0 || kind.equals("prefix") && x.stripTrailingZeros().scale() > 0) {
        throw fail(line(v), "hierarchy of '" + column + "': " + kind + " are positive"
            + (kind.equals("prefix") ? " whole numbers" : " numbers") + ", not " + item);
      }
      if (previous != null && (kind.equals("bands") ? x.compareTo(previous) <= 0
          || x.remainder(previous).signum() != 0 : x.compareTo(previous) >= 0)) {
        throw fail(line(v), "hierarchy of '" + column + "': " + (kind.equals("bands")
            ? "each band width must be a larger multiple of the one before, so that bands nest (" + item + " after "
                + previous.toPlainString() + ")"
            : "prefix lengths must shrink from level to level (" + item + " after " + previous.toPlainString()
                + ")"));
      }
      previous = x;
      numbers.add(x.toPlainString());
    }
    return new io.dataops.pipelines.privacy.lattice.Hierarchies.Spec(column, kind, List.copyOf(numbers), line(v));
  }

  /** A list, or one value standing for a list of one. */
  private List<String> stringList(Node n, String what) {
    return n instanceof ScalarNode ? List.of(nodes.scalar(n, what)) : nodes.stringList(n, what);
  }

  private String required(Map<String, NodeTuple> f, String key, Node parent) {
    if (!f.containsKey(key)) {
      throw fail(line(parent), "missing '" + key + "'");
    }
    String v = nodes.scalar(f.get(key).getValueNode(), key);
    if (v.isBlank()) {
      throw fail(line(f.get(key).getValueNode()), "'" + key + "' is empty");
    }
    return v;
  }

  private String optional(Map<String, NodeTuple> f, String key) {
    return f.containsKey(key) ? nodes.scalar(f.get(key).getValueNode(), key) : null;
  }

  private PipelineException fail(int line, String problem) {
    return new PipelineException(source, line, problem);
  }

  private static String sha256(String text) {
    return Digests.sha256(text);
  }
}
