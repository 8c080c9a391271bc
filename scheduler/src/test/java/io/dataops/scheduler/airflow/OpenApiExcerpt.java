package io.dataops.scheduler.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * One of the OpenAPI excerpts in {@code airflow-openapi/}: which operations exist, which statuses each declares, and
 * whether a JSON body fits a schema ({@code $ref}, {@code anyOf}, {@code nullable}, {@code type}, {@code enum},
 * {@code required}, {@code properties}, {@code additionalProperties: false}, {@code items}, and {@code readOnly}
 * properties refused in requests).
 */
final class OpenApiExcerpt {
  private final Map<String, Object> doc;
  private final String prefix;

  private OpenApiExcerpt(Map<String, Object> doc, String prefix) {
    this.doc = doc;
    this.prefix = prefix;
  }

  static OpenApiExcerpt of(AirflowApi api) {
    try (InputStream in = OpenApiExcerpt.class.getResourceAsStream("/airflow-openapi/" + api.label() + ".yaml")) {
      Map<String, Object> doc = new Yaml().load(in);
      // v1's paths are relative to its server URL; v2's are absolute.
      return new OpenApiExcerpt(doc, api == AirflowApi.V1 ? "/api/v1" : "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The operation at {@code METHOD /full/path/{template}}, or null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> operation(String method, String fullPath) {
    if (!fullPath.startsWith(prefix)) {
      return null;
    }
    Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
    Map<String, Object> item = (Map<String, Object>) paths.get(fullPath.substring(prefix.length()));
    return item == null ? null : (Map<String, Object>) item.get(method.toLowerCase(Locale.ROOT));
  }

  @SuppressWarnings("unchecked")
  List<String> checkResponse(String method, String fullPath, int status, JsonNode body) {
    Map<String, Object> op = operation(method, fullPath);
    if (op == null) {
      return List.of(method + " " + fullPath + " is not in the document");
    }
    Map<String, Object> responses = (Map<String, Object>) op.get("responses");
    Object schema = responses.get(String.valueOf(status));
    if (schema == null) {
      return List.of(method + " " + fullPath + " does not declare status " + status);
    }
    List<String> problems = new ArrayList<>();
    check(body, (Map<String, Object>) schema, "response", false, problems);
    return problems;
  }

  @SuppressWarnings("unchecked")
  List<String> checkRequest(String method, String fullPath, JsonNode body) {
    Map<String, Object> op = operation(method, fullPath);
    if (op == null) {
      return List.of(method + " " + fullPath + " is not in the document");
    }
    Map<String, Object> rb = (Map<String, Object>) op.get("requestBody");
    List<String> problems = new ArrayList<>();
    if (rb == null) {
      if (body != null) {
        problems.add(method + " " + fullPath + " takes no body");
      }
      return problems;
    }
    if (body == null) {
      problems.add(method + " " + fullPath + " requires a body");
      return problems;
    }
    check(body, (Map<String, Object>) rb.get("schema"), "request", true, problems);
    return problems;
  }

  /** The query parameters the operation declares. */
  @SuppressWarnings("unchecked")
  List<String> queryParameters(String method, String fullPath) {
    List<String> names = new ArrayList<>();
    for (Object p : (List<Object>) operation(method, fullPath).getOrDefault("parameters", List.of())) {
      Map<String, Object> m = (Map<String, Object>) p;
      if ("query".equals(m.get("in"))) {
        names.add((String) m.get("name"));
      }
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> resolve(Map<String, Object> schema) {
    Object ref = schema.get("$ref");
    if (ref == null) {
      return schema;
    }
    String name = ((String) ref).substring("#/components/schemas/".length());
    Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
    Map<String, Object> s = (Map<String, Object>) schemas.get(name);
    if (s == null) {
      throw new IllegalStateException("no schema " + name);
    }
    return resolve(s);
  }

  @SuppressWarnings("unchecked")
  private void check(JsonNode v, Map<String, Object> schema, String at, boolean request, List<String> problems) {
    schema = resolve(schema);
    if (schema.containsKey("anyOf")) {
      for (Object alt : (List<Object>) schema.get("anyOf")) {
        List<String> p = new ArrayList<>();
        check(v, (Map<String, Object>) alt, at, request, p);
        if (p.isEmpty()) {
          return;
        }
      }
      problems.add(at + ": fits none of anyOf");
      return;
    }
    boolean isNull = v == null || v.isNull();
    if (isNull && Boolean.TRUE.equals(schema.get("nullable"))) {
      return;
    }
    if (schema.containsKey("enum")) {
      List<Object> allowed = (List<Object>) schema.get("enum");
      Object value = isNull ? null : v.asText();
      if (!allowed.contains(value)) {
        problems.add(at + ": " + value + " is not one of " + allowed);
      }
      return;
    }
    String type = (String) schema.get("type");
    if (type == null) {
      return;
    }
    boolean fits = switch (type) {
      case "null" -> isNull;
      case "string" -> !isNull && v.isTextual();
      case "integer" -> !isNull && v.isIntegralNumber();
      case "number" -> !isNull && v.isNumber();
      case "boolean" -> !isNull && v.isBoolean();
      case "array" -> !isNull && v.isArray();
      case "object" -> !isNull && v.isObject();
      default -> throw new IllegalStateException("type " + type);
    };
    if (!fits) {
      problems.add(at + ": " + (isNull ? "null" : v.getNodeType()) + " is not " + type);
      return;
    }
    if (type.equals("array") && schema.containsKey("items")) {
      for (int i = 0; i < v.size(); i++) {
        check(v.get(i), (Map<String, Object>) schema.get("items"), at + "[" + i + "]", request, problems);
      }
    }
    if (type.equals("object")) {
      Map<String, Object> props = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
      for (Object r : (List<Object>) schema.getOrDefault("required", List.of())) {
        if (!v.has((String) r)) {
          problems.add(at + ": required field " + r + " is missing");
        }
      }
      for (var it = v.fields(); it.hasNext(); ) {
        var f = it.next();
        Map<String, Object> p = (Map<String, Object>) props.get(f.getKey());
        if (p == null) {
          if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
            problems.add(at + ": field " + f.getKey() + " is not allowed");
          }
          continue;
        }
        if (request && Boolean.TRUE.equals(p.get("readOnly"))) {
          problems.add(at + ": field " + f.getKey() + " is read-only");
        }
        check(f.getValue(), p, at + "." + f.getKey(), request, problems);
      }
    }
  }
}
