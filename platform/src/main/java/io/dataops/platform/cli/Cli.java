package io.dataops.platform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command runs with: its output streams and environment (so tests run commands in-process), and the
 * platform configuration and lakehouse for the chosen home.
 */
public final class Cli {
  static final ObjectMapper JSON = new ObjectMapper()
      .findAndRegisterModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;

  public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  PlatformConfig config(CommonOptions common) {
    return PlatformConfig.load(PlatformConfig.resolveHome(common.home, env), env);
  }

  Lakehouse lakehouse(PlatformConfig config) {
    return Lakehouse.open(config.lakehouse());
  }

  /** Prints the JSON form with --json, else the text. */
  void print(CommonOptions common, Object json, String text) {
    if (common.json) {
      try {
        out.println(JSON.writeValueAsString(json));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write the result as JSON", e);
      }
    } else {
      out.print(text.endsWith("\n") ? text : text + "\n");
    }
    out.flush();
  }
}
