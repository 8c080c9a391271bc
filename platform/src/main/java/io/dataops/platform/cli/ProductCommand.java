package io.dataops.platform.cli;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.governance.audit.Checkpoint;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.AuditAnchors;
import io.dataops.platform.product.ProductServices;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.IllegalMoveException;
import io.dataops.products.lifecycle.ProductAccess;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.TransitionRecord;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.VerifyReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Data products and their versions: the registry (list, show, history), the review (submit, approve, reject),
 * release (publish), the end of life (seal, destroy) and the check of content (verify).
 */
@Command(name = "product", mixinStandardHelpOptions = true, description = "Data products and their versions.",
    subcommands = {ProductCommand.ListVersions.class, ProductCommand.Show.class, ProductCommand.History.class,
        ProductCommand.Submit.class, ProductCommand.Approve.class, ProductCommand.Reject.class,
        ProductCommand.Publish.class, ProductCommand.Seal.class, ProductCommand.Destroy.class,
        ProductCommand.Verify.class, ProductCommand.Deliver.class})
final class ProductCommand {

  /** The fields of {@code product list}, and the head of {@code product show}. */
  static Map<String, Object> summary(ProductVersion v) {
    return ProductServices.summary(v);
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every version of every product you may see (partners and departments: published ones).")
  static final class ListVersions implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    ListVersions(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      Actor actor = cli.session().actor();
      List<ProductVersion> versions = ProductServices.registry(config).list(null).stream()
          .filter(v -> ProductAccess.mayDescribe(v, actor)).toList();
      List<Map<String, Object>> json = new ArrayList<>();
      StringBuilder text = new StringBuilder(versions.isEmpty() ? "no products yet (see: dataops pipeline run FILE)\n"
          : String.format("%-28s %7s  %-11s %20s  %10s  %s%n", "PRODUCT", "VERSION", "STATE", "SNAPSHOT", "ROWS",
              "CREATED"));
      for (ProductVersion v : versions) {
        json.add(summary(v));
        text.append(String.format("%-28s %7d  %-11s %20d  %,10d  %s%n", v.product(), v.version(), v.state().label(),
            v.snapshotId(), v.rows(), v.createdAt()));
      }
      cli.print(common, json, text.toString());
      return 0;
    }
  }

  /** The version named on the command line (the newest when none), or a refusal naming what exists. */
  static ProductVersion find(ProductRegistry registry, String name, Integer version) {
    List<ProductVersion> versions = registry.list(name);
    if (versions.isEmpty()) {
      throw new BadInputException("no product " + name + " (see: dataops product list)");
    }
    return version == null ? versions.get(versions.size() - 1) : versions.stream()
        .filter(x -> x.version() == version).findFirst().orElseThrow(() -> new BadInputException("product " + name
            + " has no version " + version + " (it has 1 to " + versions.get(versions.size() - 1).version() + ")"));
  }

  /**
   * The version as {@link #find} finds it, for a command that shows a version's record: a product of which the caller
   * may see no version is "no product", as one that does not exist (a probe learnt another operator's drafts, their
   * number and their state from the refusal). The refusal is audited all the same.
   */
  static ProductVersion findDescribed(Cli cli, ProductRegistry registry, String name, Integer version) {
    List<ProductVersion> versions = registry.list(name);
    var actor = cli.session().actor();
    if (!versions.isEmpty() && versions.stream().noneMatch(x -> ProductAccess.mayDescribe(x, actor))) {
      try {
        ProductAccess.checkDescribe(versions.get(versions.size() - 1), actor);
      } catch (AccessDeniedException e) {
        cli.session().refuse(e, List.of("product:" + name));
      }
      throw new BadInputException("no product " + name + " (see: dataops product list)");
    }
    return find(registry, name, version);
  }

  /**
   * The version {@code product show} shows, or a refusal. To a caller who may not see every version of the product
   * ({@link ProductAccess#seesEveryVersion}), a version hidden from them ({@link ProductAccess#mayName}) and one that
   * does not exist get the same answer, naming no state, owner or range (a partner polling a draft saw it move from
   * draft to approved, and "it has 1 to 3" counted the hidden ones); with no version named, the newest they may see.
   * A hidden one is still audited.
   */
  static ProductVersion findShown(Cli cli, ProductRegistry registry, String name, Integer version) {
    List<ProductVersion> versions = registry.list(name);
    var actor = cli.session().actor();
    if (versions.isEmpty() || ProductAccess.seesEveryVersion(versions.get(0).lineage().owner(), actor)
        || versions.stream().noneMatch(x -> ProductAccess.mayName(x, actor))) {
      ProductVersion v = findDescribed(cli, registry, name, version); // "no product" when none may be seen
      checkDescribe(cli, v);
      return v;
    }
    List<ProductVersion> seen = versions.stream().filter(x -> ProductAccess.mayDescribe(x, actor)).toList();
    if (version == null) {
      if (seen.isEmpty()) { // only versions once published and sealed or superseded since: the newest, refused
        checkDescribe(cli, versions.stream().filter(x -> ProductAccess.mayName(x, actor)).reduce((a, b) -> b)
            .orElseThrow());
      }
      return seen.get(seen.size() - 1);
    }
    for (ProductVersion v : versions) {
      if (v.version() == version) {
        if (ProductAccess.mayDescribe(v, actor)) {
          return v;
        }
        if (ProductAccess.mayName(v, actor)) {
          checkDescribe(cli, v); // once published (sealed, superseded): refused naming its state, as deliver does
        }
        try {
          checkDescribe(cli, v); // audits the refusal
        } catch (AccessDeniedException hidden) {
          // answered below as a version that does not exist
        }
      }
    }
    throw new io.dataops.core.NotFoundException("product " + name + " has no version " + version + " you may see "
        + "(see: dataops product list)");
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One version with its lineage: input snapshots, pipeline hash, policies, privacy, leak check, "
          + "quality gate, content digest, publication.")
  static final class Show implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1",
        description = "Default: the newest version.") Integer version;

    Show(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      ProductVersion v = findShown(cli, ProductServices.registry(config), name, version);
      Map<String, Object> json = summary(v);
      json.putAll(Cli.JSON.convertValue(v, Map.class));
      json.remove("product");
      ProductVersion.Lineage l = v.lineage();
      StringBuilder text = new StringBuilder(String.format("product %s version %d (%s), %s @ snapshot %d, tag %s%n",
          v.product(), v.version(), v.state().label(), v.table(), v.snapshotId(), v.tag()));
      text.append(String.format("  scenario: %s; owner: %s; created %s%n", l.scenario(), l.owner(), v.createdAt()));
      text.append(String.format("  pipeline %s (sha256 %s) on %s%n", l.pipeline(), l.pipelineSha256(), l.engine()));
      l.inputs().forEach((t, id) -> text.append(String.format("  input %s @ %s%n", t, l.inputsFrom() == null
          ? "snapshot " + id : l.inputsFrom().containsKey(t) ? "snapshots " + l.inputsFrom().get(t) + ".." + id
          + " (incremental: what was appended after " + l.inputsFrom().get(t) + ")"
          : "snapshot " + id + " (incremental: from the beginning)")));
      l.policies().forEach((c, p) -> text.append(String.format("  column %-22s %s%n", c, p)));
      text.append(String.format("  rows: %,d in, %,d out, %,d suppressed%n", l.rowsIn(), l.rowsOut(),
          l.rowsSuppressed()));
      if (l.privacy() != null) {
        text.append(String.format("  privacy: k=%s over %s, highest risk %s, average risk %s%n", l.privacy().get("k"),
            l.privacy().get("quasiIdentifiers"), l.privacy().get("maxRisk"), l.privacy().get("avgRisk")));
        if (l.privacy().containsKey("heldBack")) {
          text.append(String.format("  held back (class below k over the whole product): %s rows of this run, %s "
              + "released, %s in all%n", l.privacy().get("heldNow"), l.privacy().get("released"),
              l.privacy().get("heldBack")));
        }
      }
      text.append("  leak check: ").append(l.leakCheck()).append('\n');
      if (l.quality() != null) {
        text.append("  quality gate: ").append(l.quality()).append('\n');
      }
      if (v.content() != null) {
        text.append(String.format("  content: %d files, %,d bytes, %,d rows; Merkle root (%s) %s%n",
            v.content().files(), v.content().bytes(), v.content().liveRows(), v.content().algorithm(),
            v.content().merkleRoot()));
      }
      if (v.publication() != null) {
        text.append(String.format("  published %s by %s: %s%s, licence: %s%n", v.publication().publishedAt(),
            v.publication().publishedBy(), v.publication().channel(),
            v.publication().price() == null ? "" : " at " + v.publication().price() + " yuan "
                + io.dataops.products.billing.PricePlan.of(v.publication()).kind().label(),
            v.publication().licence()));
      }
      cli.print(common, json, text.toString());
      return 0;
    }
  }

  /** Refuses (and audits) a user who may not see this version's record. */
  static void checkDescribe(Cli cli, ProductVersion v) {
    try {
      ProductAccess.checkDescribe(v, cli.session().actor());
    } catch (AccessDeniedException e) {
      cli.session().refuse(e, List.of("product:" + v.product() + "@" + v.version()));
      throw e;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "Every state change of a product's versions (or of one version): who, when, why.")
  static final class History implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1") Integer version;

    History(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      ProductRegistry registry = ProductServices.registry(config);
      ProductVersion v = findShown(cli, registry, name, version);
      List<TransitionRecord> history;
      if (version == null) {
        // Every version's moves, but only of the versions the caller may see: another operator's drafts, rejections
        // (with their reasons) and destroyed versions stay hidden, as `product history NAME N` hides them one by one.
        java.util.Set<Integer> visible = new java.util.HashSet<>();
        registry.list(name).stream().filter(x -> ProductAccess.mayDescribe(x, cli.session().actor()))
            .forEach(x -> visible.add(x.version()));
        if (visible.isEmpty()) {
          checkDescribe(cli, v);
        }
        history = registry.history(name, 0).stream().filter(t -> visible.contains(t.version())).toList();
      } else {
        checkDescribe(cli, v);
        history = registry.history(name, version);
      }
      StringBuilder text = new StringBuilder();
      for (TransitionRecord t : history) {
        text.append(String.format("%s  v%-3d %-11s -> %-11s %s (%s%s)%s%n", t.at(), t.version(),
            t.from() == null ? "" : t.from(), t.to(), t.actor(), t.organization(),
            t.role() == null ? "" : ", " + t.role(), t.reason() == null ? "" : ": " + t.reason()));
      }
      cli.print(common, Map.of("product", name, "transitions", history), text.toString());
      return 0;
    }
  }

  /** A move of a version's life: the check, the move, the printed result. */
  abstract static class Move implements Callable<Integer> {
    final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION") int version;

    Move(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    abstract Object move(ProductServices products);

    /** What the text output says after the version's new state (a string result, else nothing). */
    String text(Object result) {
      return result instanceof String s ? "\n" + s : "";
    }

    @Override
    public Integer call() {
      cli.know("product", name);
      cli.know("version", version);
      PlatformConfig config = cli.config(common);
      try (Lakehouse lakehouse = cli.lakehouse(config)) {
        ProductServices products = ProductServices.of(config, lakehouse, cli.audit());
        List<ProductVersion> versions = products.registry().list(name);
        if (!versions.isEmpty()
            && !ProductAccess.seesEveryVersion(versions.get(0).lineage().owner(), cli.session().actor())) {
          // Found in review: another operator's submit of a draft was refused naming the product and its owner, and
          // "it has 1 to N" counted hidden versions; a version they may not see is answered as product show does.
          findShown(cli, products.registry(), name, version);
        }
        Object result;
        try {
          result = move(products);
        } catch (AccessDeniedException e) {
          cli.session().refuse(e, List.of("product:" + name + "@" + version));
          throw e;
        }
        ProductVersion v = products.registry().find(name, version).orElseThrow();
        Map<String, Object> json = summary(v);
        if (result instanceof Map<?, ?> extra) {
          extra.forEach((k, val) -> json.put(String.valueOf(k), val));
        }
        cli.print(common, json, String.format("product %s version %d is %s%s%n", name, version, v.state().label(),
            text(result)));
      }
      return 0;
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "File a draft version for the authority's review (登记备案). Operator of the product.")
  static final class Submit extends Move {
    Submit(Cli cli) {
      super(cli);
    }

    @Override
    Object move(ProductServices p) {
      p.lifecycle().submit(name, version, cli.session().actor());
      return null;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a submitted version. Authority.")
  static final class Approve extends Move {
    @Option(names = "--note", paramLabel = "TEXT") String note;

    Approve(Cli cli) {
      super(cli);
    }

    @Override
    Object move(ProductServices p) {
      p.lifecycle().approve(name, version, cli.session().actor(), note);
      return null;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true,
      description = "Reject a submitted version with a reason the operator can act on. Authority.")
  static final class Reject extends Move {
    @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

    Reject(Cli cli) {
      super(cli);
    }

    @Override
    Object move(ProductServices p) {
      p.lifecycle().reject(name, version, cli.session().actor(), reason);
      return null;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Release an approved version: public-interest (free, 公益性提供) or market (a priced listing on the "
          + "data exchange, 市场化流通). A newer published version supersedes the older. Operator of the product.")
  static final class Publish extends Move {
    @Option(names = "--channel", required = true, paramLabel = "public-interest|market") String channel;
    @Option(names = "--price", paramLabel = "YUAN", description = "Market listings: the price, e.g. 1200.00.")
    String price;
    @Option(names = "--licence", required = true, paramLabel = "TEXT") String licence;
    @Option(names = "--plan", paramLabel = "per-delivery|per-row|subscription",
        description = "Market listings: how partners are charged — the price per delivery (default), per row "
            + "delivered, or per partner and month (subscription).") String plan;

    Publish(Cli cli) {
      super(cli);
    }

    @Override
    Object move(ProductServices p) {
      p.lifecycle().publish(name, version, cli.session().actor(), channel, price, licence, plan);
      return null;
    }
  }

  @Command(name = "seal", mixinStandardHelpOptions = true,
      description = "Seal a version (封存): a verified read-only archive copy with its manifest; afterwards only the "
          + "authority and auditors may read it. Authority.")
  static final class Seal extends Move {
    Seal(Cli cli) {
      super(cli);
    }

    @Override
    Object move(ProductServices p) {
      Sealer.SealResult r = p.sealer().seal(name, version, cli.session().actor());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("archive", r.archive());
      m.put("objectLock", r.objectLock());
      m.put("manifestDigest", r.manifestDigest());
      m.put("files", r.files());
      m.put("bytes", r.bytes());
      return m;
    }
  }

  @Command(name = "destroy", mixinStandardHelpOptions = true,
      description = "Destroy a sealed or rejected version (销毁): every byte only it needs is removed, a post-check "
          + "proves it, and a certificate is written under certificates/. Run again to complete an interrupted one. "
          + "Authority.")
  static final class Destroy extends Move {
    Destroy(Cli cli) {
      super(cli);
    }

    @Override
    Object move(ProductServices p) {
      Destroyer.Result r;
      try {
        r = p.destroyer().destroy(name, version, cli.session().actor());
      } catch (IllegalMoveException e) {
        // Found by a probe: a destruction killed after its last step and before this checkpoint was never
        // checkpointed, the version being destroyed when run again. It still says so, after the checkpoint.
        if (p.registry().find(name, version).map(v -> v.state() == VersionState.DESTROYED).orElse(false)) {
          checkpoint(p);
        }
        throw e;
      }
      io.dataops.core.CommitPoint.reached("destroyed");
      // The chain's head goes into the lakehouse after each destruction: a rewrite of the database alone shows.
      var checkpoint = checkpoint(p);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("certificate", r.json());
      m.put("certificateHtml", r.html());
      m.put("certificateDigest", r.certificateDigest());
      m.put("filesRemoved", r.certificate().files().stream().filter(f -> "remove".equals(f.disposition())).count());
      m.put("filesKept", r.certificate().files().stream().filter(f -> "keep".equals(f.disposition())).count());
      m.put("qualityRowsRemoved", r.certificate().qualityRowsRemoved());
      m.put("postCheck", r.certificate().postCheck());
      var outside = r.certificate().copiesOutside();
      m.put("copiesOutside", outside.deliveries().size());
      m.put("organizationsNotified", outside.organizationsNotified());
      m.put("copiesOutsideStatement", outside.statement());
      m.put("auditCheckpoint", Map.of("seq", checkpoint.seq(), "hash", checkpoint.hash()));
      return m;
    }

    private Checkpoint checkpoint(ProductServices p) {
      return AuditAnchors.checkpoint(p.config(), p.lakehouse(), cli.session().trail(),
          "after the destruction of " + name + " v" + version);
    }

    @Override
    String text(Object result) {
      Map<?, ?> m = (Map<?, ?>) result;
      return "\ncertificate: " + m.get("certificate") + "\ncopies outside the platform: " + m.get("copiesOutside")
          + (((List<?>) m.get("organizationsNotified")).isEmpty() ? ""
              : " (notified: " + String.join(", ", ((List<?>) m.get("organizationsNotified")).stream()
                  .map(String::valueOf).toList()) + ")") + "\n" + m.get("copiesOutsideStatement");
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Recompute every digest of a version (and of its archive copy when sealed): ok, changed, "
          + "missing, added.")
  static final class Verify implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION") int version;

    Verify(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      try (Lakehouse lakehouse = cli.lakehouse(config)) {
        ProductServices products = ProductServices.of(config, lakehouse, cli.audit());
        ProductVersion v = findShown(cli, products.registry(), name, version);
        VerifyReport r = products.verifier().verify(name, version);
        cli.audit().record(new AuditEvent("product.verify", List.of("product:" + name + "@" + version),
            r.ok() ? AuditEvent.OK : AuditEvent.FAILED, Map.of("changed", r.changed().size(),
                "missing", r.missing().size(), "added", r.added().size(), "checked", r.checked())));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", r.ok());
        json.put("changed", r.changed());
        json.put("missing", r.missing());
        json.put("added", r.added());
        json.put("checked", r.checked());
        json.put("merkleRoot", r.merkleRoot());
        Function<List<String>, String> lines = l -> l.isEmpty() ? "" : "  " + String.join("\n  ", l) + "\n";
        String text = r.ok() ? String.format("%s v%d: ok, %d files checked%n", name, version, r.checked())
            : String.format("%s v%d: NOT ok%n%s%s%s", name, version,
                r.changed().isEmpty() ? "" : " changed:\n" + lines.apply(r.changed()),
                r.missing().isEmpty() ? "" : " missing:\n" + lines.apply(r.missing()),
                r.added().isEmpty() ? "" : " added:\n" + lines.apply(r.added()));
        cli.print(common, json, text);
        return r.ok() ? 0 : 1;
      }
    }
  }

  @Command(name = "deliver", mixinStandardHelpOptions = true,
      description = "Deliver a published version to your organization (数据交付): every row into a CSV file (UTF-8, a "
          + "header), or with --url (warehouse on S3) as an object to fetch by a presigned GET URL that expires; "
          + "audited and metered. Partner.")
  static final class Deliver implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "VERSION") int version;
    @Option(names = "--out", paramLabel = "FILE", description = "The CSV file to write.") java.nio.file.Path out;
    @Option(names = "--url", description = "A presigned GET URL instead of a file (the warehouse on S3).")
    boolean url;
    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "1h",
        description = "How long the URL works: N s|m|h|d, at most 7d (default ${DEFAULT-VALUE}).") String expires;

    Deliver(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      cli.know("product", name);
      cli.know("version", version);
      PlatformConfig config = cli.config(common);
      if (url == (out != null)) {
        throw new BadInputException("product deliver needs either --out FILE or --url");
      }
      if (url) {
        return byUrl(config);
      }
      OutputPaths.outsideHome(config, out, "--out");
      io.dataops.products.delivery.Delivery.Result r = deliver(config,
          d -> d.deliver(name, version, cli.session().actor(), out));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("product", r.product());
      json.put("version", r.version());
      json.put("partner", cli.session().actor().organization());
      json.put("file", r.file().toString());
      json.put("rows", r.rows());
      json.put("bytes", r.bytes());
      json.put("sha256", r.sha256());
      cli.print(common, json, String.format("delivered %s v%d to %s: %,d rows, %,d bytes in %s (sha256 %s)%n",
          r.product(), r.version(), cli.session().actor().organization(), r.rows(), r.bytes(),
          io.dataops.core.text.VisibleText.value(r.file().toString()), r.sha256())); // a line feed in the name too
      return 0;
    }

    /** Runs one delivery as the session's partner; a refusal is recorded as the session's before it is thrown. */
    private <T> T deliver(PlatformConfig config,
        java.util.function.Function<io.dataops.products.delivery.Delivery, T> delivery) {
      try (Lakehouse lakehouse = cli.lakehouse(config)) {
        try {
          return delivery.apply(ProductServices.of(config, lakehouse, cli.audit()).delivery());
        } catch (AccessDeniedException e) {
          cli.session().refuse(e, List.of("product:" + name + "@" + version));
          throw e;
        }
      }
    }

    private int byUrl(PlatformConfig config) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,7})([smhd])").matcher(expires.strip());
      if (!m.matches()) {
        throw new BadInputException("--expires is a number and s, m, h or d (e.g. 30m, 24h, 7d), not '" + expires
            + "'");
      }
      java.time.Duration expiry = java.time.Duration.of(Long.parseLong(m.group(1)), switch (m.group(2)) {
        case "s" -> java.time.temporal.ChronoUnit.SECONDS;
        case "m" -> java.time.temporal.ChronoUnit.MINUTES;
        case "h" -> java.time.temporal.ChronoUnit.HOURS;
        default -> java.time.temporal.ChronoUnit.DAYS;
      });
      io.dataops.products.delivery.Delivery.Presigned r = deliver(config,
          d -> d.deliverByUrl(name, version, cli.session().actor(), expiry));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("product", r.product());
      json.put("version", r.version());
      json.put("partner", cli.session().actor().organization());
      json.put("object", r.object());
      json.put("url", r.url().toString());
      json.put("expiresAt", r.expiresAt().toString());
      json.put("rows", r.rows());
      json.put("bytes", r.bytes());
      json.put("sha256", r.sha256());
      cli.print(common, json, String.format("delivered %s v%d to %s: %,d rows, %,d bytes (sha256 %s); fetch it "
          + "until %s with:%n%s%n", r.product(), r.version(), cli.session().actor().organization(), r.rows(),
          r.bytes(), r.sha256(), r.expiresAt(), r.url()));
      return 0;
    }
  }
}
