package io.dataops.pipelines.desensitize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.types.ValueType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneralizeTest {
  @Test
  void datesBecomeYearsMonthsOrAgeBandsAsOfAFixedDay() {
    LocalDate asOf = LocalDate.of(2026, 11, 28);
    assertThat(new GeneralizeDate(GeneralizeDate.Unit.YEAR, 0, null).apply(LocalDate.of(1985, 3, 7))).isEqualTo(1985);
    for (int y : new int[] {1799, 1800, 2199, 2200, 9999}) { // inside and outside the years boxed once
      assertThat(new GeneralizeDate(GeneralizeDate.Unit.YEAR, 0, null).apply(LocalDate.of(y, 1, 1))).isEqualTo(y);
    }
    assertThat(new GeneralizeDate(GeneralizeDate.Unit.YEAR, 0, null).outputType(ValueType.DATE)).isEqualTo(ValueType.INT);
    assertThat(new GeneralizeDate(GeneralizeDate.Unit.MONTH, 0, null).apply(LocalDateTime.of(1985, 3, 7, 23, 0)))
        .isEqualTo("1985-03");
    assertThat(new GeneralizeDate(GeneralizeDate.Unit.MONTH, 0, null)
        .apply(OffsetDateTime.of(2026, 1, 31, 17, 0, 0, 0, ZoneOffset.UTC))).as("read in China time: 1 Feb 01:00")
        .isEqualTo("2026-02");
    GeneralizeDate band = new GeneralizeDate(GeneralizeDate.Unit.AGE_BAND, 10, asOf);
    assertThat(band.apply(LocalDate.of(1985, 3, 7))).isEqualTo("40-49");
    assertThat(band.apply(LocalDate.of(1986, 11, 29))).as("39 until tomorrow").isEqualTo("30-39");
    assertThat(band.apply(LocalDate.of(1986, 11, 28))).isEqualTo("40-49");
    assertThat(band.apply(asOf)).isEqualTo("0-9");
    assertThat(new GeneralizeDate(GeneralizeDate.Unit.AGE_BAND, 1, asOf).apply(LocalDate.of(2000, 1, 1))).isEqualTo("26");
    assertThatThrownBy(() -> band.apply(LocalDate.of(2027, 1, 1))).isInstanceOf(UnfitValueException.class);
    assertThatThrownBy(() -> new GeneralizeDate(GeneralizeDate.Unit.AGE_BAND, 10, null)).hasMessageContaining("asOf");
    assertThatThrownBy(() -> band.outputType(ValueType.STRING))
        .hasMessage("date generalization applies to date and timestamp columns, not string");
  }

  @Test
  void numbersBecomeBuckets() {
    GeneralizeNumber width = new GeneralizeNumber(new BigDecimal("1000"), null);
    assertThat(width.apply(new BigDecimal("3456.78"))).isEqualTo("[3000,4000)");
    assertThat(width.apply(-1L)).isEqualTo("[-1000,0)");
    assertThat(width.apply(4000)).isEqualTo("[4000,5000)");
    assertThat(width.apply(2.5d)).isEqualTo("[0,1000)");
    GeneralizeNumber cuts = new GeneralizeNumber(null, List.of(BigDecimal.ZERO, new BigDecimal("3000"),
        new BigDecimal("10000")));
    assertThat(cuts.apply(new BigDecimal("-0.01"))).isEqualTo("<0");
    assertThat(cuts.apply(new BigDecimal("0"))).isEqualTo("[0,3000)");
    assertThat(cuts.apply(new BigDecimal("9999.99"))).isEqualTo("[3000,10000)");
    assertThat(cuts.apply(new BigDecimal("10000"))).isEqualTo(">=10000");
    assertThatThrownBy(() -> new GeneralizeNumber(null, List.of(BigDecimal.TEN, BigDecimal.ONE)))
        .hasMessage("bucket boundaries must be strictly ascending");
    assertThatThrownBy(() -> cuts.outputType(ValueType.STRING)).hasMessageContaining("numeric columns");
  }

  @Test
  void regionCodesKeepTheirWidth() {
    assertThat(new GeneralizeRegion(GeneralizeRegion.Level.CITY).apply("440304")).isEqualTo("440300");
    assertThat(new GeneralizeRegion(GeneralizeRegion.Level.PROVINCE).apply("440304")).isEqualTo("440000");
    assertThat(new GeneralizeRegion(GeneralizeRegion.Level.COUNTY).apply("440304008003")).isEqualTo("440304000000");
    assertThat(new GeneralizeRegion(GeneralizeRegion.Level.TOWNSHIP).apply("440304008003")).isEqualTo("440304008000");
    assertThat(new GeneralizeRegion(GeneralizeRegion.Level.TOWNSHIP).apply("440304")).isEqualTo("440304");
    assertThat(GeneralizeRegion.Level.parse("district")).isEqualTo(GeneralizeRegion.Level.COUNTY);
    assertThatThrownBy(() -> new GeneralizeRegion(GeneralizeRegion.Level.CITY).apply("44030"))
        .isInstanceOf(UnfitValueException.class);
    assertThatThrownBy(() -> new GeneralizeRegion(GeneralizeRegion.Level.CITY).apply("44O304"))
        .isInstanceOf(UnfitValueException.class);
  }

  @Test
  void freeTextBecomesACategory() {
    Map<String, List<String>> c = new LinkedHashMap<>();
    c.put("餐饮", List.of("餐", "饭", "食"));
    c.put("零售", List.of("超市", "便利店"));
    GeneralizeText t = new GeneralizeText(c, null);
    assertThat(t.apply("福田区好味道餐厅")).isEqualTo("餐饮");
    assertThat(t.apply("24小时便利店")).isEqualTo("零售");
    assertThat(t.apply("律师事务所")).isEqualTo("其他");
    assertThat(t.apply("")).isEqualTo("其他");
    assertThat(new Suppress().apply("x")).isNull();
    assertThat(new Remove().keepsColumn()).isFalse();
  }
}
