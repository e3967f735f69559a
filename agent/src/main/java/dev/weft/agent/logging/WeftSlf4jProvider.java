package dev.weft.agent.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the agent jar's own, relocated SLF4J: its loggers hand every line of
 * weft-core to the application's logging ({@link ApplicationLogging} explains how it is found).
 *
 * <p>The agent jar relocates {@code org.slf4j} to {@code dev.weft.agent.shaded.org.slf4j}, this
 * class included, so it implements the relocated {@code SLF4JServiceProvider} and is listed in the
 * relocated service file, {@code META-INF/services/dev.weft.agent.shaded.org.slf4j.spi.
 * SLF4JServiceProvider}, which only the relocated {@code LoggerFactory} reads. The source tree
 * ships that file under its relocated name already: unshaded, on a test class path, nothing finds
 * it. The application's SLF4J never sees this provider, and Weft's SLF4J never sees the
 * application's providers, so neither prints warnings about the other.
 */
public final class WeftSlf4jProvider implements SLF4JServiceProvider {

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory loggerFactory =
      name -> loggers.computeIfAbsent(name, ForwardingLogger::new);
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

  /** Called by SLF4J's {@code ServiceLoader}. */
  public WeftSlf4jProvider() {}

  /** @return loggers that forward to the application's logging, never {@code null} */
  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  /** @return SLF4J's basic marker factory; markers are not forwarded */
  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  /** @return an MDC that keeps nothing: weft-core sets no MDC values */
  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  /** @return the SLF4J API version this provider is compiled against */
  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  /** Nothing to set up: the application's logging is looked for at the first line logged. */
  @Override
  public void initialize() {}
}
