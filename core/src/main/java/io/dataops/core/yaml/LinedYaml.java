package io.dataops.core.yaml;

import io.dataops.core.SourceLineException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * YAML (or JSON) read as SnakeYAML's node tree rather than as objects, so that every problem names its line: the
 * pieces the contract, suite and pipeline parsers share. Each problem is raised as the parser's own
 * {@link SourceLineException}.
 */
public final class LinedYaml {
  /** Makes the parser's exception for a problem at a line (0: the whole file). */
  @FunctionalInterface
  public interface Failure {
    SourceLineException at(int line, String problem);
  }

  private final Failure fail;

  public LinedYaml(Failure fail) {
    this.fail = fail;
  }

  /** A user's file as UTF-8 text; {@code kind} names it in the error ("contract", "pipeline"). */
  public static String readUtf8(Path file, String kind, Failure fail) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw fail.at(0, "a " + kind + " file must be UTF-8 text");
    } catch (IOException e) {
      throw fail.at(0, "cannot read the " + kind + " file (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * The document's root node (null for an empty document); a syntax error names its line. {@code format} names
   * what was expected in the message ("YAML", "JSON or YAML").
   */
  public Node compose(String text, String format) {
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      throw fail.at(line, "not valid " + format + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw fail.at(0, "not valid " + format + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** 1-based line where a node starts, 0 when unknown. */
  public static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  /**
   * A mapping's entries by key, refusing keys outside {@code known} (listing those) and keys given twice (which the
   * node tree, unlike a loaded map, keeps).
   */
  public Map<String, NodeTuple> fields(MappingNode map, Set<String> known, String what) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      if (!known.contains(key)) {
        throw fail.at(line(t.getKeyNode()), "unknown " + what + " key '" + key + "' (known: "
            + String.join(", ", new TreeSet<>(known)) + ")");
      }
      NodeTuple earlier = out.put(key, t);
      if (earlier != null) {
        throw fail.at(line(t.getKeyNode()), "key '" + key + "' appears twice (first at line "
            + line(earlier.getKeyNode()) + ")");
      }
    }
    return out;
  }

  public String scalar(Node n, String what) {
    if (!(n instanceof ScalarNode s)) {
      throw fail.at(line(n), what + " must be a single value");
    }
    return s.getValue();
  }

  public List<String> stringList(Node n, String what) {
    if (!(n instanceof SequenceNode seq)) {
      throw fail.at(line(n), what + " must be a list");
    }
    List<String> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      out.add(scalar(item, what));
    }
    return out;
  }

  public int positiveInt(Node n, String what) {
    String v = scalar(n, what);
    try {
      int value = Integer.parseInt(v);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw fail.at(line(n), what + " must be a positive whole number, not '" + v + "'");
  }
}
