package io.dataops.platform.serve;

import io.dataops.pipelines.definition.PipelineParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The REST API's paths and the CLI command each one runs (read-only commands only). A path's parameters are checked
 * against what the CLI accepts before use, and each becomes one argument of its own.
 */
final class Routes {
  static final String PREFIX = "/api/v1/";
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

  private static final Map<String, List<String>> FIXED = Map.of(
      "products", List.of("product", "list"),
      "tables", List.of("table", "list"),
      "grants", List.of("grant", "list"),
      "feedback", List.of("feedback", "list"),
      "audit/verify", List.of("audit", "verify"));

  /** What a path asks for: a command's arguments, or why it is refused (400 bad parameter, 404 no such path). */
  record Route(List<String> command, int refusal, String reason) {
    static Route of(List<String> command) {
      return new Route(command, 0, null);
    }

    static Route refused(int status, String reason) {
      return new Route(null, status, reason);
    }
  }

  private Routes() {}

  /** The route of a raw path (still percent-encoded: an encoded '/' or '.' is no name character and is refused). */
  static Optional<Route> of(String rawPath) {
    if (!rawPath.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = rawPath.substring(PREFIX.length());
    List<String> fixed = FIXED.get(rest);
    if (fixed != null) {
      return Optional.of(Route.of(fixed));
    }
    String[] parts = rest.split("/", -1);
    if (parts.length == 3 && parts[0].equals("products")) {
      if (!PipelineParser.NAME.matcher(parts[1]).matches()) {
        return Optional.of(Route.refused(400, "a product name is lower-case letters, digits and '-', starting with "
            + "a letter, at most 63 characters"));
      }
      if (!VERSION.matcher(parts[2]).matches()) {
        return Optional.of(Route.refused(400, "a version is a positive whole number"));
      }
      return Optional.of(Route.of(List.of("product", "show", parts[1], parts[2])));
    }
    return Optional.empty();
  }
}
