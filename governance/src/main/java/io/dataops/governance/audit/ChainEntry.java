package io.dataops.governance.audit;

import io.dataops.core.digest.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as the chain stores and hashes it: every column as text, {@code objects} and {@code details} as their
 * stored canonical JSON. {@code hash = digest(prev hash bytes || canonical JSON of the other columns)}.
 */
record ChainEntry(long seq, String at, String actor, String organization, String role, String action, String objects,
    String outcome, String details, String digest, String prevHash, String hash) {

  /** The previous hash of the first event. */
  static final String GENESIS = "0".repeat(64);

  static final String COLUMNS = "seq, at, actor, organization, role, action, objects, outcome, details, digest,"
      + " prev_hash, hash";

  /** The bytes hashed after the previous hash: all columns but the two hashes, keys sorted. */
  String canonical() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("at", at);
    m.put("actor", actor);
    m.put("organization", organization);
    m.put("role", role);
    m.put("action", action);
    m.put("objects", new CanonicalJson.Raw(objects));
    m.put("outcome", outcome);
    m.put("details", new CanonicalJson.Raw(details));
    m.put("digest", digest);
    return CanonicalJson.write(m);
  }

  /**
   * The hash of this event after {@code prev}.
   *
   * @throws IllegalArgumentException when the digest is not one the platform knows
   */
  String hashAfter(String prev) {
    MessageDigest md = DigestAlgorithm.of(digest).newDigest();
    md.update(HexFormat.of().parseHex(prev));
    md.update(canonical().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  ChainEntry withHashes(String prev, String newHash) {
    return new ChainEntry(seq, at, actor, organization, role, action, objects, outcome, details, digest, prev, newHash);
  }

  static ChainEntry read(ResultSet r) throws SQLException {
    return new ChainEntry(r.getLong("seq"), r.getString("at"), r.getString("actor"), r.getString("organization"),
        r.getString("role"), r.getString("action"), r.getString("objects"), r.getString("outcome"),
        r.getString("details"), r.getString("digest"), r.getString("prev_hash"), r.getString("hash"));
  }
}
