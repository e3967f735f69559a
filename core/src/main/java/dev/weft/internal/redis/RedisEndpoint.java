package dev.weft.internal.redis;

import java.time.Duration;

/**
 * Where a runtime's Redis is and how long a command may take: what a component needs to open a
 * connection of its own (a subscriber, a blocking stream reader) to the same server.
 *
 * @param url the Redis URL, password included; never log it (see {@link RedisUrls#redact})
 * @param timeout the runtime's command timeout
 * @param options TLS material, credentials provider and read routing, for every connection
 */
public record RedisEndpoint(String url, Duration timeout, ConnectionOptions options) {

  /** An endpoint without options beyond its URL. */
  public RedisEndpoint(String url, Duration timeout) {
    this(url, timeout, ConnectionOptions.none());
  }

  @Override
  public String toString() {
    return "RedisEndpoint[" + RedisUrls.redact(url) + ", " + timeout + "]";
  }
}
