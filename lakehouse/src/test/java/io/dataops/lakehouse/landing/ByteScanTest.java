package io.dataops.lakehouse.landing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-at-a-time scans agree with a plain loop at every start, end and alignment. */
class ByteScanTest {
  // Line feed, quote, comma, high bytes (GBK lead and trail bytes, 0x80 itself) and bytes one off each.
  private static final byte[] ALPHABET = {'\n', '\n' + 1, '\n' - 1, '"', '"' + 1, ',', ',' - 1, 'a', 0x7f,
      (byte) 0x80, (byte) 0x81, (byte) 0xa1, (byte) 0xfe, (byte) 0xff, 0};

  @Test
  void findsTheFirstMatchAndAsciiExactly() {
    Random random = new Random(7);
    for (int round = 0; round < 3_000; round++) {
      byte[] b = new byte[random.nextInt(70)];
      // Mostly one filler byte, so matches are sparse and land in every position of a word.
      byte filler = ALPHABET[random.nextInt(ALPHABET.length)];
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(6) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : filler;
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
      int to = from + random.nextInt(b.length - from + 1);
      byte x = ALPHABET[random.nextInt(ALPHABET.length)];
      byte y = ALPHABET[random.nextInt(ALPHABET.length)];
      assertEquals(naiveIndexOf(b, from, to, x, y), ByteScan.indexOfEither(b, from, to, x, y), "either, round " + round);
      assertEquals(naiveIndexOf(b, from, to, x, x), ByteScan.indexOf(b, from, to, x), "one, round " + round);
      assertEquals(naiveAscii(b, from, to), ByteScan.isAscii(b, from, to), "ascii, round " + round);
    }
  }

  @Test
  void aMatchAfterAZeroByteBorrowIsStillFoundFirst() {
    // 0x0a then 0x0b: subtracting ones borrows through the first byte and flags the second falsely; the first wins.
    byte[] b = {'a', 'a', '\n', '\n' + 1, 'a', 'a', 'a', 'a', 'a'};
    assertEquals(2, ByteScan.indexOf(b, 0, b.length, (byte) '\n'));
    assertEquals(2, ByteScan.indexOfEither(b, 0, b.length, (byte) '"', (byte) '\n'));
    assertEquals(-1, ByteScan.indexOf(b, 3, b.length, (byte) '\n'));
  }

  private static int naiveIndexOf(byte[] b, int from, int to, byte x, byte y) {
    for (int i = from; i < to; i++) {
      if (b[i] == x || b[i] == y) {
        return i;
      }
    }
    return -1;
  }

  private static boolean naiveAscii(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
