package io.dataops.platform.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after its name: declared once, on the top command, and inherited by every
 * subcommand; picocli sets them here wherever they appear, and each command reads them from {@link Cli#common}.
 */
public final class CommonOptions {
  @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Platform home (default: $DATAOPS_HOME, else ./dataops-home).")
  String home;

  @Option(names = "--as", paramLabel = "USER", scope = ScopeType.INHERIT,
      description = "Act as this user (token from $DATAOPS_TOKEN or the home's credentials file; default: the file's "
          + "default user).")
  String as;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print one machine-readable JSON object on stdout (also when the command fails).")
  boolean json;
}
