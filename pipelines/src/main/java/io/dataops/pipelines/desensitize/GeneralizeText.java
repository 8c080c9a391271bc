package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free text replaced by a category: the first category (in the order written) one of whose keywords the text
 * contains, else {@code otherwise}. The text itself never reaches the product.
 */
public record GeneralizeText(Map<String, List<String>> categories, String otherwise) implements ColumnPolicy {
  public GeneralizeText {
    if (categories == null || categories.isEmpty()) {
      throw new PolicyException("text categories need at least one category with keywords");
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    categories.forEach((k, v) -> {
      if (v == null || v.isEmpty() || v.stream().anyMatch(w -> w == null || w.isEmpty())) {
        throw new PolicyException("category '" + k + "' needs non-empty keywords");
      }
      copy.put(k, List.copyOf(v));
    });
    categories = java.util.Collections.unmodifiableMap(copy);
    otherwise = otherwise == null ? "其他" : otherwise;
  }

  @Override
  public String kind() {
    return "generalize";
  }

  @Override
  public String describe() {
    return "generalize text to categories " + categories.keySet() + " (else " + otherwise + ")";
  }

  @Override
  public ValueType outputType(ValueType input) {
    if (input != ValueType.STRING) {
      throw new PolicyException("text categories apply to string columns, not " + input.spelling());
    }
    return ValueType.STRING;
  }

  @Override
  public List<String> retains() {
    return List.of("category");
  }

  @Override
  public Object apply(Object value) {
    if (value == null) {
      return null;
    }
    String v = (String) value;
    for (Map.Entry<String, List<String>> c : categories.entrySet()) {
      for (String keyword : c.getValue()) {
        if (v.contains(keyword)) {
          return c.getKey();
        }
      }
    }
    return otherwise;
  }
}
