package io.dataops.governance.grant;

/** Row filters of a grant: SQL boolean expressions over one table's columns, combined so that both hold. */
final class RowFilter {
  private RowFilter() {}

  static String both(String a, String b) {
    if (a == null || a.isBlank()) {
      return b == null || b.isBlank() ? null : b.strip();
    }
    if (b == null || b.isBlank()) {
      return a.strip();
    }
    return "(" + a.strip() + ") AND (" + b.strip() + ")";
  }
}
