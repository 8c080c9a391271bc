package io.dataops.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logging set up in code: the same file, levels and silence on stdout as the logback.xml it replaced. */
class LogConfiguratorTest {
  @TempDir Path dir;
  private final String home = System.getProperty("dataops.home");

  @AfterEach
  void restore() {
    if (home == null) {
      System.clearProperty("dataops.home");
    } else {
      System.setProperty("dataops.home", home);
    }
  }

  @Test
  void logbackFindsItAsAService() {
    assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
        .map(p -> p.type().getName())).contains(LogConfigurator.class.getName());
  }

  @Test
  void detailsGoToTheHomesOwnerOnlyLogAtTheLevelsOfEachSource() throws Exception {
    System.setProperty("dataops.home", dir.resolve("home").toString());
    LoggerContext context = configured();
    context.getLogger("io.dataops.platform.Main").info("an info of ours");
    context.getLogger("io.dataops.platform.Main").debug("a debug of ours");
    context.getLogger("org.apache.iceberg.BaseTable").info("a library's info");
    context.getLogger("org.apache.iceberg.BaseTable").warn("a library's warning");
    context.getLogger("org.apache.hadoop.conf.Configuration").warn("hadoop's warning");
    context.getLogger("org.apache.hadoop.conf.Configuration").error("hadoop's error");
    context.stop();

    Path log = dir.resolve("home/logs/dataops.log");
    assertThat(Files.readAllLines(log)).hasSize(3).satisfiesExactly(
        l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[[^]]+\\] "
            + "io\\.dataops\\.platform\\.Main - an info of ours"),
        l -> assertThat(l).contains("WARN  ").endsWith("org.apache.iceberg.BaseTable - a library's warning"),
        l -> assertThat(l).contains("ERROR ").endsWith("hadoop's error"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent()))).isEqualTo("rwx------");
  }

  /**
   * A library's exception may quote the value it failed on (a conversion error of a resident ID number, a mobile):
   * masked in the message and in the exception's text, each line on its own, so stack frames keep their numbers.
   */
  @Test
  void identifiersInAMessageOrAnExceptionAreMaskedInTheLog() throws Exception {
    System.setProperty("dataops.home", dir.resolve("home").toString());
    LoggerContext context = configured();
    String id = "44030419900101123X";
    String mobile = "13800138000";
    context.getLogger("io.dataops.platform.Main").error("could not read " + id,
        new IllegalStateException("wrapped", new NumberFormatException("For input string: \"" + mobile + "\"")));
    context.getLogger("io.dataops.platform.Main").info("landed 1234 rows of feed 56");
    context.stop();

    String log = Files.readString(dir.resolve("home/logs/dataops.log"));
    assertThat(log).doesNotContain(id, id.substring(0, 17), mobile)
        .contains("could not read ", "For input string: \"", "java.lang.IllegalStateException: wrapped",
            "Caused by: java.lang.NumberFormatException", "landed 1234 rows of feed 56")
        .containsPattern("at io\\.dataops\\.platform\\.config\\.LogConfiguratorTest\\.\\w+\\(LogConfiguratorTest"
            + "\\.java:\\d+\\)");
  }

  @Test
  void aHomeThatCannotBeWrittenLogsNothingAndSaysNothingOnStdout() throws Exception {
    // a home under a plain file: no folder can be made there, whoever runs the test (root ignores permissions)
    Path blocked = Files.writeString(dir.resolve("a-file"), "");
    System.setProperty("dataops.home", blocked.resolve("home").toString());
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    try {
      LoggerContext context = configured();
      context.getLogger("io.dataops.platform.Main").error("an error of ours");
      context.stop();
    } finally {
      System.setOut(out);
    }
    assertThat(captured.toString()).isEmpty();
    assertThat(Files.readString(blocked)).isEmpty();
  }

  @Test
  void aConfigurationFileGivenOnTheCommandLineIsLeftToLogback() {
    System.setProperty("logback.configurationFile", dir.resolve("mine.xml").toString());
    try {
      LoggerContext context = new LoggerContext();
      LogConfigurator c = new LogConfigurator();
      c.setContext(context);
      assertThat(c.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
    } finally {
      System.clearProperty("logback.configurationFile");
    }
  }

  private static LoggerContext configured() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // what logback's provider sets
    LogConfigurator c = new LogConfigurator();
    c.setContext(context);
    assertThat(c.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }
}
