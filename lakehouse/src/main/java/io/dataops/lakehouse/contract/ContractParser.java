package io.dataops.lakehouse.contract;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a feed contract from YAML. Every problem is reported as a {@link ContractException} naming the file, the
 * line and what is wrong, before any data is read.
 */
public final class ContractParser {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern IDENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Set<String> TOP_KEYS = Set.of("department", "dataset", "description", "format", "encoding",
      "header", "delimiter", "quote", "nullValues", "dateFormat", "timestampFormat", "primaryKey", "sheet",
      "maxRecordBytes", "columns");
  private static final Set<String> COLUMN_KEYS =
      Set.of("name", "type", "required", "maxLength", "format", "personal", "description");

  private final String source;

  private ContractParser(String source) {
    this.source = source;
  }

  public static FeedContract parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ContractException(file.toString(), 0, "a contract file must be UTF-8 text");
    } catch (IOException e) {
      throw new ContractException(file.toString(), 0, "cannot read the contract file (" + e.getClass().getSimpleName() + ")");
    }
    return parse(text, file.getFileName().toString());
  }

  public static FeedContract parse(String yaml, String sourceName) {
    return new ContractParser(sourceName).read(yaml);
  }

  private FeedContract read(String yaml) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      throw fail(line, "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw fail(0, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(root instanceof MappingNode top)) {
      throw fail(root == null ? 0 : line(root), "a contract is a mapping with at least 'columns'");
    }
    Map<String, NodeTuple> fields = fields(top, TOP_KEYS, "contract");

    String department = identifier(fields, "department");
    String dataset = identifier(fields, "dataset");
    String description = optionalText(fields, "description", null);
    FeedFormat format = FeedFormat.CSV;
    if (fields.containsKey("format")) {
      Node n = fields.get("format").getValueNode();
      try {
        format = FeedFormat.parse(scalar(n, "format"));
      } catch (IllegalArgumentException e) {
        throw fail(line(n), e.getMessage());
      }
    }
    Charset encoding = StandardCharsets.UTF_8;
    if (fields.containsKey("encoding")) {
      Node n = fields.get("encoding").getValueNode();
      String name = scalar(n, "encoding");
      try {
        encoding = Charset.forName(name);
      } catch (IllegalArgumentException e) {
        throw fail(line(n), "unknown encoding '" + name + "' (for example UTF-8, GBK, GB18030)");
      }
    }
    boolean header = optionalBoolean(fields, "header", true);
    char delimiter = optionalChar(fields, "delimiter", ',');
    char quote = optionalChar(fields, "quote", '"');
    if (delimiter == quote || delimiter == '\n' || delimiter == '\r' || quote == '\n' || quote == '\r') {
      throw fail(line(fields.getOrDefault("delimiter", fields.get("quote")).getValueNode()),
          "delimiter and quote must be two different characters other than a line break");
    }
    List<String> nullValues = fields.containsKey("nullValues")
        ? stringList(fields.get("nullValues").getValueNode(), "nullValues")
        : List.of("");
    String dateFormat = pattern(fields, "dateFormat", FeedContract.DEFAULT_DATE_FORMAT);
    String timestampFormat = pattern(fields, "timestampFormat", FeedContract.DEFAULT_TIMESTAMP_FORMAT);
    String sheet = optionalText(fields, "sheet", null);
    int maxRecordBytes = FeedContract.DEFAULT_MAX_RECORD_BYTES;
    if (fields.containsKey("maxRecordBytes")) {
      Node n = fields.get("maxRecordBytes").getValueNode();
      maxRecordBytes = positiveInt(n, "maxRecordBytes");
      if (maxRecordBytes < 1024 || maxRecordBytes > 256 << 20) {
        throw fail(line(n), "maxRecordBytes must be between 1024 and 268435456");
      }
    }

    if (!fields.containsKey("columns")) {
      throw fail(line(top), "the contract has no 'columns' list");
    }
    Node columnsNode = fields.get("columns").getValueNode();
    if (!(columnsNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
      throw fail(line(columnsNode), "'columns' must be a non-empty list of columns");
    }
    List<ColumnSpec> columns = new ArrayList<>();
    Map<String, Integer> columnLines = new LinkedHashMap<>();
    for (Node item : seq.getValue()) {
      ColumnSpec column = column(item);
      if (columnLines.containsKey(column.name())) {
        throw fail(line(item), "column '" + column.name() + "' is declared twice (first at line "
            + columnLines.get(column.name()) + ")");
      }
      columnLines.put(column.name(), line(item));
      columns.add(column);
    }

    List<String> primaryKey = List.of();
    if (fields.containsKey("primaryKey")) {
      Node n = fields.get("primaryKey").getValueNode();
      primaryKey = n instanceof ScalarNode ? List.of(scalar(n, "primaryKey")) : stringList(n, "primaryKey");
      Set<String> seen = new HashSet<>();
      for (String key : primaryKey) {
        if (!columnLines.containsKey(key)) {
          throw fail(line(n), "primary key column '" + key + "' is not among the columns");
        }
        if (!seen.add(key)) {
          throw fail(line(n), "primary key names column '" + key + "' twice");
        }
      }
      // A key column must always have a value: make it required whatever the column said.
      for (int i = 0; i < columns.size(); i++) {
        ColumnSpec c = columns.get(i);
        if (primaryKey.contains(c.name()) && !c.required()) {
          columns.set(i, new ColumnSpec(c.name(), c.type(), true, c.maxLength(), c.format(), c.personal(),
              c.description()));
        }
      }
    }
    return new FeedContract(department, dataset, description, format, encoding, header, delimiter, quote,
        nullValues, dateFormat, timestampFormat, primaryKey, sheet, maxRecordBytes, columns);
  }

  private ColumnSpec column(Node item) {
    if (!(item instanceof MappingNode map)) {
      throw fail(line(item), "a column is a mapping with 'name' and 'type'");
    }
    Map<String, NodeTuple> f = fields(map, COLUMN_KEYS, "column");
    if (!f.containsKey("name")) {
      throw fail(line(item), "a column has no 'name'");
    }
    Node nameNode = f.get("name").getValueNode();
    String name = scalar(nameNode, "name");
    if (name.startsWith("_")) {
      throw fail(line(nameNode), "column '" + name + "': names starting with '_' are reserved for lineage columns");
    }
    if (!NAME.matcher(name).matches()) {
      throw fail(line(nameNode), "column '" + name
          + "': a name is lower-case letters, digits and '_', starting with a letter, at most 63 characters");
    }
    if (!f.containsKey("type")) {
      throw fail(line(item), "column '" + name + "' has no 'type' (expected " + ColumnType.EXPECTED + ")");
    }
    Node typeNode = f.get("type").getValueNode();
    ColumnType type;
    try {
      type = ColumnType.parse(scalar(typeNode, "type"));
    } catch (IllegalArgumentException e) {
      throw fail(line(typeNode), "column '" + name + "': " + e.getMessage());
    }
    boolean required = optionalBoolean(f, "required", false);
    Integer maxLength = null;
    if (f.containsKey("maxLength")) {
      Node n = f.get("maxLength").getValueNode();
      if (type.base() != ColumnType.Base.STRING) {
        throw fail(line(n), "column '" + name + "': maxLength applies to string columns only, this one is " + type);
      }
      maxLength = positiveInt(n, "maxLength");
    }
    String format = null;
    if (f.containsKey("format")) {
      Node n = f.get("format").getValueNode();
      if (type.base() != ColumnType.Base.DATE && type.base() != ColumnType.Base.TIMESTAMP) {
        throw fail(line(n), "column '" + name + "': format applies to date and timestamp columns only, this one is "
            + type);
      }
      format = checkedPattern(n, scalar(n, "format"));
    }
    PersonalData personal = null;
    if (f.containsKey("personal")) {
      Node n = f.get("personal").getValueNode();
      try {
        personal = PersonalData.parse(scalar(n, "personal"));
      } catch (IllegalArgumentException e) {
        throw fail(line(n), "column '" + name + "': " + e.getMessage());
      }
    }
    String description = optionalText(f, "description", null);
    return new ColumnSpec(name, type, required, maxLength, format, personal, description);
  }

  private Map<String, NodeTuple> fields(MappingNode map, Set<String> known, String what) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      if (!known.contains(key)) {
        throw fail(line(t.getKeyNode()), "unknown " + what + " key '" + key + "' (known: "
            + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
      NodeTuple earlier = out.put(key, t);
      if (earlier != null) {
        throw fail(line(t.getKeyNode()), "key '" + key + "' appears twice (first at line "
            + line(earlier.getKeyNode()) + ")");
      }
    }
    return out;
  }

  private String identifier(Map<String, NodeTuple> fields, String key) {
    if (!fields.containsKey(key)) {
      return null;
    }
    Node n = fields.get(key).getValueNode();
    String value = scalar(n, key);
    if (!IDENT.matcher(value).matches()) {
      throw fail(line(n), key + " '" + value + "' must be lower-case letters, digits, '-' and '_'");
    }
    return value;
  }

  private String optionalText(Map<String, NodeTuple> fields, String key, String fallback) {
    return fields.containsKey(key) ? scalar(fields.get(key).getValueNode(), key) : fallback;
  }

  private boolean optionalBoolean(Map<String, NodeTuple> fields, String key, boolean fallback) {
    if (!fields.containsKey(key)) {
      return fallback;
    }
    Node n = fields.get(key).getValueNode();
    String v = scalar(n, key).toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw fail(line(n), key + " must be true or false, not '" + v + "'");
    };
  }

  private char optionalChar(Map<String, NodeTuple> fields, String key, char fallback) {
    if (!fields.containsKey(key)) {
      return fallback;
    }
    Node n = fields.get(key).getValueNode();
    String v = scalar(n, key);
    if ("\\t".equals(v) || "tab".equalsIgnoreCase(v)) {
      return '\t';
    }
    if (v.length() != 1) {
      throw fail(line(n), key + " must be a single character, not '" + v + "'");
    }
    return v.charAt(0);
  }

  private int positiveInt(Node n, String key) {
    String v = scalar(n, key);
    try {
      int value = Integer.parseInt(v);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw fail(line(n), key + " must be a positive whole number, not '" + v + "'");
  }

  private String pattern(Map<String, NodeTuple> fields, String key, String fallback) {
    if (!fields.containsKey(key)) {
      return fallback;
    }
    Node n = fields.get(key).getValueNode();
    return checkedPattern(n, scalar(n, key));
  }

  private String checkedPattern(Node n, String pattern) {
    try {
      DateTimeFormatter.ofPattern(pattern);
      return pattern;
    } catch (IllegalArgumentException e) {
      throw fail(line(n), "'" + pattern + "' is not a date/time pattern (" + e.getMessage() + ")");
    }
  }

  private List<String> stringList(Node n, String key) {
    if (!(n instanceof SequenceNode seq)) {
      throw fail(line(n), key + " must be a list");
    }
    List<String> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      out.add(scalar(item, key));
    }
    return out;
  }

  private String scalar(Node n, String key) {
    if (!(n instanceof ScalarNode s)) {
      throw fail(line(n), key + " must be a single value");
    }
    return s.getValue();
  }

  private static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  private ContractException fail(int line, String problem) {
    return new ContractException(source, line, problem);
  }
}
