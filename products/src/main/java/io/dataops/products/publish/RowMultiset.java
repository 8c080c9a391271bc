package io.dataops.products.publish;

import io.dataops.pipelines.privacy.Hash128;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.iceberg.data.Record;

/**
 * A multiset of rows in constant memory: the count and the sums (mod 2^64) of each row's 128-bit hash. Sums do not
 * depend on the order rows come in, so two readers of the same rows in any order, split any way, agree; rows that
 * differ anywhere (a value, a row more or less) change the sums but with a chance of about 2^-128. Rows are hashed by
 * value as Iceberg's generic readers give them (decimals by their plain text, so the scale counts); no value is kept.
 */
final class RowMultiset {
  private final List<String> columns;
  private final Hash128 hash = new Hash128();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(buffer);
  private long rows;
  private long sum1;
  private long sum2;

  RowMultiset(List<String> columns) {
    this.columns = List.copyOf(columns);
  }

  void add(Record r) {
    buffer.reset();
    try {
      for (String c : columns) {
        Object v = r.getField(c);
        if (v == null) {
          out.writeByte(0);
          continue;
        }
        byte[] text = text(v).getBytes(StandardCharsets.UTF_8);
        out.writeByte(1);
        out.writeInt(text.length);
        out.write(text);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    hash.hash(buffer.toByteArray(), buffer.size());
    sum1 += hash.h1;
    sum2 += hash.h2;
    rows++;
  }

  private static String text(Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return HexFormat.of().formatHex(bytes);
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    return v.getClass().getSimpleName() + ":" + v;
  }

  long rows() {
    return rows;
  }

  boolean sameAs(RowMultiset other) {
    return rows == other.rows && sum1 == other.sum1 && sum2 == other.sum2;
  }
}
