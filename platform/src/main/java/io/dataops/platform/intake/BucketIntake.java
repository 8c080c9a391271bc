package io.dataops.platform.intake;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.LandingZone;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.landing.Replaces;
import io.dataops.core.StorageFullException;
import io.dataops.lakehouse.storage.ObjectStoreFailure;
import io.dataops.core.text.VisibleText;
import io.dataops.platform.config.DatabaseUnreachable;
import io.dataops.quality.feedback.OutboxUnwritable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.iceberg.exceptions.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A department's feeds from the landing zone's bucket: each object waiting under
 * {@code landing/<department>/<dataset>/} is taken in as a file would be ({@link FeedIntake}: landing by the registered
 * contract, the dataset's suite, feedback), then moved to {@code landed/} or {@code rejected/} with its reason. An
 * object already landed (the same content) is recognized by its digest and moved to {@code landed/} as a duplicate.
 */
public final class BucketIntake {
  private static final Logger LOG = LoggerFactory.getLogger(BucketIntake.class);
  /**
   * How many objects in a row may fail with an internal error before the run stops, leaving the rest waiting: so many
   * in a row is more likely the platform's fault (a bad release, a broken reader) than each object's, and going on
   * would move every waiting object to {@code rejected/} for it.
   */
  public static final int MAX_FAILURES_IN_A_ROW = 3;
  private final FeedIntake intake;
  private final LandingZone zone;
  private final PlatformConfig config;
  /** The departments' ids, when known: a folder of any other name is nobody's ({@link #unclaimed}); null: any name. */
  private final java.util.Set<String> departments;

  /** @param config where the registered contracts are, and the trail that says which are in force */
  public BucketIntake(FeedIntake intake, LandingZone zone, PlatformConfig config) {
    this(intake, zone, config, null);
  }

  /**
   * @param departments the ids of the platform's departments: an object in a folder named after none of them (a typo
   *     such as {@code public-securty/}) is counted as nobody's, as one in a folder that is no name at all is
   */
  public BucketIntake(FeedIntake intake, LandingZone zone, PlatformConfig config, java.util.Set<String> departments) {
    this.intake = intake;
    this.zone = zone;
    this.config = config;
    this.departments = departments == null ? null : java.util.Set.copyOf(departments);
  }

  public LandingZone zone() {
    return zone;
  }

  /**
   * What became of one object: where it went and, when landed, its landing; when rejected, the reason; when another
   * run moved it before this one could (or its sender removed it), neither, unless this run's landing found the other
   * run's snapshot first ({@code how} says who moved it). {@code failed}: its landing stopped with an internal error
   * (not a refusal of the feed), and it was moved to {@code rejected/} with a reason saying so.
   */
  public record Outcome(String object, String movedTo, FeedIntake.Result result, String reason, LandingZone.How how,
      boolean failed) {
    Outcome(String object, String movedTo, FeedIntake.Result result, String reason, LandingZone.How how) {
      this(object, movedTo, result, reason, how, false);
    }

    public boolean landed() {
      return result != null;
    }

    public boolean rejected() {
      return result == null && reason != null && !failed;
    }

    /** Neither landed nor rejected by this run: another run took it, or it vanished. */
    public boolean takenElsewhere() {
      return result == null && reason == null;
    }
  }

  /**
   * What a run did: each object's outcome; how many objects waiting under {@code landing/} are in no department's
   * folder (directly under {@code landing/}, or in a folder that is no department's name in any case), which no run
   * takes in or reads; and, when the run stopped after {@link #MAX_FAILURES_IN_A_ROW} internal failures in a row, why
   * (else null), with how many of the department's objects it left waiting.
   */
  public record Taken(List<Outcome> outcomes, int unclaimed, String stopped, int leftWaiting) {
    public Taken {
      outcomes = List.copyOf(outcomes);
    }
  }

  /** Takes in the department's waiting objects (of one dataset when {@code dataset} is not null), in key order. */
  public List<Outcome> take(String department, String dataset) {
    return take(department, dataset, o -> {}).outcomes();
  }

  /**
   * As {@link #take(String, String)}, giving each outcome to {@code each} as soon as it is known: a run stopped by a
   * failure that is not one object's (the object store or the platform database unusable, a full disk, running out of
   * memory) has reported what it landed and moved before.
   *
   * <p>One object's failure is that object's outcome: an internal error while landing it (a reader's fault on a
   * content it did not foresee) moves it to {@code rejected/} with a reason that says so and names no value, and the
   * run goes on with the next objects; left in {@code landing/}, it would stop every later run at the same place.
   * Running out of memory (or stack) also moves the object aside first (the object is the likely cause: a huge record
   * or nesting), then stops the run: after an {@link Error} the process's state is not trusted for the next objects,
   * which the next run takes in. A failure of the surroundings ({@link #surroundings}) stops the run and leaves the
   * object waiting: it is not the object's fault, and the next run takes it in once they are mended.
   *
   * <p>{@link #MAX_FAILURES_IN_A_ROW} objects in a row whose landing failed with an internal error (no landing or
   * refusal between them) stop the run before the next object of the department: the rest wait for a run after the
   * platform is mended, instead of all being moved to {@code rejected/} for the platform's fault.
   *
   * <p>An object of the department in the wrong place (in a sub-folder of a dataset's folder, in an upper-case dataset
   * or department folder, or not in a dataset's folder) is rejected with where it belongs: left waiting, nobody would
   * learn why it is never taken in, and {@code rejected/} with its reason is where the department looks for its
   * refused objects. An upper-case department folder ({@code Public-Security/}) is no department's name as such, so
   * the department whose name it is in lower case claims it; an object in a folder that is no department's name in any
   * case is nobody's: it is neither read nor moved, only counted ({@link Taken#unclaimed()}).
   */
  public Taken take(String department, String dataset, Consumer<Outcome> each) {
    List<Outcome> out = new ArrayList<>();
    Consumer<Outcome> report = o -> {
      out.add(o);
      each.accept(o);
    };
    List<LandingZone.Waiting> all = zone.waiting();
    int unclaimed = (int) all.stream().filter(this::unclaimed).count();
    int failedInARow = 0;
    for (int i = 0; i < all.size(); i++) {
      LandingZone.Waiting w = all.get(i);
      String misplaced = w.wellPlaced() ? null : misplaced(w, department, dataset);
      if (w.wellPlaced() ? !asked(w, department, dataset) : misplaced == null) {
        continue; // another department's, or nothing of this caller's to judge
      }
      if (failedInARow >= MAX_FAILURES_IN_A_ROW) {
        int left = (int) all.subList(i, all.size()).stream().filter(x -> mine(x, department, dataset)).count();
        return new Taken(out, unclaimed, "stopped after " + failedInARow + " objects in a row failed with an internal "
            + "error, more likely the platform's fault than theirs: the other " + left + (left == 1 ? " object waits"
            : " objects wait") + " in landing/ for a run after the error (in the platform's log) is mended", left);
      }
      String refused = misplaced != null ? misplaced : badName(w);
      if (refused != null) {
        report.accept(rejected(w, refused)); // judged by its place or name alone: says nothing of the landing's health
        continue;
      }
      Outcome o = takeOne(w, report);
      report.accept(o);
      if (o.failed()) {
        failedInARow++;
      } else if (o.landed() || o.rejected()) {
        failedInARow = 0;
      }
    }
    return new Taken(out, unclaimed, null, 0);
  }

  /** Whether this run would take in or judge the object (as {@link #take(String, String, Consumer)} chooses). */
  private boolean mine(LandingZone.Waiting w, String department, String dataset) {
    return w.wellPlaced() ? asked(w, department, dataset) : misplaced(w, department, dataset) != null;
  }

  /** Whether a well-placed object is of the department (and of {@code dataset}, when one is asked). */
  private static boolean asked(LandingZone.Waiting w, String department, String dataset) {
    return w.department().equals(department) && (dataset == null || dataset.equals(w.dataset()));
  }

  /**
   * Whether an object is in no department's folder: directly under landing/, or in a folder no department is named
   * (in any case; with the departments known, a name none of them has, such as a misspelt one: found by a probe).
   */
  private boolean unclaimed(LandingZone.Waiting w) {
    String rest = w.path();
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return true;
    }
    String folder = rest.substring(0, slash).toLowerCase(Locale.ROOT);
    return !LandingZone.isName(folder) || departments != null && !departments.contains(folder);
  }

  /**
   * Why a misplaced object is the department's and not where a feed goes, in words that name the department and a
   * registered dataset only (not the clerk's folder or file names, which may hold anything); null when it is not the
   * department's (or not of {@code dataset}, when one is asked).
   */
  private String misplaced(LandingZone.Waiting w, String department, String dataset) {
    String rest = w.path();
    String[] parts = rest.split("/", -1);
    if (!parts[0].toLowerCase(Locale.ROOT).equals(department)) {
      return null; // another department's (in whatever case), or nobody's: not read, not moved
    }
    String where = "a feed goes directly in its dataset's folder, landing/" + department + "/<dataset>/<name>";
    if (!parts[0].equals(department)) {
      if (parts.length >= 3 && dataset != null && !parts[1].toLowerCase(Locale.ROOT).equals(dataset)) {
        return null;
      }
      if (parts.length < 3 && dataset != null) {
        return null;
      }
      String lower = parts.length >= 3 ? parts[1].toLowerCase(Locale.ROOT) : "";
      boolean registered = parts.length >= 3 && LandingZone.isName(lower)
          && RegisteredContracts.find(config, department, lower).isPresent();
      return "not taken in: its department's folder is not written in lower case, as departments are named ("
          + department + "); " + where + "; put it again in "
          + (registered ? "landing/" + department + "/" + lower + "/" : "its dataset's folder there");
    }
    if (parts.length < 3) {
      return dataset != null ? null : "not taken in: it is not in a dataset's folder; " + where + ", with <dataset> "
          + "as its contract is registered (see: dataops contract list); put it again there";
    }
    if (dataset != null && !parts[1].toLowerCase(Locale.ROOT).equals(dataset)) {
      return null;
    }
    String lower = parts[1].toLowerCase(Locale.ROOT);
    boolean registered = LandingZone.isName(lower)
        && RegisteredContracts.find(config, department, lower).isPresent();
    String again = registered ? "landing/" + department + "/" + lower + "/" : "its dataset's folder";
    if (!parts[1].equals(lower)) {
      return "not taken in: its dataset's folder is not written in lower case, as datasets are registered (see: "
          + "dataops contract list)" + (parts.length > 3 ? ", and it is in a sub-folder, which is not read" : "")
          + "; " + where + "; put it again in " + again;
    }
    if (parts.length > 3) {
      return "not taken in: it is in a sub-folder of its dataset's folder, which is not read; " + where
          + "; put it again in " + again;
    }
    return "not taken in: its folder is not a dataset's (a dataset's name is lower-case letters, digits, '-' and '_', "
        + "beginning with a letter, as registered: see dataops contract list); " + where + "; put it again there";
  }

  /**
   * Why an object's name is no feed's, or null: a control character (a line break, an escape) or a bidirectional
   * control in it would act on every screen and log line that shows the name (found by a probe: an ESC in a key).
   */
  private static String badName(LandingZone.Waiting w) {
    if (VisibleText.value(w.name()).equals(w.name())) {
      return null;
    }
    return "not taken in: its name holds a control character (a line break, a tab or an escape, say) or a "
        + "bidirectional control, which a feed's name may not; put it again under a name of visible characters";
  }

  private Outcome rejected(LandingZone.Waiting w, String reason) {
    LandingZone.Moved moved = zone.rejected(w, reason);
    // Another run may have moved it while this one read it: then this run's refusal says nothing about the feed.
    return new Outcome(w.location(), moved.location(), null, moved.byThisRun() ? reason : null, moved.how());
  }

  private Outcome takeOne(LandingZone.Waiting w, Consumer<Outcome> report) {
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
      io.dataops.core.CommitPoint.reached("bucket-object-reading");
      TestFailure.at(w.name());
      result = intake.take(new LandingRequest(w.department(), w.dataset(), zone.feed(w), contract.contract(),
          contract.sha256(), Replaces.objectMetadata(sent.replaces())), ProgressListener.NONE);
    } catch (OutboxUnwritable undelivered) {
      // Not the object's fault: it waits, and the run after the outbox is mended lands nothing and delivers.
      throw undelivered;
    } catch (BadInputException | NotFoundException refused) {
      if (changed(w)) {
        return new Outcome(w.location(), null, null, null, LandingZone.How.REPLACED);
      }
      return rejected(w, refused instanceof NotFoundException ? "the object could not be read (it was moved or "
          + "removed while it was being read)" : refused.getMessage());
    } catch (RuntimeException e) {
      // The reads are pinned to the listed ETag: a content put under the key meanwhile fails them, and waits.
      if (changed(w)) {
        return new Outcome(w.location(), null, null, null, LandingZone.How.REPLACED);
      }
      Error fatal = fatal(e);
      if (fatal != null) {
        throw movedAside(w, fatal, e, report); // a worker's, wrapped by the landing
      }
      if (surroundings(e)) {
        throw e;
      }
      return failed(w, e, "not taken in: its landing stopped with an internal error (" + innermost(e).getClass()
          .getSimpleName() + "), which the operator finds in the platform's log; nothing of it landed unless the "
          + "dataset's history (dataops table history) shows this feed. Once the error is mended, put it again (a "
          + "content landed before is recognized and not landed twice)");
    } catch (OutOfMemoryError | StackOverflowError e) {
      throw movedAside(w, e, e, report);
    }
    LandingZone.Moved moved = zone.landed(w, summary(result.landing()));
    return new Outcome(w.location(), moved.location(), result, null, moved.how());
  }

  /**
   * Moves an object whose landing ran out of memory or stack aside first, so that the next run does not meet it
   * again, and reports it; returns {@code thrown} for the run to stop with (see {@link #take(String, String,
   * Consumer)}).
   */
  private <T extends Throwable> T movedAside(LandingZone.Waiting w, Error fatal, T thrown, Consumer<Outcome> report) {
    try {
      report.accept(failed(w, thrown, fatal instanceof OutOfMemoryError
          ? "not taken in: landing it ran out of memory (the platform's heap is "
              + (Runtime.getRuntime().maxMemory() >> 20) + " MB), as a very large record or a damaged file can "
              + "make it; split it into smaller files and put them again, or ask the operator to land it with more "
              + "heap (DATAOPS_HEAP)"
          : "not taken in: it is nested too deeply to process (stack overflow); put it again with its values "
              + "nested less deeply"));
    } catch (RuntimeException | Error moving) {
      thrown.addSuppressed(withoutMessages(moving, 0));
    }
    return thrown;
  }

  /** A failure and its causes, outermost first (at most 32: a cycle of causes ends there). */
  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = failure; c != null && out.size() < 32; c = c.getCause() == c ? null : c.getCause()) {
      out.add(c);
    }
    return out;
  }

  /** The out-of-memory or stack-overflow error among a failure's causes, else null. */
  private static Error fatal(Throwable failure) {
    return (Error) causes(failure).stream().filter(c -> c instanceof OutOfMemoryError || c instanceof StackOverflowError)
        .findFirst().orElse(null);
  }

  /** A failure's innermost cause: what a wrapper (a worker's CompletionException, say) says went wrong. */
  private static Throwable innermost(Throwable failure) {
    List<Throwable> chain = causes(failure);
    return chain.get(chain.size() - 1);
  }

  private Outcome failed(LandingZone.Waiting w, Throwable t, String reason) {
    LOG.error("an internal error stopped the landing of {}: moving it to {}", w.location(), LandingZone.REJECTED,
        withoutMessages(t, 0));
    LandingZone.Moved moved = zone.failed(w, reason);
    boolean mine = moved.byThisRun();
    return new Outcome(w.location(), moved.location(), null, mine ? reason : null, moved.how(), mine);
  }

  /** Whether the object's key holds another content than the one listed (false when that cannot be told). */
  private boolean changed(LandingZone.Waiting w) {
    try {
      return zone.metadata(w) == null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether a failure is the platform's surroundings' and not the object's: the object store or the platform database
   * unusable (or failing: any answer of the AWS SDK that is not a refusal of the feed), a full disk, a local I/O
   * error. The run stops and the object waits for the next one.
   */
  static boolean surroundings(Throwable failure) {
    if (ObjectStoreFailure.recognize(failure).isPresent() || DatabaseUnreachable.recognize(failure).isPresent()
        || StorageFullException.isCause(failure)) {
      return true;
    }
    return causes(failure).stream().anyMatch(c -> c instanceof SdkException || c instanceof IOException
        || c instanceof java.io.UncheckedIOException || c instanceof java.sql.SQLException);
  }

  /**
   * A failure as the log keeps it: each cause's class and stack, not its message, which may quote the feed's values
   * (a reader's "For input string: ..." say).
   */
  static Throwable withoutMessages(Throwable t, int depth) {
    Throwable copy = new Throwable(t.getClass().getName() + " (message not logged: it may quote the feed)");
    copy.setStackTrace(t.getStackTrace());
    if (t.getCause() != null && t.getCause() != t && depth < 16) {
      copy.initCause(withoutMessages(t.getCause(), depth + 1));
    }
    return copy;
  }

  /**
   * A test hook, as {@link io.dataops.core.CommitPoint}: with the system property {@code dataops.test.fail-taking}
   * naming an object (its name), taking it in fails as a reader's internal error would; with {@code oom:} before the
   * name, as running out of memory; with {@code worker:} or {@code worker-oom:}, the same wrapped as a landing
   * worker's failure; several, separated by commas. Without the property it does nothing.
   */
  static final class TestFailure {
    private TestFailure() {}

    static void at(String name) {
      String failing = System.getProperty("dataops.test.fail-taking");
      if (failing == null) {
        return;
      }
      for (String f : failing.split(",")) {
        if (f.equals(name)) {
          throw new NegativeArraySizeException("-2147483648"); // what a huge JSON exponent gave a reader (probe O #1)
        }
        if (f.equals("oom:" + name)) {
          throw new OutOfMemoryError("Java heap space");
        }
        if (f.equals("worker:" + name)) { // as a landing worker's failure could reach the intake: wrapped
          throw new java.util.concurrent.CompletionException(new NegativeArraySizeException("-2147483648"));
        }
        if (f.equals("worker-oom:" + name)) {
          throw new java.util.concurrent.CompletionException(new OutOfMemoryError("Java heap space"));
        }
      }
    }
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
