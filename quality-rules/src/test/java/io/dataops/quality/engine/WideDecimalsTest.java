package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.table.PreviewMask;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.testing.Rows;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Found by a tester: decimals whose unscaled value needs more than 64 bits (Parquet FIXED_LEN_BYTE_ARRAY, precisions
 * 19 to 38) were read as their low 64 bits, signed: max(amt) of a decimal(38,2) holding 123456789012345678901.23 was
 * 48071159228778590.19, a positive decimal(20,2) summed negative, and a sum rule with max 1e17 passed over values near
 * 1e20 (Iceberg's Arrow accessor, which the engine's decimal view called for these vectors, keeps a long). Values
 * past 2^63 unscaled of both signs, at 2^64 (whose low 64 bits are 0), at +-2^63 and near 10^38, with values that fit
 * a long in the same columns.
 */
class WideDecimalsTest extends QualityFixture {
  private static final String A = "123456789012345678901.23";
  /** A plus 2^64 unscaled: the same low 64 bits as A. */
  private static final String A_PLUS_2_64 = "123641256453082774417.39";
  private static final String TOP = "999999999999999999999999999999999999.99"; // 38 digits
  private static final String[] AMT = {A, A_PLUS_2_64, "-" + A, "92233720368547758.08", "-92233720368547758.09",
      "5.00", "-0.01", "0.00"};
  private static final String[] SMALL = {"123456789012345678.91", "-123456789012345678.91", "999999999999999999.99",
      "-999999999999999999.99", "92233720368547758.08", "-92233720368547758.09", "92233720368547758.07", "-0.01"};
  private static final String[] EDGE = {TOP, "-" + TOP, "0.01", "-0.01", "184467440737095516.16",
      "-184467440737095516.17", "92233720368547758.07", "-92233720368547758.08"};
  private static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: amt, type: "decimal(38,2)"}
        - {name: small, type: "decimal(20,2)"}
        - {name: edge, type: "decimal(38,2)"}
      """;
  private static final String SUITE = """
      name: wide
      expectations:
        - {type: expect_column_min_to_be_between, kwargs: {column: amt}}
        - {type: expect_column_max_to_be_between, kwargs: {column: amt}}
        - {type: expect_column_sum_to_be_between, kwargs: {column: amt}}
        - {type: expect_column_mean_to_be_between, kwargs: {column: amt}}
        - {type: expect_column_min_to_be_between, kwargs: {column: small}}
        - {type: expect_column_max_to_be_between, kwargs: {column: small}}
        - {type: expect_column_sum_to_be_between, kwargs: {column: small}}
        - {type: expect_column_mean_to_be_between, kwargs: {column: small}}
        - {type: expect_column_min_to_be_between, kwargs: {column: edge}}
        - {type: expect_column_max_to_be_between, kwargs: {column: edge}}
        - {type: expect_column_sum_to_be_between, kwargs: {column: amt, max_value: 1e17}}
        - {type: expect_column_values_to_be_between, kwargs: {column: small, min_value: -1e17, max_value: 1e17, result_format: COMPLETE}}
        - {type: expect_column_values_to_be_between, kwargs: {column: amt, min_value: 0, max_value: 1.235e20, result_format: COMPLETE}}
        - {type: expect_column_values_to_be_between, kwargs: {column: edge, min_value: -1e18, max_value: 1e18, result_format: COMPLETE}}
        - {type: expect_column_values_to_be_unique, kwargs: {column: amt}}
        - {type: expect_column_values_to_be_in_set, kwargs: {column: amt, value_set: [123456789012345678901.23, 5.00, -0.01, 0]}}
      """;

  @Test
  void decimalsPastSixtyFourBitsAreReadWhole() throws Exception {
    StringBuilder csv = new StringBuilder("id,amt,small,edge\n");
    for (int i = 0; i < AMT.length; i++) {
      csv.append(i + 1).append(',').append(AMT[i]).append(',').append(SMALL[i]).append(',').append(EDGE[i])
          .append('\n');
    }
    land("wide", CONTRACT, csv.toString());
    QualityReport report = run("wide", SUITE);
    JsonNode results = json(report.validation()).get("results");

    stats(results, 0, AMT);
    stats(results, 4, SMALL);
    assertThat(observed(results, 8)).as("min(edge)").isEqualTo(new BigDecimal("-" + TOP).doubleValue());
    assertThat(observed(results, 9)).as("max(edge)").isEqualTo(new BigDecimal(TOP).doubleValue());
    assertThat(results.get(10).get("success").asBoolean()).as("sum(amt) <= 1e17").isFalse();

    unexpected(report, results, 11, "small", SMALL[0], SMALL[1], SMALL[2], SMALL[3]);
    unexpected(report, results, 12, "amt", A_PLUS_2_64, "-" + A, AMT[4], AMT[6]);
    unexpected(report, results, 13, "edge", TOP, "-" + TOP);
    assertThat(results.get(14).get("success").asBoolean()).as("A and A + 2^64 differ").isTrue();
    // The set's members are floats, which a Decimal equals only exactly (as in GX's pandas): 5.00 and 0.00 are in
    // it, not A (1.2345678901234568e20 is another number) nor -0.01 (the float is -0.01000000000000000020...).
    assertThat(results.get(15).at("/result/unexpected_count").asLong()).as("in set").isEqualTo(6);
  }

  /** min, max, sum and mean at results {@code at}.. of a column holding {@code values}. */
  private static void stats(JsonNode results, int at, String[] values) {
    BigDecimal min = null;
    BigDecimal max = null;
    BigDecimal sum = BigDecimal.ZERO;
    for (String v : values) {
      BigDecimal d = new BigDecimal(v);
      min = min == null || d.compareTo(min) < 0 ? d : min;
      max = max == null || d.compareTo(max) > 0 ? d : max;
      sum = sum.add(d);
    }
    assertThat(observed(results, at)).as("min").isEqualTo(min.doubleValue());
    assertThat(observed(results, at + 1)).as("max").isEqualTo(max.doubleValue());
    // Sums of doubles: exact to the rounding of the largest values added (2^-52 of 1e18 is 222).
    double mean = sum.doubleValue() / values.length;
    assertThat(observed(results, at + 2)).as("sum").isCloseTo(sum.doubleValue(), within(1e-14 * max.abs()
        .max(min.abs()).doubleValue() * values.length));
    assertThat(observed(results, at + 3)).as("mean").isCloseTo(mean, within(1e-14 * max.abs().max(min.abs())
        .doubleValue()));
  }

  private static double observed(JsonNode results, int i) {
    JsonNode v = results.get(i).at("/result/observed_value");
    assertThat(v.isNumber()).as(results.get(i).toString()).isTrue();
    return v.asDouble();
  }

  /**
   * The between rule's unexpected values: as numbers in the result, and exactly as text in the row failures (both
   * masked where the platform takes them for identifiers).
   */
  private void unexpected(QualityReport report, JsonNode results, int i, String column, String... values) {
    JsonNode r = results.get(i).get("result");
    assertThat(results.get(i).get("success").asBoolean()).isFalse();
    assertThat(r.get("unexpected_count").asLong()).as(column).isEqualTo(values.length);
    List<Object> shown = new ArrayList<>();
    r.get("unexpected_list").forEach(n -> shown.add(n.isNumber() ? (Object) n.asDouble() : n.asText()));
    List<Object> expected = new ArrayList<>();
    Set<String> exact = new TreeSet<>();
    for (String v : values) {
      // Values that look like an identifier (a card number...) are shown masked, as text.
      String masked = PreviewMask.maskIdentifiers(v);
      expected.add(masked.equals(v) ? (Object) new BigDecimal(v).doubleValue() : masked);
      exact.add(masked);
    }
    assertThat(shown).as(column).containsExactlyInAnyOrderElementsOf(expected);
    Set<String> recorded = new TreeSet<>();
    for (Record rec : Rows.of(lakehouse.load(QualityRunner.ROW_FAILURES))) {
      if (report.runId().equals(rec.getField("run_id"))
          && "expect_column_values_to_be_between".equals(rec.getField("expectation_type"))
          && column.equals(rec.getField("columns"))) {
        recorded.add((String) rec.getField("value"));
      }
    }
    assertThat(recorded).as(column + " row failures").isEqualTo(exact);
  }

  /**
   * Dictionary pages of FIXED_LEN_BYTE_ARRAY decimals (Parquet v2 writers dictionary-encode them; Iceberg's own writer,
   * v1, does not) come as ids, where Iceberg's accessor keeps 64 bits too: read from the page's dictionary instead.
   * Every read of a value (a number, its text, its key) on a file of few distinct values, wide and narrow.
   */
  @Test
  void dictionaryPagesOfWideDecimalsAreReadWhole() throws Exception {
    Schema schema = new Schema(Types.NestedField.optional(1, "amt", Types.DecimalType.of(38, 2)),
        Types.NestedField.optional(2, "small", Types.DecimalType.of(20, 2)));
    org.apache.iceberg.io.OutputFile out = org.apache.iceberg.Files.localOutput(dir.resolve("dict.parquet").toFile());
    int rows = 3000;
    try (org.apache.iceberg.io.FileAppender<Record> w = org.apache.iceberg.parquet.Parquet.write(out).schema(schema)
        .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
        .writerVersion(org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_2_0).build()) {
      for (int i = 0; i < rows; i++) {
        Record r = GenericRecord.create(schema);
        r.setField("amt", i % 9 == 8 ? null : new BigDecimal(EDGE[i % 8]));
        r.setField("small", new BigDecimal(SMALL[i % 8]));
        w.add(r);
      }
    }
    int read = 0;
    try (var batches = org.apache.iceberg.formats.FormatModelRegistry
        .<org.apache.iceberg.arrow.vectorized.ColumnarBatch, Object>readBuilder(org.apache.iceberg.FileFormat.PARQUET,
            org.apache.iceberg.arrow.vectorized.ColumnarBatch.class,
            org.apache.iceberg.Files.localInput(dir.resolve("dict.parquet").toFile()))
        .project(schema).recordsPerBatch(1000).reuseContainers().build()) {
      for (var batch : batches) {
        for (int c = 0; c < 2; c++) {
          assertThat(batch.column(c).getFieldVector()).as("dictionary ids")
              .isInstanceOf(org.apache.arrow.vector.IntVector.class);
          ColumnView view = ArrowBatch.view(batch.column(c), schema.columns().get(c).type());
          for (int row = 0; row < batch.numRows(); row++) {
            int i = read + row;
            if (c == 0 && i % 9 == 8) {
              assertThat(view.isNull(row)).isTrue();
              continue;
            }
            BigDecimal want = new BigDecimal((c == 0 ? EDGE : SMALL)[i % 8]);
            assertThat(view.isNull(row)).isFalse();
            assertThat(view.getDecimal(row)).as("row " + i).isEqualTo(want);
            assertThat(view.getDouble(row)).isEqualTo(want.doubleValue());
            assertThat(view.getString(row)).isEqualTo(want.toPlainString());
            KeyBuffer key = new KeyBuffer();
            view.appendKey(row, key);
            KeyBuffer expectedKey = new KeyBuffer();
            byte[] b = want.unscaledValue().toByteArray();
            expectedKey.put(b, 0, b.length);
            assertThat(java.util.Arrays.copyOf(key.array(), key.length()))
                .isEqualTo(java.util.Arrays.copyOf(expectedKey.array(), expectedKey.length()));
          }
        }
        read += batch.numRows();
      }
    }
    assertThat(read).isEqualTo(rows);
  }
}
