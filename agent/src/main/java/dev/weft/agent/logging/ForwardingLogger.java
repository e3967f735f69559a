package dev.weft.agent.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger of weft-core, by name, whose lines go where {@link ApplicationLogging} sends them. */
final class ForwardingLogger extends AbstractLogger {

  private static final long serialVersionUID = 1L;

  private final transient ApplicationLogging.Route route;

  ForwardingLogger(String name) {
    this.name = name;
    this.route = new ApplicationLogging.Route(name);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable error) {
    route.log(level, MessageFormatter.basicArrayFormat(pattern, arguments), error);
  }

  @Override
  public boolean isTraceEnabled() {
    return route.isEnabled(Level.TRACE);
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return route.isEnabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return route.isEnabled(Level.DEBUG);
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return route.isEnabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return route.isEnabled(Level.INFO);
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return route.isEnabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return route.isEnabled(Level.WARN);
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return route.isEnabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return route.isEnabled(Level.ERROR);
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return route.isEnabled(Level.ERROR);
  }
}
