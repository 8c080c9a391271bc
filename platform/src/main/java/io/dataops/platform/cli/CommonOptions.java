package io.dataops.platform.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
  @Option(names = "--home", paramLabel = "DIR",
      description = "Platform home (default: $DATAOPS_HOME, else ./dataops-home).")
  String home;

  @Option(names = "--json", description = "Print one machine-readable JSON object on stdout.")
  boolean json;
}
