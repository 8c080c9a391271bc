package io.dataops.pipelines.desensitize;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * FF1 and FF3-1 written from NIST SP 800-38G Rev. 1 (Algorithms 7 and 9) over any 128-bit block cipher, independent
 * of the FPE engines the policy uses: checked against NIST's AES samples, it is the reference for the SM4 variants,
 * which have no published samples.
 */
final class Sp80038g {
  private Sp80038g() {}

  /** FF1 encryption of numerals {@code x} (each below {@code radix}). */
  static int[] ff1(BlockCipher cipher, byte[] key, byte[] tweak, int radix, int[] x) {
    cipher.init(true, new KeyParameter(key));
    int n = x.length;
    int u = n / 2;
    int v = n - u;
    int[] a = Arrays.copyOfRange(x, 0, u);
    int[] b = Arrays.copyOfRange(x, u, n);
    int bBytes = (BigInteger.valueOf(radix).pow(v).subtract(BigInteger.ONE).bitLength() + 7) / 8;
    int d = 4 * ((bBytes + 3) / 4) + 4;
    byte[] p = new byte[16];
    p[0] = 1;
    p[1] = 2;
    p[2] = 1;
    put(p, 3, 3, BigInteger.valueOf(radix));
    p[6] = 10;
    p[7] = (byte) (u % 256);
    put(p, 8, 4, BigInteger.valueOf(n));
    put(p, 12, 4, BigInteger.valueOf(tweak.length));
    int t = tweak.length;
    int pad = Math.floorMod(-t - bBytes - 1, 16);
    for (int i = 0; i < 10; i++) {
      byte[] q = new byte[t + pad + 1 + bBytes];
      System.arraycopy(tweak, 0, q, 0, t);
      q[t + pad] = (byte) i;
      put(q, t + pad + 1, bBytes, num(b, radix));
      byte[] r = cbcMac(cipher, concat(p, q));
      byte[] s = new byte[((d + 15) / 16) * 16];
      System.arraycopy(r, 0, s, 0, 16);
      for (int j = 1; j < s.length / 16; j++) {
        byte[] block = r.clone();
        block[15] ^= (byte) j;
        cipher.processBlock(block, 0, s, 16 * j);
      }
      BigInteger y = new BigInteger(1, Arrays.copyOf(s, d));
      int m = i % 2 == 0 ? u : v;
      BigInteger c = num(a, radix).add(y).mod(BigInteger.valueOf(radix).pow(m));
      a = b;
      b = str(c, radix, m);
    }
    return concat(a, b);
  }

  /** FF3-1 encryption of numerals {@code x} under a 56-bit tweak. */
  static int[] ff31(BlockCipher cipher, byte[] key, byte[] tweak, int radix, int[] x) {
    byte[] reversedKey = reverse(key);
    cipher.init(true, new KeyParameter(reversedKey));
    int n = x.length;
    int u = (n + 1) / 2;
    int v = n - u;
    int[] a = Arrays.copyOfRange(x, 0, u);
    int[] b = Arrays.copyOfRange(x, u, n);
    byte[] tl = {tweak[0], tweak[1], tweak[2], (byte) (tweak[3] & 0xF0)};
    byte[] tr = {tweak[4], tweak[5], tweak[6], (byte) ((tweak[3] & 0x0F) << 4)};
    for (int i = 0; i < 8; i++) {
      int m = i % 2 == 0 ? u : v;
      byte[] p = new byte[16];
      System.arraycopy(i % 2 == 0 ? tr : tl, 0, p, 0, 4);
      p[3] ^= (byte) i;
      put(p, 4, 12, num(reverse(b), radix));
      byte[] s = new byte[16];
      cipher.processBlock(reverse(p), 0, s, 0);
      BigInteger y = new BigInteger(1, reverse(s));
      BigInteger c = num(reverse(a), radix).add(y).mod(BigInteger.valueOf(radix).pow(m));
      a = b;
      b = reverse(str(c, radix, m));
    }
    return concat(a, b);
  }

  private static byte[] cbcMac(BlockCipher cipher, byte[] data) {
    byte[] y = new byte[16];
    for (int j = 0; j < data.length; j += 16) {
      for (int k = 0; k < 16; k++) {
        y[k] ^= data[j + k];
      }
      cipher.processBlock(y, 0, y, 0);
    }
    return y;
  }

  private static BigInteger num(int[] x, int radix) {
    BigInteger r = BigInteger.ZERO;
    for (int d : x) {
      r = r.multiply(BigInteger.valueOf(radix)).add(BigInteger.valueOf(d));
    }
    return r;
  }

  private static int[] str(BigInteger c, int radix, int m) {
    int[] out = new int[m];
    BigInteger r = BigInteger.valueOf(radix);
    for (int i = m - 1; i >= 0; i--) {
      BigInteger[] qr = c.divideAndRemainder(r);
      out[i] = qr[1].intValue();
      c = qr[0];
    }
    return out;
  }

  /** {@code value} as {@code length} big-endian bytes at {@code at}. */
  private static void put(byte[] into, int at, int length, BigInteger value) {
    byte[] v = value.toByteArray();
    int from = Math.max(0, v.length - length);
    System.arraycopy(v, from, into, at + length - (v.length - from), v.length - from);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] reverse(byte[] x) {
    byte[] out = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[x.length - 1 - i];
    }
    return out;
  }

  private static int[] reverse(int[] x) {
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[x.length - 1 - i];
    }
    return out;
  }
}
