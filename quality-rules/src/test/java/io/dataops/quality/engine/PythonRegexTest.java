package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The translation must answer as Python 3.11's re.search does: cases.json holds Python's answers (or its re.error
 * message) for each pattern on each value, written by generate.py beside it.
 */
class PythonRegexTest {
  /** Taken by Python, refused here: conditional groups (Java has none) and the deprecated TEMPLATE flag. */
  static final Set<String> NOT_SUPPORTED = Set.of("(a)(?(1)a|b)", "(?t)a");

  @Test
  void answersAsPython() throws IOException {
    JsonNode doc;
    try (InputStream in = getClass().getResourceAsStream("/python-regex/cases.json")) {
      doc = new ObjectMapper().readTree(in);
    }
    List<String> values = new ArrayList<>();
    doc.get("values").forEach(v -> values.add(v.asText()));
    List<String> wrong = new ArrayList<>();
    for (JsonNode c : doc.get("cases")) {
      String p = c.get("pattern").asText();
      if (c.has("error")) {
        try {
          PythonRegex.compile(p);
          wrong.add(p + ": Python refuses (" + c.get("error").asText() + "), we took it");
        } catch (PythonRegex.Invalid e) {
          // A conditional group is refused with our own reason.
          if (!e.getMessage().contains(c.get("error").asText()) && !p.contains("(?(")) {
            wrong.add(p + ": Python says " + c.get("error").asText() + ", we said " + e.getMessage());
          }
        }
        continue;
      }
      Set<String> expected = new HashSet<>();
      c.get("matches").forEach(v -> expected.add(v.asText()));
      PythonRegex rx;
      try {
        rx = PythonRegex.compile(p);
      } catch (PythonRegex.Invalid e) {
        if (NOT_SUPPORTED.contains(p) && e.getMessage().contains("not supported here")) {
          continue;
        }
        wrong.add(p + ": Python takes it, we said " + e.getMessage());
        continue;
      }
      for (String v : values) {
        boolean found = new BoundedRegex(rx.pattern(), p).find(v);
        if (found != expected.contains(v)) {
          wrong.add(p + " on " + escape(v) + ": Python " + expected.contains(v) + ", we " + found
              + " (java: " + rx.pattern().pattern() + ")");
        }
      }
    }
    if (!wrong.isEmpty()) {
      fail(wrong.size() + " differences from Python:\n" + String.join("\n", wrong));
    }
  }

  @Test
  void refusalNamesThePatternAndPythonsReason() {
    assertThatThrownBy(() -> PythonRegex.compile("\\p{L}+"))
        .hasMessage("pattern '\\p{L}+' is not valid in Python's re: bad escape \\p at position 0");
    assertThatThrownBy(() -> PythonRegex.compile("(?<name>a)")).hasMessageContaining("unknown extension ?<n");
  }

  @Test
  void floatsReadAsPythonsStr() {
    assertThat(PythonRegex.floatText(1.0)).isEqualTo("1.0");
    assertThat(PythonRegex.floatText(1e16)).isEqualTo("1e+16");
    assertThat(PythonRegex.floatText(1e-5)).isEqualTo("1e-05");
    assertThat(PythonRegex.floatText(1.5e-5)).isEqualTo("1.5e-05");
    assertThat(PythonRegex.floatText(0.0001)).isEqualTo("0.0001");
    assertThat(PythonRegex.floatText(9999999999999998.0)).isEqualTo("9999999999999998.0");
    assertThat(PythonRegex.floatText(1e7)).isEqualTo("10000000.0");
    assertThat(PythonRegex.floatText(-2.5e100)).isEqualTo("-2.5e+100");
    assertThat(PythonRegex.floatText(-0.0)).isEqualTo("-0.0");
    assertThat(PythonRegex.floatText(0.1)).isEqualTo("0.1");
    assertThat(PythonRegex.floatText(123.456)).isEqualTo("123.456");
    assertThat(PythonRegex.floatText(Double.NaN)).isEqualTo("nan");
    assertThat(PythonRegex.floatText(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
  }

  private static String escape(String v) {
    StringBuilder b = new StringBuilder("'");
    v.codePoints().forEach(c -> b.append(c < 32 || c > 126 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return b.append("'").toString();
  }
}
