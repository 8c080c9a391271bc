package io.dataops.platform.cli;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.table.TableBrowser;
import io.dataops.platform.product.ProductReads;
import io.dataops.platform.product.ProductServices;
import io.dataops.products.delivery.Delivery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "table", mixinStandardHelpOptions = true,
    description = "Browse lakehouse tables (personal data is masked).",
    subcommands = {TableCommand.ListTables.class, TableCommand.Show.class, TableCommand.History.class,
        TableMaintainCommand.class})
final class TableCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every table with its current snapshot.")
  static final class ListTables implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    ListTables(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      var config = cli.configToRead(common);
      try (Lakehouse lh = cli.lakehouse(config)) {
        List<TableBrowser.TableSummary> tables = new TableBrowser(lh).list();
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-48s %12s %9s %6s  %s%n", "table", "rows", "snapshots", "files", "updated"));
        for (var t : tables) {
          text.append(String.format("%-48s %,12d %9d %6d  %s%n", t.name(), t.rows(), t.snapshots(), t.dataFiles(),
              t.lastUpdated() == null ? "-" : t.lastUpdated()));
        }
        cli.print(common, Map.of("tables", tables), tables.isEmpty() ? "no tables yet" : text.toString());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Schema and rows of a table, now or at a past snapshot.")
  static final class Show implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "NAME", description = "zone.table, e.g. ods.public_security__citizens")
    String name;
    @Option(names = "--snapshot", paramLabel = "ID", description = "Read the table as of this snapshot.") Long snapshot;
    @Option(names = "--tag", paramLabel = "TAG", description = "Read a tagged snapshot: a product version, e.g. v2.")
    String tag;
    @Option(names = "--limit", defaultValue = "20", paramLabel = "N") int limit;
    @Option(names = "--raw", description = "Personal data unmasked: only the owning department, of its own ods and "
        + "quarantine tables (audited).") boolean raw;

    Show(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      var config = cli.configToRead(common);
      try (Lakehouse lh = cli.lakehouse(config)) {
        TableIdentifier id = TableNames.parse(name);
        boolean newest = snapshot == null && tag == null;
        var version = newest ? TableAccess.checkNewestRead(cli, config, lh, id)
            : TableAccess.checkRead(cli, config, lh, id, snapshot, tag);
        // Without --tag or --snapshot, the version checked is the one read: for a partner, say, the newest published
        // one, not a draft made since (the current snapshot).
        Long at = newest && version.isPresent() ? Long.valueOf(version.get().snapshotId()) : snapshot;
        if (raw) {
          TableAccess.checkRaw(cli, id);
        }
        // A partner shown rows of a published version receives it: only while its operator may still provide it
        // (a revoked grant stops this as it stops product deliver; refused and audited as a delivery). Another
        // organization shown them is provided them too, under the same rule (refused as a table.read).
        Long grant = null;
        Delivery delivery = null; // a partner's: checks the provision now and hands the rows over below
        ProductReads reads = null; // another organization's: the same check, and its copy recorded below
        if (version.isPresent() && limit != 0) {
          if (cli.session().actor().has("partner")) {
            delivery = ProductServices.of(config, lh, cli.audit()).delivery();
            grant = delivery.provided(version.get(), cli.session().actor(), "table show").grant();
          } else {
            reads = ProductReads.of(config, cli.audit());
            grant = reads.provided(version.get(), cli.session().actor(), id, "table show");
          }
        }
        io.dataops.core.CommitPoint.reached("table-version-checked");
        TableBrowser.Rows rows;
        try {
          rows = new TableBrowser(lh).show(id, at, tag, limit, raw);
        } catch (RuntimeException e) {
          if (version.isPresent()) { // a tag or a file gone: said as the destruction that took it, if one did
            ProductServices.registry(config).refuseIfDestroyedMeanwhile(version.get(), "read");
          }
          throw e;
        }
        io.dataops.core.CommitPoint.reached("table-rows-read");
        AuditEvent read = readEvent(cli, id, rows, version.orElse(null), raw, grant);
        if (read.action().equals(Delivery.ACTION)) { // readEvent made it a delivery
          // A partner's rows are a delivery: recorded while the version is still published, as product deliver's
          // (a seal meanwhile would leave this copy off the destruction certificate), and shown only after.
          delivery.handOver(version.get(), read);
        } else if (grant != null && !rows.rows().isEmpty()) {
          // Another organization's rows of a version are a copy its destruction lists: shown only once recorded.
          reads.recordCopy(version.get(), read, "nothing is shown");
        } else {
          cli.audit().record(read);
        }
        StringBuilder text = new StringBuilder(String.format("%s @ snapshot %s%s%n", rows.table(), rows.snapshotId(),
            version.map(v -> " (" + v.label() + ")").orElse("")));
        for (var c : rows.columns()) {
          text.append(String.format("  %-22s %-16s %s%s%n", c.name(), c.type(), c.required() ? "required" : "",
              c.personal() == null ? "" : " personal:" + c.personal() + (raw ? " (raw: your department's)"
                  : " (masked)")));
        }
        for (var r : rows.rows()) {
          text.append("  ").append(r.values().stream().map(v -> v == null ? "∅" : VisibleText.value(v.toString()))
              .reduce((a, b) -> a + " | " + b).orElse("")).append('\n');
        }
        if (rows.truncated()) {
          text.append(String.format("  (first %d rows; --limit N for more)%n", limit));
        }
        cli.print(common, version.isEmpty() ? rows : json(rows, version.get()), text.toString());
      }
      return 0;
    }

    /** The rows as JSON, naming the product version they are of (with no tag, the reader may not know which). */
    private static Map<String, Object> json(TableBrowser.Rows rows, io.dataops.products.registry.ProductVersion v) {
      Map<String, Object> json = new java.util.LinkedHashMap<>();
      json.put("table", rows.table());
      json.put("snapshotId", rows.snapshotId());
      json.put("product", v.product());
      json.put("version", v.version());
      json.put("tag", v.tag());
      json.put("columns", rows.columns());
      json.put("rows", rows.rows());
      json.put("truncated", rows.truncated());
      return json;
    }
  }

  /**
   * A read as the audit trail (and metering) counts it: the rows shown and their bytes (as JSON), the zone and whether
   * personal data was masked. A partner reading a product version receives it: a delivery — when a row was shown. One
   * that shows none ({@code --limit 0}: the schema only) hands nothing over and is a read naming the version, not a
   * delivery (it was billed as a full one under a per-delivery plan). Another organization's read of a version names
   * the grant its maker provided it under.
   */
  static AuditEvent readEvent(Cli cli, TableIdentifier id, TableBrowser.Rows rows,
      io.dataops.products.registry.ProductVersion version, boolean rawValues, Long grant) {
    long bytes;
    try {
      bytes = Cli.JSON.writeValueAsBytes(rows.rows()).length;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot measure the rows read", e);
    }
    var actor = cli.session().actor();
    boolean partner = version != null && actor.has("partner");
    if (partner && !rows.rows().isEmpty()) {
      return Delivery.event(version, actor, rows.rows().size(), bytes, "table show", null, grant);
    }
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("rows", rows.rows().size());
    details.put("bytes", bytes);
    details.put("zone", id.namespace().level(0));
    details.put("masked", !rawValues);
    if (partner) {
      details.put("product", version.product());
      details.put("version", version.version());
    } else if (grant != null) {
      details.put("product", version.product());
      details.put("version", version.version());
      details.put("grant", grant); // provided by its maker under this grant
      if (!rows.rows().isEmpty()) {
        // Rows another organization took away: named by the version, so that its destruction lists them among the
        // copies outside the platform and tells that organization (found by a probe: 5,704 rows left off).
        return AuditEvent.ok("table.read", List.of("table:" + id, "snapshot:" + rows.snapshotId(), "product:"
            + version.product() + "@" + version.version()), details);
      }
    }
    return AuditEvent.ok("table.read", List.of("table:" + id, "snapshot:" + rows.snapshotId()), details);
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "The snapshots of a table, oldest first.")
  static final class History implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    History(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      var config = cli.configToRead(common);
      try (Lakehouse lh = cli.lakehouse(config)) {
        TableIdentifier id = TableNames.parse(name);
        TableAccess.checkNewestRead(cli, config, lh, id);
        // Only the snapshots the user may see: a partner's history of a product does not list another's draft.
        var history = TableAccess.visibleHistory(cli, config, lh, id, new TableBrowser(lh).history(id));
        StringBuilder text = new StringBuilder();
        for (var s : history) {
          Map<String, String> sum = s.summary();
          // A feed that replaced another also added the other feeds' rows it wrote again: its own rows are counted.
          text.append(String.format("%-20d %s %-9s +%s rows%s%s%s%n", s.snapshotId(), s.committedAt(), s.operation(),
              sum.getOrDefault("dataops.rows-landed", sum.getOrDefault("added-records", "0")),
              sum.containsKey("dataops.feed-id") ? "  feed " + sum.get("dataops.feed-id") : "",
              sum.containsKey("dataops.source-file") ? " from " + VisibleText.value(sum.get("dataops.source-file"))
                  : "",
              sum.containsKey("dataops.replaces") ? ", replacing feed " + sum.get("dataops.replaces") + " (-"
                  + sum.getOrDefault("dataops.rows-replaced", "?") + " rows)" : ""));
        }
        cli.print(common, Map.of("table", TableNames.parse(name).toString(), "snapshots", history),
            history.isEmpty() ? "no snapshots yet" : text.toString());
      }
      return 0;
    }
  }
}
