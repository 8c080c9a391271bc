package io.dataops.lakehouse.catalog;

import io.dataops.core.BadInputException;
import java.util.Locale;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Table names of landed resources: {@code ods.<department>__<dataset>}. Hyphens become underscores so that every
 * name is a plain SQL identifier (pipelines query these tables with SQL).
 */
public final class TableNames {
  private TableNames() {}

  public static String resourceName(String department, String dataset) {
    return sqlName(department) + "__" + sqlName(dataset);
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
