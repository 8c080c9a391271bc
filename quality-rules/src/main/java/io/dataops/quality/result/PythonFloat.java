package io.dataops.quality.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.dataops.quality.engine.PythonRegex;
import java.io.IOException;

/**
 * A value GX holds as a Python float (a floating column's value, its min or max, a mean): in JSON it is a number
 * written as Python's repr ({@code 1.0}, {@code -0.0}, {@code 1e+22}, {@code 5e-324}), as GX's results are, where a
 * Double would be written the Java way ({@code 1.0E22}). Equal as Python's floats are in a Counter: -0.0 is 0.0.
 * NaN is null, as GX's {@code convert_to_json_serializable} makes it; an infinity stays Jackson's "Infinity" text
 * (GX's json.dumps writes a bare Infinity, which is no JSON).
 */
@JsonSerialize(using = PythonFloat.Json.class)
public final class PythonFloat extends Number {
  private static final long serialVersionUID = 1L;
  private final double value;

  public PythonFloat(double value) {
    this.value = value;
  }

  @Override
  public double doubleValue() {
    return value;
  }

  @Override
  public float floatValue() {
    return (float) value;
  }

  @Override
  public long longValue() {
    return (long) value;
  }

  @Override
  public int intValue() {
    return (int) value;
  }

  @Override
  public boolean equals(Object o) {
    // NaN equals NaN as a Double does, so a map of counts stays a map
    return o instanceof PythonFloat f && (f.value == value || Double.isNaN(f.value) && Double.isNaN(value));
  }

  @Override
  public int hashCode() {
    return value == 0 ? 0 : Double.hashCode(value);
  }

  /** Python's str(): reports and masking show the value as GX's would. */
  @Override
  public String toString() {
    return PythonRegex.floatText(value);
  }

  public static final class Json extends JsonSerializer<PythonFloat> {
    @Override
    public void serialize(PythonFloat f, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (Double.isNaN(f.value)) {
        gen.writeNull();
      } else if (Double.isInfinite(f.value)) {
        gen.writeNumber(f.value);
      } else {
        gen.writeNumber(PythonRegex.floatText(f.value));
      }
    }
  }
}
