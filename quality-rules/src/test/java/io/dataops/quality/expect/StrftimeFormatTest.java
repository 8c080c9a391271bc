package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * StrftimeFormat against CPython 3.11's datetime.strptime on the same (value, format) pairs
 * ({@code strptime/strptime-cases.jsonl}, made by {@code strptime/generate.py}), and the formats GX 1.2 refuses.
 */
class StrftimeFormatTest {
  @Test
  void agreesWithPythonsStrptime() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, StrftimeFormat> formats = new HashMap<>();
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    int refusals = 0;
    try (InputStream in = getClass().getResourceAsStream("/strptime/strptime-cases.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        JsonNode c = json.readTree(line);
        String f = c.get("f").asText();
        if (c.has("refused")) {
          refusals++;
          try {
            StrftimeFormat.compile(f);
            wrong.add("compiled '" + f + "' (Python: " + c.get("refused").asText() + ")");
          } catch (IllegalArgumentException expected) {
            // refused, as GX refuses it
          }
          continue;
        }
        cases++;
        String v = c.get("v").asText();
        boolean ok = formats.computeIfAbsent(f, StrftimeFormat::compile).matches(v);
        if (ok != c.get("ok").asBoolean()) {
          wrong.add((ok ? "accepted " : "refused ") + "'" + v + "' for '" + f + "'");
        }
      }
    }
    assertThat(cases).isGreaterThan(10_000);
    assertThat(refusals).isGreaterThan(10);
    assertThat(wrong).isEmpty();
  }

  @Test
  void probeCases() {
    assertThat(StrftimeFormat.compile("%Y-%m-%d").matches("2024-1-5")).isTrue();
    assertThat(StrftimeFormat.compile("%d %b %Y").matches("05 jan 2024")).isTrue();
    assertThat(StrftimeFormat.compile("%d %b %Y").matches("5 JAN 2024")).isTrue();
    assertThat(StrftimeFormat.compile("%H:%M:%S.%f").matches("12:00:00.5")).isTrue();
    assertThat(StrftimeFormat.compile("%Y-%m-%d %H:%M").matches("2024-01-05  12:00")).isTrue();
    // 2024-01-02 is a Tuesday: as in Python, the weekday name is read but not checked against the date.
    assertThat(StrftimeFormat.compile("%a %Y-%m-%d").matches("Mon 2024-01-02")).isTrue();
    StrftimeFormat iso = StrftimeFormat.compile("%Y-%m-%dT%H:%M:%S%z");
    assertThat(iso.matches("2024-01-05T12:00:00+08:00")).isTrue();
    assertThat(iso.matches("2024-01-05T12:00:00Z")).isTrue();
    assertThat(iso.matches("2024-01-05t12:00:00Z")).isTrue();
    assertThat(iso.matches("2024-01-05T12:00:00z")).isFalse(); // %z's Z is case-sensitive
    assertThat(iso.matches("2024-01-05T12:00:00+08:0000")).isFalse(); // Inconsistent use of :
    StrftimeFormat date = StrftimeFormat.compile("%Y-%m-%d");
    assertThat(date.matches("0000-01-01")).isFalse();
    assertThat(date.matches("-2024-01-05")).isFalse();
    assertThat(date.matches("２０２４-01-05")).isTrue(); // Python's \d and int() take any decimal digit
    assertThat(StrftimeFormat.compile("%m-%d").matches("02-29")).isFalse(); // default year 1900
    assertThat(StrftimeFormat.compile("%H:%M:%S").matches("12:00:60")).isFalse();
  }

  @Test
  void refusesWhatPythonCannotCompile() {
    assertThatThrownBy(() -> StrftimeFormat.compile("%Q")).hasMessage("'Q' is a bad directive in format '%Q'");
    assertThatThrownBy(() -> StrftimeFormat.compile("%Y%")).hasMessage("stray % in format '%Y%'");
    assertThatThrownBy(() -> StrftimeFormat.compile("% d")).hasMessage("'%' is a bad directive in format '% d'");
    assertThatThrownBy(() -> StrftimeFormat.compile("%Y %Y")).hasMessageContaining("redefinition of group name 'Y'");
  }
}
