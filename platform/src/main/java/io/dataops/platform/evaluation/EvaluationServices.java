package io.dataops.platform.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.BegunAction;
import io.dataops.core.audit.AuditSink;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.evaluation.Evaluation;
import io.dataops.governance.evaluation.EvaluationFacts;
import io.dataops.governance.evaluation.EvaluationPage;
import io.dataops.governance.evaluation.Scorecards;
import io.dataops.governance.identity.Organization;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.platform.billing.BillingServices;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.GrantServices;
import io.dataops.platform.governance.SupervisionServices;
import io.dataops.platform.intake.FeedIntake;
import io.dataops.platform.product.ProductServices;
import io.dataops.platform.session.Sessions;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.quality.feedback.TicketStore;
import io.dataops.core.files.OutFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.dataops.lakehouse.storage.Documents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation (governance's {@link Evaluation}) as the platform wires it: its facts from the home — the quality
 * runs, tickets and product versions through {@link EvaluationFacts} —, its JSON and page written to a folder.
 */
public final class EvaluationServices {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private EvaluationServices() {}

  /** What was evaluated and where it was written. */
  public record Written(Scorecards scorecards, String json, String html) {}

  /**
   * Counts the month's scorecards as {@code viewer} (the authority or an auditor), writes
   * {@code evaluation-<month>.json} and {@code .html} into {@code dir} and records it ({@code evaluate}).
   */
  public static Written evaluate(PlatformConfig config, Lakehouse lakehouse, Actor viewer, AuditSink audit,
      List<Organization> organizations, YearMonth month, Path dir) {
    try {
      return evaluated(config, lakehouse, viewer, audit, organizations, month, Documents.local(dir));
    } catch (IOException e) {
      throw OutFiles.failure("the evaluation", dir.toAbsolutePath().normalize(), e); // a folder the caller named
    }
  }

  /** As above, into an outbox folder of the home or a bucket. */
  public static Written evaluate(PlatformConfig config, Lakehouse lakehouse, Actor viewer, AuditSink audit,
      List<Organization> organizations, YearMonth month, Documents dir) {
    try {
      return evaluated(config, lakehouse, viewer, audit, organizations, month, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evaluation to " + dir, e);
    }
  }

  private static Written evaluated(PlatformConfig config, Lakehouse lakehouse, Actor viewer, AuditSink audit,
      List<Organization> organizations, YearMonth month, Documents dir) throws IOException {
    var db = Sessions.database(config);
    Scorecards cards = new Evaluation(new Evaluation.Sources(new AuditTrail(db), organizations,
        new ContractRegistry(config.contracts()), facts(FeedIntake.tickets(config), ProductServices.registry(config)),
        BillingServices.metering(config), GrantServices.grants(config, lakehouse, audit),
        SupervisionServices.supervision(config), viewer)).of(month, Instant.now());
    // The two documents take their places only after an evaluate.begun record, and the evaluate event is recorded
    // once they have (a failed one when they cannot, the documents then removed), as a billing statement's.
    Map<String, byte[]> documents = new LinkedHashMap<>();
    documents.put("evaluation-" + month + ".json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(cards));
    documents.put("evaluation-" + month + ".html", EvaluationPage.html(cards).getBytes(StandardCharsets.UTF_8));
    BegunAction evaluation = BegunAction.of(AuditEvent.ok("evaluate", List.of("period:" + month),
        Map.of("departments", cards.departments().size(), "operators", cards.operators().size())));
    List<String> written = dir.issue(documents, Documents.Issue.recorded(evaluation, audit));
    return new Written(cards, written.get(0), written.get(1));
  }

  /** The quality runs, tickets and product versions, as the evaluation in governance reads them. */
  static EvaluationFacts facts(TicketStore tickets, ProductRegistry products) {
    return new EvaluationFacts() {
      @Override
      public List<FeedRun> feedRuns(String department) {
        return tickets.feedRuns(department).stream()
            .map(r -> new FeedRun(r.at(), r.evaluated(), r.successful(), r.passed())).toList();
      }

      @Override
      public List<TicketTimes> tickets(String department) {
        return tickets.list(department, null).stream().map(t -> new TicketTimes(t.openedAt(), t.acknowledgedAt(),
            t.resolvedAt(), t.verifiedAt(), t.state().active())).toList();
      }

      @Override
      public List<Version> versions() {
        return products.list(null).stream().map(v -> new Version(v.product(), v.label(), v.lineage().owner(),
            v.publication() == null ? null : v.publication().publishedAt())).toList();
      }
    };
  }
}
