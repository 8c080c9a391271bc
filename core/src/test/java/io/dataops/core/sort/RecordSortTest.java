package io.dataops.core.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RecordSort#strided} against a plain comparison sort of the same records, on the orders that break naive
 * quicksorts: all keys equal, two values, sorted, reversed, organ pipe, sawtooth, and random; strides 1 to 5 and one to
 * three key columns. The time-out only guards against a quadratic sort hanging the build (200,000 equal keys took
 * minutes with the earlier two-way partition); it is no performance assertion.
 */
class RecordSortTest {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sortsLikeAComparisonSortWhateverTheOrder() {
    SplittableRandom r = new SplittableRandom(11);
    int[][] keyChoices = {{0}, {1, 0}, {0, 2, 1}};
    IntToLongFunction[] orders = {
        i -> 42, // all equal
        i -> i % 2, // two values
        i -> i, // sorted
        i -> -i, // reversed
        i -> Math.min(i, 200_000 - i), // organ pipe
        i -> i % 1000, // sawtooth
        i -> r.nextLong(), // spread
        i -> r.nextInt(3) - 1 // few, negative too
    };
    for (int n : new int[] {0, 1, 2, 15, 16, 17, 1000, 200_000}) {
      for (IntToLongFunction order : orders) {
        for (int[] key : keyChoices) {
          int stride = 3 + r.nextInt(3);
          long[] a = new long[n * stride];
          for (int i = 0; i < n; i++) {
            a[i * stride] = order.applyAsLong(i);
            for (int c = 1; c < stride; c++) {
              a[i * stride + c] = n > 1000 ? r.nextInt(4) : r.nextLong();
            }
          }
          long[] expected = reference(a, n, stride, key);
          RecordSort.strided(a, n, stride, key);
          for (int i = 1; i < n; i++) {
            assertThat(RecordSort.compare(a, (i - 1) * stride, a, i * stride, key)).isLessThanOrEqualTo(0);
          }
          // the same records: equal keys may come in any order, so compare the sorted multisets of whole records
          assertThat(reference(a, n, stride, allColumns(stride))).isEqualTo(reference(expected, n, stride,
              allColumns(stride)));
        }
      }
    }
  }

  private static int[] allColumns(int stride) {
    int[] all = new int[stride];
    for (int i = 0; i < stride; i++) {
      all[i] = i;
    }
    return all;
  }

  private static long[] reference(long[] a, int n, int stride, int[] key) {
    long[][] records = new long[n][];
    for (int i = 0; i < n; i++) {
      records[i] = Arrays.copyOfRange(a, i * stride, (i + 1) * stride);
    }
    Comparator<long[]> byKey = (x, y) -> RecordSort.compare(x, 0, y, 0, key);
    Arrays.sort(records, byKey);
    long[] out = new long[n * stride];
    for (int i = 0; i < n; i++) {
      System.arraycopy(records[i], 0, out, i * stride, stride);
    }
    return out;
  }
}
