package io.dataops.lakehouse.sample;

import io.dataops.lakehouse.contract.FeedFormat;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Defects the generator can plant. A contract violation makes the row unlandable (it must be quarantined); a
 * quality defect lands (the contract is kept) but breaks a quality rule, such as a wrong ID check character.
 */
public enum Defect {
  MISSING_REQUIRED(true, EnumSet.allOf(FeedFormat.class)),
  BAD_DATE(true, EnumSet.of(FeedFormat.CSV, FeedFormat.JSONL, FeedFormat.XLSX)),
  BAD_NUMBER(true, EnumSet.of(FeedFormat.CSV, FeedFormat.JSONL, FeedFormat.XLSX)),
  TOO_LONG(true, EnumSet.allOf(FeedFormat.class)),
  COLUMN_COUNT(true, EnumSet.of(FeedFormat.CSV)),
  UNDECODABLE(true, EnumSet.of(FeedFormat.CSV, FeedFormat.JSONL)),
  BAD_ID_CHECK(false, EnumSet.allOf(FeedFormat.class)),
  BAD_PHONE(false, EnumSet.allOf(FeedFormat.class)),
  NEGATIVE_AMOUNT(false, EnumSet.allOf(FeedFormat.class)),
  DUPLICATE_KEY(false, EnumSet.allOf(FeedFormat.class));

  private final boolean contractViolation;
  private final Set<FeedFormat> formats;

  Defect(boolean contractViolation, Set<FeedFormat> formats) {
    this.contractViolation = contractViolation;
    this.formats = formats;
  }

  public boolean isContractViolation() {
    return contractViolation;
  }

  public boolean appliesTo(FeedFormat format) {
    return formats.contains(format);
  }

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }
}
