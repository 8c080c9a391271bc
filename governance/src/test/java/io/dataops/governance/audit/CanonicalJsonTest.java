package io.dataops.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void keysAreSortedAtEveryLevelAndNothingIsSpaced() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", List.of(true, false));
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("rows", 10L);
    outer.put("b", inner);
    outer.put("a", null);
    assertThat(CanonicalJson.write(outer)).isEqualTo("{\"a\":null,\"b\":{\"a\":[true,false],\"z\":1},\"rows\":10}");
  }

  @Test
  void numbersHaveOneSpelling() {
    assertThat(CanonicalJson.write(List.of(3, 3L, 3.0, 2.5, new BigDecimal("1.50"), -0.0, Double.NaN)))
        .isEqualTo("[3,3,3,2.5,1.5,0,\"NaN\"]");
  }

  @Test
  void stringsAreEscapedSoTheTextSurvivesEitherDatabase() throws Exception {
    String tricky = "福田\"\\\n\t\u0000\u001f" + "\ud83d\ude00" + "\ud800" + "x";
    String json = CanonicalJson.write(tricky);
    assertThat(json).isEqualTo("\"福田\\\"\\\\\\n\\t\\u0000\\u001f\ud83d\ude00\\ud800x\"");
    assertThat(new ObjectMapper().readValue(json, String.class)).isEqualTo(tricky);
  }

  @Test
  void keysThatCollideAsTextAreRefused() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1, "a");
    m.put("1", "b");
    assertThatThrownBy(() -> CanonicalJson.write(m)).isInstanceOf(IllegalArgumentException.class);
  }
}
