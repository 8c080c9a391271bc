package io.dataops.lakehouse.sample;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.contract.FeedSchedule;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.Charset;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The synthetic datasets of three Futian departments. Rows are pure functions of (seed, index), so files are
 * reproducible, and the datasets link: social-insurance rows name people of the citizen registry (by ID number)
 * and employers of the enterprise register (by credit code).
 */
public enum SampleDataset {
  CITIZENS("public-security", "citizens", "人口基础信息 (citizen registry)") {
    @Override
    List<ColumnSpec> columns() {
      return List.of(
          col("record_id", ColumnType.of(ValueType.STRING), true, 20, null, "registry record number"),
          col("name", ColumnType.of(ValueType.STRING), true, 32, PersonalData.NAME, "姓名"),
          col("id_card", ColumnType.of(ValueType.STRING), true, 18, PersonalData.ID_CARD, "公民身份号码"),
          col("phone", ColumnType.of(ValueType.STRING), false, 20, PersonalData.MOBILE, "手机号码"),
          col("gender", ColumnType.of(ValueType.STRING), false, 1, null, "M or F"),
          col("birth_date", ColumnType.of(ValueType.DATE), false, null, PersonalData.BIRTH_DATE, "出生日期"),
          col("address", ColumnType.of(ValueType.STRING), false, 128, PersonalData.ADDRESS, "居住地址"),
          col("district_code", ColumnType.of(ValueType.STRING), true, 12, null, "街道统计区划代码"),
          col("monthly_income", ColumnType.decimal(12, 2), false, null, null, "月收入 (元)"),
          col("updated_at", ColumnType.of(ValueType.TIMESTAMP), true, null, null, "最后更新时间"));
    }

    @Override
    List<String> primaryKey() {
      return List.of("record_id");
    }

    @Override
    String[] row(Context ctx, long index) {
      Person p = Person.of(ctx.seed, index);
      return new String[] {recordId("R", index), p.name(), p.idCard(), p.phone(), p.gender(),
          p.birthDate().toString(), p.address(), p.districtCode(), p.monthlyIncome().toPlainString(),
          updatedAt(ctx.seed, index)};
    }

    @Override
    void plant(Defect d, String[] row, Context ctx, long index, SplittableRandom r) {
      switch (d) {
        case MISSING_REQUIRED -> row[2] = "";
        case BAD_DATE -> row[5] = row[5].substring(0, 5) + "02-30";
        case BAD_NUMBER -> row[8] = "约" + row[8].substring(0, Math.min(4, row[8].length()));
        case TOO_LONG -> row[1] = row[1].repeat(17);
        case UNDECODABLE -> row[6] = row[6] + UNDECODABLE_MARK;
        case BAD_ID_CHECK -> row[2] = wrongCheckChar(row[2]);
        case BAD_PHONE -> row[3] = "0" + row[3].substring(1, 10);
        case NEGATIVE_AMOUNT -> row[8] = "-" + row[8];
        case DUPLICATE_KEY -> row[0] = recordId("R", Math.max(ctx.offset, index - 1 - r.nextInt(10)));
        default -> { }
      }
    }

    @Override
    boolean supports(Defect d) {
      return true;
    }
  },

  ENTERPRISES("market-regulation", "enterprises", "市场主体登记信息 (enterprise register)") {
    @Override
    List<ColumnSpec> columns() {
      return List.of(
          col("credit_code", ColumnType.of(ValueType.STRING), true, 18, null, "统一社会信用代码"),
          col("name", ColumnType.of(ValueType.STRING), true, 100, null, "企业名称"),
          col("legal_representative", ColumnType.of(ValueType.STRING), true, 32, PersonalData.NAME, "法定代表人"),
          col("legal_rep_id_card", ColumnType.of(ValueType.STRING), false, 18, PersonalData.ID_CARD,
              "法定代表人身份证号码"),
          col("registered_capital", ColumnType.decimal(18, 2), false, null, null, "注册资本 (元)"),
          col("established_date", ColumnType.of(ValueType.DATE), true, null, null, "成立日期"),
          col("industry_code", ColumnType.of(ValueType.STRING), false, 4, null, "国民经济行业分类"),
          col("district_code", ColumnType.of(ValueType.STRING), true, 12, null, "街道统计区划代码"),
          col("address", ColumnType.of(ValueType.STRING), false, 128, null, "住所"),
          col("status", ColumnType.of(ValueType.STRING), true, 8, null, "登记状态"),
          col("employees", ColumnType.of(ValueType.INT), false, null, null, "从业人数"),
          col("updated_at", ColumnType.of(ValueType.TIMESTAMP), true, null, null, "最后更新时间"));
    }

    @Override
    List<String> primaryKey() {
      return List.of("credit_code");
    }

    @Override
    String[] row(Context ctx, long index) {
      Enterprise e = Enterprise.of(ctx.seed, index, ctx.population);
      Person rep = Person.of(ctx.seed, e.legalRepresentative());
      return new String[] {e.creditCode(), e.name(), rep.name(), rep.idCard(), e.registeredCapital().toPlainString(),
          e.establishedDate().toString(), e.industryCode(), e.districtCode(), e.address(), e.status(),
          String.valueOf(e.employees()), updatedAt(ctx.seed, index)};
    }

    @Override
    void plant(Defect d, String[] row, Context ctx, long index, SplittableRandom r) {
      switch (d) {
        case MISSING_REQUIRED -> row[5] = "";
        case BAD_DATE -> row[5] = row[5].substring(0, 5) + "13-01";
        case BAD_NUMBER -> row[4] = "壹佰万元";
        case TOO_LONG -> row[1] = row[1].repeat(10);
        case UNDECODABLE -> row[8] = row[8] + UNDECODABLE_MARK;
        case BAD_ID_CHECK -> row[0] = wrongCreditCheckChar(row[0]);
        case NEGATIVE_AMOUNT -> row[4] = "-" + row[4];
        case DUPLICATE_KEY -> row[0] = Enterprise.of(ctx.seed, Math.max(ctx.offset, index - 1 - r.nextInt(10)),
            ctx.population).creditCode();
        default -> { }
      }
    }

    @Override
    boolean supports(Defect d) {
      return d != Defect.BAD_PHONE;
    }
  },

  SOCIAL_INSURANCE("human-resources", "social-insurance", "社会保险缴费明细 (social insurance contributions)") {
    @Override
    List<ColumnSpec> columns() {
      ColumnType money = ColumnType.decimal(12, 2);
      return List.of(
          col("record_id", ColumnType.of(ValueType.STRING), true, 20, null, "缴费记录号"),
          col("id_card", ColumnType.of(ValueType.STRING), true, 18, PersonalData.ID_CARD, "参保人身份证号码"),
          col("name", ColumnType.of(ValueType.STRING), false, 32, PersonalData.NAME, "参保人姓名"),
          col("credit_code", ColumnType.of(ValueType.STRING), true, 18, null, "参保单位统一社会信用代码"),
          col("contribution_month", ColumnType.of(ValueType.STRING), true, 7, null, "费款所属期 (yyyy-MM)"),
          col("base_salary", money, true, null, null, "缴费基数 (元)"),
          col("pension_personal", money, false, null, null, "养老保险个人缴费"),
          col("pension_employer", money, false, null, null, "养老保险单位缴费"),
          col("medical_personal", money, false, null, null, "医疗保险个人缴费"),
          col("payment_status", ColumnType.of(ValueType.STRING), false, 8, null, "缴费状态"),
          col("updated_at", ColumnType.of(ValueType.TIMESTAMP), true, null, null, "最后更新时间"));
    }

    @Override
    List<String> primaryKey() {
      return List.of("record_id");
    }

    @Override
    String[] row(Context ctx, long index) {
      SplittableRandom r = new SplittableRandom(Samples.mix(ctx.seed, index, 0x5EED_0003L));
      Person p = Person.of(ctx.seed, Math.floorMod(Samples.mix(ctx.seed, index, 11), ctx.population));
      Enterprise e = Enterprise.of(ctx.seed, Math.floorMod(Samples.mix(ctx.seed, index, 12), ctx.enterprises),
          ctx.population);
      BigDecimal base = p.monthlyIncome().max(BigDecimal.valueOf(2360)).min(BigDecimal.valueOf(38_892));
      int month = 1 + r.nextInt(10);
      return new String[] {recordId("S", index), p.idCard(), p.name(), e.creditCode(),
          "2026-" + Samples.pad(month, 2), base.setScale(2, RoundingMode.HALF_UP).toPlainString(),
          pct(base, 8), pct(base, 16), pct(base, 2),
          Vocabulary.PAYMENT_STATUS[r.nextInt(Vocabulary.PAYMENT_STATUS.length)], updatedAt(ctx.seed, index)};
    }

    @Override
    void plant(Defect d, String[] row, Context ctx, long index, SplittableRandom r) {
      switch (d) {
        case MISSING_REQUIRED -> row[5] = "";
        case BAD_DATE -> row[10] = row[10].substring(0, 8) + "32 10:00:00";
        case BAD_NUMBER -> row[5] = "n/a";
        case TOO_LONG -> row[9] = "正常缴费已到账待核对确认";
        case UNDECODABLE -> row[2] = row[2] + UNDECODABLE_MARK;
        case BAD_ID_CHECK -> row[1] = wrongCheckChar(row[1]);
        case NEGATIVE_AMOUNT -> row[6] = "-" + row[6];
        case DUPLICATE_KEY -> row[0] = recordId("S", Math.max(ctx.offset, index - 1 - r.nextInt(10)));
        default -> { }
      }
    }

    @Override
    boolean supports(Defect d) {
      return d != Defect.BAD_PHONE;
    }
  };

  /** Stands for one byte that is invalid in every supported encoding; writers of text formats emit 0xFF for it. */
  static final char UNDECODABLE_MARK = '\u0000';

  private final String department;
  private final String dataset;
  private final String description;

  SampleDataset(String department, String dataset, String description) {
    this.department = department;
    this.dataset = dataset;
    this.description = description;
  }

  public String department() {
    return department;
  }

  public String dataset() {
    return dataset;
  }

  abstract List<ColumnSpec> columns();

  abstract List<String> primaryKey();

  abstract String[] row(Context ctx, long index);

  abstract void plant(Defect d, String[] row, Context ctx, long index, SplittableRandom r);

  abstract boolean supports(Defect d);

  /** The sample departments promise a feed a month, by the 5th (China Standard Time). */
  public static final FeedSchedule SCHEDULE = new FeedSchedule(FeedSchedule.Every.MONTH, 5);

  /** The contract the department publishes for this dataset in the given file format and encoding. */
  public FeedContract contract(FeedFormat format, Charset encoding) {
    return new FeedContract(department, dataset, description, format, encoding, true, ',', '"',
        FeedContract.defaultNullValues(format),
        FeedContract.DEFAULT_DATE_FORMAT, FeedContract.DEFAULT_TIMESTAMP_FORMAT, primaryKey(), null,
        FeedContract.DEFAULT_MAX_RECORD_BYTES, columns(), SCHEDULE);
  }

  public static SampleDataset parse(String name) {
    for (SampleDataset d : values()) {
      if (d.dataset.equals(name) || d.name().equalsIgnoreCase(name.replace('-', '_'))) {
        return d;
      }
    }
    throw new BadInputException("unknown dataset '" + name + "' (expected "
        + Arrays.stream(values()).map(SampleDataset::dataset).collect(Collectors.joining(", ")) + ")");
  }

  /** What rows depend on: the seed, the first index, and the sizes of the linked populations. */
  record Context(long seed, long offset, long population, long enterprises) {}

  private static ColumnSpec col(String name, ColumnType type, boolean required, Integer maxLength,
      PersonalData personal, String description) {
    return new ColumnSpec(name, type, required, maxLength, null, personal, description, false);
  }

  private static String recordId(String prefix, long index) {
    return prefix + Samples.pad(index + 1, 10);
  }

  private static String updatedAt(long seed, long index) {
    long minutes = Math.floorMod(Samples.mix(seed, index, 99), 60L * 24 * 30);
    LocalDateTime t = LocalDateTime.of(2026, 10, 1, 8, 0).plusMinutes(minutes).plusSeconds(index % 60);
    return t.toLocalDate() + " " + Samples.pad(t.getHour(), 2) + ":" + Samples.pad(t.getMinute(), 2) + ":"
        + Samples.pad(t.getSecond(), 2);
  }

  private static String pct(BigDecimal base, int percent) {
    return base.multiply(BigDecimal.valueOf(percent)).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP)
        .toPlainString();
  }

  /** Keeps the 17-digit body and puts a check character that does not match. */
  static String wrongCheckChar(String id) {
    if (id.length() != 18) {
      return id + "0";
    }
    char right = PrcIdentifiers.idCardCheckChar(id);
    char wrong = right == '0' ? '1' : right == 'X' ? '0' : (char) (right == '9' ? '0' : right + 1);
    return id.substring(0, 17) + wrong;
  }

  static String wrongCreditCheckChar(String code) {
    char right = PrcIdentifiers.creditCodeCheckChar(code);
    char wrong = right == '0' ? '1' : '0';
    return code.substring(0, 17) + wrong;
  }

  public String spelling() {
    return dataset.toLowerCase(Locale.ROOT);
  }
}
