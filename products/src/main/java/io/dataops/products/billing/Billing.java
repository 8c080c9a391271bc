package io.dataops.products.billing;

import io.dataops.core.BadInputException;
import io.dataops.governance.metering.DeliveryRecord;
import io.dataops.governance.metering.Metering;
import io.dataops.governance.metering.MeteringCheck;
import io.dataops.governance.metering.ReadRecord;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.RegistryCheck;
import io.dataops.products.registry.ProductVersion;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Monthly statements (计量计费) from metered deliveries and the price plans of the versions delivered, and revenue
 * shares (收益分配) to the source departments weighted by lineage: the rows of each department's tables that the
 * version's run read (its metered reads), by {@link RevenueShares}. Months are the district's (China Standard Time).
 */
public final class Billing {
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private final ProductRegistry registry;
  private final Metering metering;
  private final Function<String, BigDecimal> departmentRatio;
  private final RegistryCheck versions;

  /** @param departmentRatio each product's share of revenue for its source departments, 0 to 1 */
  public Billing(ProductRegistry registry, Metering metering, Function<String, BigDecimal> departmentRatio) {
    this(registry, metering, departmentRatio, null);
  }

  private Billing(ProductRegistry registry, Metering metering, Function<String, BigDecimal> departmentRatio,
      RegistryCheck versions) {
    this.registry = registry;
    this.metering = metering;
    this.departmentRatio = departmentRatio;
    this.versions = versions;
  }

  /**
   * This billing, holding each version billed to its audit events first (its state and publication: a price changed
   * in the platform database was billed as changed), refusing the statement when one differs.
   */
  public Billing checkingVersions(RegistryCheck check) {
    return new Billing(registry, metering, departmentRatio, check);
  }

  /**
   * The month's statement for one organization (null: all), whose kind decides what it shows: a partner its lines, an
   * operator the lines and shares of its products, a department its shares and the lines they come from.
   */
  public Statement statement(YearMonth period, String org, String orgKind) {
    Instant from = period.atDay(1).atStartOfDay(ZONE).toInstant();
    Instant until = period.plusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant();
    // The records are derived from the chained events but kept beside them, where whoever can write the database can
    // change them: a record changed to name another partner charged it, one removed billed nobody (found by a probe).
    // A statement is made only from records that still say what their events say.
    MeteringCheck drift = metering.check();
    if (!drift.ok()) {
      throw new BadInputException("no statement of " + period + ": the metering records differ from the audit trail "
          + "they are derived from (" + String.join("; ", drift.problems()) + "); the platform database was changed "
          + "outside the platform (see: dataops audit verify, dataops supervise)");
    }
    Map<String, long[]> groups = new TreeMap<>(); // product@version@partner -> deliveries, rows, bytes
    for (DeliveryRecord d : metering.deliveries(from, until)) {
      long[] g = groups.computeIfAbsent(d.product() + "\u0000" + d.version() + "\u0000" + d.partner(),
          k -> new long[3]);
      g[0]++;
      g[1] += d.rows();
      g[2] += d.bytes();
    }
    List<Statement.Line> lines = new ArrayList<>();
    Map<String, ProductVersion> versions = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : groups.entrySet()) {
      String[] k = e.getKey().split("\u0000");
      ProductVersion v = versions.computeIfAbsent(k[0] + "@" + k[1], x -> checked(period, registry.find(k[0],
          Integer.parseInt(k[1])).orElseThrow(() -> new IllegalStateException("a delivery of " + x
              + ", which the registry does not know"))));
      PricePlan plan = PricePlan.of(v.publication());
      long[] g = e.getValue();
      lines.add(new Statement.Line(v.product(), v.version(), k[2], v.lineage().owner(), plan.kind().label(),
          plan.price(), g[0], g[1], g[2], plan.charge(g[0], g[1])));
    }
    // Shares per version (lineage differs by version), added up per product and party.
    Map<String, BigDecimal> revenue = new TreeMap<>();
    Map<String, Map<String, Statement.Share>> shares = new TreeMap<>();
    Map<String, BigDecimal> versionRevenue = new LinkedHashMap<>();
    for (Statement.Line l : lines) {
      versionRevenue.merge(l.product() + "@" + l.version(), l.amount(), BigDecimal::add);
      revenue.merge(l.product(), l.amount(), BigDecimal::add);
    }
    for (Map.Entry<String, BigDecimal> e : versionRevenue.entrySet()) {
      ProductVersion v = versions.get(e.getKey());
      for (RevenueShares.Part part : RevenueShares.split(e.getValue(), departmentRatio.apply(v.product()),
          v.lineage().owner(), weights(v))) {
        shares.computeIfAbsent(v.product(), p -> new LinkedHashMap<>()).merge(part.role() + ":" + part.party(),
            share(v.product(), part), (a, b) -> new Statement.Share(a.product(), a.party(), a.role(), a.department(),
                a.weightRows() + b.weightRows(), a.amount().add(b.amount())));
      }
    }
    List<Statement.Share> allShares = new ArrayList<>();
    // Per product: the departments by id, then the operator.
    shares.values().forEach(m -> m.values().stream().sorted(java.util.Comparator.comparing(
        (Statement.Share x) -> x.role().equals("operator")).thenComparing(Statement.Share::party))
        .forEach(allShares::add));
    List<Statement.ProductRevenue> products = new ArrayList<>();
    revenue.forEach((p, r) -> products.add(new Statement.ProductRevenue(p, lines.stream()
        .filter(l -> l.product().equals(p)).map(Statement.Line::operator).findFirst().orElse(null), r,
        departmentRatio.apply(p))));
    return forOrg(period, org, orgKind, lines, allShares, products);
  }

  private ProductVersion checked(YearMonth period, ProductVersion v) {
    if (this.versions != null) {
      this.versions.require(v, "the statement of " + period);
    }
    return v;
  }

  private static Statement forOrg(YearMonth period, String org, String kind, List<Statement.Line> lines,
      List<Statement.Share> shares, List<Statement.ProductRevenue> products) {
    if (org == null) {
      return new Statement(period, null, null, sum(lines.stream().map(Statement.Line::amount).toList()), lines,
          shares, products);
    }
    switch (kind) {
      case "partner" -> {
        List<Statement.Line> own = lines.stream().filter(l -> l.org().equals(org)).toList();
        return new Statement(period, org, kind, sum(own.stream().map(Statement.Line::amount).toList()), own,
            List.of(), List.of());
      }
      case "operator" -> {
        List<Statement.Line> own = lines.stream().filter(l -> org.equals(l.operator())).toList();
        List<Statement.ProductRevenue> ps = products.stream().filter(p -> org.equals(p.operator())).toList();
        List<String> names = ps.stream().map(Statement.ProductRevenue::product).toList();
        return new Statement(period, org, kind, sum(own.stream().map(Statement.Line::amount).toList()), own,
            shares.stream().filter(s -> names.contains(s.product())).toList(), ps);
      }
      case "department" -> {
        List<Statement.Share> own = shares.stream().filter(s -> org.equals(s.department())).toList();
        List<String> names = own.stream().map(Statement.Share::product).toList();
        return new Statement(period, org, kind, sum(own.stream().map(Statement.Share::amount).toList()),
            lines.stream().filter(l -> names.contains(l.product())).toList(), own,
            products.stream().filter(p -> names.contains(p.product())).toList());
      }
      default -> throw new BadInputException("a statement is for a partner, an operator or a department; " + org
          + " is " + (kind == null ? "no organization of the platform" : "of kind " + kind));
    }
  }

  /**
   * Each source department's weight in a version: the rows its ods tables gave the version's run (metered). A version
   * made before metering existed has no metered reads: its departments then weigh one per input table, the department
   * read from the table's name.
   */
  private Map<String, Long> weights(ProductVersion v) {
    Map<String, Long> out = new TreeMap<>();
    List<ReadRecord> reads = v.lineage().runKey() == null ? List.of() : metering.readsOfRun(v.lineage().runKey());
    if (!reads.isEmpty()) {
      for (ReadRecord r : reads) {
        if (r.department() != null && r.table() != null && Zone.ODS.holds(r.table())) {
          out.merge(r.department(), r.rows(), Long::sum);
        }
      }
      return out;
    }
    for (String table : v.lineage().inputs().keySet()) {
      if (Zone.ODS.holds(table) && table.contains("__")) {
        out.merge(table.substring(4, table.indexOf("__")).replace('_', '-'), 1L, Long::sum);
      }
    }
    return out;
  }

  private static Statement.Share share(String product, RevenueShares.Part p) {
    return new Statement.Share(product, p.party(), p.role(), "department".equals(p.role()) ? p.party() : null,
        p.weight(), p.amount());
  }

  private static BigDecimal sum(List<BigDecimal> amounts) {
    return amounts.stream().reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
  }
}
