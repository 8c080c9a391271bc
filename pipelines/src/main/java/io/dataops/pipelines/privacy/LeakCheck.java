package io.dataops.pipelines.privacy;

import io.dataops.pipelines.model.ValueType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Guards every product version against raw personal data. Two tests, both over every output value:
 * <ol>
 *   <li>equality: no output value may equal a raw value of a personal-data column of the inputs. Raw values go into a
 *       blocked Bloom filter (16 bits per value, every probe of a value in one 64-byte block, so one cache miss per
 *       value instead of eleven; about 0.1% false hits); output values that hit it are kept as 128-bit
 *       candidates and confirmed exactly by a second look at the raw values ({@link #confirm}). Memory: the filter
 *       plus 16 bytes per candidate.</li>
 *   <li>shape: no output value may contain a resident ID or mobile number, except in columns whose policy keeps that
 *       shape on purpose (format-preserving encryption; such columns are also exempt from equality, since a
 *       ciphertext may coincide with someone else's number).</li>
 * </ol>
 * Values shorter than two characters are not compared (a one-letter code is not personal data). {@link #check} may
 * be called from several threads once every raw value has been added. At most {@link #MAX_CANDIDATES} candidates are
 * held; past that the check fails without confirming them one by one (so many hits are a leak, not chance).
 */
public final class LeakCheck {
  /** The outcome, per output column: values equal to raw personal values and values shaped like identifiers. */
  public record Result(boolean passed, Map<String, Long> equalToRaw, Map<String, Long> identifierShaped,
      long rawValues, long candidates, boolean tooManyCandidates) {}

  public static final int MAX_CANDIDATES = 1 << 22;

  private final List<String> columns;
  private final boolean[] exempt;
  private final long[] bits;
  private static final int BLOCK_BITS = 512;
  private static final int PROBES = 11;
  private final long blocks;
  private long rawValues;
  private final ValueKey rawKey = new ValueKey();
  private final long[] equal;
  private final long[] shaped;
  private final CandidateSet candidates = new CandidateSet();
  private final ThreadLocal<ValueKey> keys = ThreadLocal.withInitial(ValueKey::new);
  private boolean confirmed;
  private boolean overflow;

  /**
   * @param columns the product's columns, in row order
   * @param exempt which of them keep identifier shapes on purpose
   * @param expectedRaw about how many raw personal values there are (sizes the filter)
   * @param maxFilterBytes the most memory the filter may take
   */
  public LeakCheck(List<String> columns, boolean[] exempt, long expectedRaw, long maxFilterBytes) {
    this.columns = List.copyOf(columns);
    this.exempt = exempt.clone();
    long wanted = Math.max(1 << 16, expectedRaw * 16);
    long limit = Math.max(64, maxFilterBytes * 8);
    this.blocks = Math.max(1, Math.min(wanted, limit) / BLOCK_BITS);
    this.bits = new long[(int) (blocks * (BLOCK_BITS / 64))];
    this.equal = new long[columns.size()];
    this.shaped = new long[columns.size()];
  }

  /** First: every raw value of the inputs' personal-data columns. */
  public void addRaw(Object value) {
    String text = ValueType.text(value);
    if (text == null || text.codePointCount(0, text.length()) < 2) {
      return;
    }
    Hash128 h = rawKey.reset().add(text).hash();
    rawValues++;
    int block = block(h);
    int a = (int) h.h2;
    int b = (int) (h.h2 >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      int bit = (a + i * b) & (BLOCK_BITS - 1);
      bits[block + (bit >>> 6)] |= 1L << bit;
    }
  }

  /** The first word of the value's 512-bit block: all its probes fall in one cache line. */
  private int block(Hash128 h) {
    return (int) Long.remainderUnsigned(h.h1, blocks) * (BLOCK_BITS / 64);
  }

  private boolean mightBeRaw(Hash128 h) {
    int block = block(h);
    int a = (int) h.h2;
    int b = (int) (h.h2 >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      int bit = (a + i * b) & (BLOCK_BITS - 1);
      if ((bits[block + (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Then: every output row (values in {@code columns} order). */
  public void check(Object[] row) {
    for (int c = 0; c < row.length; c++) {
      Object v = row[c];
      if (v == null || exempt[c]) {
        continue;
      }
      String text = ValueType.text(v);
      if (text.codePointCount(0, text.length()) < 2) {
        continue;
      }
      if (v instanceof String && IdentifierPatterns.find(text) != IdentifierPatterns.Found.NONE) {
        synchronized (shaped) {
          shaped[c]++;
        }
      }
      Hash128 h = keys.get().reset().add(text).hash();
      if (mightBeRaw(h)) {
        synchronized (candidates) {
          if (candidates.size() < MAX_CANDIDATES) {
            candidates.add(h.h1, h.h2, c);
          } else {
            overflow = true;
          }
        }
      }
    }
  }

  /** True when some output values hit the filter: their equality must be confirmed against the raw values. */
  public boolean needsConfirmation() {
    return candidates.size() > 0;
  }

  /** Last, when {@link #needsConfirmation}: the raw values again; confirms the candidates that really equal one. */
  public void confirm(Object value) {
    String text = ValueType.text(value);
    if (text == null || text.codePointCount(0, text.length()) < 2) {
      return;
    }
    Hash128 h = rawKey.reset().add(text).hash();
    candidates.mark(h.h1, h.h2);
    confirmed = true;
  }

  public Result result() {
    candidates.countMarked(equal);
    Map<String, Long> eq = new LinkedHashMap<>();
    Map<String, Long> sh = new LinkedHashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      if (equal[c] > 0) {
        eq.put(columns.get(c), equal[c]);
      }
      if (shaped[c] > 0) {
        sh.put(columns.get(c), shaped[c]);
      }
    }
    if (candidates.size() > 0 && (!confirmed || overflow)) {
      // Unconfirmed candidates count as leaks: the check never passes on a guess.
      candidates.countAll(equal);
      eq.clear();
      for (int c = 0; c < columns.size(); c++) {
        if (equal[c] > 0) {
          eq.put(columns.get(c), equal[c]);
        }
      }
    }
    return new Result(eq.isEmpty() && sh.isEmpty(), eq, sh, rawValues, candidates.size(), overflow);
  }

  /** Output values that hit the filter: hash, column, and whether a raw value confirmed them. */
  private static final class CandidateSet {
    private long[] h = new long[0];
    private int[] col = new int[0];
    private boolean[] hit = new boolean[0];
    private int n;
    private boolean sorted = true;

    void add(long h1, long h2, int column) {
      if (n == col.length) {
        int cap = Math.max(64, n * 2);
        h = Arrays.copyOf(h, cap * 2);
        col = Arrays.copyOf(col, cap);
        hit = Arrays.copyOf(hit, cap);
      }
      h[2 * n] = h1;
      h[2 * n + 1] = h2;
      col[n] = column;
      n++;
      sorted = false;
    }

    int size() {
      return n;
    }

    void mark(long h1, long h2) {
      if (!sorted) {
        sort();
      }
      int lo = 0;
      int hi = n - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = Long.compare(h[2 * mid], h1);
        if (c == 0) {
          c = Long.compare(h[2 * mid + 1], h2);
        }
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          // Equal hashes may repeat (one value in several rows or columns): mark the whole run.
          int i = mid;
          while (i > 0 && h[2 * (i - 1)] == h1 && h[2 * (i - 1) + 1] == h2) {
            i--;
          }
          for (; i < n && h[2 * i] == h1 && h[2 * i + 1] == h2; i++) {
            hit[i] = true;
          }
          return;
        }
      }
    }

    private void sort() {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> {
        int c = Long.compare(h[2 * x], h[2 * y]);
        return c != 0 ? c : Long.compare(h[2 * x + 1], h[2 * y + 1]);
      });
      long[] h2 = new long[2 * n];
      int[] c2 = new int[n];
      boolean[] hit2 = new boolean[n];
      for (int i = 0; i < n; i++) {
        h2[2 * i] = h[2 * order[i]];
        h2[2 * i + 1] = h[2 * order[i] + 1];
        c2[i] = col[order[i]];
        hit2[i] = hit[order[i]];
      }
      h = h2;
      col = c2;
      hit = hit2;
      sorted = true;
    }

    void countMarked(long[] perColumn) {
      Arrays.fill(perColumn, 0);
      for (int i = 0; i < n; i++) {
        if (hit[i]) {
          perColumn[col[i]]++;
        }
      }
    }

    void countAll(long[] perColumn) {
      Arrays.fill(perColumn, 0);
      for (int i = 0; i < n; i++) {
        perColumn[col[i]]++;
      }
    }
  }
}
