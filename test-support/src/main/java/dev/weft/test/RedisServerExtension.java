package dev.weft.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link WeftRedis @WeftRedis}: one {@link RedisServer} per test
 * class, injected into parameters of type {@link RedisServer}, flushed before each test and
 * restarted if a test left it stopped. Register it with {@code @WeftRedis} rather than directly;
 * registered without the annotation it behaves as {@code @WeftRedis} with its defaults.
 */
public final class RedisServerExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisServerExtension.class);

  /** Creates the extension; JUnit calls this. */
  public RedisServerExtension() {}

  /** Starts the test class's server, unless an enclosing class's server is shared. */
  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  /** Restarts the server if a previous test left it stopped, then flushes it unless disabled. */
  @Override
  public void beforeEach(ExtensionContext context) {
    RedisServer server = server(context);
    if (!RedisServer.SOURCE_EXTERNAL.equals(server.source()) && !server.isRunning()) {
      server.start();
    }
    boolean flush =
        ClassScopedResource.findAnnotation(context, WeftRedis.class)
            .map(WeftRedis::flushBeforeEach)
            .orElse(true);
    if (flush) {
      server.flushAll();
    }
  }

  /**
   * @return whether the parameter is of type {@link RedisServer}
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisServer.class;
  }

  /**
   * @return the test class's server, never {@code null}
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  private static RedisServer server(ExtensionContext context) {
    return ClassScopedResource.get(
        context, NAMESPACE, RedisServer.class, RedisLauncher::startStandalone);
  }
}
