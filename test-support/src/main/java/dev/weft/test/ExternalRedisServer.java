package dev.weft.test;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/** A server this module did not start, named by {@code WEFT_REDIS_URL}; never stopped by us. */
final class ExternalRedisServer implements RedisServer {

  private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

  private final String url;
  private final RedisURI parsed;
  private RedisClient client;

  /**
   * @param url the configured URL, a standalone Lettuce URL, not {@code null}
   * @throws IllegalArgumentException if Lettuce cannot parse it
   */
  ExternalRedisServer(String url) {
    this.url = url;
    this.parsed = RedisURI.create(url);
  }

  @Override
  public String host() {
    return parsed.getHost();
  }

  @Override
  public int port() {
    return parsed.getPort();
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public RedisURI uri() {
    return RedisURI.create(url);
  }

  @Override
  public String source() {
    return SOURCE_EXTERNAL;
  }

  @Override
  public void stop() {
    throw unsupported("stop");
  }

  @Override
  public void kill() {
    throw unsupported("kill");
  }

  @Override
  public void start() {
    throw unsupported("start");
  }

  @Override
  public boolean isRunning() {
    RedisURI uri = uri();
    uri.setTimeout(PING_TIMEOUT);
    try (StatefulRedisConnection<String, String> connection = client().connect(uri)) {
      return "PONG".equals(connection.sync().ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void flushAll() {
    try (StatefulRedisConnection<String, String> connection = client().connect(uri())) {
      connection.sync().flushall();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "FLUSHALL failed on the external server " + redacted() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.shutdown();
      client = null;
    }
  }

  private synchronized RedisClient client() {
    if (client == null) {
      client = RedisClient.create();
    }
    return client;
  }

  private UnsupportedOperationException unsupported(String operation) {
    return new UnsupportedOperationException(
        "cannot "
            + operation
            + " the external Redis server "
            + redacted()
            + ": it is named by "
            + LaunchSettings.EXTERNAL_URL_ENV
            + " and was not started by weft-test; unset "
            + LaunchSettings.EXTERNAL_URL_ENV
            + " to run tests that stop, kill or restart Redis");
  }

  /**
   * @return host and port only, so that no password reaches a log or message
   */
  String redacted() {
    return parsed.getSocket() != null
        ? parsed.getSocket()
        : parsed.getHost() + ":" + parsed.getPort();
  }

  @Override
  public String toString() {
    return "RedisServer[external " + redacted() + "]";
  }
}
