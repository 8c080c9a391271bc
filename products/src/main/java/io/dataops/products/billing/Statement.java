package io.dataops.products.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A month's statement (对账单): what partners were charged for each product version they received, and how each
 * product's revenue is shared between its source departments and its operator. Amounts are yuan, exact to the fen.
 *
 * @param org the organization the statement is for (null: every one)
 * @param total what the statement adds up to: a partner's charges, an operator's revenue, a department's shares, or
 *     all revenue
 */
public record Statement(YearMonth period, String org, String orgKind, BigDecimal total, List<Line> lines,
    List<Share> shares, List<ProductRevenue> products) {

  public Statement {
    lines = List.copyOf(lines);
    shares = List.copyOf(shares);
    products = List.copyOf(products);
  }

  /** What one partner owes for one version: its deliveries in the month under the version's plan. */
  public record Line(String product, int version, String org, String operator, String plan, BigDecimal price,
      long deliveries, long rows, long bytes, BigDecimal amount) {}

  /**
   * One party's part of a product's revenue in the month.
   *
   * @param department the department receiving it; null for the operator's part
   * @param weightRows the rows of the department's tables the product's versions were made from
   */
  public record Share(String product, String party, String role, String department, long weightRows,
      BigDecimal amount) {}

  /** A product's revenue in the month, and the departments' ratio it was shared by. */
  public record ProductRevenue(String product, String operator, BigDecimal revenue, BigDecimal departmentRatio) {}
}
