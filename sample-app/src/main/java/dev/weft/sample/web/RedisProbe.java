package dev.weft.sample.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * Asks Redis whether it answers, for {@code /health}: a fresh connection and one {@code PING},
 * within {@value #TIMEOUT_MILLIS} ms. A connection of its own, so that the answer is about Redis
 * and not about the state of Weft's connection or circuit breaker.
 */
public final class RedisProbe implements AutoCloseable {

  private static final long TIMEOUT_MILLIS = 1000;

  private final String url;
  private final RedisClient client;

  /** @param url the Redis URL Weft uses, not {@code null} */
  public RedisProbe(String url) {
    this.url = url;
    if (url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://")) {
      this.client = null;
      return;
    }
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(Duration.ofMillis(TIMEOUT_MILLIS));
    this.client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .socketOptions(
                SocketOptions.builder().connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS)).build())
            .build());
  }

  /** @return what Redis answered, never {@code null} */
  Status check() {
    if (client == null) {
      return new Status("UNKNOWN", null, "a cluster URL; the sample probes standalone servers only");
    }
    long start = System.nanoTime();
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      String pong = connection.sync().ping();
      double millis = (System.nanoTime() - start) / 1e6;
      return "PONG".equals(pong)
          ? new Status("UP", Math.round(millis * 10) / 10.0, null)
          : new Status("DOWN", null, "answered " + pong);
    } catch (RuntimeException e) {
      return new Status("DOWN", null, e.getMessage());
    }
  }

  /** @return the URL probed */
  String url() {
    return url;
  }

  @Override
  public void close() {
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /**
   * Redis's health.
   *
   * @param status {@code UP}, {@code DOWN} or {@code UNKNOWN}
   * @param connectAndPingMillis how long connecting and PING took, when up
   * @param error why it is down, or {@code null}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Status(String status, Double connectAndPingMillis, String error) {}
}
