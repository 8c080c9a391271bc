package io.dataops.quality.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A suite's outcome on one table snapshot, shaped like Great Expectations' {@code ExpectationSuiteValidationResult}.
 * {@code success} is false when an expectation of severity error failed; failing warnings are counted in
 * {@code statistics} and listed in {@code results} but do not fail the suite.
 */
public record ValidationResult(
    @JsonProperty("success") boolean success,
    @JsonProperty("results") List<ExpectationResult> results,
    @JsonProperty("suite_name") String suiteName,
    @JsonProperty("suite_parameters") Map<String, Object> suiteParameters,
    @JsonProperty("statistics") Statistics statistics,
    @JsonProperty("meta") Map<String, Object> meta) {

  public record Statistics(@JsonProperty("evaluated_expectations") int evaluated,
                           @JsonProperty("successful_expectations") int successful,
                           @JsonProperty("unsuccessful_expectations") int unsuccessful,
                           @JsonProperty("success_percent") Double successPercent) {
    public static Statistics of(List<ExpectationResult> results) {
      int ok = (int) results.stream().filter(ExpectationResult::success).count();
      return new Statistics(results.size(), ok, results.size() - ok,
          results.isEmpty() ? null : 100.0 * ok / results.size());
    }
  }
}
