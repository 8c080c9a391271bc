package io.dataops.pipelines.desensitize;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** Keys for tests, by name, given in hex. */
public final class TestKeys implements KeyRing {
  private final Map<String, byte[]> keys = new HashMap<>();

  public TestKeys with(String id, String hex) {
    keys.put(id, HexFormat.of().parseHex(hex));
    return this;
  }

  @Override
  public byte[] key(String id) {
    byte[] k = keys.get(id);
    if (k == null) {
      throw new PolicyException("no key '" + id + "'");
    }
    return k.clone();
  }
}
