package io.dataops.platform.intake;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.LandingZone;
import io.dataops.lakehouse.landing.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A department's feeds from the landing zone's bucket: each object waiting under
 * {@code landing/<department>/<dataset>/} is taken in as a file would be ({@link FeedIntake}: landing by the registered
 * contract, the dataset's suite, feedback), then moved to {@code landed/} or {@code rejected/} with its reason. An
 * object already landed (the same content) is recognized by its digest and moved to {@code landed/} as a duplicate.
 */
public final class BucketIntake {
  private final FeedIntake intake;
  private final LandingZone zone;
  private final ContractRegistry contracts;

  public BucketIntake(FeedIntake intake, LandingZone zone, ContractRegistry contracts) {
    this.intake = intake;
    this.zone = zone;
    this.contracts = contracts;
  }

  public LandingZone zone() {
    return zone;
  }

  /** What became of one object: where it went and, when landed, its landing; when rejected, the reason. */
  public record Outcome(String object, String movedTo, FeedIntake.Result result, String reason) {
    public boolean landed() {
      return result != null;
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
      ContractRegistry.Registered contract = contracts.find(w.department(), w.dataset()).orElseThrow(() ->
          new BadInputException("no contract is registered for " + w.department() + "/" + w.dataset()
              + " (dataops contract register)"));
      result = intake.take(new LandingRequest(w.department(), w.dataset(), zone.feed(w), contract.contract(),
          contract.sha256()), ProgressListener.NONE);
    } catch (BadInputException refused) {
      return new Outcome(w.location(), zone.rejected(w, refused.getMessage()), null, refused.getMessage());
    }
    return new Outcome(w.location(), zone.landed(w, summary(result.landing())), result, null);
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
    return m;
  }
}
