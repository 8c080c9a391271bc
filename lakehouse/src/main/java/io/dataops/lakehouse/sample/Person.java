package io.dataops.lakehouse.sample;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.SplittableRandom;

/** A synthetic resident of Futian: a pure function of (seed, index), so datasets that mention person i agree. */
record Person(String name, String idCard, String phone, String gender, LocalDate birthDate, String address,
              String districtCode, BigDecimal monthlyIncome) {

  static Person of(long seed, long index) {
    SplittableRandom r = new SplittableRandom(Samples.mix(seed, index, 0x5EED_0001L));
    String surname = r.nextInt(50) == 0
        ? Vocabulary.COMPOUND_SURNAMES[r.nextInt(Vocabulary.COMPOUND_SURNAMES.length)]
        : Vocabulary.SURNAMES[r.nextInt(Vocabulary.SURNAMES.length)];
    StringBuilder name = new StringBuilder(surname);
    int given = r.nextInt(3) == 0 ? 1 : 2;
    for (int i = 0; i < given; i++) {
      name.append(Vocabulary.GIVEN[r.nextInt(Vocabulary.GIVEN.length)]);
    }
    boolean male = r.nextBoolean();
    LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(r.nextInt(68 * 365));
    String region = Vocabulary.ID_REGIONS[r.nextInt(Vocabulary.ID_REGIONS.length)];
    int sequence = r.nextInt(100);
    int genderDigit = r.nextInt(5) * 2 + (male ? 1 : 0);
    String body = region + Samples.yyyymmdd(birth) + Samples.pad(sequence, 2) + genderDigit;
    String idCard = body + PrcIdentifiers.idCardCheckChar(body);
    String phone = Vocabulary.MOBILE_PREFIXES[r.nextInt(Vocabulary.MOBILE_PREFIXES.length)]
        + Samples.pad(r.nextInt(100_000_000), 8);
    int street = r.nextInt(Vocabulary.STREETS.length);
    String address = "广东省深圳市福田区" + Vocabulary.STREETS[street]
        + Vocabulary.ROADS[r.nextInt(Vocabulary.ROADS.length)] + (1 + r.nextInt(3000)) + "号"
        + Vocabulary.BRANDS[r.nextInt(Vocabulary.BRANDS.length)] + Vocabulary.BUILDINGS[r.nextInt(Vocabulary.BUILDINGS.length)]
        + (1 + r.nextInt(30)) + "栋" + (101 + r.nextInt(3200)) + "室";
    // Skewed income: most between 3,000 and 20,000 yuan a month, a long tail above.
    double income = 2360 + Math.exp(7.5 + r.nextDouble() * 2.6) + (r.nextInt(20) == 0 ? r.nextInt(150_000) : 0);
    return new Person(name.toString(), idCard, phone, male ? "M" : "F", birth, address,
        Vocabulary.STREET_CODES[street], BigDecimal.valueOf(Math.round(income * 100), 2));
  }
}
