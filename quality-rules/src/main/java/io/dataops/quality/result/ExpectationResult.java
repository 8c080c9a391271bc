package io.dataops.quality.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dataops.quality.suite.Expectation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One expectation's outcome, shaped like Great Expectations' {@code ExpectationValidationResult}: {@code success},
 * {@code expectation_config}, {@code result} (element_count, unexpected_count, unexpected_percent,
 * partial_unexpected_list, observed_value, ...), {@code meta} and {@code exception_info}. Values in
 * {@code result} are already masked where the column holds personal data.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExpectationResult(
    @JsonProperty("success") boolean success,
    @JsonProperty("expectation_config") Config expectationConfig,
    @JsonProperty("result") Map<String, Object> result,
    @JsonProperty("meta") Map<String, Object> meta,
    @JsonProperty("exception_info") ExceptionInfo exceptionInfo) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Config(@JsonProperty("type") String type, @JsonProperty("kwargs") Map<String, Object> kwargs,
                       @JsonProperty("meta") Map<String, Object> meta, @JsonProperty("id") String id,
                       @JsonProperty("severity") String severity) {
    public static Config of(Expectation e) {
      return new Config(e.type(), e.kwargs(), e.meta().isEmpty() ? null : e.meta(), e.id(), e.severity().spelling());
    }
  }

  public record ExceptionInfo(@JsonProperty("raised_exception") boolean raisedException,
                              @JsonProperty("exception_message") String exceptionMessage,
                              @JsonProperty("exception_traceback") String exceptionTraceback) {}

  public static ExpectationResult of(Expectation e, boolean success, Map<String, Object> result) {
    return new ExpectationResult(success, Config.of(e), result, new LinkedHashMap<>(), null);
  }

  public static ExpectationResult error(Expectation e, String message) {
    return new ExpectationResult(false, Config.of(e), new LinkedHashMap<>(), new LinkedHashMap<>(),
        new ExceptionInfo(true, message, null));
  }
}
