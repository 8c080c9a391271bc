package io.dataops.platform.config;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.dataops.lakehouse.table.PreviewMask;
import java.util.stream.Collectors;

/**
 * The log's message and exception text with identifiers masked line by line, as a table preview masks them
 * ({@link PreviewMask#maskIdentifiers}: resident ID, mobile and bank card numbers). Our own messages name no personal
 * value, but a library's exception may quote the value it failed on (a conversion error of DuckDB, a parser's "For
 * input string"), and the log keeps it for good. Names and addresses cannot be recognized in free text: this is a
 * second line of defence, not the first.
 */
final class MaskedLogText {
  private MaskedLogText() {}

  /** Each line masked on its own, so that a number in one line leaves the digits of the others (stack frames). */
  static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return text.lines().map(PreviewMask::maskIdentifiers)
        .collect(Collectors.joining("\n", "", text.endsWith("\n") ? "\n" : ""));
  }

  /** {@code %maskedMsg}: the formatted message, masked. */
  public static final class Message extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return mask(event.getFormattedMessage());
    }
  }

  /** {@code %maskedEx}: the exception with its causes and frames, as {@code %ex} prints it, masked. */
  public static final class Throwable extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
      return mask(super.throwableProxyToString(proxy));
    }
  }
}
