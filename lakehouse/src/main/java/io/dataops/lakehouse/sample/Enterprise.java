package io.dataops.lakehouse.sample;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.SplittableRandom;

/** A synthetic Futian enterprise: a pure function of (seed, index). */
record Enterprise(String creditCode, String name, long legalRepresentative, BigDecimal registeredCapital,
                  LocalDate establishedDate, String industryCode, String districtCode, String address, String status,
                  int employees) {

  static Enterprise of(long seed, long index, long population) {
    SplittableRandom r = new SplittableRandom(Samples.mix(seed, index, 0x5EED_0002L));
    // Organization code (GB 11714): 8 digits unique per index, then its check character.
    String orgBody = Samples.pad((index * 7919L + 10_000_000L) % 100_000_000L, 8);
    String orgCode = orgBody + PrcIdentifiers.organizationCodeCheckChar(orgBody);
    String body17 = "91" + "440304" + orgCode;
    String creditCode = body17 + PrcIdentifiers.creditCodeCheckChar(body17);
    int industry = r.nextInt(Vocabulary.INDUSTRIES.length);
    String name = "深圳市" + Vocabulary.BRANDS[r.nextInt(Vocabulary.BRANDS.length)]
        + Vocabulary.BRANDS[r.nextInt(Vocabulary.BRANDS.length)] + Vocabulary.INDUSTRIES[industry]
        + (r.nextInt(4) == 0 ? "股份" : "") + "有限公司";
    int street = r.nextInt(Vocabulary.STREETS.length);
    String address = "深圳市福田区" + Vocabulary.STREETS[street] + Vocabulary.ROADS[r.nextInt(Vocabulary.ROADS.length)]
        + (1 + r.nextInt(3000)) + "号" + Vocabulary.BRANDS[r.nextInt(Vocabulary.BRANDS.length)] + "大厦"
        + (1 + r.nextInt(40)) + "层";
    long capitalWan = 10L * (1 + r.nextInt(r.nextInt(10) == 0 ? 100_000 : 1_000));
    return new Enterprise(creditCode, name, Math.floorMod(Samples.mix(seed, index, 77), population),
        BigDecimal.valueOf(capitalWan * 10_000, 0).setScale(2), LocalDate.of(1985, 1, 1).plusDays(r.nextInt(40 * 365)),
        Vocabulary.INDUSTRY_CODES[industry], Vocabulary.STREET_CODES[street], address,
        Vocabulary.ENTERPRISE_STATUS[r.nextInt(Vocabulary.ENTERPRISE_STATUS.length)],
        1 + (int) Math.exp(r.nextDouble() * 7));
  }
}
