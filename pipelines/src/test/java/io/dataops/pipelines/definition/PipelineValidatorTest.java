package io.dataops.pipelines.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.desensitize.Mask;
import io.dataops.pipelines.desensitize.Pseudonymize;
import io.dataops.pipelines.privacy.SmallestGroupsCache;
import io.dataops.pipelines.testing.PipelineFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PipelineValidatorTest extends PipelineFixture {
  static final String HEAD = """
      name: citizens-profile
      scenario: 社区服务人口结构分析
      owner: futian-operator
      """;

  @BeforeEach
  void landData() throws Exception {
    landSample(SampleDataset.CITIZENS, 300, 300, 1);
    landSample(SampleDataset.SOCIAL_INSURANCE, 400, 300, 1);
    // A table whose contract forgot to declare the phone numbers personal.
    land("street-office", "visits", """
        columns:
          - {name: visit_id, type: long}
          - {name: contact, type: string}
          - {name: topic, type: string}
        """, "visit_id,contact,topic\n1,13812345678,低保\n2,13987654321,户籍\n3,15900001111,医保\n");
  }

  private BoundPipeline bind(String yaml) {
    return new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(HEAD + yaml, "p.yaml"), dir);
  }

  private static String citizens(String columns) {
    return """
        inputs:
          - table: ods.public_security__citizens
            as: citizens
            columns: %s
        """.formatted(columns);
  }

  static final String OPTIMIZED = """
      transform: |
        SELECT id_card AS person_key, id_card, name, gender, birth_date, district_code FROM citizens
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        id_card: {mask: id_card}
        name: {mask: name}
        birth_date: {generalize: year}
      privacy:
        quasiIdentifiers: [birth_date, gender, district_code]
        k: 5
        optimize: true
        personKey: person_key
        hierarchies:
          district_code: region
      product: citizens-profile
      """;

  @Test
  void theGeneralizationSearchBindsAHierarchyPerQuasiIdentifier() {
    BoundPipeline p = bind(citizens("[id_card, name, gender, birth_date, district_code]") + OPTIMIZED);
    BoundPipeline.Optimization o = p.privacy().optimization();
    assertThat(p.privacy().quasiIdentifiers()).containsExactly("birth_date", "gender", "district_code", "id_card",
        "name");
    assertThat(o.personKey()).isEqualTo("person_key");
    assertThat(o.suppressionLimit()).isEqualTo(0.05);
    assertThat(o.hierarchies()).extracting(h -> h.getClass().getSimpleName()).containsExactly("DateHierarchy",
        "TopHierarchy", "RegionHierarchy", "MaskHierarchy", "TopHierarchy");
    assertThat(p.columns().stream().filter(c -> c.name().equals("birth_date")).findFirst().orElseThrow().outputType()
        .type()).as("a generalized year is text in the product").isEqualTo(ValueType.STRING);
  }

  @Test
  void theGeneralizationSearchRefusesWhatItCannotCoarsen() {
    String in = citizens("[id_card, name, gender, birth_date, district_code]");
    assertThatThrownBy(() -> bind(in + OPTIMIZED.replace("personKey: person_key", "personKey: nobody")))
        .hasMessageStartingWith("p.yaml:16: personKey 'nobody' is not a column of the product");
    assertThatThrownBy(() -> bind(in + OPTIMIZED.replace("district_code: region", "birth_date: region")))
        .hasMessage("p.yaml:21: hierarchy of 'birth_date': a region hierarchy needs division codes: a string column kept "
            + "as it is or generalized to a region");
    assertThatThrownBy(() -> bind(in + OPTIMIZED.replace("district_code: region", "person_key: top")))
        .hasMessageStartingWith("p.yaml:21: hierarchy for 'person_key', which is not a quasi-identifier");
    assertThatThrownBy(() -> bind(in + OPTIMIZED.replace("[birth_date, gender, district_code]",
        "[birth_date, gender, district_code, person_key]").replace("  personKey: person_key\n", "")))
        .hasMessageStartingWith("p.yaml:16: quasi-identifier 'person_key' has policy pseudonymize");
    assertThatThrownBy(() -> bind(in + OPTIMIZED + "mode: incremental\n"))
        .hasMessageStartingWith("p.yaml:23: privacy.optimize searches the generalization of the whole product");
  }

  @Test
  void aGoodPipelineBindsWithTypesPoliciesLineageAndEffectiveQuasiIdentifiers() {
    BoundPipeline p = bind(citizens("[id_card, name, gender, birth_date, district_code, monthly_income]") + """
        transform: |
          SELECT id_card AS person_key, name, gender, birth_date, district_code,
                 monthly_income
          FROM citizens
          WHERE gender IN ('M', 'F')
        policy:
          person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
          name: {mask: name}
          birth_date: {generalize: year}
          monthly_income: {generalize: buckets, boundaries: [0, 3000, 6000, 10000]}
        privacy: {quasiIdentifiers: [birth_date, gender, district_code], k: 5}
        product: citizens-profile
        """);
    assertThat(p.inputs()).singleElement().satisfies(in -> {
      assertThat(in.snapshotId()).isEqualTo(lakehouse.load(in.table()).currentSnapshot().snapshotId());
      assertThat(in.personal()).containsOnlyKeys("id_card", "name", "birth_date");
      assertThat(in.personal().get("id_card").declared()).isTrue();
    });
    assertThat(p.columns()).extracting(BoundPipeline.BoundColumn::name).containsExactly("person_key", "name", "gender",
        "birth_date", "district_code", "monthly_income");
    BoundPipeline.BoundColumn key = p.columns().get(0);
    assertThat(key.policy()).isInstanceOf(Pseudonymize.class);
    assertThat(key.personalSources()).singleElement().asString().startsWith("citizens.id_card (id_card");
    assertThat(p.columns().get(1).policy()).isInstanceOf(Mask.class);
    assertThat(p.columns().get(3).outputType().type()).isEqualTo(ValueType.INT);
    assertThat(p.columns().get(5).sqlType().toString()).isEqualTo("decimal(12,2)");
    assertThat(p.columns().get(5).outputType().type()).isEqualTo(ValueType.STRING);
    assertThat(p.privacy().quasiIdentifiers()).containsExactly("birth_date", "gender", "district_code", "name");
    assertThat(p.privacy().added()).containsEntry("name", "mask name (keep surname) keeps surname");
    assertThat(p.asOf()).isNotNull();
  }

  @Test
  void anOperatorMayExemptARetainedPartWithAReasonThatIsRecorded() {
    String head = citizens("[name, gender, district_code]") + """
        policy:
          name: {mask: name}
        product: p
        """;
    BoundPipeline p = bind(head + "privacy:\n  quasiIdentifiers: [gender, district_code]\n  k: 5\n"
        + "  exempt: {name: \"surnames are shared by thousands in every street\"}\n");
    assertThat(p.privacy().quasiIdentifiers()).containsExactly("gender", "district_code");
    assertThat(p.privacy().exempted()).containsEntry("name", "surnames are shared by thousands in every street");
    assertThat(p.warnings()).anySatisfy(w -> assertThat(w).startsWith("name is not counted as a quasi-identifier "
        + "although mask name (keep surname) keeps surname (the operator's reason: surnames are shared"));
    assertThatThrownBy(() -> bind(head + "privacy:\n  quasiIdentifiers: [gender, district_code]\n  k: 5\n"
        + "  exempt: {gender: \"there are only two values of it\"}\n"))
        .hasMessage("p.yaml:12: exempt: 'gender' is declared a quasi-identifier: nothing to exempt");
    assertThat(bind(head + "privacy:\n  quasiIdentifiers: [gender]\n  k: 5\n"
        + "  exempt: {district_code: \"a public statistical area code\"}\n").warnings())
        .as("a kept column: the measure of the input decides, and says so").anySatisfy(w -> assertThat(w)
            .contains("district_code"));
    assertThatThrownBy(() -> bind(head + "privacy:\n  quasiIdentifiers: [gender]\n  k: 5\n"
        + "  exempt: {nope: \"a column nobody made\"}\n"))
        .hasMessage("p.yaml:12: exempt: 'nope' is not a column of the product: nothing to exempt");
    assertThatThrownBy(() -> bind(head + "privacy:\n  quasiIdentifiers: [gender]\n  k: 5\n  exempt: {name: ok}\n"))
        .hasMessageStartingWith("p.yaml:14: exempt: say why 'name' cannot identify anyone");
  }

  @Test
  void aMaskMayNotKeepMoreOfAnIdentifierThanTheLimitExemptionOrNot() {
    // The case: 17 of 18 characters kept (the 18th is a check character), exempted from the privacy check.
    assertThatThrownBy(() -> bind(citizens("[id_card, gender, district_code]") + """
        policy:
          id_card: {mask: custom, keepFirst: 17}
        privacy:
          quasiIdentifiers: [gender, district_code]
          k: 5
          exempt: {id_card: "only the check character is hidden, which identifies no one"}
        product: p
        """)).isInstanceOf(PipelineException.class).hasMessage("p.yaml:9: column 'id_card': mask custom (keep first "
        + "17, last 0) shows more of id_card values than the limit for id_card: the first 6 and the last 4 characters "
        + "at most");
    String in = citizens("[id_card, phone, gender]");
    assertThatCode(() -> bind(in + "policy:\n  id_card: {mask: custom, keepFirst: 6, keepLast: 4}\n"
        + "  phone: {mask: mobile}\nprivacy: {quasiIdentifiers: [gender], k: 5}\nproduct: p\n"))
        .as("the common display: within the limits").doesNotThrowAnyException();
    assertThatThrownBy(() -> bind(in + "policy:\n  id_card: {mask: id_card, keepLast: 5}\n  phone: remove\n"
        + "product: p\n")).hasMessageStartingWith("p.yaml:9: column 'id_card': mask id_card (keep first 6, last 5) "
        + "shows more of id_card values");
    assertThatThrownBy(() -> bind(in + "policy:\n  id_card: remove\n  phone: {mask: custom, keepFirst: 7}\n"
        + "product: p\n")).hasMessageEndingWith("the limit for mobile: the first 3 and the last 4 characters at most");
    assertThatThrownBy(() -> bind(in + "policy:\n  id_card: {encrypt: ff1, key: fpe, shape: id_card, keepFirst: 8}\n"
        + "  phone: remove\nproduct: p\n")).as("format-preserving encryption's clear prefix too")
        .hasMessageContaining("encrypt ff1-aes id_card (key fpe, first 8 in clear) shows more of id_card values");
    assertThatThrownBy(() -> bind(in + "policy:\n  id_card: {mask: name}\n  phone: remove\nproduct: p\n"))
        .hasMessage("p.yaml:9: column 'id_card': mask name (keep surname) does not hide id_card values by position: "
            + "use mask id_card, or mask custom keeping at most the first 6 and the last 4 characters");
    assertThatThrownBy(() -> bind(in + "transform: SELECT substring(id_card, 1, 17) AS id17 FROM citizens\n"
        + "policy:\n  id17: {mask: custom, keepFirst: 17}\nproduct: p\n")).as("through the transform's lineage")
        .hasMessageStartingWith("p.yaml:10: column 'id17': mask custom (keep first 17, last 0) shows more of id_card");
    assertThatThrownBy(() -> bind(in + "policy:\n  id_card: remove\n  phone: remove\n"
        + "  gender: {mask: bank_card, keepFirst: 7}\nproduct: p\n")).as("a mask of an identifier kind, whatever the "
        + "column").hasMessageEndingWith("the limit for bank_card: the first 6 and the last 4 characters at most");
  }

  /**
   * Found by a probe that rebuilt all 4,000 ID numbers of a product: per column, each mask kept 6+4 of an overlapping
   * substring of the ID; and buckets of width 1 over the ID's first 17 digits kept them whole.
   */
  @Test
  void aLimitCountsTheIdentifiersOwnCharactersAndItsGeneralizationNeedsThePrivacyCheck() {
    String in = citizens("[id_card, gender, district_code]");
    assertThatThrownBy(() -> bind(in + """
        transform: |
          SELECT substring(id_card, 1, 11) AS a, substring(id_card, 8, 11) AS b, gender FROM citizens
        policy:
          a: {mask: custom, keepFirst: 6, keepLast: 4}
          b: {mask: custom, keepFirst: 6, keepLast: 4}
        product: p
        """)).isInstanceOf(PipelineException.class).hasMessage("p.yaml:11: column 'a': mask custom (keep first 6, "
        + "last 4) keeps characters in clear of an expression over id_card (substring, concat, arithmetic, a cast): "
        + "the limit counts the identifier's own first and last characters, so keep them of the column as the input "
        + "holds it, or pseudonymize or remove this one");
    assertThatThrownBy(() -> bind(in + """
        transform: |
          SELECT CAST(substring(id_card, 1, 17) AS BIGINT) AS n, gender FROM citizens
        policy:
          n: {generalize: buckets, width: 1}
        product: p
        """)).isInstanceOf(PipelineException.class).hasMessageStartingWith("p.yaml:11: column 'n': ")
        .hasMessageContaining(" generalizes a value carried from id_card: how much of the identifier it keeps depends "
            + "on the values (buckets of width 1 keep it whole), so it needs the privacy check (privacy: {k: 5})");
    String generalized = in + """
        transform: |
          SELECT CAST(substring(id_card, 1, 17) AS BIGINT) AS n, gender FROM citizens
        policy:
          n: {generalize: buckets, width: 1}
        privacy:
          quasiIdentifiers: [gender]
          k: 5
        product: p
        """;
    assertThat(bind(generalized).privacy().added()).as("then counted as a quasi-identifier: a width that keeps the "
        + "identifier leaves groups of one, which the check refuses").containsKey("n");
    assertThatThrownBy(() -> bind(generalized.replace("  k: 5\n", "  k: 5\n  exempt: {n: \"only buckets\"}\n")))
        .hasMessage("p.yaml:13: exempt: 'n' generalizes a value carried from id_card and cannot be exempted from the "
            + "privacy check");
    // The identifier itself, or one only upper-cased or trimmed, keeps its positions: the common display stands.
    assertThatCode(() -> bind(in + """
        transform: |
          SELECT upper(trim(id_card)) AS id_card, gender FROM citizens
        policy:
          id_card: {mask: custom, keepFirst: 6, keepLast: 4}
        privacy: {quasiIdentifiers: [gender], k: 5}
        product: p
        """)).doesNotThrowAnyException();
    assertThatCode(() -> bind(in + """
        transform: |
          SELECT substring(id_card, 1, 11) AS a, gender FROM citizens
        policy:
          a: {pseudonymize: hmac-sha256, key: default}
        privacy: {quasiIdentifiers: [gender], k: 5}
        product: p
        """)).as("a pseudonym keeps no character").doesNotThrowAnyException();
  }

  @Test
  void anAuthorityMayMakeTheLimitsStricterNeverLooser() {
    KeepLimits strict = KeepLimits.DEFAULTS.stricter(PersonalData.ID_CARD, KeepLimits.Limit.parse("3 + 4"));
    String yaml = citizens("[id_card, gender]") + "policy:\n  id_card: {mask: id_card}\n"
        + "privacy: {quasiIdentifiers: [gender], k: 5}\nproduct: p\n";
    assertThatCode(() -> bind(yaml)).doesNotThrowAnyException();
    assertThatThrownBy(() -> new PipelineValidator(lakehouse, keys, strict).bind(PipelineParser.parse(HEAD + yaml,
        "p.yaml"), dir)).hasMessage("p.yaml:9: column 'id_card': mask id_card (keep first 6, last 4) shows more of "
        + "id_card values than the limit for id_card: the first 3 and the last 4 characters at most");
    assertThatThrownBy(() -> KeepLimits.DEFAULTS.stricter(PersonalData.MOBILE, KeepLimits.Limit.parse("3+5")))
        .hasMessage("3+5 would keep more than the platform's 3+4; a limit can only be made stricter");
    assertThatThrownBy(() -> KeepLimits.DEFAULTS.stricter(PersonalData.VEHICLE_PLATE, KeepLimits.Limit.parse("1+0")))
        .hasMessage("there is no limit for vehicle_plate (there are for id_card, mobile, name, address, bank_card, "
            + "email)");
    assertThatThrownBy(() -> KeepLimits.Limit.parse("six")).hasMessageStartingWith("write the limit as FIRST+LAST");
  }

  @Test
  void aNameKeepsAtMostItsSurnameInClear() {
    String in = citizens("[name, gender]");
    // Two of a three-character name's characters show most of the name (a residual of an earlier probe).
    assertThatThrownBy(() -> bind(in + "policy:\n  name: {mask: custom, keepFirst: 2, keepLast: 0}\nproduct: p\n"))
        .hasMessage("p.yaml:9: column 'name': mask custom (keep first 2, last 0) shows more of name values than the "
            + "limit for name: the first 1 and the last 0 characters at most");
    assertThatThrownBy(() -> bind(in + "policy:\n  name: {mask: custom, keepFirst: 1, keepLast: 1}\nproduct: p\n"))
        .hasMessageContaining("shows more of name values than the limit for name");
    assertThatThrownBy(() -> bind(in + "policy:\n  name: {mask: address}\nproduct: p\n"))
        .hasMessageContaining("does not hide name values by position: use mask name, or mask custom keeping at most "
            + "the first 1 and the last 0 characters");
    String privacy = "privacy: {quasiIdentifiers: [gender], k: 5}\n";
    assertThatCode(() -> bind(in + "policy:\n  name: {mask: name}\n" + privacy + "product: p\n"))
        .doesNotThrowAnyException();
    assertThatCode(() -> bind(in + "policy:\n  name: {mask: custom, keepFirst: 1, keepLast: 0}\n" + privacy
        + "product: p\n")).doesNotThrowAnyException();
    // An address keeps whole parts by level, never characters by position (a custom mask kept one to the building).
    String addresses = citizens("[address, gender]");
    assertThatThrownBy(() -> bind(addresses + "policy:\n  address: {mask: custom, keepFirst: 26}\nproduct: p\n"))
        .hasMessageContaining("shows more of address values than the limit for address: the first 0 and the last 0 "
            + "characters at most (an address keeps whole parts: mask address with a level, or generalize: address)");
    assertThatCode(() -> bind(addresses + "policy:\n  address: {mask: address, level: street}\n" + privacy
        + "product: p\n")).doesNotThrowAnyException();
    // An authority that allows no character of a name refuses the convention's surname too.
    KeepLimits none = KeepLimits.DEFAULTS.stricter(PersonalData.NAME, KeepLimits.Limit.parse("0+0"));
    assertThatThrownBy(() -> new PipelineValidator(lakehouse, keys, none).bind(PipelineParser.parse(HEAD + in
        + "policy:\n  name: {mask: name}\nproduct: p\n", "p.yaml"), dir))
        .hasMessageContaining("mask name (keep surname) does not hide name values by position");
  }

  @Test
  void personalDataWithoutAPolicyIsRefusedAtItsLine() {
    assertThatThrownBy(() -> bind(citizens("[id_card, gender]") + """
        transform: |
          SELECT gender,
                 upper(id_card) AS idc
          FROM citizens
        product: p
        """)).hasMessage("p.yaml:10: column 'idc' carries personal data from citizens.id_card (id_card, declared in "
        + "the feed contract) and has no policy: mask, pseudonymize, encrypt, generalize, suppress or remove it");
    assertThatThrownBy(() -> bind("""
        inputs:
          - {table: ods.street_office__visits, as: visits, columns: [visit_id, contact, topic]}
        policy:
          topic: keep
        product: visits
        """)).as("undeclared but detected by content").hasMessageContaining("column 'contact' carries personal data "
        + "from visits.contact (mobile, detected: 100% of 3 sampled values look like mobile)");
    assertThatThrownBy(() -> bind(citizens("[id_card]") + """
        policy:
          id_card: keep
        product: p
        """)).hasMessageStartingWith("p.yaml:9: column 'id_card' carries personal data").hasMessageEndingWith(
        "is kept as it is: mask, pseudonymize, encrypt, generalize, suppress or remove it");
  }

  @Test
  void countsAndDatePartsOfPersonalDataAreDerivedAndBecomeQuasiIdentifiers() {
    BoundPipeline p = bind(citizens("[birth_date, gender, district_code]") + """
        transform: |
          SELECT district_code, gender, year(birth_date) AS birth_year, count(*) AS people
          FROM citizens GROUP BY district_code, gender, year(birth_date)
        privacy: {quasiIdentifiers: [district_code, gender], k: 5, countColumn: people}
        product: population
        """);
    assertThat(p.aggregates()).isTrue();
    assertThat(p.privacy().added()).containsOnlyKeys("birth_year");
    assertThat(p.privacy().added().get("birth_year")).startsWith("computed from citizens.birth_date (birth_date");
    assertThat(p.columns().get(3).outputType().type()).isEqualTo(ValueType.LONG);
    assertThatThrownBy(() -> bind(citizens("[birth_date, gender, district_code]") + """
        transform: SELECT district_code, count(*) AS people FROM citizens GROUP BY district_code
        privacy: {quasiIdentifiers: [district_code], k: 5}
        product: population
        """)).hasMessageContaining("the transform aggregates: say which column counts the people");
  }

  @Test
  void joinsOfTwoDepartmentsResolveEachColumnToItsInput() {
    BoundPipeline p = bind("""
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender, district_code]}
          - {table: ods.human_resources__social_insurance, as: contributions, columns: [id_card, base_salary]}
        transform: |
          SELECT c.id_card AS person_key, c.gender, c.district_code, s.base_salary
          FROM contributions s JOIN citizens c ON c.id_card = s.id_card
        policy:
          person_key: {pseudonymize: hmac-sm3, key: default, length: 24}
          base_salary: {generalize: buckets, width: 2000}
        privacy: {quasiIdentifiers: [gender, district_code], k: 5, optimize: true, personKey: person_key}
        product: employment
        """.replace("contributions s JOIN citizens c ON c.id_card = s.id_card",
        "contributions JOIN citizens ON citizens.id_card = contributions.id_card").replace("c.", "citizens.")
        .replace("s.base_salary", "contributions.base_salary"));
    assertThat(p.joins()).isTrue();
    assertThat(p.columns().get(0).lineage()).containsExactly(new SqlSubset.Source("citizens", "id_card", true));
    assertThat(p.inputs()).hasSize(2);
  }

  @Test
  void sqlOutsideTheSubsetAndBindingErrorsPointAtTheirLine() {
    String in = citizens("[id_card, gender, monthly_income]");
    assertThatThrownBy(() -> bind(in + "transform: |\n  SELECT gender\n  FROM citizens\n  ORDER BY gender\nproduct: p\n"))
        .hasMessage("p.yaml:11: transform: ORDER BY is not allowed: a product is a set, its order is not part of it");
    assertThatCode(() -> bind(in + "transform: |\n  SELECT gender,\n    avg(monthly_income) AS a\n  FROM citizens"
        + " GROUP BY gender\nproduct: p\n")).as("decimal column: fine").doesNotThrowAnyException();
    assertThatThrownBy(() -> bind(in + "transform: |\n  SELECT gender,\n    sum(char_length(gender)) AS n\n"
        + "  FROM citizens GROUP BY gender\nproduct: p\n")).hasMessageStartingWith("p.yaml:10: transform: sum needs a "
        + "BIGINT, DOUBLE or DECIMAL operand");
    assertThatThrownBy(() -> bind(in + "transform: |\n  SELECT gender\n  FROM citizens\n  WHERE nope = 1\nproduct: p\n"))
        .hasMessage("p.yaml:11: transform: no input reads a column 'nope' (add it to an input's columns if it is "
            + "granted)");
    assertThatThrownBy(() -> bind(in + "transform: |\n  SELECT gender\n  FROM citizens\n  WHER gender = 'M'\nproduct: p\n"))
        .hasMessageStartingWith("p.yaml:11: transform: not valid SQL: syntax error at or near");
    assertThatThrownBy(() -> bind(in + "transform: SELECT gender, (SELECT 1) AS x FROM citizens\nproduct: p\n"))
        .hasMessageContaining("subqueries are not in the subset");
    assertThatThrownBy(() -> bind(in + "transform: SELECT gender, upper(gender) FROM citizens\nproduct: p\n"))
        .hasMessage("p.yaml:8: transform: give this expression a name (... AS name): the engines would name it "
            + "differently");
    assertThatThrownBy(() -> bind(in + "transform: SELECT gender, strftime(now(), '%Y') AS y FROM citizens\n"
        + "product: p\n")).hasMessageContaining("function strftime() is not in the subset");
    assertThatCode(() -> bind(in + "transform: SELECT gender, monthly_income / 2 AS half FROM citizens\n"
        + "product: p\n")).as("a decimal column divides the same in both engines").doesNotThrowAnyException();
    assertThatThrownBy(() -> bind(in + "transform: SELECT gender, char_length(gender) / 2 AS half FROM citizens\n"
        + "product: p\n")).hasMessageContaining("division needs a DOUBLE or DECIMAL operand");
  }

  @Test
  void policiesTablesAndPrivacyAreCheckedAgainstWhatExists() {
    assertThatThrownBy(() -> bind("inputs:\n  - {table: ods.nothing, columns: [a]}\nproduct: p\n"))
        .hasMessage("p.yaml:5: no table ods.nothing (see: dataops table list)");
    assertThatThrownBy(() -> bind("inputs:\n  - {table: quarantine.public_security__citizens, columns: [a]}\n"
        + "product: p\n")).hasMessageContaining("not quarantine.*");
    assertThatThrownBy(() -> bind(citizens("[gender, shoe_size]") + "product: p\n"))
        .hasMessageStartingWith("p.yaml:7: table ods.public_security__citizens has no column 'shoe_size'");
    assertThatCode(() -> bind(citizens("[gender, birth_date]") + "policy:\n  gender: {mask: name}\n"
        + "  birth_date: {generalize: month}\nprivacy: {quasiIdentifiers: [gender], k: 5}\nproduct: p\n"))
        .as("gender is not personal but the mask fits a string").doesNotThrowAnyException();
    assertThatThrownBy(() -> bind(citizens("[gender, birth_date]") + "policy:\n  birth_date: {mask: name}\n"
        + "product: p\n")).hasMessage("p.yaml:9: column 'birth_date' (date): mask applies to string columns, not date");
    assertThatThrownBy(() -> bind(citizens("[gender]") + "policy:\n  genre: keep\nproduct: p\n"))
        .hasMessage("p.yaml:9: policy for 'genre', which the input does not produce (it produces gender)");
    assertThatThrownBy(() -> bind(citizens("[id_card, gender]") + "policy:\n  id_card: {pseudonymize: hmac-sha256, "
        + "key: vault}\nproduct: p\n")).hasMessage("p.yaml:9: column 'id_card': no key 'vault'");
    assertThatThrownBy(() -> bind(citizens("[gender]") + "privacy: {quasiIdentifiers: [age], k: 3}\nproduct: p\n"))
        .hasMessage("p.yaml:8: quasi-identifier 'age' is not a column of the product");
    assertThatThrownBy(() -> bind(citizens("[gender]") + "quality: {suite: missing.json}\nproduct: p\n"))
        .hasMessageStartingWith("p.yaml:8: no quality suite at");
    assertThatThrownBy(() -> bind(citizens("[id_card, gender]") + "policy:\n  id_card: remove\n  gender: remove\n"
        + "product: p\n")).hasMessageContaining("every column is removed");
    BoundPipeline ok = bind(citizens("[id_card, gender]") + "policy:\n  id_card: remove\nproduct: p\n");
    assertThat(ok.productColumns()).extracting(BoundPipeline.BoundColumn::name).containsExactly("gender");
    assertThat(ok.warnings()).isEmpty();
    assertThat(ok.privacy()).as("a product holding nothing derived from personal data needs no privacy").isNull();
    assertThat(bind(citizens("[id_card, gender]") + "policy:\n  id_card: suppress\nproduct: p\n").privacy())
        .as("nor one whose personal column is suppressed (every value null)").isNull();
    // Found by a probe: a product of masked names without privacy published each person's values with a warning.
    assertThatThrownBy(() -> bind(citizens("[name, gender, birth_date]") + "policy:\n  name: {mask: name}\n"
        + "  birth_date: {generalize: year}\nproduct: p\n")).isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("p.yaml:11: the product holds values derived from personal data (name, birth_date) "
            + "but declares no privacy: declare privacy: with k and the quasi-identifiers");
    BoundPipeline declared = bind(citizens("[name, gender]") + "policy:\n  name: {mask: name}\n"
        + "privacy: {quasiIdentifiers: [gender], k: 5}\nproduct: p\n");
    assertThat(declared.privacy().quasiIdentifiers()).containsExactly("gender", "name");
    assertThat(declared.inputs().get(0).personal().get("name").kind()).isEqualTo(PersonalData.NAME);
  }

  @Test
  void filtersAreBooleanExpressionsOverTheirInputOnly() {
    assertThat(bind(citizens("[gender, birth_date]").replace("    columns:", "    filter: \"birth_date >= DATE "
        + "'1980-01-01'\"\n    columns:") + "policy:\n  birth_date: {generalize: year}\n"
        + "privacy: {quasiIdentifiers: [gender], k: 5}\nproduct: p\n").inputs().get(0).filter()).contains("1980");
    assertThatThrownBy(() -> bind(citizens("[gender]").replace("    columns:", "    filter: count(*) > 1\n    columns:")
        + "product: p\n")).hasMessageContaining("filter:");
    // Found by a probe: DuckDB keeps every row of WHERE 5, and a grant's filter of 5 was shown as "rows where 5".
    for (String notBoolean : List.of("5", "gender", "'yes'", "NULL")) {
      assertThatThrownBy(() -> bind(citizens("[gender]").replace("    columns:", "    filter: \"" + notBoolean
          + "\"\n    columns:") + "product: p\n")).as(notBoolean)
          .hasMessageContaining("filter: a filter is one boolean expression over the input's columns")
          .hasMessageContaining("; this one gives ");
    }
    assertThatThrownBy(() -> RowFilters.check(lakehouse, org.apache.iceberg.catalog.TableIdentifier.parse(
        "ods.public_security__citizens"), "5", "grant 7", 0)).isInstanceOf(PipelineException.class)
        .hasMessage("grant 7: filter: a filter is one boolean expression over the input's columns (a comparison, IN,"
            + " LIKE, IS NULL, joined by AND, OR, NOT); this one gives INTEGER");
  }

  /**
   * Staff of three firms, three monthly rows per person: a five-person firm (F1) and two of 30. The salary is the
   * declared quasi-identifier; the employer is kept beside it.
   */
  static final String STAFF_CONTRACT = """
      columns:
        - {name: person, type: string, personal: other}
        - {name: employer, type: string}
        - {name: month, type: string}
        - {name: salary, type: long}
      """;

  private void landStaff() throws Exception {
    StringBuilder csv = new StringBuilder("person,employer,month,salary\n");
    int person = 0;
    for (String[] firm : new String[][] {{"F1", "5"}, {"F2", "30"}, {"F3", "30"}}) {
      for (int i = 0; i < Integer.parseInt(firm[1]); i++) {
        person++;
        for (int m = 1; m <= 3; m++) {
          csv.append("P").append(person).append(',').append(firm[0]).append(",2026-0").append(m).append(',')
              .append(3000 + 1000 * (person % 4)).append('\n');
        }
      }
    }
    land("human-resources", "staff", STAFF_CONTRACT, csv.toString());
  }

  static final String STAFF = """
      inputs:
        - table: ods.human_resources__staff
          as: staff
          columns: [person, employer, month, salary]
      transform: |
        SELECT person AS person_key,
               employer,
               month,
               salary
        FROM staff
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        salary: {generalize: buckets, width: 2000}
      privacy:
        quasiIdentifiers: [salary]
        k: 10
        optimize: true
        personKey: person_key
      product: staff-salaries
      """;

  @Test
  void aKeptColumnThatPlacesPeopleInSmallGroupsBecomesAQuasiIdentifier() throws Exception {
    landStaff();
    BoundPipeline p = bind(STAFF);
    assertThat(p.privacy().quasiIdentifiers()).as("the employer of a five-person firm, not the month (65 people)")
        .containsExactly("salary", "employer");
    assertThat(p.privacy().added().get("employer")).isEqualTo("measured: places people in groups as small as 5 "
        + "people (distinct person_key) sharing one value in the input (fewer than k=10)");
    assertThat(p.privacy().optimization().hierarchies()).hasSize(2);
    // counting rows instead of people, the five people's 15 rows are a group of 15: large enough for k=10
    BoundPipeline rows = bind(STAFF.replace("  optimize: true\n  personKey: person_key\n", ""));
    assertThat(rows.privacy().quasiIdentifiers()).containsExactly("salary");
    BoundPipeline declared = bind(STAFF.replace("[salary]", "[salary, employer]"));
    assertThat(declared.privacy().added()).as("declared: nothing to add").isEmpty();
    BoundPipeline exempted = bind(STAFF.replace("  k: 10\n", "  k: 10\n  exempt: {employer: \"the register "
        + "publishes every firm's staff\"}\n"));
    assertThat(exempted.privacy().quasiIdentifiers()).containsExactly("salary");
    assertThat(exempted.warnings()).singleElement().asString().startsWith("employer is not counted as a "
        + "quasi-identifier although it places people in groups as small as 5 people");
    assertThat(bind(STAFF.replace("  k: 10\n", "  k: 10\n  exempt: {month: \"every month has all the staff\"}\n"))
        .warnings()).as("the data decides, snapshot by snapshot").contains("exempt: month places no one in a group "
        + "below k in this input: nothing to exempt now");
  }

  @Test
  void aPopulationTableIsPinnedWithAColumnOfEachQuasiIdentifier() throws Exception {
    landStaff();
    BoundPipeline p = bind(STAFF.replace("  k: 10\n", "  k: 10\n  population: ods.human_resources__staff\n"
        + "  riskThreshold: 10%\n"));
    assertThat(p.privacy().population().table().toString()).isEqualTo("ods.human_resources__staff");
    assertThat(p.privacy().population().columns()).containsOnlyKeys("salary", "employer");
    assertThat(p.privacy().riskThreshold()).isEqualTo(0.1);
    assertThatThrownBy(() -> bind(STAFF.replace("  k: 10\n", "  k: 10\n  population: ods.street_office__visits\n")))
        .hasMessageStartingWith("p.yaml:20: population table ods.street_office__visits needs a column 'salary' of "
            + "type long");
    assertThatThrownBy(() -> bind(STAFF.replace("  k: 10\n", "  k: 10\n  population: ods.nothing\n")))
        .hasMessage("p.yaml:20: no population table ods.nothing (see: dataops table list)");
    assertThatThrownBy(() -> bind(STAFF.replace("  k: 10\n", "  k: 10\n  riskThreshold: high\n")))
        .hasMessage("p.yaml:20: riskThreshold is a share like 0.05 or 5%, not 'high'");
  }

  @Test
  void withRefuseAnUndeclaredQuasiIdentifierRefusesThePipelineAtItsLine() throws Exception {
    landStaff();
    assertThatThrownBy(() -> bind(STAFF.replace("  k: 10\n", "  k: 10\n  undeclaredQuasiIdentifiers: refuse\n")))
        .hasMessage("p.yaml:10: column 'employer' is a quasi-identifier the privacy section does not declare: it "
            + "places people in groups as small as 5 people (distinct person_key) sharing one value in the input "
            + "(fewer than k=10); declare it in quasiIdentifiers, generalize or remove it "
            + "(undeclaredQuasiIdentifiers: refuse)")
        .message().doesNotContain("F1");
    assertThatThrownBy(() -> bind(STAFF.replace("  k: 10\n", "  k: 10\n  undeclaredQuasiIdentifiers: maybe\n")))
        .hasMessageStartingWith("p.yaml:20: undeclaredQuasiIdentifiers is add");
  }

  @Test
  void aMeasureOfTheSameSnapshotsSqlColumnsAndPoliciesIsTakenFromTheCache() throws Exception {
    landStaff();
    SmallestGroupsCache cache = SmallestGroupsCache.in(dir.resolve("work"));
    Function<String, BoundPipeline> cached = yaml -> new PipelineValidator(lakehouse, keys).measuresCachedIn(cache)
        .bind(PipelineParser.parse(HEAD + yaml, "p.yaml"), dir);
    String exempting = STAFF.replace("  k: 10\n", "  k: 10\n  exempt: {employer: \"the register publishes every "
        + "firm's staff\"}\n");
    BoundPipeline first = cached.apply(exempting);
    assertSameMeasure(first, bind(exempting));
    assertThat(first.privacy().exempted()).containsOnlyKeys("employer");
    Path folder = dir.resolve("work/group-measures/ods.human_resources__staff");
    Path entry = single(folder);
    long snapshot = first.inputs().get(0).snapshotId();
    assertThat(entry.getFileName().toString()).startsWith(snapshot + "-").endsWith(".bin");
    assertThat(Files.getPosixFilePermissions(entry)).isEqualTo(OwnerOnly.FILE);
    assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(OwnerOnly.FOLDER);
    byte[] bytes = Files.readAllBytes(entry);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as("column names and counts, no value")
        .contains("employer").doesNotContain("F1").doesNotContain("P1").doesNotContain("2026-0");
    Object inode = inode(entry);

    // The same pipeline again, and another product's pipeline on the same snapshot: the entry is used as it is (a
    // measure taken again would be written aside and moved over it: another file).
    assertSameMeasure(cached.apply(exempting), first);
    assertSameMeasure(cached.apply(exempting.replace("product: staff-salaries", "product: staff-again")), first);
    assertThat(inode(entry)).isEqualTo(inode);
    assertThat(single(folder)).isEqualTo(entry);
    // ... and it is what decides: an entry that says employer's smallest group is 10 people exempts nothing.
    rewrite(entry, "employer", 10);
    assertThat(cached.apply(exempting).warnings()).contains("exempt: employer places no one in a group below k in "
        + "this input: nothing to exempt now");

    // An altered entry fails its digest, a foreign one its magic number: measured again, saved again as it was.
    byte[] altered = bytes.clone();
    altered[altered.length / 2] ^= 1;
    Files.write(entry, altered);
    assertSameMeasure(cached.apply(exempting), first);
    assertThat(Files.readAllBytes(entry)).isEqualTo(bytes);
    Files.write(entry, "not a measure".getBytes(StandardCharsets.UTF_8));
    assertSameMeasure(cached.apply(exempting), first);
    assertThat(Files.readAllBytes(entry)).isEqualTo(bytes);
    Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertSameMeasure(cached.apply(exempting), first);
    assertThat(Files.readAllBytes(entry)).isEqualTo(bytes);

    // Another transform or another policy of a measured column is another measure (and another entry).
    String filtered = exempting.replace("FROM staff\n", "FROM staff WHERE salary > 0\n");
    assertSameMeasure(cached.apply(filtered), bind(filtered));
    assertThat(entries(folder)).hasSize(2);
    String masked = exempting.replace("  salary: {generalize", "  employer: {mask: custom, keepFirst: 1}\n  salary: "
        + "{generalize");
    BoundPipeline coarse = cached.apply(masked);
    assertSameMeasure(coarse, bind(masked));
    assertThat(coarse.warnings()).as("F* groups all 65 people").contains("exempt: employer places no one in a group "
        + "below k in this input: nothing to exempt now");
    assertThat(entries(folder)).hasSize(3);

    // A new snapshot (ten more people at the small firm) is measured anew.
    StringBuilder csv = new StringBuilder("person,employer,month,salary\n");
    for (int i = 100; i < 110; i++) {
      csv.append("P").append(i).append(",F1,2026-01,4000\n");
    }
    land("human-resources", "staff", STAFF_CONTRACT, csv.toString());
    BoundPipeline later = cached.apply(exempting);
    assertThat(later.inputs().get(0).snapshotId()).isNotEqualTo(snapshot);
    assertSameMeasure(later, bind(exempting));
    assertThat(later.warnings()).contains("exempt: employer places no one in a group below k in this input: nothing "
        + "to exempt now");
    assertThat(entries(folder)).hasSize(4);
    String latest = later.inputs().get(0).snapshotId() + "-";
    assertThat(entries(folder)).filteredOn(f -> f.getFileName().toString().startsWith(latest)).hasSize(1);

    // The first snapshot expires: its entries go at the table's next new measure (and with `table maintain`).
    lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.parse("ods.human_resources__staff")).expireSnapshots()
        .expireSnapshotId(snapshot).commit();
    assertSameMeasure(cached.apply(filtered), bind(filtered));
    assertThat(entries(folder)).hasSize(2).allMatch(f -> f.getFileName().toString().startsWith(latest));
  }

  private static void assertSameMeasure(BoundPipeline actual, BoundPipeline expected) {
    assertThat(actual.warnings()).isEqualTo(expected.warnings());
    assertThat(actual.privacy().quasiIdentifiers()).isEqualTo(expected.privacy().quasiIdentifiers());
    assertThat(actual.privacy().added()).isEqualTo(expected.privacy().added());
    assertThat(actual.privacy().exempted()).isEqualTo(expected.privacy().exempted());
  }

  private static List<Path> entries(Path folder) throws Exception {
    try (var files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }

  private static Path single(Path folder) throws Exception {
    assertThat(entries(folder)).hasSize(1);
    return entries(folder).get(0);
  }

  private static Object inode(Path file) throws Exception {
    return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
  }

  /** Rewrites one column's group size in a cache entry, with a digest that matches (what an entry is trusted for). */
  private static void rewrite(Path entry, String column, long smallest) throws Exception {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(entry)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeLong(in.readLong());
    out.writeUTF(in.readUTF());
    int n = in.readInt();
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      String c = in.readUTF();
      long size = in.readLong();
      out.writeUTF(c);
      out.writeLong(c.equals(column) ? smallest : size);
    }
    out.flush();
    bytes.write(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    Files.write(entry, bytes.toByteArray());
  }

  /**
   * Found by a probe (an operator as a malicious insider), each a way personal data reached a product that passed
   * validate and the leak check: refused at validate now, naming the line and the column.
   */
  @Test
  void waysToCarryPersonalDataPastThePoliciesAreRefused() {
    String in = citizens("[record_id, id_card, name, gender, birth_date, district_code, monthly_income]");
    // 1. A value picked by a join or filter on part of an ID number: the picked column carries the digit.
    String joined = """
        inputs:
          - table: ods.public_security__citizens
            as: c
            columns: [id_card, gender]
          - table: ods.public_security__citizens
            as: m
            columns: [record_id, district_code]
        transform: |
          SELECT c.gender, m.district_code AS d1
          FROM c JOIN m ON substring(m.district_code, 6, 1) = substring(c.id_card, 1, 1)
        product: p
        """;
    assertThatThrownBy(() -> bind(joined)).isInstanceOf(PipelineException.class).hasMessageContaining(
        "transform: a condition reads c.id_card (id_card, ").hasMessageContaining("other than as a whole value");
    assertThatThrownBy(() -> bind(in + """
        transform: SELECT gender FROM citizens WHERE id_card LIKE '4403%'
        product: p
        """)).hasMessageContaining("a condition reads citizens.id_card");
    // A whole-value join key and a null test stay allowed.
    assertThat(bind(in + """
        transform: SELECT gender, district_code FROM citizens WHERE birth_date IS NOT NULL AND gender = '男'
        product: p
        """).sql()).contains("IS NOT NULL");
    // 2. Division carries its operand: x / 1 is x.
    assertThatThrownBy(() -> bind(in + """
        transform: SELECT CAST(substring(id_card, 1, 9) AS DOUBLE) / 1 AS a, gender FROM citizens
        product: p
        """)).hasMessageContaining("column 'a' carries personal data from citizens.id_card");
    // 3. Parts of one name kept by several masks add up to the name.
    assertThatThrownBy(() -> bind(in + """
        transform: SELECT name AS n1, name AS n2, gender FROM citizens
        policy:
          n1: {mask: custom, keepFirst: 1, keepLast: 0}
          n2: {mask: custom, keepFirst: 0, keepLast: 1}
        product: p
        """)).hasMessageContaining("columns 'n1', 'n2' each keep part of citizens.name in clear");
    assertThat(bind(in + """
        transform: SELECT id_card AS a, id_card AS b, gender FROM citizens
        policy:
          a: {mask: id_card}
          b: {mask: custom, keepFirst: 6, keepLast: 0}
        privacy: {quasiIdentifiers: [gender], k: 5}
        product: p
        """).columns()).hasSize(3).as("one part holds the other");
    // 4. A count column that is not a count makes every person a class of k.
    assertThatThrownBy(() -> bind(in + """
        transform: |
          SELECT district_code, gender, count(*) + 4 AS residents FROM citizens GROUP BY district_code, gender
        privacy: {quasiIdentifiers: [district_code, gender], k: 5, countColumn: residents}
        product: p
        """)).hasMessageContaining("countColumn 'residents' must be count(*), count(column) or the sum of an input "
            + "column of counts as it is, not computed");
  }

  /** A second privacy probe's routes (CASE, date parts, joins repeating rows, a person key that counted nothing). */
  @Test
  void moreWaysToCarryPersonalDataPastThePoliciesAreRefused() {
    String in = citizens("[record_id, id_card, name, gender, birth_date, district_code, monthly_income]");
    // 1. A CASE mapping each character of an ID number to a letter carried every ID number out as "derived".
    assertThatThrownBy(() -> bind(in + """
        transform: |
          SELECT concat(CASE substring(id_card, 1, 1) WHEN '0' THEN 'a' WHEN '1' THEN 'b' ELSE '?' END,
                        CASE WHEN substring(id_card, 2, 1) = '0' THEN 'a' ELSE 'b' END) AS code, gender
          FROM citizens
        product: p
        """)).hasMessageContaining("a condition reads citizens.id_card")
        .hasMessageContaining("which value a column takes");
    // ... and one person's income picked out inside an aggregate by a comparison with a constant.
    assertThatThrownBy(() -> bind(in + """
        transform: |
          SELECT district_code, count(*) AS n,
                 sum(CAST(CASE WHEN id_card = '440304195001010011' THEN monthly_income ELSE 0 END
                          AS DECIMAL(12, 2))) AS s
          FROM citizens GROUP BY district_code
        privacy: {quasiIdentifiers: [district_code], k: 5, countColumn: n}
        product: p
        """)).hasMessageContaining("a condition reads citizens.id_card");
    assertThatThrownBy(() -> bind(in + """
        transform: SELECT gender, name LIKE '王%' AS wang, id_card IN ('1', '2') AS listed FROM citizens
        product: p
        """)).hasMessageContaining("a condition reads citizens.name");
    // A whole-value match of two columns, a null test and CASE over columns that are not personal stay allowed.
    assertThat(bind(in + """
        transform: |
          SELECT CASE WHEN gender = '男' THEN 'M' ELSE 'F' END AS g, birth_date IS NULL AS unknown_birth,
                 district_code FROM citizens
        privacy: {quasiIdentifiers: [g, district_code], k: 5}
        product: p
        """).columns()).hasSize(3);
    // 2. The day of a date carries it: year * 10000 + month * 100 + day published every birth date.
    assertThatThrownBy(() -> bind(in + """
        transform: |
          SELECT year(birth_date) * 10000 + month(birth_date) * 100 + day(birth_date) AS bdn, gender FROM citizens
        product: p
        """)).hasMessageContaining("column 'bdn' carries personal data from citizens.birth_date");
    assertThatThrownBy(() -> bind(in + """
        transform: SELECT EXTRACT(DAY FROM birth_date) AS d, gender FROM citizens
        product: p
        """)).hasMessageContaining("column 'd' carries personal data from citizens.birth_date");
    assertThat(bind(in + """
        transform: SELECT year(birth_date) AS born, gender FROM citizens
        privacy: {quasiIdentifiers: [born, gender], k: 5}
        product: p
        """).columns()).as("the year alone stays derived").hasSize(2);
    // 3. A join repeats rows: a self-join made every person a class of 15 when rows were counted.
    String twoSides = """
        inputs:
          - {table: ods.public_security__citizens, as: c, columns: [id_card, gender]}
          - {table: ods.public_security__citizens, as: d, columns: [record_id, id_card, gender]}
        """;
    assertThatThrownBy(() -> bind(twoSides + """
        transform: SELECT c.id_card AS pk, c.gender FROM c JOIN d ON d.gender = c.gender
        policy: {pk: {pseudonymize: hmac-sha256, key: default}}
        privacy: {quasiIdentifiers: [gender], k: 5}
        product: p
        """)).hasMessageContaining("the transform joins inputs, and a join repeats a row once per match");
    assertThatThrownBy(() -> bind(twoSides + """
        transform: SELECT d.record_id AS pk, c.gender FROM c JOIN d ON d.gender = c.gender
        privacy: {quasiIdentifiers: [gender], k: 5, optimize: true, personKey: pk}
        product: p
        """)).hasMessageContaining("personKey 'pk' carries no personal column of the inputs");
    assertThatThrownBy(() -> bind(twoSides + """
        transform: |
          SELECT d.id_card AS pk, CAST(substring(c.id_card, 1, 6) AS BIGINT) AS area, c.gender
          FROM c JOIN d ON d.gender = c.gender
        policy: {pk: {pseudonymize: hmac-sha256, key: default}, area: {generalize: buckets, width: 1}}
        privacy: {quasiIdentifiers: [area, gender], k: 5, optimize: true, personKey: pk}
        product: p
        """)).hasMessageContaining("quasi-identifier 'area' holds personal data of input c (id_card), but personKey "
            + "'pk' counts the people of d");
    assertThatThrownBy(() -> bind(twoSides + """
        transform: SELECT c.gender, count(*) AS n FROM c JOIN d ON d.gender = c.gender GROUP BY c.gender
        privacy: {quasiIdentifiers: [gender], k: 5, countColumn: n}
        product: p
        """)).hasMessageContaining("only a count of distinct people is the number of people behind each row");
    assertThat(bind(twoSides + """
        transform: |
          SELECT c.gender, count(DISTINCT c.id_card) AS n FROM c JOIN d ON d.gender = c.gender GROUP BY c.gender
        privacy: {quasiIdentifiers: [gender], k: 5, countColumn: n}
        product: p
        """).columns()).hasSize(2);
    // 4. A person key without the search was ignored: the classes counted rows.
    assertThatThrownBy(() -> bind(in + """
        transform: SELECT id_card AS pid, gender, district_code FROM citizens
        policy: {pid: {pseudonymize: hmac-sha256, key: default}}
        privacy: {quasiIdentifiers: [gender, district_code], k: 5, personKey: pid}
        product: p
        """)).hasMessageContaining("personKey counts people in the generalization search, which runs with "
            + "optimize: true");
  }
}
