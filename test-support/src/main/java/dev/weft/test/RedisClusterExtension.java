package dev.weft.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link WeftRedisCluster @WeftRedisCluster}: one {@link RedisCluster}
 * per test class, injected into parameters of type {@link RedisCluster} and flushed before each
 * test. Register it with {@code @WeftRedisCluster} rather than directly; registered without the
 * annotation it behaves as {@code @WeftRedisCluster} with its defaults.
 */
public final class RedisClusterExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisClusterExtension.class);

  /** Creates the extension; JUnit calls this. */
  public RedisClusterExtension() {}

  /** Starts the test class's cluster, unless an enclosing class's cluster is shared. */
  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  /** Flushes every node unless disabled by {@link WeftRedisCluster#flushBeforeEach()}. */
  @Override
  public void beforeEach(ExtensionContext context) {
    RedisCluster cluster = cluster(context);
    boolean flush =
        ClassScopedResource.findAnnotation(context, WeftRedisCluster.class)
            .map(WeftRedisCluster::flushBeforeEach)
            .orElse(true);
    if (flush) {
      cluster.flushAll();
    }
  }

  /**
   * @return whether the parameter is of type {@link RedisCluster}
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisCluster.class;
  }

  /**
   * @return the test class's cluster, never {@code null}
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  private static RedisCluster cluster(ExtensionContext context) {
    return ClassScopedResource.get(
        context, NAMESPACE, RedisCluster.class, RedisLauncher::startCluster);
  }
}
