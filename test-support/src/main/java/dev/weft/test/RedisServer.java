package dev.weft.test;

import io.lettuce.core.RedisURI;

/**
 * A running standalone Redis server for tests and local runs, obtained from {@link
 * RedisLauncher#startStandalone()} or injected by {@link WeftRedis @WeftRedis}.
 *
 * <p>Where the server comes from is reported by {@link #source()}:
 *
 * <ul>
 *   <li>{@code "external"}: the server named by the environment variable {@code WEFT_REDIS_URL};
 *       nothing was started, so {@link #stop()}, {@link #kill()} and {@link #start()} throw {@link
 *       UnsupportedOperationException} and {@link #close()} leaves the server alone;
 *   <li>{@code "testcontainers"}: a {@code redis:7.2-alpine} container;
 *   <li>{@code "path"}: a {@code redis-server} process from the {@code PATH} or from {@code
 *       weft.redis.server} / {@code WEFT_REDIS_SERVER};
 *   <li>{@code "embedded"}: a process running the binary shipped in the embedded-redis jar.
 * </ul>
 *
 * <p>A server this module started keeps its host and port for its whole life: after {@link #stop()}
 * or {@link #kill()}, {@link #start()} brings it back on the same port, so clients configured with
 * {@link #uri()} reconnect to it. Its data does not survive a stop: persistence is off.
 * Implementations are thread-safe.
 */
public interface RedisServer extends AutoCloseable {

  /** {@link #source()} of a server named by {@code WEFT_REDIS_URL}. */
  String SOURCE_EXTERNAL = "external";

  /** {@link #source()} of a server running in a Testcontainers container. */
  String SOURCE_TESTCONTAINERS = "testcontainers";

  /**
   * {@link #source()} of a server run from a {@code redis-server} found on the PATH or configured.
   */
  String SOURCE_PATH = "path";

  /** {@link #source()} of a server run from the binary inside the embedded-redis jar. */
  String SOURCE_EMBEDDED = "embedded";

  /**
   * @return the host clients connect to, such as {@code 127.0.0.1}; never {@code null}, except for
   *     an external server configured by a Unix-socket URL
   */
  String host();

  /**
   * @return the TCP port clients connect to
   */
  int port();

  /**
   * @return the server's URL, such as {@code redis://127.0.0.1:6390}; for an external server the
   *     configured URL itself (which may carry credentials); never {@code null}
   */
  String url();

  /**
   * @return a new Lettuce URI for the server on each call (callers may modify it), never {@code
   *     null}
   */
  RedisURI uri();

  /**
   * @return where the server comes from: {@value #SOURCE_EXTERNAL}, {@value
   *     #SOURCE_TESTCONTAINERS}, {@value #SOURCE_PATH} or {@value #SOURCE_EMBEDDED}; never {@code
   *     null}
   */
  String source();

  /**
   * Stops the server gracefully ({@code SHUTDOWN NOSAVE}) and waits until it has exited; data is
   * lost. Does nothing if it is already stopped.
   *
   * @throws UnsupportedOperationException for an external server
   * @throws IllegalStateException if the server was closed
   */
  void stop();

  /**
   * Kills the server at once, as {@code kill -9} does (SIGKILL), and waits until it is gone. Does
   * nothing if it is already stopped.
   *
   * @throws UnsupportedOperationException for an external server
   * @throws IllegalStateException if the server was closed
   */
  void kill();

  /**
   * Starts the server again after {@link #stop()} or {@link #kill()}, on the same host and port,
   * and waits until it answers PING. Does nothing if it is running.
   *
   * @throws UnsupportedOperationException for an external server
   * @throws IllegalStateException if the server was closed, or does not come up in time (the
   *     message then holds the server's log output)
   */
  void start();

  /**
   * @return whether the server is up: for a server this module started, whether its process or
   *     container runs; for an external server, whether it answers PING within a second
   */
  boolean isRunning();

  /**
   * Deletes every key in every database ({@code FLUSHALL}). For an external server this empties
   * that whole server.
   *
   * @throws IllegalStateException if the server does not answer
   */
  void flushAll();

  /**
   * Stops the server for good and deletes its temporary files; idempotent. For an external server
   * only the client resources used by {@link #flushAll()} are released, the server is left alone.
   */
  @Override
  void close();
}
