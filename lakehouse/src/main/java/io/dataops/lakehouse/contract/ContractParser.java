package io.dataops.lakehouse.contract;

import static io.dataops.core.yaml.LinedYaml.line;

import io.dataops.core.yaml.LinedYaml;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
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

/**
 * Reads a feed contract from YAML. Every problem is reported as a {@link ContractException} naming the file, the
 * line and what is wrong, before any data is read.
 */
public final class ContractParser {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern IDENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Set<String> TOP_KEYS = Set.of("department", "dataset", "description", "format", "encoding",
      "header", "delimiter", "quote", "nullValues", "dateFormat", "timestampFormat", "primaryKey", "sheet",
      "maxRecordBytes", "columns", "schedule");
  private static final Set<String> COLUMN_KEYS =
      Set.of("name", "type", "required", "maxLength", "format", "personal", "description", "binaryAsUtf8");

  private final String source;
  private final LinedYaml nodes;

  private ContractParser(String source) {
    this.source = source;
    this.nodes = new LinedYaml(this::fail);
  }

  public static FeedContract parse(Path file) {
    String text = LinedYaml.readUtf8(file, "contract", (line, problem) -> new ContractException(file.toString(), line,
        problem));
    return parse(text, file.getFileName().toString());
  }

  public static FeedContract parse(String yaml, String sourceName) {
    return new ContractParser(sourceName).read(yaml);
  }

  private FeedContract read(String yaml) {
    Node root = nodes.compose(yaml, "YAML");
    if (!(root instanceof MappingNode top)) {
      throw fail(root == null ? 0 : line(root), "a contract is a mapping with at least 'columns'");
    }
    Map<String, NodeTuple> fields = nodes.fields(top, TOP_KEYS, "contract");

    String department = identifier(fields, "department");
    String dataset = identifier(fields, "dataset");
    String description = optionalText(fields, "description", null);
    FeedFormat format = FeedFormat.CSV;
    if (fields.containsKey("format")) {
      Node n = fields.get("format").getValueNode();
      try {
        format = FeedFormat.parse(nodes.scalar(n, "format"));
      } catch (IllegalArgumentException e) {
        throw fail(line(n), e.getMessage());
      }
    }
    Charset encoding = StandardCharsets.UTF_8;
    if (fields.containsKey("encoding")) {
      Node n = fields.get("encoding").getValueNode();
      String name = nodes.scalar(n, "encoding");
      try {
        encoding = Charset.forName(name);
      } catch (IllegalArgumentException e) {
        throw fail(line(n), "unknown encoding '" + name + "' (for example UTF-8, GBK, GB18030)");
      }
      java.util.Optional<String> why = TextEncodings.asciiIncompatibility(encoding);
      if (why.isPresent()) {
        throw fail(line(n), "encoding '" + name + "' cannot carry a feed: " + why.get() + " (feeds are framed by "
            + "their ASCII commas, quotes and line breaks; use UTF-8, GBK or GB18030)");
      }
    }
    boolean header = optionalBoolean(fields, "header", true);
    char delimiter = optionalChar(fields, "delimiter", ',');
    char quote = optionalChar(fields, "quote", '"');
    if (delimiter == quote || delimiter == '\n' || delimiter == '\r' || quote == '\n' || quote == '\r') {
      throw fail(line(fields.getOrDefault("delimiter", fields.get("quote")).getValueNode()),
          "delimiter and quote must be two different characters other than a line break");
    }
    checkFraming(fields, "delimiter", delimiter, encoding);
    checkFraming(fields, "quote", quote, encoding);
    List<String> nullValues = fields.containsKey("nullValues")
        ? nodes.stringList(fields.get("nullValues").getValueNode(), "nullValues")
        : FeedContract.defaultNullValues(format);
    String dateFormat = pattern(fields, "dateFormat", FeedContract.DEFAULT_DATE_FORMAT);
    String timestampFormat = pattern(fields, "timestampFormat", FeedContract.DEFAULT_TIMESTAMP_FORMAT);
    String sheet = optionalText(fields, "sheet", null);
    int maxRecordBytes = FeedContract.DEFAULT_MAX_RECORD_BYTES;
    if (fields.containsKey("maxRecordBytes")) {
      Node n = fields.get("maxRecordBytes").getValueNode();
      maxRecordBytes = nodes.positiveInt(n, "maxRecordBytes");
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
      ColumnSpec column = column(item, format);
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
      primaryKey = n instanceof ScalarNode ? List.of(nodes.scalar(n, "primaryKey")) : nodes.stringList(n, "primaryKey");
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
              c.description(), c.binaryAsUtf8()));
        }
      }
    }
    FeedSchedule schedule = fields.containsKey("schedule") ? schedule(fields.get("schedule").getValueNode()) : null;
    return new FeedContract(department, dataset, description, format, encoding, header, delimiter, quote,
        nullValues, dateFormat, timestampFormat, primaryKey, sheet, maxRecordBytes, columns, schedule);
  }

  /** {@code {every: day|week|month, dueDay: N}}: when the department promised its feeds. */
  private FeedSchedule schedule(Node node) {
    if (!(node instanceof MappingNode map)) {
      throw fail(line(node), "schedule is a mapping such as {every: month, dueDay: 5} (every: day, week or month)");
    }
    Map<String, NodeTuple> f = nodes.fields(map, Set.of("every", "dueDay"), "schedule");
    if (!f.containsKey("every")) {
      throw fail(line(node), "schedule has no 'every' (day, week or month)");
    }
    Node everyNode = f.get("every").getValueNode();
    String every = nodes.scalar(everyNode, "every");
    FeedSchedule.Every unit = switch (every) {
      case "day" -> FeedSchedule.Every.DAY;
      case "week" -> FeedSchedule.Every.WEEK;
      case "month" -> FeedSchedule.Every.MONTH;
      default -> throw fail(line(everyNode), "schedule every '" + every + "': expected day, week or month");
    };
    if (unit != FeedSchedule.Every.DAY && !f.containsKey("dueDay")) {
      throw fail(line(node), "a schedule every " + every + " names its dueDay (" + (unit == FeedSchedule.Every.WEEK
          ? "1 for Monday to 7 for Sunday" : "1 to 28") + ")");
    }
    Node dueNode = f.containsKey("dueDay") ? f.get("dueDay").getValueNode() : node;
    try {
      return new FeedSchedule(unit, f.containsKey("dueDay") ? nodes.positiveInt(dueNode, "dueDay") : 1);
    } catch (IllegalArgumentException e) {
      throw fail(line(dueNode), e.getMessage());
    }
  }

  private ColumnSpec column(Node item, FeedFormat feedFormat) {
    if (!(item instanceof MappingNode map)) {
      throw fail(line(item), "a column is a mapping with 'name' and 'type'");
    }
    Map<String, NodeTuple> f = nodes.fields(map, COLUMN_KEYS, "column");
    if (!f.containsKey("name")) {
      throw fail(line(item), "a column has no 'name'");
    }
    Node nameNode = f.get("name").getValueNode();
    String name = nodes.scalar(nameNode, "name");
    if (name.startsWith("_")) {
      throw fail(line(nameNode), "column '" + name + "': names starting with '_' are reserved for lineage columns");
    }
    if (!NAME.matcher(name).matches()) {
      throw fail(line(nameNode), "column '" + name + "': a name "
          + (tooLong(name, "[a-z][a-z0-9_]*") ? lengthProblem(name)
              : "is lower-case letters, digits and '_', starting with a letter, at most 63 characters"));
    }
    if (!f.containsKey("type")) {
      throw fail(line(item), "column '" + name + "' has no 'type' (expected " + ContractTypes.EXPECTED + ")");
    }
    Node typeNode = f.get("type").getValueNode();
    ColumnType type;
    try {
      type = ContractTypes.parse(nodes.scalar(typeNode, "type"));
    } catch (IllegalArgumentException e) {
      throw fail(line(typeNode), "column '" + name + "': " + e.getMessage());
    }
    boolean required = optionalBoolean(f, "required", false);
    Integer maxLength = null;
    if (f.containsKey("maxLength")) {
      Node n = f.get("maxLength").getValueNode();
      if (type.type() != ValueType.STRING) {
        throw fail(line(n), "column '" + name + "': maxLength applies to string columns only, this one is " + type);
      }
      maxLength = nodes.positiveInt(n, "maxLength");
    }
    String format = null;
    if (f.containsKey("format")) {
      Node n = f.get("format").getValueNode();
      if (type.type() != ValueType.DATE && type.type() != ValueType.TIMESTAMP) {
        throw fail(line(n), "column '" + name + "': format applies to date and timestamp columns only, this one is "
            + type);
      }
      format = checkedPattern(n, nodes.scalar(n, "format"));
    }
    PersonalData personal = null;
    if (f.containsKey("personal")) {
      Node n = f.get("personal").getValueNode();
      try {
        personal = PersonalData.parse(nodes.scalar(n, "personal"));
      } catch (IllegalArgumentException e) {
        throw fail(line(n), "column '" + name + "': " + e.getMessage());
      }
    }
    String description = optionalText(f, "description", null);
    boolean binaryAsUtf8 = optionalBoolean(f, "binaryAsUtf8", false);
    if (f.containsKey("binaryAsUtf8")) {
      // Only a Parquet column can be bytes where text is promised: elsewhere the option would be read as doing
      // something it does not.
      Node n = f.get("binaryAsUtf8").getValueNode();
      if (type.type() != ValueType.STRING) {
        throw fail(line(n), "column '" + name + "': binaryAsUtf8 applies to string columns only, this one is " + type);
      }
      if (feedFormat != FeedFormat.PARQUET) {
        throw fail(line(n), "column '" + name + "': binaryAsUtf8 applies to Parquet feeds only (a BINARY column "
            + "without the STRING annotation), this contract's format is " + feedFormat.spelling());
      }
    }
    return new ColumnSpec(name, type, required, maxLength, format, personal, description, binaryAsUtf8);
  }

  private String identifier(Map<String, NodeTuple> fields, String key) {
    if (!fields.containsKey(key)) {
      return null;
    }
    Node n = fields.get(key).getValueNode();
    String value = nodes.scalar(n, key);
    if (!IDENT.matcher(value).matches()) {
      throw fail(line(n), key + " '" + value + "' " + (tooLong(value, "[a-z0-9][a-z0-9_-]*") ? lengthProblem(value)
          : "must be lower-case letters, digits, '-' and '_'"));
    }
    return value;
  }

  /** A name of the allowed characters that fails only for its length (names become SQL identifiers: 63 at most). */
  private static boolean tooLong(String name, String characters) {
    return name.length() > 63 && name.matches(characters);
  }

  private static String lengthProblem(String name) {
    return "has " + name.length() + " characters, at most 63 are allowed";
  }

  private String optionalText(Map<String, NodeTuple> fields, String key, String fallback) {
    return fields.containsKey(key) ? nodes.scalar(fields.get(key).getValueNode(), key) : fallback;
  }

  private boolean optionalBoolean(Map<String, NodeTuple> fields, String key, boolean fallback) {
    if (!fields.containsKey(key)) {
      return fallback;
    }
    Node n = fields.get(key).getValueNode();
    String v = nodes.scalar(n, key).toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw fail(line(n), key + " must be true or false, not '" + v + "'");
    };
  }

  /** A delimiter or quote given in the contract frames its feeds byte by byte (see {@link TextEncodings}). */
  private void checkFraming(Map<String, NodeTuple> fields, String key, char c, Charset encoding) {
    if (!fields.containsKey(key)) {
      return;
    }
    int at = line(fields.get(key).getValueNode());
    if (c > 0x7e) {
      // A full-width comma (，) is an easy slip: refused here rather than at every landing (found by a probe).
      throw fail(at, key + " must be an ASCII character, not '" + c + "' (U+" + String.format("%04X", (int) c)
          + "): feeds are framed byte by byte");
    }
    if (TextEncodings.insideCharacters(encoding, c)) {
      throw fail(at, key + " '" + c + "' is also a byte inside characters of " + encoding.name() + " (in GBK, 瑋 is "
          + "0xAC 0x7C): rows would be split inside them; use ',', ';' or a tab, or send UTF-8");
    }
  }

  private char optionalChar(Map<String, NodeTuple> fields, String key, char fallback) {
    if (!fields.containsKey(key)) {
      return fallback;
    }
    Node n = fields.get(key).getValueNode();
    String v = nodes.scalar(n, key);
    if ("\\t".equals(v) || "tab".equalsIgnoreCase(v)) {
      return '\t';
    }
    if (v.length() != 1) {
      throw fail(line(n), key + " must be a single character, not '" + v + "'");
    }
    return v.charAt(0);
  }

  private String pattern(Map<String, NodeTuple> fields, String key, String fallback) {
    if (!fields.containsKey(key)) {
      return fallback;
    }
    Node n = fields.get(key).getValueNode();
    return checkedPattern(n, nodes.scalar(n, key));
  }

  private String checkedPattern(Node n, String pattern) {
    try {
      DateTimeFormatter.ofPattern(pattern);
      return pattern;
    } catch (IllegalArgumentException e) {
      throw fail(line(n), "'" + pattern + "' is not a date/time pattern (" + e.getMessage() + ")");
    }
  }

  private ContractException fail(int line, String problem) {
    return new ContractException(source, line, problem);
  }
}
