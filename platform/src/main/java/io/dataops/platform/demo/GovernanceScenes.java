package io.dataops.platform.demo;

import io.dataops.core.audit.Actor;
import io.dataops.core.files.OwnerOnly;
import io.dataops.governance.grant.ApplicationParser;
import io.dataops.governance.grant.Grant;
import io.dataops.governance.grant.GrantState;
import io.dataops.governance.grant.Grants;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.supervision.Alert;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.platform.billing.BillingServices;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.evaluation.EvaluationServices;
import io.dataops.platform.governance.GrantServices;
import io.dataops.platform.governance.SupervisionServices;
import io.dataops.platform.product.ProductServices;
import io.dataops.platform.session.Session;
import io.dataops.products.billing.Statement;
import io.dataops.products.delivery.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's governance (依场景授权, 计量计费, 安全监管, 成效评估): the operator applies for each pipeline's scenario (the
 * application written from the pipeline's own inputs beside it), the authority and every department owning a table
 * approve; after the runs a partner receives the market product, the authority takes the month's statement, runs
 * supervision and evaluates the month. Grants already made (the demo run again) are reused.
 */
final class GovernanceScenes {
  private final PlatformConfig config;
  private final Lakehouse lakehouse;
  private final Cast cast;
  private final Session operator;
  private final Session authority;
  private final List<String> log = new ArrayList<>();

  /** What the end of the month left: the statement's CSV and the evaluation page. */
  record Month(String statementCsv, String statementTotal, String evaluationHtml, int alerts) {}

  GovernanceScenes(PlatformConfig config, Lakehouse lakehouse, Cast cast) {
    this.config = config;
    this.lakehouse = lakehouse;
    this.cast = cast;
    this.operator = cast.as(Cast.OPERATOR, "grant apply");
    this.authority = cast.as(Cast.AUTHORITY, "grant approve");
  }

  private Grants grants(Session s) {
    return GrantServices.grants(config, lakehouse, s.audit());
  }

  private void say(Session who, String what) {
    log.add(who.principal().name() + " (" + who.acting().label() + " of " + who.principal().organization() + ") "
        + what);
  }

  /** A live grant for the pipeline's scenario: applied for, and approved by every party still to decide. */
  Grant grantFor(Path pipelineFile) {
    PipelineDefinition p = PipelineParser.parse(pipelineFile);
    Grants g = grants(authority);
    Grant grant = g.list(authority.actor()).stream()
        .filter(x -> x.scenario().equals(p.scenario()) && x.operator().equals(Cast.OPERATOR.organization())
            && (x.state(g.now()) == GrantState.ACTIVE && x.live(g.now()) || x.stored() == GrantState.PENDING))
        .max(Comparator.comparingLong(Grant::id)).orElse(null);
    if (grant == null) {
      Path file = application(pipelineFile, p);
      grant = grants(operator).apply(ApplicationParser.parse(file), operator.actor());
      say(operator, "applied for " + grant.label() + " (授权申请): " + grant.resources().stream()
          .map(r -> r.table() + " " + r.requestedColumns()).collect(Collectors.joining(", ")) + ", see " + file);
    }
    for (String party : grant.awaiting()) {
      Session who = party.equals(Grant.AUTHORITY) ? authority : department(party);
      grant = grants(who).approve(grant.id(), who.actor(), "demo: " + p.name() + " reviewed", Map.of(), Map.of());
      say(who, "approved " + grant.label() + (party.equals(Grant.AUTHORITY) ? " as the authority"
          : " for its tables") + (grant.awaiting().isEmpty() ? ": granted until "
          + grant.expiresAt().atZone(Grants.ZONE).toLocalDate().minusDays(1) : ""));
    }
    return grant;
  }

  private Session department(String organization) {
    for (Cast.Member m : List.of(Cast.POLICE, Cast.MARKET, Cast.HUMAN_RESOURCES)) {
      if (m.organization().equals(organization)) {
        return cast.as(m, "grant approve");
      }
    }
    throw new IllegalStateException("the demo has no member for " + organization);
  }

  /** The application beside the pipeline, asking for exactly what its inputs read, for a year from today. */
  private static Path application(Path pipelineFile, PipelineDefinition p) {
    LocalDate today = LocalDate.now(Grants.ZONE);
    StringBuilder y = new StringBuilder("# The operator's application for the scenario of " + pipelineFile.getFileName()
        + " (written by the demo)\n");
    y.append("scenario: \"").append(p.scenario().replace("\"", "\\\"")).append("\"\n");
    y.append("purpose: \"").append(p.description() == null ? p.name() : p.description().strip()
        .replace("\"", "\\\"").replace("\n", " ")).append("\"\n");
    // No 'from': the grant begins on the day it is filed, even when the demo crosses midnight (China Standard Time)
    // between writing the file and applying, where a 'from' of the day before would be refused as dated back.
    y.append("period: {until: ").append(today.plusYears(1).minusDays(1)).append("}\n");
    y.append("products: [").append(p.product()).append("]\nresources:\n");
    for (PipelineDefinition.Input in : p.inputs()) {
      y.append("  - table: ").append(in.table()).append("\n    columns: [").append(String.join(", ", in.columns()))
          .append("]\n");
    }
    Path file = pipelineFile.resolveSibling(pipelineFile.getFileName().toString().replace(".yaml", "")
        + ".application.yaml");
    try {
      OwnerOnly.writeString(file, y.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo application " + file, e);
    }
    return file;
  }

  /**
   * The partner receives every row of the published market version: into a folder beside the home that stands for the
   * partner's own machine ({@code <home>-partners/<organization>/received/}), or with the warehouse in a bucket by a
   * presigned URL valid for an hour. Never under the home: a delivered copy is outside the platform, which cannot
   * destroy it (found by a probe: the demo's copy in the home's outbox outlived the version's destruction while the
   * certificate called it a copy outside), so {@code product deliver --out} refuses a path inside the home as well.
   */
  void deliver(PipelineRunResult run) {
    Session partner = cast.as(Cast.PARTNER, "product deliver");
    Delivery delivery = ProductServices.of(config, lakehouse, partner.audit()).delivery();
    if (config.lakehouse().onObjectStorage()) {
      Delivery.Presigned r = delivery.deliverByUrl(run.product(), run.version(), partner.actor(),
          java.time.Duration.ofHours(1));
      say(partner, String.format("received %s v%d (数据交付): %,d rows in %s, by a presigned URL until %s",
          r.product(), r.version(), r.rows(), r.object(), r.expiresAt()));
      return;
    }
    Path out = partnerSide(config.home()).resolve(Cast.PARTNER.organization()).resolve("received")
        .resolve(run.product() + "-v" + run.version() + ".csv");
    Delivery.Result r = delivery.deliver(run.product(), run.version(), partner.actor(), out);
    say(partner, String.format("received %s v%d (数据交付): %,d rows in %s", r.product(), r.version(), r.rows(),
        r.file()));
  }

  /** The folder beside {@code home} where the demo's partners keep what they receive: {@code <home>-partners}. */
  static Path partnerSide(Path home) {
    Path absolute = home.toAbsolutePath().normalize();
    return absolute.resolveSibling(absolute.getFileName() + "-partners");
  }

  /** The month's statement, supervision's scan and the evaluation, by the authority. */
  Month closeTheMonth() {
    YearMonth month = YearMonth.now(Grants.ZONE);
    Session bureau = cast.as(Cast.AUTHORITY, "billing statement");
    Statement s = BillingServices.billing(config, Map.of(), month).statement(month, null, null);
    String csv = BillingServices.issue(s, config.documents("outbox").resolve(Cast.AUTHORITY.organization(),
        "billing"), "statement-" + month + ".csv", bureau.audit());
    say(bureau, "took the statement of " + month + " (计量计费): total " + s.total().toPlainString() + " yuan, "
        + s.lines().size() + " lines, " + s.shares().size() + " revenue shares (收益分配), in " + csv);
    List<Alert> alerts = SupervisionServices.supervision(config).scan();
    say(bureau, "ran supervision (安全监管): " + (alerts.isEmpty() ? "no alerts" : alerts.size() + " alerts: "
        + alerts.stream().map(Alert::rule).toList()));
    Actor viewer = bureau.actor();
    Identities ids = bureau.identities();
    EvaluationServices.Written w = EvaluationServices.evaluate(config, lakehouse, viewer, bureau.audit(),
        ids.organizations(), month, config.documents("outbox").resolve(Cast.AUTHORITY.organization(),
            "evaluation"));
    say(bureau, "evaluated " + month + " (成效评估): " + w.html());
    return new Month(csv, s.total().toPlainString(), w.html(), alerts.size());
  }

  List<String> log() {
    return List.copyOf(log);
  }
}
