package io.dataops.platform.intake;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteRegistry;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A department feed's way in: land it, then check the rows it brought with the suite the department registered
 * for the dataset (when there is one).
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

  public record Result(LandingResult landing, QualityReport quality) {}

  public Result take(LandingRequest request, ProgressListener progress) {
    LandingResult landing = new Landing(lakehouse, workers, progress).land(request);
    return new Result(landing, check(request.department(), request.dataset(), landing).orElse(null));
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
