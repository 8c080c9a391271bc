package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.products.registry.ProductVersion;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.pipeline.PipelineRuns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Product versions as pipeline runs recorded them (the approval lifecycle comes with the product registry). */
@Command(name = "product", mixinStandardHelpOptions = true, description = "Data products and their versions.",
    subcommands = {ProductCommand.ListVersions.class, ProductCommand.Show.class})
final class ProductCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every version of every product.")
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
      List<ProductVersion> versions = PipelineRuns.versions(config).list(null);
      List<Map<String, Object>> json = new ArrayList<>();
      StringBuilder text = new StringBuilder(versions.isEmpty() ? "no products yet (see: dataops pipeline run FILE)\n"
          : String.format("%-28s %7s  %-10s %20s  %10s  %s%n", "PRODUCT", "VERSION", "STATE", "SNAPSHOT", "ROWS",
              "CREATED"));
      for (ProductVersion v : versions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.product());
        m.put("version", v.version());
        m.put("state", v.state().label());
        m.put("snapshotId", v.snapshotId());
        m.put("rows", v.lineage().rowsOut());
        m.put("createdAt", v.createdAt());
        json.add(m);
        text.append(String.format("%-28s %7d  %-10s %20d  %,10d  %s%n", v.product(), v.version(), v.state().label(),
            v.snapshotId(), v.lineage().rowsOut(), v.createdAt()));
      }
      cli.print(common, json, text.toString());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One version with its lineage: input snapshots, pipeline hash, policies, privacy, leak check, "
          + "quality gate.")
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
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      List<ProductVersion> versions = PipelineRuns.versions(config).list(name);
      if (versions.isEmpty()) {
        throw new BadInputException("no product " + name + " (see: dataops product list)");
      }
      ProductVersion v = version == null ? versions.get(versions.size() - 1) : versions.stream()
          .filter(x -> x.version() == version).findFirst().orElseThrow(() -> new BadInputException("product " + name
              + " has no version " + version + " (it has 1 to " + versions.get(versions.size() - 1).version() + ")"));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", v.product());
      json.putAll(Cli.JSON.convertValue(v, Map.class));
      json.remove("product");
      ProductVersion.Lineage l = v.lineage();
      StringBuilder text = new StringBuilder(String.format("product %s version %d (%s), %s @ snapshot %d, tag %s%n",
          v.product(), v.version(), v.state().label(), v.table(), v.snapshotId(), v.tag()));
      text.append(String.format("  scenario: %s; owner: %s; created %s%n", l.scenario(), l.owner(), v.createdAt()));
      text.append(String.format("  pipeline %s (sha256 %s) on %s%n", l.pipeline(), l.pipelineSha256(), l.engine()));
      l.inputs().forEach((t, id) -> text.append(String.format("  input %s @ snapshot %d%n", t, id)));
      l.policies().forEach((c, p) -> text.append(String.format("  column %-22s %s%n", c, p)));
      text.append(String.format("  rows: %,d in, %,d out, %,d suppressed%n", l.rowsIn(), l.rowsOut(),
          l.rowsSuppressed()));
      if (l.privacy() != null) {
        text.append(String.format("  privacy: k=%s over %s, highest risk %s, average risk %s%n", l.privacy().get("k"),
            l.privacy().get("quasiIdentifiers"), l.privacy().get("maxRisk"), l.privacy().get("avgRisk")));
      }
      text.append("  leak check: ").append(l.leakCheck()).append('\n');
      if (l.quality() != null) {
        text.append("  quality gate: ").append(l.quality()).append('\n');
      }
      if (v.content() != null) {
        text.append(String.format("  content: %d files, %,d bytes, %,d rows; Merkle root (%s) %s%n",
            v.content().files(), v.content().bytes(), v.content().records(), v.content().algorithm(),
            v.content().merkleRoot()));
      }
      cli.print(common, json, text.toString());
      return 0;
    }
  }
}
