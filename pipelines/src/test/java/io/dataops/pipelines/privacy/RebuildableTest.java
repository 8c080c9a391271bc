package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RebuildableTest {

  @Test
  void theSolvedCheckDigitGivesWhatTryingEveryDigitGave() {
    Random random = new Random(15);
    int rebuilt = 0;
    int compared = 0;
    while (compared < 20_000) {
      String v = value(random);
      if (v.length() == 17 || v.length() == 18) {
        continue; // those may also give an ID number: only the bank card rule is compared here
      }
      List<String> solved = new ArrayList<>();
      Rebuildable.candidates(v, solved::add);
      assertThat(solved).as(v).isEqualTo(triedEveryDigit(v));
      rebuilt += solved.size();
      compared++;
    }
    assertThat(rebuilt).as("the values include rebuildable cards").isGreaterThan(5_000);
  }

  @Test
  void aRegionCodeOfTwelveDigitsGivesTheOneCardItsCheckDigitFits() {
    List<String> out = new ArrayList<>();
    Rebuildable.candidates("440304001000", out::add);
    assertThat(out).containsExactly("440304001009");
    assertThat(PrcIdentifiers.luhn("440304001009")).isTrue();
    out.clear();
    Rebuildable.candidates("440304001009", out::add);
    assertThat(out).as("its own check digit valid: not a candidate").isEmpty();
    Rebuildable.candidates("4403 04*0 1009", out::add);
    assertThat(out).containsExactly("4403 0400 1009");
  }

  @Test
  void anIdAmongLongerDigitsOrOfFifteenDigitsGivesItsEighteenDigitCandidates() {
    String resident = "42010219751012953" + PrcIdentifiers.idCardCheckChar("42010219751012953");
    List<String> out = new ArrayList<>();
    Rebuildable.embedded("No" + resident + "1", out::add);
    assertThat(out).containsExactly(resident, resident.substring(1) + "1");
    out.clear();
    Rebuildable.embedded(resident + "1x", out::add);
    assertThat(out).as("a trailing x counted as the 18th character")
        .containsExactly(resident, resident.substring(1) + "1", resident.substring(2) + "1X");
    out.clear();
    Rebuildable.embedded("4201 0219 7510 1295 321", out::add);
    assertThat(out).as("digits as people write them").containsExactly(resident, resident.substring(1) + "1");
    out.clear();
    Rebuildable.embedded("old ID 440307/780408/196, issued 1985", out::add);
    String body = "44030719780408196";
    assertThat(out).as("19 inserted, the check appended").containsExactly(body + PrcIdentifiers.idCardCheckChar(body));
    out.clear();
    for (String v : new String[] {resident, "No " + resident + " ok", "1234567890123456", "12345678901234",
        "x".repeat(40), "2024/01/05 13:30:00.123456"}) {
      Rebuildable.embedded(v, out::add);
    }
    assertThat(out).as("an 18-digit run is tested as itself; 14 or 16 digits hold no ID").isEmpty();
    Rebuildable.embedded("7".repeat(40), out::add);
    assertThat(out).as("a repeated window is one candidate").containsExactly("7".repeat(18));
    out.clear();
    StringBuilder many = new StringBuilder("serial ");
    Random random = new Random(18);
    for (int i = 0; i < 300; i++) {
      many.append((char) ('0' + random.nextInt(10)));
    }
    Rebuildable.embedded(many, out::add);
    assertThat(out).as("bounded per value").hasSize(Rebuildable.MAX_EMBEDDED).doesNotHaveDuplicates();
  }

  @Test
  void aMobileWrittenAsAnAmountGivesItsDigitsAndOtherNumbersUnderFifteenDigitsNothing() {
    List<String> out = new ArrayList<>();
    Rebuildable.embedded("13,800,138,000", out::add);
    Rebuildable.embedded("转账 13，800，138，000 元", out::add);
    assertThat(out).containsExactly("13800138000", "13800138000");
    out.clear();
    for (String v : new String[] {"13800138000", "tel 138-0013-8000", "1,380,013,800 yuan", "10,800,138,000",
        "13,800,138,0000", "12,345,678,901,234", "13 800 138 000"}) {
      Rebuildable.embedded(v, out::add);
    }
    assertThat(out).as("no mobile written as an amount (a shape the shape test sees, or no mobile)").isEmpty();
  }

  /** 12 to 19 digits, sometimes with separators, sometimes one or two hidden. */
  private static String value(Random random) {
    int n = 12 + random.nextInt(8);
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < n; k++) {
      if (k > 0 && k % 4 == 0 && random.nextInt(3) == 0) {
        b.append(random.nextBoolean() ? ' ' : '-');
      }
      b.append((char) ('0' + random.nextInt(10)));
    }
    int hidden = random.nextInt(4) == 0 ? 2 : random.nextInt(2);
    for (int h = 0; h < hidden; h++) {
      int at = random.nextInt(b.length());
      if (b.charAt(at) != ' ' && b.charAt(at) != '-') {
        b.setCharAt(at, '*');
      }
    }
    return b.toString();
  }

  /** The former search: every digit tried at the unknown place (else the last), the card kept if Luhn accepts it. */
  private static List<String> triedEveryDigit(String v) {
    List<Integer> slots = new ArrayList<>();
    int unknown = -1;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      if (c < '0' || c > '9') {
        if (unknown >= 0) {
          return List.of();
        }
        unknown = slots.size();
      }
      slots.add(i);
    }
    if (slots.size() < 12 || slots.size() > 19) {
      return List.of();
    }
    StringBuilder card = new StringBuilder(v);
    int target = unknown >= 0 ? unknown : slots.size() - 1;
    if (unknown < 0 && PrcIdentifiers.luhn(digits(card, slots))) {
      return List.of();
    }
    for (char d = '0'; d <= '9'; d++) {
      card.setCharAt(slots.get(target), d);
      if (PrcIdentifiers.luhn(digits(card, slots))) {
        return card.toString().equals(v) ? List.of() : List.of(card.toString());
      }
    }
    return List.of();
  }

  private static String digits(CharSequence s, List<Integer> slots) {
    StringBuilder d = new StringBuilder();
    for (int at : slots) {
      d.append(s.charAt(at));
    }
    return d.toString();
  }
}
