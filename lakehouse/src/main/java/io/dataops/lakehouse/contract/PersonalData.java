package io.dataops.lakehouse.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What kind of personal data a column carries, as the department declares it in the feed contract. */
public enum PersonalData {
  ID_CARD, MOBILE, NAME, ADDRESS, BANK_CARD, EMAIL, VEHICLE_PLATE, BIRTH_DATE, OTHER;

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PersonalData parse(String text) {
    for (PersonalData p : values()) {
      if (p.spelling().equals(text.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown personal-data kind '" + text + "' (expected "
        + Arrays.stream(values()).map(PersonalData::spelling).collect(Collectors.joining(", ")) + ")");
  }
}
