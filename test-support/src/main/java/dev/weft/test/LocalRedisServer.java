package dev.weft.test;

import io.lettuce.core.RedisURI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

/** A standalone server run as a child process of this JVM, from a local binary. */
final class LocalRedisServer implements RedisServer {

  /** How many ports to try when the first ones turn out to be taken. */
  static final int PORT_ATTEMPTS = 5;

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final RedisProcess process;
  private final String source;
  private final Path directory;
  private final Reaper.Registration directoryReaping;
  private boolean closed;

  private LocalRedisServer(
      RedisProcess process, String source, Path directory, Reaper.Registration directoryReaping) {
    this.process = process;
    this.source = source;
    this.directory = directory;
    this.directoryReaping = directoryReaping;
  }

  /**
   * Starts a server from {@code binary} on a free port.
   *
   * @param binary the executable, not {@code null}
   * @return the running server, never {@code null}
   * @throws RedisStartException if it does not come up
   */
  static LocalRedisServer launch(RedisBinary binary) {
    return launch(binary, Ports::claimFree);
  }

  /**
   * Starts a server from {@code binary}, trying the ports {@code ports} hands out until one is free
   * to bind, at most {@link #PORT_ATTEMPTS} times.
   *
   * @param binary the executable, not {@code null}
   * @param ports supplies candidate ports; a port that fails is released in {@link Ports}, one that
   *     works stays claimed until {@link #close()}, not {@code null}
   * @return the running server, never {@code null}
   * @throws RedisStartException if it does not come up
   */
  static LocalRedisServer launch(RedisBinary binary, IntSupplier ports) {
    Path directory = TempDirs.create("weft-redis-");
    Reaper.Registration directoryReaping = Reaper.atExit(() -> TempDirs.deleteQuietly(directory));
    for (int attempt = 1; ; attempt++) {
      int port = ports.getAsInt();
      RedisProcess process = new RedisProcess(binary.path(), directory, port, List.of());
      try {
        process.start();
        return new LocalRedisServer(process, binary.source(), directory, directoryReaping);
      } catch (RuntimeException e) {
        Ports.release(port);
        boolean retry = e instanceof RedisStartException && ((RedisStartException) e).portInUse();
        if (!retry || attempt == PORT_ATTEMPTS) {
          TempDirs.deleteQuietly(directory);
          directoryReaping.cancel();
          throw e;
        }
      }
    }
  }

  @Override
  public String host() {
    return Ports.LOOPBACK;
  }

  @Override
  public int port() {
    return process.port();
  }

  @Override
  public String url() {
    return "redis://" + host() + ":" + port();
  }

  @Override
  public RedisURI uri() {
    return RedisURI.create(host(), port());
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public synchronized void stop() {
    ensureOpen();
    process.stop();
  }

  @Override
  public synchronized void kill() {
    ensureOpen();
    process.kill();
  }

  @Override
  public synchronized void start() {
    ensureOpen();
    process.start();
  }

  @Override
  public synchronized boolean isRunning() {
    return !closed && process.isRunning();
  }

  @Override
  public void flushAll() {
    Resp.flushAll(host(), port(), COMMAND_TIMEOUT, url());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      process.stop();
    } finally {
      Ports.release(port());
      TempDirs.deleteQuietly(directory);
      directoryReaping.cancel();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the Redis server on " + url() + " was closed");
    }
  }

  @Override
  public String toString() {
    return "RedisServer[" + source + " " + url() + "]";
  }
}
