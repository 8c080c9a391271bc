package io.dataops.lakehouse.catalog;

import io.dataops.core.BadInputException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Table names of landed resources: {@code ods.<department>__<dataset>}. Hyphens become underscores so that every
 * name is a plain SQL identifier (pipelines query these tables with SQL).
 */
public final class TableNames {
  private TableNames() {}

  /**
   * A department's or dataset's part of a table name: lower-case letters and digits in words joined by one '-' or
   * '_'. The parts are joined by "__", so a part holding two separators in a row would let two pairs share a table
   * (department {@code a}'s dataset {@code b__c} and department {@code a__b}'s dataset {@code c}).
   */
  private static final Pattern PART = Pattern.compile("[a-z0-9]+(?:[-_][a-z0-9]+)*");
  /** An organization id's length at most; a dataset's name may be longer (a table name stays under 200). */
  private static final int DEPARTMENT_MAX = 64;
  private static final int DATASET_MAX = 120;

  public static String resourceName(String department, String dataset) {
    return sqlName(part("department", department, DEPARTMENT_MAX)) + "__"
        + sqlName(part("dataset", dataset, DATASET_MAX));
  }

  /** {@code name} as a department's id, which names its tables: refused unless it can. */
  public static String department(String name) {
    return part("department", name, DEPARTMENT_MAX);
  }

  private static String part(String kind, String name, int max) {
    if (name == null || name.length() > max || !PART.matcher(name).matches()) {
      throw new BadInputException(kind + " '" + BadInputException.shown(name, max) + "' cannot name a table: use 1 to " + max
          + " lower-case letters and digits, in words joined by one '-' or '_' (e.g. public-security, citizens)");
    }
    return name;
  }

  public static TableIdentifier ods(String department, String dataset) {
    return TableIdentifier.of(Zone.ODS.namespaceName(), resourceName(department, dataset));
  }

  public static TableIdentifier quarantine(String department, String dataset) {
    return TableIdentifier.of(Zone.QUARANTINE.namespaceName(), resourceName(department, dataset));
  }

  public static String sqlName(String name) {
    return name.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /** Parses {@code zone.table}; a bare name means an ods table. */
  public static TableIdentifier parse(String text) {
    String t = text.strip();
    int dot = t.indexOf('.');
    String zone = dot < 0 ? Zone.ODS.namespaceName() : t.substring(0, dot);
    String table = dot < 0 ? t : t.substring(dot + 1);
    boolean known = false;
    for (Zone z : Zone.values()) {
      known |= z.namespaceName().equals(zone);
    }
    if (!known || table.isEmpty() || table.contains(".")) {
      throw new BadInputException("'" + text + "' is not a table name (expected ods|quarantine|product|quality|audit.<name>)");
    }
    return TableIdentifier.of(zone, sqlName(table));
  }
}
