package io.dataops.governance.audit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one spelling of a value that the audit chain hashes: JSON without spaces, object keys sorted (by UTF-16 code
 * units, as RFC 8785), strings escaped minimally, integers as digits. Written here rather than by a JSON library so
 * that the bytes of an event can never change with a library's version: a trail written today must verify in years.
 * Lone surrogates and control characters are escaped, so that the text survives either database unchanged.
 */
final class CanonicalJson {
  /** JSON text embedded as it is (stored objects and details, when an event is hashed again). */
  record Raw(String json) {}

  private static final int MAX_DEPTH = 16;

  private CanonicalJson() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, Object v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("audit details nest deeper than " + MAX_DEPTH + " levels");
    }
    if (v == null) {
      out.append("null");
    } else if (v instanceof Raw raw) {
      out.append(raw.json());
    } else if (v instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long
        || v instanceof BigInteger) {
      out.append(v);
    } else if (v instanceof BigDecimal d) {
      out.append(d.stripTrailingZeros().toPlainString());
    } else if (v instanceof Float || v instanceof Double) {
      number(out, ((Number) v).doubleValue());
    } else if (v instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (sorted.put(String.valueOf(e.getKey()), e.getValue()) != null) {
          throw new IllegalArgumentException("audit details repeat the key '" + e.getKey() + "'");
        }
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, e.getKey());
        out.append(':');
        write(out, e.getValue(), depth + 1);
      }
      out.append('}');
    } else if (v instanceof Iterable<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(out, item, depth + 1);
      }
      out.append(']');
    } else if (v instanceof Object[] array) {
      write(out, java.util.Arrays.asList(array), depth);
    } else {
      string(out, String.valueOf(v)); // text, enums, times, ids
    }
  }

  private static void number(StringBuilder out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      string(out, Double.toString(d));
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d);
    } else {
      out.append(Double.toString(d));
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
          if (pairedHigh) {
            out.append(c).append(s.charAt(++i));
          } else if (c < 0x20 || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
