package io.dataops.governance.grant;

import java.time.LocalDate;
import java.util.List;

/**
 * What an operator asks for (授权申请), as written in its application file: the scenario and its purpose, the ods
 * tables with the columns (and optionally the rows) of each, the period and the products it means to make.
 *
 * @param source the file's name, for messages with a line
 * @param operator the organization applying; null: the applicant's own
 * @param from the first day (China Standard Time); null: the day of applying
 * @param until the last day
 * @param sha256 of the file's text, recorded with the grant
 */
public record Application(String source, String scenario, String purpose, String operator, LocalDate from,
    LocalDate until, List<String> products, List<Resource> resources, String sha256) {
  public Application {
    products = List.copyOf(products);
    resources = List.copyOf(resources);
  }

  /**
   * One requested table.
   *
   * @param filter a SQL boolean expression over the table's columns: only these rows (null: all)
   * @param line the line of the entry, {@code columnsLine} and {@code filterLine} of its parts (0: not from a file)
   */
  public record Resource(String table, List<String> columns, String filter, int line, int columnsLine,
      int filterLine) {
    public Resource {
      columns = List.copyOf(columns);
    }
  }
}
