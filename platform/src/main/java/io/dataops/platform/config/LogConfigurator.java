package io.dataops.platform.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The application's logging, set up in code (found by logback through META-INF/services): nothing on stdout, which
 * carries the command's output and its JSON; details in the home's owner-only {@code logs/dataops.log}. Built from
 * code instead of a logback.xml because logback's XML configuration (a SAX parse and its model framework, some four
 * hundred classes) cost every command 0.1-0.3 s. A {@code -Dlogback.configurationFile} still wins: then logback
 * reads that file as usual.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %maskedMsg%n%maskedEx";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // logback's own messages (a log file it cannot open, say) would go to stdout: a listener keeps them off it
    context.getStatusManager().add(new NopStatusListener());
    // Identifiers a library's message or exception quotes are masked before they reach the file (MaskedLogText).
    java.util.Map<String, java.util.function.Supplier<ch.qos.logback.core.pattern.DynamicConverter>> rules =
        new java.util.HashMap<>();
    rules.put("maskedMsg", MaskedLogText.Message::new);
    rules.put("maskedEx", MaskedLogText.Throwable::new);
    context.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    OwnerOnlyFileAppender<ILoggingEvent> file = new OwnerOnlyFileAppender<>();
    file.setContext(context);
    file.setName("FILE");
    file.setFile(System.getProperty("dataops.home", "dataops-home") + "/logs/dataops.log");
    file.setAppend(true);
    file.setEncoder(encoder);
    file.start(); // in a home this user cannot write, the appender does not start and nothing is logged
    context.getLogger("io.dataops").setLevel(Level.INFO);
    context.getLogger("org.apache.hadoop").setLevel(Level.ERROR);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(file);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
