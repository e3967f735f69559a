package dev.weft.sample;

import dev.weft.test.RedisLauncher;
import dev.weft.test.RedisServer;

/**
 * The Redis the sample uses: the one configured ({@code WEFT_REDIS_URL}, else {@code REDIS_URL},
 * else the system property {@code weft.redis.url}), or, when none is, one started for this run by
 * weft-test's launcher (a {@code redis-server} on the PATH, or the binary shipped in the
 * embedded-redis jar) and stopped when the run ends.
 */
final class RedisChoice implements AutoCloseable {

  private final String url;
  private final String description;
  private final RedisServer started;

  private RedisChoice(String url, String description, RedisServer started) {
    this.url = url;
    this.description = description;
    this.started = started;
  }

  /** @return the configured Redis, or a newly started one */
  static RedisChoice fromEnvironment() {
    for (String name : new String[] {"WEFT_REDIS_URL", "REDIS_URL"}) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return new RedisChoice(value, "the one named by " + name, null);
      }
    }
    String property = System.getProperty("weft.redis.url");
    if (property != null && !property.isBlank()) {
      return new RedisChoice(property, "the one named by -Dweft.redis.url", null);
    }
    RedisServer server = RedisLauncher.startStandalone();
    return new RedisChoice(
        server.url(),
        "none configured, so one was started for this run (" + server.source() + ")",
        server);
  }

  /** @return the URL, possibly with credentials: never print it, print {@link #description()} */
  String url() {
    return url;
  }

  /** @return where this Redis comes from, as people read it */
  String description() {
    return description;
  }

  /** Stops the Redis if this run started it. */
  @Override
  public void close() {
    if (started != null) {
      started.close();
    }
  }
}
