package io.dataops.lakehouse.sample;

import io.dataops.lakehouse.contract.FeedFormat;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * What to generate. {@code offset} is the index of the first row (a later feed of new records starts where the
 * last one ended); {@code population} and {@code enterprises} are the sizes of the linked registries.
 */
public record GenerateRequest(SampleDataset dataset, long rows, Path out, FeedFormat format, Charset encoding,
                              double defectRate, long seed, long offset, long population, long enterprises,
                              boolean crlf) {
  public GenerateRequest {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative");
    }
    if (!(defectRate >= 0 && defectRate <= 1)) { // NaN too: it planted defects at a rate nobody asked for
      throw new IllegalArgumentException("defect rate must be between 0 and 1");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative (it is the index of the first row)");
    }
    if (population < 1 || enterprises < 1) {
      throw new IllegalArgumentException("population and enterprises must be at least 1");
    }
  }
}
