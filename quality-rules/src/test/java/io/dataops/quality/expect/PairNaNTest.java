package io.dataops.quality.expect;

import io.dataops.quality.QualityFixture;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A NaN in a column pair (landing refuses NaN, but a table written otherwise, a product's, may hold one): Double.compare
 * put NaN above every number, so "NaN > 1" passed. GX's pandas takes NaN as missing ({@code dropna} for
 * {@code ignore_row_if}) and a NaN left in compares False. Counts as pandas gives them on the same rows.
 */
class PairNaNTest extends QualityFixture {
  private static final double NAN = Double.NaN;

  @BeforeEach
  void nans() throws Exception {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "a", Types.DoubleType.get()),
        Types.NestedField.optional(3, "b", Types.DoubleType.get()));
    Table t = lakehouse.createOrLoad(table("nans"), schema, Map.of());
    // (a, b): NaN and a number, both NaN, a greater, a number and NaN, NaN and null
    Double[][] rows = {{NAN, 1.0}, {NAN, NAN}, {2.0, 1.0}, {1.0, NAN}, {NAN, null}};
    DataWriter<Record> w = Parquet.writeData(t.io().newOutputFile(t.locationProvider().newDataLocation("nans.parquet")))
        .schema(t.schema()).createWriterFunc(GenericParquetWriter::create).withSpec(t.spec()).overwrite().build();
    try (w) {
      for (int i = 0; i < rows.length; i++) {
        Record r = GenericRecord.create(t.schema());
        r.setField("id", (long) i + 1);
        r.setField("a", rows[i][0]);
        r.setField("b", rows[i][1]);
        w.write(r);
      }
    }
    DataFile file = w.toDataFile();
    t.newAppend().appendFile(file).commit();
  }

  @Test
  void aNanIsMissingAndComparesFalse() {
    // pandas: d.dropna(how="all", subset=[a, b]) keeps rows 1, 3, 4; (a > b) is False at 1 and 4.
    counts(result("nans", "expect_column_pair_values_a_to_be_greater_than_b", "{column_A: a, column_B: b}"),
        false, 2, 2);
    counts(result("nans", "expect_column_pair_values_to_be_equal", "{column_A: a, column_B: b}"), false, 2, 3);
    // dropna(how="any") keeps row 3 alone.
    counts(result("nans", "expect_column_pair_values_a_to_be_greater_than_b",
        "{column_A: a, column_B: b, ignore_row_if: either_value_is_missing}"), true, 4, 0);
    counts(result("nans", "expect_column_pair_values_a_to_be_greater_than_b",
        "{column_A: a, column_B: b, or_equal: true, ignore_row_if: neither}"), false, 0, 4);
  }
}
