package io.dataops.lakehouse.contract;

import java.util.Locale;

/** The file formats a department may send. */
public enum FeedFormat {
  CSV, JSONL, PARQUET, XLSX;

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FeedFormat parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "csv" -> CSV;
      case "jsonl", "json-lines", "ndjson" -> JSONL;
      case "parquet" -> PARQUET;
      case "xlsx", "excel" -> XLSX;
      default -> throw new IllegalArgumentException("unknown format '" + text + "' (expected csv, jsonl, parquet, xlsx)");
    };
  }

  /** The format a file name suggests, or null. */
  public static FeedFormat fromFileName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".csv") || n.endsWith(".txt")) {
      return CSV;
    }
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
      return JSONL;
    }
    if (n.endsWith(".parquet")) {
      return PARQUET;
    }
    if (n.endsWith(".xlsx")) {
      return XLSX;
    }
    return null;
  }
}
