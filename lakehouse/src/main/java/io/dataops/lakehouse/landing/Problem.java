package io.dataops.lakehouse.landing;

/**
 * Why a row could not be landed. {@code rule} is a stable code for counting and reports, {@code column} the
 * contract column concerned (null for the whole row), {@code message} a sentence that never repeats the value.
 */
public record Problem(String rule, String column, String message) {
  public static final String COLUMN_COUNT = "column_count";
  public static final String MISSING_REQUIRED = "missing_required";
  public static final String BAD_VALUE = "bad_value";
  public static final String TOO_LONG = "too_long";
  public static final String UNDECODABLE = "undecodable";
  public static final String UNTERMINATED_QUOTE = "unterminated_quote";
  public static final String RECORD_TOO_LONG = "record_too_long";
  public static final String MALFORMED_RECORD = "malformed_record";
  public static final String UNEXPECTED_FIELD = "unexpected_field";
}
