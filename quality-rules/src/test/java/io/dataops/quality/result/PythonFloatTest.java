package io.dataops.quality.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonFloatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writtenAsPythonsRepr() throws Exception {
    List<PythonFloat> values = List.of(new PythonFloat(1.0), new PythonFloat(-0.0), new PythonFloat(1e22),
        new PythonFloat(Double.MIN_VALUE), new PythonFloat(0.1), new PythonFloat(1e-5));
    assertThat(JSON.writeValueAsString(values)).isEqualTo("[1.0,-0.0,1e+22,5e-324,0.1,1e-05]");
    assertThat(values.toString()).as("reports show them as GX's do").isEqualTo("[1.0, -0.0, 1e+22, 5e-324, 0.1, 1e-05]");
    assertThat(JSON.readTree(JSON.writeValueAsString(values)).get(2).asDouble()).isEqualTo(1e22);
  }

  @Test
  void nanIsNullAsGxConvertsIt() throws Exception {
    assertThat(JSON.writeValueAsString(List.of(new PythonFloat(Double.NaN)))).isEqualTo("[null]");
  }

  @Test
  void minusZeroCountsAsZeroAsInAPythonCounter() {
    Map<Object, Long> counts = new LinkedHashMap<>();
    for (double d : new double[] {-0.0, 0.0, 2.0}) {
      counts.merge(new PythonFloat(d), 1L, Long::sum);
    }
    assertThat(counts.toString()).isEqualTo("{-0.0=2, 2.0=1}");
  }
}
