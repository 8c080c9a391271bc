package io.dataops.lakehouse.catalog;

import org.apache.iceberg.catalog.Namespace;

/** The lakehouse's namespaces: landed resources, quarantined rows, products, quality results. */
public enum Zone {
  ODS("ods"), QUARANTINE("quarantine"), PRODUCT("product"), QUALITY("quality");

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
}
