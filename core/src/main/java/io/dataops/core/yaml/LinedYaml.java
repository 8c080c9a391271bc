package io.dataops.core.yaml;

import io.dataops.core.BadInputException;
import io.dataops.core.SourceLineException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

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

  /**
   * The most a user's file may hold: far above any real contract, suite, pipeline or application (a suite listing
   * every township code of the country is about a megabyte), far below what the heap holds as text and node tree.
   */
  public static final int MAX_BYTES = 8 << 20;

  /**
   * {@code file} if it is a regular file; else the refusal a command gives before reading it: "no pipeline file at X"
   * where nothing is, and what is there instead where something else is (a folder, a device or a pipe was said to be
   * missing: found by a probe).
   */
  public static java.nio.file.Path requireFile(java.nio.file.Path file, String kind) {
    if (Files.isRegularFile(file)) {
      return file;
    }
    if (Files.exists(file)) {
      throw new io.dataops.core.BadInputException(file + " is not a file (a folder, a device or a pipe): the " + kind
          + " file must be a regular file");
    }
    throw new io.dataops.core.BadInputException("no " + kind + " file at " + file);
  }

  /**
   * A user's file as UTF-8 text; {@code kind} names it in the error ("contract", "pipeline"). Only a regular file of at
   * most {@link #MAX_BYTES}: a probe's {@code grant apply /dev/zero} (or a file of 300 MB) ended in Java's own
   * out-of-memory trace, and a named pipe waited for a writer forever.
   */
  public static String readUtf8(Path file, String kind, Failure fail) {
    String article = kind.matches("[aeiou].*") ? "an " : "a ";
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw fail.at(0, "not a file (a folder, a device or a pipe): " + article + kind + " file is a regular file");
    }
    byte[] bytes;
    try (var in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw fail.at(0, "cannot read the " + kind + " file (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_BYTES) {
      throw fail.at(0, article + kind + " file holds at most " + (MAX_BYTES >> 20) + " MB; this one is larger");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw fail.at(0, article + kind + " file must be UTF-8 text");
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
      // SnakeYAML's default stops at 3 MiB of code points, below MAX_BYTES, with "not valid YAML" (found by a probe).
      options.setCodePointLimit(MAX_BYTES);
      MarkedEvents events = new MarkedEvents(new ParserImpl(new StreamReader(text), options));
      try {
        return new Composer(events, new Resolver(), options).getSingleNode();
      } catch (MarkedYAMLException e) {
        throw e;
      } catch (YAMLException e) {
        // The composer's own limits (nesting depth, aliases of collections) carry no mark: the event it stopped at
        // names the line (found by a probe: an alias bomb in a suite was refused naming the file alone).
        int line = events.last == null ? 0 : events.last.getLine() + 1;
        throw fail.at(line, "not valid " + format + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      throw fail.at(line, "not valid " + format + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw fail.at(0, "not valid " + format + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** The parser's events as the composer takes them, remembering where the last one it looked at starts. */
  private static final class MarkedEvents implements Parser {
    private final Parser parser;
    private Mark last;

    MarkedEvents(Parser parser) {
      this.parser = parser;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return seen(parser.peekEvent());
    }

    @Override
    public Event getEvent() {
      return seen(parser.getEvent());
    }

    private Event seen(Event e) {
      if (e != null && e.getStartMark() != null) {
        last = e.getStartMark();
      }
      return e;
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

  /**
   * A single value, as text. YAML reads {@code null}, {@code ~} and {@code !!binary} as no value and as bytes, which
   * were taken as the text "null", "~" or the base64: a pipeline named null, a product "~" (a probe's application
   * named {@code scenario: null}). Refused, naming the quotes that make them text. An empty value ({@code key:}) is
   * left to the parser, which knows whether the key may be empty.
   */
  public String scalar(Node n, String what) {
    if (!(n instanceof ScalarNode s)) {
      throw fail.at(line(n), what + " must be a single value");
    }
    boolean binary = Tag.BINARY.equals(s.getTag());
    if (binary || Tag.NULL.equals(s.getTag()) && !s.getValue().isEmpty()) {
      throw fail.at(line(n), what + " is " + (binary ? "binary" : "null") + " in YAML, not text: quote it if '"
          + BadInputException.shown(s.getValue(), 40) + "' is what you mean");
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
