package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.lakehouse.contract.FeedContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "contract", mixinStandardHelpOptions = true,
    description = "Feed contracts: what each department promised for each dataset.",
    subcommands = {ContractCommand.Register.class, ContractCommand.ListContracts.class, ContractCommand.Show.class})
final class ContractCommand {

  static Map<String, Object> describe(ContractRegistry.Registered r) {
    FeedContract c = r.contract();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("department", r.department());
    m.put("dataset", r.dataset());
    m.put("file", r.file().toString());
    m.put("sha256", r.sha256());
    m.put("format", c.format().spelling());
    m.put("encoding", c.encoding().name());
    m.put("primaryKey", c.primaryKey());
    List<Map<String, Object>> cols = new ArrayList<>();
    for (ColumnSpec col : c.columns()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("name", col.name());
      cm.put("type", col.type().toString());
      cm.put("required", col.required());
      if (col.maxLength() != null) {
        cm.put("maxLength", col.maxLength());
      }
      if (col.format() != null) {
        cm.put("format", col.format());
      }
      if (col.personal() != null) {
        cm.put("personal", col.personal().spelling());
      }
      if (col.binaryAsUtf8()) {
        cm.put("binaryAsUtf8", true);
      }
      if (col.description() != null) {
        cm.put("description", col.description());
      }
      cols.add(cm);
    }
    m.put("columns", cols);
    return m;
  }

  static String text(ContractRegistry.Registered r) {
    FeedContract c = r.contract();
    StringBuilder s = new StringBuilder(String.format("%s/%s  %s %s, key %s, %d columns  (%s)%n", r.department(),
        r.dataset(), c.format().spelling(), c.encoding().name(), c.primaryKey(), c.columns().size(), r.file()));
    for (ColumnSpec col : c.columns()) {
      s.append(String.format("    %-24s %-14s %s", col.name(), col.type(), options(col)).stripTrailing())
          .append(System.lineSeparator());
    }
    return s.toString();
  }

  /** A column's options in a line, only those it has: {@code required max 18 format:yyyyMMdd personal:id_card}. */
  private static String options(ColumnSpec col) {
    List<String> o = new ArrayList<>();
    if (col.required()) {
      o.add("required");
    }
    if (col.maxLength() != null) {
      o.add("max " + col.maxLength());
    }
    if (col.format() != null) {
      o.add("format:" + VisibleText.value(col.format()));
    }
    if (col.personal() != null) {
      o.add("personal:" + col.personal().spelling());
    }
    if (col.binaryAsUtf8()) {
      o.add("binaryAsUtf8");
    }
    if (col.description() != null) {
      // Free text the department wrote: kept on the line, its controls shown rather than acted on by the terminal.
      o.add("\"" + VisibleText.value(col.description()) + "\"");
    }
    return String.join(" ", o);
  }

  @Command(name = "register", mixinStandardHelpOptions = true,
      description = "Check a contract and store it as the department's contract for the dataset.")
  static final class Register implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--department", required = true, paramLabel = "D") String department;
    @Option(names = "--dataset", required = true, paramLabel = "S") String dataset;
    @Option(names = "--file", required = true, paramLabel = "CONTRACT") Path file;

    Register(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      io.dataops.core.yaml.LinedYaml.requireFile(file, "contract");
      cli.session().requireOrganization(department, "the contract of " + department + "/" + dataset,
          java.util.List.of("contract:" + department + "/" + dataset));
      var registered = io.dataops.platform.intake.RegisteredContracts.register(cli.config(common), department,
          dataset, file, cli.audit());
      cli.print(common, describe(registered), "registered " + text(registered));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The registered contracts.")
  static final class ListContracts implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    ListContracts(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      List<ContractRegistry.Registered> all = new ContractRegistry(cli.configToRead(common).contracts()).list();
      StringBuilder text = new StringBuilder();
      List<Object> json = new ArrayList<>();
      for (var r : all) {
        json.add(describe(r));
        text.append(text(r));
      }
      cli.print(common, Map.of("contracts", json), all.isEmpty() ? "no contracts registered" : text.toString());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One registered contract.")
  static final class Show implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--department", required = true, paramLabel = "D") String department;
    @Option(names = "--dataset", required = true, paramLabel = "S") String dataset;

    Show(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      var r = new ContractRegistry(cli.configToRead(common).contracts()).find(department, dataset)
          .orElseThrow(() -> new BadInputException("no contract registered for " + department + "/" + dataset));
      cli.print(common, describe(r), text(r));
      return 0;
    }
  }
}
