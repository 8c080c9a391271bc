package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line builds only the subcommand its arguments name, and every one whenever that is not clear. */
class DataopsCommandTest {
  private static final List<String> ALL = List.of("demo", "generate", "contract", "land", "table", "quality",
      "feedback", "pipeline", "product", "grant", "billing", "supervise", "evaluate", "audit", "user", "org",
      "airflow", "schedule", "scheduler", "serve", "warmup");

  private static List<String> built(String... args) {
    Cli cli = new Cli(System.out, System.err, Map.of());
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        try {
          var c = cls.getDeclaredConstructor(Cli.class);
          c.setAccessible(true);
          return c.newInstance(cli);
        } catch (NoSuchMethodException e) {
          return CommandLine.defaultFactory().create(cls);
        }
      }
    };
    return List.copyOf(DataopsCommand.commandLine(args, factory).getSubcommands().keySet());
  }

  @Test
  void aNamedSubcommandIsTheOnlyOneBuilt() {
    assertThat(built("quality", "run", "--table", "t")).containsExactly("quality");
    assertThat(built("--json", "table", "list")).containsExactly("table");
  }

  @Test
  void theValueOfHomeOrAsIsNotTakenForAName() {
    assertThat(built("--home", "quality", "table", "list")).containsExactly("table");
    assertThat(built("--as", "land", "--home", "demo", "product", "list")).containsExactly("product");
    assertThat(built("--home=quality", "land", "feed.csv")).containsExactly("land");
  }

  @Test
  void withoutAKnownNameEverySubcommandIsBuiltInHelpOrder() {
    assertThat(built()).isEqualTo(ALL);
    assertThat(built("--help")).isEqualTo(ALL);
    assertThat(built("--home", "h", "qualty", "run")).isEqualTo(ALL);
    assertThat(built("--home")).isEqualTo(ALL);
  }
}
