package io.dataops.lakehouse.catalog;

import org.apache.iceberg.catalog.Namespace;

/**
 * The lakehouse's namespaces: landed resources, quarantined rows, products, quality results, and the audit trail's
 * checkpoints (kept apart from the platform database so that a rewrite of that database alone is detected).
 */
public enum Zone {
  ODS("ods"), QUARANTINE("quarantine"), PRODUCT("product"), QUALITY("quality"), AUDIT("audit");

  private final String name;

  Zone(String name) {
    this.name = name;
  }

  public String namespaceName() {
    return name;
  }

  public Namespace namespace() {
    return Namespace.of(name);
  }

  /** Whether a table named {@code zone.table} (as grants, metering and lineage write it) is in this zone. */
  public boolean holds(String qualifiedName) {
    return qualifiedName.startsWith(name + ".");
  }

  /** Whether {@code id} holds data as departments sent it ({@code ods}, {@code quarantine}): raw personal values. */
  public static boolean raw(org.apache.iceberg.catalog.TableIdentifier id) {
    String zone = id.namespace().level(0);
    return ODS.name.equals(zone) || QUARANTINE.name.equals(zone);
  }
}
