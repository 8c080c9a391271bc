package io.dataops.platform.cli;

import io.dataops.core.text.VisibleText;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "dataops", mixinStandardHelpOptions = true, version = "dataops 0.1.0",
    description = "Trusted data-product platform for public data authorized operation (公共数据授权运营).")
public final class DataopsCommand {
  /**
   * The subcommands, in the order help lists them. Not in the annotation: {@link #commandLine} builds only the
   * one a command line names, since picocli reflects over every command class it is given (a quarter of a second of
   * start-up for all of them).
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, GenerateCommand.class,
      ContractCommand.class, LandCommand.class, TableCommand.class, QualityCommand.class, FeedbackCommand.class,
      PipelineCommand.class, ProductCommand.class, GrantCommand.class, BillingCommand.class, SuperviseCommand.class,
      EvaluateCommand.class, AuditCommand.class, UserCommand.class, OrgCommand.class, AirflowCommand.class,
      ScheduleCommand.class, SchedulerCommand.class, ServeCommand.class, WarmupCommand.class);

  /** The top command's options that take a value: a subcommand's name is the first argument that is none of these. */
  private static final Set<String> VALUED_OPTIONS = Set.of("--home", "--as");

  /** --home and --json, inherited by every subcommand (the factory hands in {@link Cli#common}). */
  @Mixin CommonOptions common;

  /**
   * The command line for {@code args}: the top command with the subcommand {@code args} names, or with all of them
   * when it names none (top-level help, a mistyped name: picocli then lists or suggests from all).
   */
  public static CommandLine commandLine(String[] args, CommandLine.IFactory factory) {
    CommandLine top = new CommandLine(new DataopsCommand(), factory);
    for (Class<?> subcommand : subcommandsFor(args)) {
      top.addSubcommand(new CommandLine(subcommand, factory));
    }
    top.registerConverter(java.nio.file.Path.class, DataopsCommand::path); // after the subcommands: it reaches them
    return top;
  }

  /**
   * A path typed on the command line. A name in GBK bytes under a UTF-8 locale reaches Java with U+FFFD for its bytes
   * (the file exists, but no path can name it: "no readable file" was said of it), and a name the locale cannot hold
   * failed with Java's InvalidPathException text (found by a probe): both say what to do instead.
   */
  private static java.nio.file.Path path(String typed) {
    if (typed.indexOf('\uFFFD') >= 0) {
      throw new CommandLine.TypeConversionException("'" + VisibleText.value(typed) + "' has bytes that are not "
          + "text in this locale's " + System.getProperty("sun.jnu.encoding") + " (a name written in GBK?): rename "
          + "the file, e.g. with convmv -f gbk -t utf8");
    }
    try {
      return java.nio.file.Path.of(typed);
    } catch (java.nio.file.InvalidPathException e) {
      throw new CommandLine.TypeConversionException("'" + VisibleText.value(typed) + "' cannot be a path in this "
          + "locale's " + System.getProperty("sun.jnu.encoding") + " (" + e.getReason() + "): run with a UTF-8 "
          + "locale, e.g. LC_ALL=C.UTF-8");
    }
  }

  private static List<Class<?>> subcommandsFor(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (VALUED_OPTIONS.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        for (Class<?> c : SUBCOMMANDS) {
          if (c.getAnnotation(Command.class).name().equals(a)) {
            return List.of(c);
          }
        }
        return SUBCOMMANDS;
      }
    }
    return SUBCOMMANDS;
  }
}
