package io.dataops.platform.cli;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.maintenance.MaintenancePolicy;
import io.dataops.lakehouse.maintenance.TableMaintenance;
import io.dataops.lakehouse.maintenance.TableReport;
import io.dataops.pipelines.privacy.LeakFilterCache;
import io.dataops.pipelines.privacy.SmallestGroupsCache;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.maintenance.MaintenanceSettings;
import io.dataops.platform.maintenance.VersionPins;
import io.dataops.platform.pipeline.PipelineRuns;
import io.dataops.platform.product.ProductServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dataops table maintain [NAME]}: compaction, snapshot expiry and orphan removal (see TableMaintenance). */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = "Compact small files, expire snapshots by the retention policy and remove orphan files, of one "
        + "table or all. Landed feeds stay recognised (the landed-feed ledger); tagged, sealed and live product "
        + "versions and the snapshots the next incremental runs read from are kept. Platform admin.")
final class TableMaintainCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "zone.table; default: every table")
  String name;
  @Option(names = "--keep-last", paramLabel = "N", description = "Snapshots of the main branch always kept.")
  Integer keepLast;
  @Option(names = "--max-age", paramLabel = "AGE", description = "Expire older snapshots beyond those (e.g. 7d).")
  String maxAge;
  @Option(names = "--safety-age", paramLabel = "AGE",
      description = "Never remove a file or staged snapshot younger than this (e.g. 1d): commits in flight.")
  String safetyAge;
  @Option(names = "--small-file-mb", paramLabel = "MB", description = "Compact data files below this size.")
  Long smallFileMb;

  TableMaintainCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Override
  public Integer call() {
    PlatformConfig config = cli.config(common);
    MaintenancePolicy policy = MaintenanceSettings.policy(config, cli.env, keepLast, maxAge, safetyAge, smallFileMb);
    cli.know("policy", policy);
    try (Lakehouse lh = cli.lakehouse(config)) {
      TableMaintenance maintenance = new TableMaintenance(lh, policy,
          new VersionPins(ProductServices.registry(config), PipelineRuns.pins(config).live(policy.safetyAge())),
          Clock.systemUTC()).audit(cli.audit());
      List<TableReport> reports = name == null ? maintenance.maintainAll()
          : List.of(maintenance.maintain(TableNames.parse(name)));
      // Cached leak filters and group measures of the snapshots that just expired (or of tables dropped since) go
      // with them.
      try {
        LeakFilterCache.in(config.work()).prune(lh, null);
        SmallestGroupsCache.in(config.work()).prune(lh, null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the cached leak filters or measures of expired snapshots", e);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("policy", Map.of("keepLast", policy.keepLast(), "maxSnapshotAge", policy.maxSnapshotAge().toString(),
          "safetyAge", policy.safetyAge().toString(), "smallFileBytes", policy.smallFileBytes()));
      json.put("tables", reports);
      cli.print(common, json, text(reports));
    }
    return 0;
  }

  private static String text(List<TableReport> reports) {
    StringBuilder t = new StringBuilder();
    t.append(String.format("%-46s %9s %9s %8s %8s  %s%n", "table", "compacted", "expired", "kept", "orphans",
        "note"));
    for (TableReport r : reports) {
      if (r.skipped() != null) {
        t.append(String.format("%-46s %9s %9s %8s %8s  %s%n", r.table(), "-", "-", "-", "-", r.skipped()));
        continue;
      }
      String compacted = r.compaction().filesRewritten() == 0 ? "0"
          : r.compaction().filesRewritten() + "→" + r.compaction().filesWritten();
      String note = r.ledgerRecorded() > 0 ? r.ledgerRecorded() + " feeds recorded in the ledger" : "";
      if (r.orphans().keptYoung() > 0) {
        note += (note.isEmpty() ? "" : "; ") + r.orphans().keptYoung() + " unreferenced files kept (younger than the"
            + " safety age)";
      }
      for (TableReport.KeptFor k : r.expiry().keptFor()) {
        // Why data the policy would expire stays: an operator sees who to ask (or what to rebuild or destroy).
        note += (note.isEmpty() ? "" : "; ") + "snapshot " + k.snapshotId() + " and later kept for " + k.holder();
      }
      t.append(String.format("%-46s %9s %9d %8d %8d  %s%n", r.table(), compacted, r.expiry().expired().size(),
          r.expiry().kept(), r.orphans().removed().size(), note));
    }
    return t.toString();
  }
}
