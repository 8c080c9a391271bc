package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.table.TableBrowser;
import io.dataops.platform.Main;
import io.dataops.platform.config.Home;
import io.dataops.platform.config.HomeOrigin;
import io.dataops.platform.config.PlatformConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The build's training run for the class-data-sharing archive (platform/pom.xml records it with
 * {@code -XX:ArchiveClassesAtExit}; bin/dataops uses it): runs what the commands people time run — a landing of every
 * feed format, {@code land}, {@code quality run} over the Arrow scan with a suite of every expectation family,
 * grants, {@code pipeline run} (Spring Batch, DuckDB, desensitization, privacy, leak check, product write and
 * quality gate) and browsing — on a few thousand generated rows in the given home. A class the training run never
 * loads is read, verified and linked from its jar again by every command; an archived one is mapped ready.
 *
 * <p>The commands run in this process through {@link Main#run}, as the launcher would run them, so the archive holds
 * their command-line, session and audit classes too. Offline and deterministic (fixed seeds); the home is wiped
 * first, so it refuses a home it did not make.
 */
@Command(name = "warmup", hidden = true, description = "Load the platform's classes (used by the build).")
final class WarmupCommand implements Callable<Integer> {
  /** Marks a home as the warm-up's own: only such a home (or an empty one) is wiped and reused. */
  static final String MARKER = "WARMUP-HOME";
  static final int ROWS = 3000;
  private static final String TABLE = "ods.public_security__citizens";
  private static final List<String> RESOURCES = List.of("quality-suite.yaml", "pipeline.yaml", "pipeline.suite.yaml");

  private final Cli cli;
  /** Seconds per step, printed at the end: what the build's extra time goes to. */
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  WarmupCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws IOException {
    Path home = PlatformConfig.resolveHome(cli.common.home, cli.env);
    fresh(home);
    Path files = OwnerOnly.directories(home.resolve("warmup"));
    for (String name : RESOURCES) {
      try (InputStream in = WarmupCommand.class.getResourceAsStream("/warmup/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the warm-up file " + name + " is missing from the build");
        }
        OwnerOnly.copy(in, files.resolve(name));
      }
    }
    long start = System.nanoTime();
    landEveryFormat(home);
    seconds.put("formats", (System.nanoTime() - start) / 1e9);
    enroll(home);
    // Beside the home, not in it: generate writes nothing into a platform home (its keys and database).
    Path feed = OwnerOnly.directories(home.resolveSibling(home.getFileName() + "-feed")).resolve("citizens.csv");
    run(home, "generate", "--dataset", "citizens", "--rows", String.valueOf(ROWS), "--population",
        String.valueOf(ROWS), "--seed", "1", "--defect-rate", "0.01", "--out", feed.toString());
    run(home, "land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
        "--as", "ps-clerk");
    run(home, "quality", "run", "--table", TABLE, "--suite", files.resolve("quality-suite.yaml").toString(),
        "--json", "--as", "ps-clerk");
    grant(home, files);
    run(home, "pipeline", "run", files.resolve("pipeline.yaml").toString(), "--json", "--as", "warmup-op");
    run(home, "table", "list", "--as", "ps-clerk");
    run(home, "table", "show", TABLE, "--limit", "5", "--as", "ps-clerk");
    run(home, "product", "list", "--json", "--as", "warmup-op");
    StringBuilder steps = new StringBuilder();
    seconds.forEach((step, s) -> steps.append(String.format("%s %.1f s, ", step, s)));
    cli.out.println("warmed up in " + home + " (" + steps.substring(0, steps.length() - 2) + ")");
    return 0;
  }

  /** An empty home, or one an earlier warm-up made, emptied; any other home is refused untouched. */
  private static void fresh(Path home) throws IOException {
    if (Files.isDirectory(home)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(home)) {
        empty = entries.findAny().isEmpty();
      }
      if (!empty && !Files.exists(home.resolve(MARKER))) {
        throw new BadInputException("warmup empties its home: " + home + " is not empty and not a warm-up's home "
            + "(pass --home with a new folder)");
      }
      try (Stream<Path> all = Files.walk(home)) {
        all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(home)).forEach(p -> p.toFile().delete());
      }
    }
    OwnerOnly.directories(home);
    OwnerOnly.writeString(home.resolve(MARKER), "made by dataops warmup (the build's class-data-sharing run)\n");
  }

  /** Every feed format of every sample dataset, landed through the library (the readers and converters). */
  private void landEveryFormat(Path home) throws IOException {
    Path dir = OwnerOnly.directories(home.resolve("warmup").resolve("formats"));
    PlatformConfig config = PlatformConfig.load(Home.open(home, true), environment());
    HomeOrigin.check(config);
    try (Lakehouse lh = cli.lakehouse(config)) {
      // Each format once and each dataset (its column types) at least once: the pairs add classes no more.
      FeedFormat[] formats = FeedFormat.values();
      SampleDataset[] datasets = SampleDataset.values();
      for (int i = 0; i < Math.max(formats.length, datasets.length); i++) {
        FeedFormat format = formats[i % formats.length];
        SampleDataset ds = datasets[i % datasets.length];
        Path out = dir.resolve(ds.dataset() + "." + format.spelling());
        GenerateResult g = SampleGenerator.generate(new GenerateRequest(ds, 200, out, format,
            Charset.forName(format == FeedFormat.CSV ? "GBK" : "UTF-8"), 0.05, 1, 0, 200, 20, false));
        new Landing(lh).land(new LandingRequest(ds.department(), ds.dataset() + "-" + format.spelling(), out,
            withoutNames(ContractParser.parse(Path.of(g.contractFile()))), null));
      }
      TableBrowser browser = new TableBrowser(lh);
      browser.history(TableNames.ods(datasets[0].department(), datasets[0].dataset() + "-" + formats[0].spelling()));
    }
  }

  /** The benchmark's cast (bench/common.sh): public security's clerk, an operator and an authority. */
  private void enroll(Path home) {
    run(home, "org", "add", "public-security", "--name", "public security", "--kind", "department");
    run(home, "user", "add", "ps-clerk", "--org", "public-security", "--roles", "department", "--save");
    run(home, "org", "add", "warmup", "--name", "warm-up operator", "--kind", "operator");
    run(home, "user", "add", "warmup-op", "--org", "warmup", "--roles", "operator", "--save");
    run(home, "org", "add", "warmup-authority", "--name", "warm-up authority", "--kind", "authority");
    run(home, "user", "add", "warmup-auth", "--org", "warmup-authority", "--roles", "authority", "--save");
  }

  /** The grant the pipeline runs under, applied for by the operator and approved by the authority and the owner. */
  private void grant(Path home, Path files) throws IOException {
    Path application = files.resolve("application.yaml");
    LocalDate until = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    OwnerOnly.writeString(application, """
        scenario: warmup
        purpose: the build's warm-up run
        period: {until: %s}
        products: [warmup-desensitized]
        resources:
          - table: %s
            columns: [id_card, name, phone, gender, birth_date, address, district_code, monthly_income]
        """.formatted(until, TABLE));
    String applied = run(home, "grant", "apply", application.toString(), "--json", "--as", "warmup-op");
    String id = Cli.JSON.readTree(applied).path("id").asText();
    run(home, "grant", "approve", id, "--as", "warmup-auth");
    run(home, "grant", "approve", id, "--as", "ps-clerk");
  }

  /**
   * Runs one command in this process in the warm-up home, as the launcher would, and returns its output; a command
   * that fails fails the warm-up (an archive recorded from a broken run would silently miss classes).
   */
  private String run(Path home, String... args) {
    List<String> line = new ArrayList<>(List.of(args));
    line.addAll(List.of("--home", home.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int status = Main.run(line.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), environment());
    if (status != 0) {
      throw new IllegalStateException("warm-up command '" + String.join(" ", args) + "' exited " + status + ": "
          + err.toString(StandardCharsets.UTF_8).strip());
    }
    seconds.merge(args[0] + (args[0].equals("quality") || args[0].equals("pipeline") ? " " + args[1] : ""),
        (System.nanoTime() - start) / 1e9, Double::sum);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The process's environment without the platform's settings: the warm-up home is embedded and local, always. */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(cli.env);
    env.keySet().removeIf(k -> k.startsWith("DATAOPS_"));
    return env;
  }

  private static FeedContract withoutNames(FeedContract c) {
    return new FeedContract(null, null, c.description(), c.format(), c.encoding(), c.header(), c.delimiter(),
        c.quote(), c.nullValues(), c.dateFormat(), c.timestampFormat(), c.primaryKey(), c.sheet(),
        c.maxRecordBytes(), c.columns(), c.schedule());
  }
}
