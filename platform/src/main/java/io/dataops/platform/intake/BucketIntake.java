package io.dataops.platform.intake;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.LandingZone;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.landing.Replaces;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.exceptions.NotFoundException;

/**
 * A department's feeds from the landing zone's bucket: each object waiting under
 * {@code landing/<department>/<dataset>/} is taken in as a file would be ({@link FeedIntake}: landing by the registered
 * contract, the dataset's suite, feedback), then moved to {@code landed/} or {@code rejected/} with its reason. An
 * object already landed (the same content) is recognized by its digest and moved to {@code landed/} as a duplicate.
 */
public final class BucketIntake {
  private final FeedIntake intake;
  private final LandingZone zone;
  private final PlatformConfig config;

  /** @param config where the registered contracts are, and the trail that says which are in force */
  public BucketIntake(FeedIntake intake, LandingZone zone, PlatformConfig config) {
    this.intake = intake;
    this.zone = zone;
    this.config = config;
  }

  public LandingZone zone() {
    return zone;
  }

  /**
   * What became of one object: where it went and, when landed, its landing; when rejected, the reason; when another
   * run moved it before this one could (or its sender removed it), neither, unless this run's landing found the other
   * run's snapshot first ({@code how} says who moved it).
   */
  public record Outcome(String object, String movedTo, FeedIntake.Result result, String reason, LandingZone.How how) {
    public boolean landed() {
      return result != null;
    }

    public boolean rejected() {
      return result == null && reason != null;
    }

    /** Neither landed nor rejected by this run: another run took it, or it vanished. */
    public boolean takenElsewhere() {
      return result == null && reason == null;
    }
  }

  /** Takes in the department's waiting objects (of one dataset when {@code dataset} is not null), in key order. */
  public List<Outcome> take(String department, String dataset) {
    List<Outcome> out = new ArrayList<>();
    for (LandingZone.Waiting w : zone.waiting()) {
      if (!w.wellPlaced() || !w.department().equals(department) || dataset != null && !dataset.equals(w.dataset())) {
        continue; // another department's, or misplaced: not this caller's to judge
      }
      out.add(takeOne(w));
    }
    return out;
  }

  private Outcome takeOne(LandingZone.Waiting w) {
    FeedIntake.Result result;
    try {
      ContractRegistry.Registered contract = RegisteredContracts.find(config, w.department(), w.dataset()).orElseThrow(() ->
          new BadInputException("no contract is registered for " + w.department() + "/" + w.dataset()
              + " (dataops contract register)"));
      // A corrected feed says which feed it replaces in its metadata: the same one commit as land --replaces.
      LandingZone.SenderMetadata sent = zone.metadata(w);
      if (sent == null) {
        return new Outcome(w.location(), null, null, null, LandingZone.How.REPLACED);
      }
      result = intake.take(new LandingRequest(w.department(), w.dataset(), zone.feed(w), contract.contract(),
          contract.sha256(), Replaces.objectMetadata(sent.replaces())), ProgressListener.NONE);
    } catch (BadInputException | NotFoundException refused) {
      String reason = refused instanceof NotFoundException ? "the object could not be read (it was moved or removed "
          + "while it was being read)" : refused.getMessage();
      LandingZone.Moved moved = zone.rejected(w, reason);
      // Another run may have moved it while this one read it: then this run's refusal says nothing about the feed.
      return new Outcome(w.location(), moved.location(), null, moved.how() == LandingZone.How.MOVED ? reason : null,
          moved.how());
    }
    LandingZone.Moved moved = zone.landed(w, summary(result.landing()));
    return new Outcome(w.location(), moved.location(), result, null, moved.how());
  }

  /** The reason object of a landed feed: DESIGN.md's landing fields. */
  static Map<String, Object> summary(LandingResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", r.table());
    m.put("snapshotId", r.snapshotId());
    m.put("duplicateOf", r.duplicateOf());
    m.put("rowsRead", r.rowsRead());
    m.put("rowsLanded", r.rowsLanded());
    m.put("rowsQuarantined", r.rowsQuarantined());
    m.put("fileSha256", r.fileSha256());
    m.put("feedId", r.feedId());
    if (r.replaced() != null) {
      m.put("replaces", r.replaced().feedId());
      m.put("rowsReplaced", r.replaced().rows());
    }
    return m;
  }
}
