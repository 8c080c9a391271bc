package io.dataops.platform.billing;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.audit.BegunAction;
import io.dataops.core.files.OutFiles;
import io.dataops.core.text.VisibleText;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.metering.Metering;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.product.ProductServices;
import io.dataops.platform.session.Sessions;
import io.dataops.products.billing.Billing;
import io.dataops.products.billing.Statement;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.dataops.lakehouse.storage.Documents;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Billing as the platform wires it: the registry, metering from the audit trail, and the departments' share of
 * revenue from the configuration — {@code billing.department-share} (default {@value #DEFAULT_SHARE}) and
 * {@code billing.department-share.<product>} in {@code <home>/dataops.properties}, or
 * {@code DATAOPS_BILLING_DEPARTMENT_SHARE} and {@code DATAOPS_BILLING_DEPARTMENT_SHARE_<PRODUCT>} (the product's name in
 * upper case, '-' as '_'), the environment winning. Also the statement's printed, JSON and CSV forms.
 */
public final class BillingServices {
  public static final String DEFAULT_SHARE = "0.30";
  public static final String RULE = "line amounts are exact (prices have at most two decimals); per product version, "
      + "the departments' pool is the revenue times the ratio, rounded half-up to the fen; each department's part is "
      + "in proportion to the rows its tables gave the version, rounded down to the fen, the fen left over going one "
      + "each to the largest remainders (ties by department id); the operator receives the rest";
  private static final String KEY = "billing.department-share";
  private static final String ENV = "DATAOPS_BILLING_DEPARTMENT_SHARE";
  private static final String STATEMENT_EVENT = "billing.statement";
  /** The statement event's detail that fixes the period's ratios for later statements of it. */
  private static final String RATIOS = "departmentRatios";

  private BillingServices() {}

  public static Metering metering(PlatformConfig config) {
    return new Metering(Sessions.database(config), new AuditTrail(Sessions.database(config)));
  }

  /**
   * Billing of {@code period}: a product's departments' share is the one the period's first statement used, when one
   * was issued (its {@code billing.statement} event keeps them), else the configuration's. Found by a probe: a past
   * month's statement issued again after the setting changed gave other shares than the first.
   */
  public static Billing billing(PlatformConfig config, Map<String, String> env, YearMonth period) {
    Function<String, BigDecimal> configured = ratios(config.home(), env);
    AuditTrail trail = new AuditTrail(Sessions.database(config));
    Map<String, BigDecimal> fixed = issuedRatios(trail, period);
    return new Billing(ProductServices.registry(config), metering(config),
        product -> fixed.containsKey(product) ? fixed.get(product) : configured.apply(product))
        .checkingVersions(new io.dataops.products.registry.RegistryCheck(trail));
  }

  /**
   * Each product's ratio as the period's earlier statements recorded it, the first statement's winning: a statement
   * issued, whose event is recorded once its file has its name; not one begun and never ended (killed before its event)
   * nor one whose file could not take its name (its event failed).
   */
  static Map<String, BigDecimal> issuedRatios(AuditTrail trail, YearMonth period) {
    Map<String, BigDecimal> fixed = new LinkedHashMap<>();
    long after = 0;
    for (List<AuditRecord> page; !(page = trail.after(after, List.of(STATEMENT_EVENT), "period:" + period, 500))
        .isEmpty(); after = page.get(page.size() - 1).seq()) {
      for (AuditRecord r : page) {
        if (AuditEvent.OK.equals(r.outcome()) && r.details().get(RATIOS) instanceof Map<?, ?> ratios) {
          ratios.forEach((product, ratio) -> fixed.putIfAbsent(String.valueOf(product),
              new BigDecimal(String.valueOf(ratio))));
        }
      }
    }
    return fixed;
  }

  /** Each product's ratio, read once; a bad setting is refused naming where it is. */
  static Function<String, BigDecimal> ratios(Path home, Map<String, String> env) {
    Properties file = new Properties();
    Path props = home.resolve(PlatformConfig.PROPERTIES_FILE);
    if (Files.isRegularFile(props)) {
      try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
        file.load(r);
      } catch (IOException e) {
        throw new BadInputException("cannot read " + props + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    Map<String, BigDecimal> byProduct = new LinkedHashMap<>();
    for (String key : file.stringPropertyNames()) {
      if (key.startsWith(KEY + ".")) {
        byProduct.put(key.substring(KEY.length() + 1), ratio(file.getProperty(key), props + ": " + key));
      }
    }
    BigDecimal fallback = ratio(file.getProperty(KEY, DEFAULT_SHARE), props + ": " + KEY);
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().equals(ENV)) {
        fallback = ratio(e.getValue(), ENV);
      } else if (e.getKey().startsWith(ENV + "_")) {
        String product = e.getKey().substring(ENV.length() + 1).toLowerCase(Locale.ROOT).replace('_', '-');
        byProduct.put(product, ratio(e.getValue(), e.getKey()));
      }
    }
    BigDecimal all = fallback;
    return product -> byProduct.getOrDefault(product, all);
  }

  private static BigDecimal ratio(String text, String where) {
    try {
      BigDecimal r = new BigDecimal(text.strip());
      if (r.signum() >= 0 && r.compareTo(BigDecimal.ONE) <= 0 && r.stripTrailingZeros().scale() <= 4) {
        return r;
      }
    } catch (NumberFormatException ignored) {
      // refused below
    }
    throw new BadInputException(where + ": the departments' share of revenue is a ratio from 0 to 1 with at most 4 "
        + "decimals, e.g. 0.30");
  }

  /** The statement as {@code billing statement --json} prints it (money as decimal strings). */
  public static Map<String, Object> json(Statement s, Object csv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("period", s.period().toString());
    m.put("org", s.org());
    m.put("orgKind", s.orgKind());
    m.put("currency", "CNY");
    m.put("total", s.total().toPlainString());
    List<Map<String, Object>> lines = new ArrayList<>();
    for (Statement.Line l : s.lines()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("product", l.product());
      x.put("version", l.version());
      x.put("org", l.org());
      x.put("operator", l.operator());
      x.put("plan", l.plan());
      x.put("price", l.price().toPlainString());
      x.put("deliveries", l.deliveries());
      x.put("rows", l.rows());
      x.put("bytes", l.bytes());
      x.put("amount", l.amount().toPlainString());
      lines.add(x);
    }
    m.put("lines", lines);
    List<Map<String, Object>> shares = new ArrayList<>();
    for (Statement.Share x : s.shares()) {
      Map<String, Object> y = new LinkedHashMap<>();
      y.put("department", x.department());
      y.put("product", x.product());
      y.put("amount", x.amount().toPlainString());
      y.put("party", x.party());
      y.put("role", x.role());
      y.put("weightRows", x.weightRows());
      shares.add(y);
    }
    m.put("shares", shares);
    List<Map<String, Object>> products = new ArrayList<>();
    for (Statement.ProductRevenue p : s.products()) {
      products.add(Map.of("product", p.product(), "operator", String.valueOf(p.operator()), "revenue",
          p.revenue().toPlainString(), "departmentRatio", p.departmentRatio().toPlainString()));
    }
    m.put("products", products);
    m.put("rounding", RULE);
    m.put("csv", csv.toString());
    return m;
  }

  /** The statement as people read it. */
  public static String text(Statement s, Object csv) {
    StringBuilder t = new StringBuilder(String.format("statement %s%s: total %s yuan%n", s.period(),
        s.org() == null ? "" : " for " + s.org() + " (" + s.orgKind() + ")", s.total().toPlainString()));
    if (s.lines().isEmpty()) {
      t.append("  no deliveries in this month\n");
    }
    for (Statement.Line l : s.lines()) {
      t.append(String.format("  %-26s v%-3d %-22s %-12s %10s × %s: %,d deliveries, %,d rows  %12s%n", l.product(),
          l.version(), l.org(), l.plan(), l.price().toPlainString(), "yuan", l.deliveries(), l.rows(),
          l.amount().toPlainString()));
    }
    if (!s.shares().isEmpty()) {
      t.append("  revenue shares:\n");
      for (Statement.Share x : s.shares()) {
        t.append(String.format("    %-26s %-22s %-10s %,12d rows  %12s%n", x.product(), x.party(), x.role(),
            x.weightRows(), x.amount().toPlainString()));
      }
    }
    t.append("  rounding: ").append(RULE).append('\n');
    // one line whatever the name holds (a line feed in --out was printed raw), as the other printed paths
    t.append("  written to ").append(VisibleText.value(String.valueOf(csv))).append('\n');
    return t.toString();
  }

  /**
   * Issues the statement as a CSV file at {@code file} (see {@link #issue(Statement, Documents, String, AuditSink)});
   * returns it.
   */
  public static Path issue(Statement s, Path file, AuditSink audit) {
    Path abs = OutFiles.resolved(file);
    if (Files.isDirectory(abs)) {
      throw new BadInputException("--out names a folder (" + abs + "); name the file to write");
    }
    try {
      issued(s, Documents.local(abs.getParent()), abs.getFileName().toString(), audit);
    } catch (IOException e) {
      // A path the caller named: one they can fix, said as such (it was "internal error", the cause in the log).
      throw OutFiles.failure("the statement", abs, e);
    }
    return abs; // where it is: the name typed may say otherwise (a .. after a link)
  }

  /**
   * Issues the statement as CSV into an outbox (the home's, or a bucket's): a {@code billing.statement.begun} record
   * before it takes its place there, its {@code billing.statement} event once it has (a failed one if it cannot), so
   * no statement stands without its event (an event that cannot be recorded removes it) and no event stands for a
   * statement not issued. Returns where it is.
   */
  public static String issue(Statement s, Documents folder, String name, AuditSink audit) {
    try {
      return issued(s, folder, name, audit);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the statement to " + folder.location(name), e);
    }
  }

  private static String issued(Statement s, Documents folder, String name, AuditSink audit) throws IOException {
    List<String> objects = s.org() == null ? List.of("period:" + s.period())
        : List.of("period:" + s.period(), "organization:" + s.org());
    Map<String, String> ratios = new LinkedHashMap<>();
    s.products().forEach(p -> ratios.put(p.product(), p.departmentRatio().toPlainString()));
    BegunAction statement = BegunAction.of(AuditEvent.ok(STATEMENT_EVENT, objects, Map.of("total",
        s.total().toPlainString(), "lines", s.lines().size(), "shares", s.shares().size(), RATIOS, ratios)));
    // The statement's event (which fixes the period's ratios, issuedRatios) only once the file has its name: found by
    // a probe, a move that failed after it (a folder there) fixed the ratios by a statement nobody received. A begun
    // record before the move; a failed statement event naming it when the move fails; the file removed when its
    // event cannot be recorded.
    return folder.issue(Map.of(name, csv(s).getBytes(StandardCharsets.UTF_8)), Documents.Issue.recorded(statement,
        audit)).get(0);
  }

  /** The statement as CSV: one row per line and per share, then the total; money as decimal strings. */
  static String csv(Statement s) {
    StringBuilder csv = new StringBuilder("kind,period,product,version,org,role,plan,price,deliveries,rows,amount\r\n");
    for (Statement.Line l : s.lines()) {
      csv.append(String.join(",", "line", s.period().toString(), l.product(), String.valueOf(l.version()), l.org(),
          "partner", l.plan(), l.price().toPlainString(), String.valueOf(l.deliveries()), String.valueOf(l.rows()),
          l.amount().toPlainString())).append("\r\n");
    }
    for (Statement.Share x : s.shares()) {
      csv.append(String.join(",", "share", s.period().toString(), x.product(), "", x.party(), x.role(), "", "", "",
          String.valueOf(x.weightRows()), x.amount().toPlainString())).append("\r\n");
    }
    csv.append(String.join(",", "total", s.period().toString(), "", "", s.org() == null ? "" : s.org(), "", "", "",
        "", "", s.total().toPlainString())).append("\r\n");
    return csv.toString();
  }
}
