package dev.weft.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts real Redis servers for tests and local runs; usable without JUnit.
 *
 * <p>{@link #startStandalone()} takes the first of these that applies:
 *
 * <ol>
 *   <li>the environment variable {@code WEFT_REDIS_URL} is set: that server is used as it is,
 *       nothing is started (source {@code "external"});
 *   <li>the system property {@code weft.redis.server} or the environment variable {@code
 *       WEFT_REDIS_SERVER} names a {@code redis-server} executable: it is run (source {@code
 *       "path"});
 *   <li>a Docker engine answers: a {@code redis:7.2-alpine} container is started through
 *       Testcontainers (source {@code "testcontainers"}); if that fails, the launcher warns and
 *       goes on;
 *   <li>an executable {@code redis-server} is on the {@code PATH}: it is run (source {@code
 *       "path"});
 *   <li>otherwise the {@code redis-server} shipped in the {@code
 *       com.github.codemonstur:embedded-redis} jar for this OS and architecture (Redis 6.2) is
 *       copied to a temporary directory once per JVM and run (source {@code "embedded"}).
 * </ol>
 *
 * <p>An explicitly named executable wins over Docker because naming one is a deliberate choice.
 * {@link #startCluster()} always runs local processes (steps 2, 4, 5). Local servers bind 127.0.0.1
 * on a free port, keep no data on disk, and write their log into their own temporary directory.
 * Every process the launcher starts is killed by a JVM shutdown hook if it is still running when
 * the JVM exits, so a failing test leaves nothing behind. The source chosen, and why, is logged
 * once at INFO through SLF4J.
 *
 * <p>Example, in a {@code main} method that needs a Redis when none is configured:
 *
 * <pre>{@code
 * RedisServer redis = RedisLauncher.startStandalone();
 * System.setProperty("weft.redis.url", redis.url());
 * }</pre>
 */
public final class RedisLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLauncher.class);
  private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

  private RedisLauncher() {}

  /**
   * Starts, or finds, a standalone Redis server as described in the class documentation.
   *
   * @return a running server, never {@code null}; the caller closes it
   * @throws IllegalStateException if no server could be started; the message says why and holds the
   *     server's own log output when a process failed to come up
   */
  public static RedisServer startStandalone() {
    return startStandalone(LaunchSettings.fromEnvironment());
  }

  /**
   * Starts a Redis Cluster of three masters on loopback ports from a local {@code redis-server}.
   * Takes 1 to 3 seconds.
   *
   * @return a formed cluster, never {@code null}; the caller closes it
   * @throws IllegalStateException if a node does not start or the cluster does not form within 30
   *     seconds
   */
  public static RedisCluster startCluster() {
    return startCluster(LaunchSettings.fromEnvironment());
  }

  /**
   * {@link #startStandalone()} with the given settings instead of this JVM's environment.
   *
   * @param settings what to read instead of the environment, not {@code null}
   * @return a running server, never {@code null}
   */
  static RedisServer startStandalone(LaunchSettings settings) {
    String external = settings.externalUrl();
    if (external != null) {
      if (external.startsWith("redis-cluster://") || external.startsWith("rediss-cluster://")) {
        announce(
            "cluster-url",
            "{} names a cluster; a standalone server is started locally instead",
            LaunchSettings.EXTERNAL_URL_ENV);
      } else {
        ExternalRedisServer server = new ExternalRedisServer(external);
        announce(
            "external " + server.redacted(),
            "Weft test Redis: using the external server {} because {} is set",
            server.redacted(),
            LaunchSettings.EXTERNAL_URL_ENV);
        return server;
      }
    }
    String notDocker = "";
    if (settings.serverOverride() == null) {
      notDocker = "no Docker engine answers, and ";
      if (settings.dockerAvailable().getAsBoolean()) {
        try {
          RedisServer server = ContainerRedisServer.launch();
          announce(
              "testcontainers",
              "Weft test Redis: using Testcontainers ({}) because {}",
              ContainerRedisServer.IMAGE,
              DockerProbe.reason());
          return server;
        } catch (RuntimeException | LinkageError e) {
          notDocker = "the Docker container failed to start, and ";
          LOG.warn(
              "Weft test Redis: Docker answers but the {} container did not start; "
                  + "falling back to a local redis-server",
              ContainerRedisServer.IMAGE,
              e);
        }
      }
    }
    RedisBinary binary = RedisBinary.locate(settings);
    announce(
        "standalone " + binary.path(),
        "Weft test Redis: running {} (source {}) because {}{}",
        binary.path(),
        binary.source(),
        notDocker,
        binary.reason());
    return LocalRedisServer.launch(binary);
  }

  /**
   * {@link #startCluster()} with the given settings instead of this JVM's environment; only the
   * binary override and the search path are read.
   *
   * @param settings what to read instead of the environment, not {@code null}
   * @return a formed cluster, never {@code null}
   */
  static RedisCluster startCluster(LaunchSettings settings) {
    RedisBinary binary = RedisBinary.locate(settings);
    announce(
        "cluster " + binary.path(),
        "Weft test Redis Cluster: running 3 masters of {} (source {}): {}",
        binary.path(),
        binary.source(),
        binary.reason());
    return LocalRedisCluster.launch(binary);
  }

  private static void announce(String choice, String message, Object... arguments) {
    if (ANNOUNCED.add(choice)) {
      LOG.info(message, arguments);
    }
  }
}
