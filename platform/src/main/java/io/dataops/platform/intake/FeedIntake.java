package io.dataops.platform.intake;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.quality.feedback.Feedback;
import io.dataops.quality.feedback.TicketStore;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteRegistry;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A department feed's way in: land it, check the rows it brought with the suite the department registered for the
 * dataset (when there is one), and hand the department its feedback: tickets and the reports in its outbox.
 */
public final class FeedIntake {
  public static final long SPILL_BUDGET = 64L << 20;

  private final PlatformConfig config;
  private final Lakehouse lakehouse;
  private final int workers;

  public FeedIntake(PlatformConfig config, Lakehouse lakehouse, int workers) {
    this.config = config;
    this.lakehouse = lakehouse;
    this.workers = workers;
  }

  /** The landing, and (when the dataset has a suite) the feed's quality run and what its department received. */
  public record Result(LandingResult landing, QualityReport quality, Feedback.Delivery feedback) {}

  public Result take(LandingRequest request, ProgressListener progress) {
    LandingResult landing = new Landing(lakehouse, workers, progress).land(request);
    QualityReport quality = check(request.department(), request.dataset(), landing).orElse(null);
    Feedback.Delivery delivery = quality == null ? null
        : feedback().deliver(quality, request.department(), request.dataset());
    return new Result(landing, quality, delivery);
  }

  public TicketStore tickets() {
    return tickets(config);
  }

  public static TicketStore tickets(PlatformConfig config) {
    var l = config.lakehouse();
    return new TicketStore(l.catalogUri(), l.catalogUser(), l.catalogPassword());
  }

  public Feedback feedback() {
    return new Feedback(tickets(), lakehouse, config.outbox());
  }

  public QualityRunner qualityRunner() {
    return new QualityRunner(lakehouse, config.work(), workers, SPILL_BUDGET);
  }

  private Optional<QualityReport> check(String department, String dataset, LandingResult landing) {
    if (landing.isDuplicate()) {
      return Optional.empty();
    }
    return new SuiteRegistry(config.suites()).find(department, dataset).map(s -> qualityRunner()
        .run(TableIdentifier.parse(landing.table()), landing.snapshotId(), s.suite(), QualityRunner.Scope.FEED));
  }
}
