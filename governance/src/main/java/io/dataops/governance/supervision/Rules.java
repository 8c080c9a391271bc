package io.dataops.governance.supervision;

import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.metering.ReadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The alert rules over the audit and metering streams. */
final class Rules {
  static final String REFUSAL_BURST = "refusal-burst";
  static final String AUTH_FAILURES = "auth-failures";
  static final String READ_SURGE = "read-surge";
  static final String LEAK_CHECK = "leak-check-failed";
  static final String PROVISION_REFUSED = "provision-refused";
  /** Raised by {@link Supervision} over the metering records, not by a rule over one event. */
  static final String METERING_DRIFT = "metering-drift";
  private static final String AUTH_REFUSED = "auth.refused";

  private Rules() {}

  static List<AlertRule> all(SupervisionRules t) {
    return List.of(refusalBurst(t), authFailures(t), readSurge(t), leakCheck(), provisionRefused(t));
  }

  /**
   * Refused requests of a user that counts: not a refused login (its own rule), not an advisory grant check, not a
   * step the object's state refused (a version approved twice is no probing of what the user may do), not a run its
   * input refused (a pipeline that cannot run as written).
   */
  static boolean countsAsRefusal(AuditRecord e) {
    return "refused".equals(e.outcome()) && !AUTH_REFUSED.equals(e.action())
        && !("grant.check".equals(e.action()) && Boolean.FALSE.equals(e.details().get("enforced")))
        && !"state".equals(e.details().get("refusedBy")) && !"input".equals(e.details().get("refusedBy"))
        && !"system".equals(e.actor());
  }

  /** Many refused requests by one user in a short time: someone probing what they may not do. */
  static AlertRule refusalBurst(SupervisionRules t) {
    return (e, ctx) -> {
      if (!countsAsRefusal(e)) {
        return Optional.empty();
      }
      String subject = "user:" + e.actor();
      Instant since = e.at().minus(t.refusalWindow());
      List<AuditRecord> window = ctx.window(AuditFilter.newest().actor(e.actor()).outcome("refused"), since, e)
          .stream().filter(Rules::countsAsRefusal).toList();
      if (window.size() < t.refusals() || ctx.alertedSince(REFUSAL_BURST, subject, since)) {
        return Optional.empty();
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("refusals", window.size());
      details.put("windowMinutes", t.refusalWindow().toMinutes());
      details.put("actions", counts(window));
      return Optional.of(new Alert.Draft(REFUSAL_BURST, "medium", subject, window.get(0).seq(), e.seq(), e.at(),
          window.size() + " refused requests by " + e.actor() + " (" + e.organization() + ") within "
              + minutes(t.refusalWindow()) + ": " + counts(window), details));
    };
  }

  /** Repeated refused logins or tokens of one user, or of tokens nobody holds: guessing or a leaked token. */
  static AlertRule authFailures(SupervisionRules t) {
    return (e, ctx) -> {
      if (!AUTH_REFUSED.equals(e.action())) {
        return Optional.empty();
      }
      String subject = authSubject(e);
      Instant since = e.at().minus(t.authWindow());
      List<AuditRecord> window = ctx.window(AuditFilter.newest().action(AUTH_REFUSED), since, e).stream()
          .filter(x -> authSubject(x).equals(subject)).toList();
      if (window.size() < t.authFailures() || ctx.alertedSince(AUTH_FAILURES, subject, since)) {
        return Optional.empty();
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("failures", window.size());
      details.put("windowMinutes", t.authWindow().toMinutes());
      List<String> reasons = window.stream().map(x -> String.valueOf(x.details().get("reason"))).toList();
      details.put("reasons", counts(reasons));
      return Optional.of(new Alert.Draft(AUTH_FAILURES, "high", subject, window.get(0).seq(), e.seq(), e.at(),
          window.size() + " refused logins or tokens for " + subject + " within " + minutes(t.authWindow()) + ": "
              + counts(reasons), details));
    };
  }

  private static String authSubject(AuditRecord e) {
    return e.objects().stream().filter(o -> o.startsWith("user:")).findFirst().orElse("unknown-token");
  }

  /** A run reading far more under a grant than the grant's reads so far: bulk extraction beyond the scenario. */
  static AlertRule readSurge(SupervisionRules t) {
    return (e, ctx) -> {
      if (!"pipeline.run".equals(e.action()) || !"ok".equals(e.outcome())
          || !(e.details().get("grant") instanceof Number grant) || !(e.details().get("reads") instanceof List<?> reads)) {
        return Optional.empty();
      }
      for (Object o : reads) {
        Map<?, ?> read = (Map<?, ?>) o;
        String table = String.valueOf(read.get("table"));
        long rows = read.get("rows") instanceof Number n ? n.longValue() : 0;
        List<Long> history = ctx.metering().readsOfGrant(grant.longValue(), e.at().plusNanos(1000)).stream()
            .filter(r -> r.auditSeq() < e.seq() && table.equals(r.table())).map(ReadRecord::rows).sorted().toList();
        if (history.size() < t.surgeHistory()) {
          continue;
        }
        double median = history.size() % 2 == 1 ? history.get(history.size() / 2)
            : (history.get(history.size() / 2 - 1) + history.get(history.size() / 2)) / 2.0;
        if (rows > t.surgeFactor() * Math.max(median, 1)) {
          String subject = "grant:" + grant.longValue() + " table:" + table;
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("rows", rows);
          details.put("median", median);
          details.put("history", history.size());
          details.put("factor", t.surgeFactor());
          return Optional.of(new Alert.Draft(READ_SURGE, "medium", subject, e.seq(), e.seq(), e.at(), "a run by "
              + e.actor() + " (" + e.organization() + ") read " + rows + " rows of " + table + " under grant "
              + grant.longValue() + ", more than " + t.surgeFactor() + " times the median (" + median + ") of its "
              + history.size() + " earlier reads", details));
        }
      }
      return Optional.empty();
    };
  }

  /** A run stopped by its leak check: a product would have carried raw personal data. */
  static AlertRule leakCheck() {
    return (e, ctx) -> {
      if (!"pipeline.run".equals(e.action()) || !"failed".equals(e.details().get("leakCheck"))) {
        return Optional.empty();
      }
      String pipeline = e.objects().stream().filter(o -> o.startsWith("pipeline:")).findFirst().orElse("pipeline:?");
      return Optional.of(new Alert.Draft(LEAK_CHECK, "high", pipeline, e.seq(), e.seq(), e.at(), "the leak check stopped "
          + pipeline.substring("pipeline:".length()) + " run by " + e.actor() + " (" + e.organization() + "): "
          + e.details().get("reason"), Map.of("reason", String.valueOf(e.details().get("reason")))));
    };
  }

  /**
   * A product version asked for by another organization than its maker (a partner's delivery or table show, another
   * operator's or a department's read or run) after the maker's grant of its scenario was revoked or expired: the
   * refused {@code product.deliver} or {@code table.read} names the grants it was made under. Whoever asks still
   * expects the data; the authority follows it up. Once per version and organization within {@code provisionWindow}.
   */
  static AlertRule provisionRefused(SupervisionRules t) {
    return (e, ctx) -> {
      if (!"refused".equals(e.outcome()) || !("product.deliver".equals(e.action()) || "table.read".equals(e.action()))
          || !(e.details().get("grants") instanceof List<?> grants) || grants.isEmpty()) {
        return Optional.empty();
      }
      Object org = e.details().containsKey("partner") ? e.details().get("partner") : e.details().get("reader");
      String version = e.details().get("product") + "@" + e.details().get("version");
      String subject = "product:" + version + " organization:" + org;
      if (ctx.alertedSince(PROVISION_REFUSED, subject, e.at().minus(t.provisionWindow()))) {
        return Optional.empty();
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("via", e.details().get("via"));
      details.put("grants", grants);
      details.put("reason", e.details().get("reason"));
      return Optional.of(new Alert.Draft(PROVISION_REFUSED, "medium", subject, e.seq(), e.seq(), e.at(), version
          + " was asked for by " + e.actor() + " (" + org + ", " + e.details().get("via") + ") after its maker's grant "
          + "ended: " + e.details().get("reason"), details));
    };
  }

  private static Map<String, Integer> counts(List<?> items) {
    Map<String, Integer> out = new TreeMap<>();
    for (Object i : items) {
      out.merge(i instanceof AuditRecord r ? r.action() : String.valueOf(i), 1, Integer::sum);
    }
    return out;
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + " minutes";
  }
}
