package io.dataops.platform.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.audit.Checkpoint;
import io.dataops.governance.audit.Verification;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.products.seal.ArchiveStore;
import io.dataops.products.seal.SealManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit chain's checkpoints, also written to the archive store: one archive per checkpoint
 * ({@code <archive>/_audit-checkpoints/<seq>/manifest.json}), under the same object lock as sealed versions when the
 * archive is a bucket that has it. Found by a probe: whoever holds the home could rewrite the whole chain in the
 * database and delete the checkpoints in the lakehouse (or roll the database back and delete the newest checkpoint),
 * and {@code audit verify} still passed. An anchor in a locked bucket cannot be removed or replaced before its
 * retention ends, so the chain must agree with it. In a local archive (the embedded default) the anchors are
 * read-only files of the home, which its owner can still remove: there they guard against mistakes, not the owner.
 */
public final class AuditAnchors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ANCHOR = Pattern.compile("[0-9]{19}/" + Pattern.quote(SealManifest.FILE_NAME));

  private AuditAnchors() {}

  /** Checkpoints the chain ({@link AuditTrail#checkpoint}) and anchors the checkpoint in the archive store. */
  public static Checkpoint checkpoint(PlatformConfig config, Lakehouse lakehouse, AuditTrail trail, String reason) {
    Checkpoint c = trail.checkpoint(lakehouse, reason);
    anchor(config.archives(lakehouse), c, config.digest());
    return c;
  }

  /**
   * Verifies the chain against the lakehouse's checkpoints and the archive's anchors; an anchor that cannot be read
   * (not written by the platform: a locked one is never replaced) fails the verification.
   */
  public static Verification verify(PlatformConfig config, Lakehouse lakehouse, AuditTrail trail) {
    Anchors anchors = read(config.archives(lakehouse));
    Verification v = trail.verify(lakehouse, anchors.found());
    if (v.ok() && !anchors.unreadable().isEmpty()) {
      return new Verification(false, v.events(), null, "audit anchors that the platform did not write: "
          + String.join("; ", anchors.unreadable()), v.checkpoints());
    }
    return v;
  }

  /** The anchors read, and the names of those that could not be read (with why). */
  record Anchors(List<Checkpoint> found, List<String> unreadable) {}

  /**
   * Writes the checkpoint's anchor unless it is there (the same head checkpointed again, or a command run again after
   * a kill between the checkpoint and its anchor: the anchor is then written).
   */
  static void anchor(ArchiveStore archive, Checkpoint c, io.dataops.core.digest.DigestAlgorithm digest) {
    String at = location(archive, c.seq());
    if (archive.exists(at, SealManifest.FILE_NAME)) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", c.seq());
    m.put("hash", c.hash());
    m.put("digest", c.digest());
    m.put("at", c.at().toString());
    m.put("reason", c.reason());
    try {
      archive.write(at, List.of(), JSON.writeValueAsBytes(m), digest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot anchor the audit checkpoint of event " + c.seq() + " in " + at, e);
    }
  }

  /** Every anchor in the archive store, oldest first. */
  static Anchors read(ArchiveStore archive) {
    String folder = archive.anchorsLocation();
    List<Checkpoint> out = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (String name : archive.list(folder)) {
      if (!ANCHOR.matcher(name).matches()) {
        continue; // what a write killed before its rename left, or anything else: no anchor
      }
      try (InputStream in = archive.open(folder, name)) {
        JsonNode n = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        out.add(new Checkpoint(n.get("seq").asLong(), n.get("hash").asText(), n.get("digest").asText(),
            Instant.parse(n.get("at").asText()), n.path("reason").asText(null)));
      } catch (IOException | RuntimeException e) {
        unreadable.add(folder + "/" + name + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return new Anchors(List.copyOf(out), List.copyOf(unreadable));
  }

  private static String location(ArchiveStore archive, long seq) {
    return archive.anchorsLocation() + "/" + String.format("%019d", seq);
  }
}
