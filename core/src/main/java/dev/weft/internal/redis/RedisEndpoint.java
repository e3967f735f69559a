package dev.weft.internal.redis;

import java.time.Duration;

/**
 * Where a runtime's Redis is and how long a command may take: what a component needs to open a
 * connection of its own (a subscriber, a blocking stream reader) to the same server.
 *
 * @param url the Redis URL, password included; never log it (see {@link RedisUrls#redact})
 * @param timeout the runtime's command timeout
 */
public record RedisEndpoint(String url, Duration timeout) {

  @Override
  public String toString() {
    return "RedisEndpoint[" + RedisUrls.redact(url) + ", " + timeout + "]";
  }
}
