package dev.weft.test;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/*
 * A server in a redis:7.2-alpine container. Testcontainers maps container ports to random host
 * ports, and a restarted container would get a new one; since tests restart Redis and expect
 * their clients to find it again, the container's port 6379 is bound to a fixed host port that
 * we pick, and stop/kill/start go straight to the Docker API for the same container, which keeps
 * its port binding. This is the only class that touches Testcontainers, so its classes are never
 * loaded on a machine without Docker.
 */
/** A standalone server in a Testcontainers-managed container, restartable on the same port. */
final class ContainerRedisServer implements RedisServer {

  /** The image every container runs. */
  static final String IMAGE = "redis:7.2-alpine";

  private static final int REDIS_PORT = 6379;
  private static final int STOP_TIMEOUT_SECONDS = 10;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  private final GenericContainer<?> container;
  private final int port;
  private final Reaper.Registration reaping;
  private boolean closed;

  private ContainerRedisServer(GenericContainer<?> container, int port) {
    this.container = container;
    this.port = port;
    this.reaping = Reaper.atExit(container::stop);
  }

  /**
   * @return whether Testcontainers reaches a Docker engine; may block while it probes
   */
  static boolean dockerAnswers() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /**
   * Starts a container whose Redis port is bound to a free host port, trying a few ports.
   *
   * @return the running server, never {@code null}
   * @throws RuntimeException if no container could be started
   */
  static ContainerRedisServer launch() {
    RuntimeException failure = null;
    for (int attempt = 0; attempt < LocalRedisServer.PORT_ATTEMPTS; attempt++) {
      int port = Ports.claimFree();
      @SuppressWarnings("resource")
      GenericContainer<?> container =
          new GenericContainer<>(DockerImageName.parse(IMAGE))
              .withExposedPorts(REDIS_PORT)
              .withCommand("redis-server", "--save", "", "--appendonly", "no")
              .withStartupTimeout(RedisProcess.START_TIMEOUT);
      container.setPortBindings(List.of(port + ":" + REDIS_PORT));
      try {
        container.start();
        ContainerRedisServer server = new ContainerRedisServer(container, port);
        server.awaitPong();
        return server;
      } catch (RuntimeException e) {
        container.stop();
        Ports.release(port);
        failure = e;
      }
    }
    throw failure;
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String url() {
    return "redis://" + host() + ":" + port;
  }

  @Override
  public RedisURI uri() {
    return RedisURI.create(host(), port);
  }

  @Override
  public String source() {
    return SOURCE_TESTCONTAINERS;
  }

  @Override
  public synchronized void stop() {
    ensureOpen();
    if (isRunning()) {
      container
          .getDockerClient()
          .stopContainerCmd(container.getContainerId())
          .withTimeout(STOP_TIMEOUT_SECONDS)
          .exec();
    }
  }

  @Override
  public synchronized void kill() {
    ensureOpen();
    if (isRunning()) {
      container
          .getDockerClient()
          .killContainerCmd(container.getContainerId())
          .withSignal("KILL")
          .exec();
      boolean gone =
          Poll.until(
              Duration.ofSeconds(STOP_TIMEOUT_SECONDS), Duration.ofMillis(50), () -> !isRunning());
      if (!gone) {
        throw new IllegalStateException(
            "container " + container.getContainerId() + " survived SIGKILL");
      }
    }
  }

  @Override
  public synchronized void start() {
    ensureOpen();
    if (!isRunning()) {
      container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
      awaitPong();
    }
  }

  @Override
  public boolean isRunning() {
    return container.isRunning();
  }

  @Override
  public void flushAll() {
    Resp.flushAll(host(), port, COMMAND_TIMEOUT, url());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      container.stop();
    } finally {
      reaping.cancel();
      Ports.release(port);
    }
  }

  private void awaitPong() {
    boolean up = Poll.until(RedisProcess.START_TIMEOUT, Duration.ofMillis(20), this::answersPing);
    if (!up) {
      throw new RedisStartException(
          "the "
              + IMAGE
              + " container did not answer PING on "
              + url()
              + " within "
              + RedisProcess.START_TIMEOUT.toSeconds()
              + " s; its log:\n"
              + container.getLogs(),
          false);
    }
  }

  private boolean answersPing() {
    try (Resp resp = Resp.open(host(), port, PROBE_TIMEOUT)) {
      return "PONG".equals(resp.call("PING"));
    } catch (IOException e) {
      return false;
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the Redis container on " + url() + " was closed");
    }
  }

  @Override
  public String toString() {
    return "RedisServer[testcontainers " + url() + "]";
  }
}
