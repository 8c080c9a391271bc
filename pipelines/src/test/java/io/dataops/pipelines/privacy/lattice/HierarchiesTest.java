package io.dataops.pipelines.privacy.lattice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.desensitize.GeneralizeDate;
import io.dataops.pipelines.desensitize.GeneralizeNumber;
import io.dataops.pipelines.desensitize.GeneralizeRegion;
import io.dataops.pipelines.desensitize.Keep;
import io.dataops.pipelines.desensitize.Mask;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HierarchiesTest {
  /** Every level of {@code h} for {@code v}, level 0 first. */
  private static List<String> ladder(Hierarchy h, String v) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < h.height(); i++) {
      out.add(h.generalize(v, i));
    }
    return out;
  }

  @Test
  void datesRiseFromDayOrMonthOrYearToTheTop() {
    Hierarchy day = Hierarchies.of(null, new Keep(), ValueType.DATE);
    assertThat(ladder(day, "2024-05-17")).containsExactly("2024-05-17", "2024-05", "2024-Q2", "2024", "2020-2024",
        "2020-2029", "*");
    Hierarchy month = Hierarchies.of(null, new GeneralizeDate(GeneralizeDate.Unit.MONTH, 0, null), ValueType.DATE);
    assertThat(ladder(month, "2019-12")).containsExactly("2019-12", "2019-Q4", "2019", "2015-2019", "2010-2019", "*");
    Hierarchy year = Hierarchies.of(null, new GeneralizeDate(GeneralizeDate.Unit.YEAR, 0, null), ValueType.DATE);
    assertThat(ladder(year, "1987")).containsExactly("1987", "1985-1989", "1980-1989", "*");
    assertThat(year.generalize("not a year", 1)).isEqualTo("*");
    assertThat(year.generalize(null, 1)).as("null stays null below the top").isNull();
    assertThat(year.generalize(null, 3)).isEqualTo("*");
  }

  @Test
  void numbersAndAgesRiseInNestingBands() {
    Hierarchy buckets = Hierarchies.of(null, new GeneralizeNumber(new BigDecimal("5000"), null), ValueType.DECIMAL);
    assertThat(ladder(buckets, "[15000,20000)")).containsExactly("[15000,20000)", "[10000,20000)", "[0,20000)",
        "[0,40000)", "[0,80000)", "*");
    Hierarchy ages = Hierarchies.of(null, new GeneralizeDate(GeneralizeDate.Unit.AGE_BAND, 10, LocalDate.now()),
        ValueType.DATE);
    assertThat(ladder(ages, "30-39")).containsExactly("30-39", "20-39", "0-39", "*");
    Hierarchy raw = Hierarchies.of(null, new Keep(), ValueType.INT);
    assertThat(ladder(raw, "37")).containsExactly("37", "[35,40)", "[30,40)", "[20,40)", "[0,40)", "*");
    Hierarchy declared = Hierarchies.of(new Hierarchies.Spec("s", "bands", List.of("10000", "30000"), 3),
        new GeneralizeNumber(new BigDecimal("5000"), null), ValueType.DECIMAL);
    assertThat(ladder(declared, "[25000,30000)")).containsExactly("[25000,30000)", "[20000,30000)", "[0,30000)", "*");
    assertThatThrownBy(() -> Hierarchies.of(new Hierarchies.Spec("s", "bands", List.of("7000"), 3),
        new GeneralizeNumber(new BigDecimal("5000"), null), ValueType.DECIMAL))
        .hasMessageContaining("larger multiple").hasMessageContaining("7000 after 5000");
    assertThat(buckets.generalize(">=20000", 1)).isEqualTo("*");
  }

  @Test
  void regionCodesKeepFewerDigits() {
    Hierarchy street = Hierarchies.of(new Hierarchies.Spec("d", "region", null, 2), new Keep(), ValueType.STRING);
    assertThat(ladder(street, "440304008000")).containsExactly("440304008000", "440304008000", "440304000000",
        "440300000000", "440000000000", "*");
    Hierarchy county = Hierarchies.of(null, new GeneralizeRegion(GeneralizeRegion.Level.COUNTY), ValueType.STRING);
    assertThat(ladder(county, "440304")).containsExactly("440304", "440300", "440000", "*");
    assertThat(county.generalize("44x304", 1)).isEqualTo("*");
    assertThatThrownBy(() -> Hierarchies.of(new Hierarchies.Spec("d", "region", null, 2), new Keep(), ValueType.INT))
        .hasMessageContaining("division codes");
  }

  @Test
  void masksKeepFewerCharacters() {
    Mask id = Mask.of(Mask.Kind.ID_CARD);
    Hierarchy h = Hierarchies.of(null, id, ValueType.STRING);
    String masked = (String) id.apply("440304198501011234");
    assertThat(masked).isEqualTo("440304********1234");
    assertThat(ladder(h, masked)).containsExactly("440304********1234", "440304**********34",
        "440304***********4", "440304************", "4403**************", "44****************", "*");
    Mask mobile = Mask.of(Mask.Kind.MOBILE);
    assertThat(ladder(Hierarchies.of(null, mobile, ValueType.STRING), "138****5678")).containsExactly("138****5678",
        "138******78", "138*******8", "138********", "1**********", "*");
    assertThat(Hierarchies.of(null, Mask.of(Mask.Kind.NAME), ValueType.STRING))
        .isEqualTo(new TopHierarchy());
  }

  @Test
  void declaredPrefixesAndTrees() {
    Hierarchy prefix = Hierarchies.of(new Hierarchies.Spec("i", "prefix", List.of("3", "1"), 4), new Keep(),
        ValueType.STRING);
    assertThat(ladder(prefix, "C1311")).containsExactly("C1311", "C13", "C", "*");
    Hierarchy tree = Hierarchies.of(new Hierarchies.Spec("i", "tree", Map.of("制造业", Map.of("C13", List.of("C131",
        "C132"), "C14", List.of("C141"))), 5), new Keep(), ValueType.STRING);
    assertThat(ladder(tree, "C132")).containsExactly("C132", "C13", "制造业", "*");
    assertThat(ladder(tree, "Z999")).as("a value the tree does not name").containsExactly("Z999", "*", "*", "*");
    assertThatThrownBy(() -> TreeHierarchy.parse(Map.of("A", List.of("a1"), "B", Map.of("B1", List.of("b1")))))
        .hasMessageContaining("equally deep");
  }

  @Test
  void everyDerivedLevelIsAFunctionOfTheLevelBelow() {
    // the lattice search's pruning rests on this: two values equal at a level stay equal above it
    Hierarchy ages = Hierarchies.of(null, new Keep(), ValueType.INT);
    for (int a = 0; a < 100; a++) {
      for (int b = 0; b < 100; b++) {
        for (int level = 1; level < ages.height(); level++) {
          if (ages.generalize(String.valueOf(a), level - 1).equals(ages.generalize(String.valueOf(b), level - 1))) {
            assertThat(ages.generalize(String.valueOf(a), level)).isEqualTo(ages.generalize(String.valueOf(b),
                level));
          }
        }
      }
    }
  }
}
