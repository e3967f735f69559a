package dev.weft.spring.boot;

import dev.weft.Weft;
import org.springframework.core.env.Environment;

/** How {@code weft.*} and {@code spring.data.redis.*} become a {@link Weft.Builder}. */
final class RuntimeSettings {

  private RuntimeSettings() {}

  static Weft.Builder from(WeftProperties properties, Environment environment) {
    Weft.Builder builder = Weft.builder();
    String url = properties.getRedis().getUrl();
    if (url == null) {
      url = environment.getProperty("spring.data.redis.url");
    }
    if (url == null) {
      url = "redis://" + environment.getProperty("spring.data.redis.host", "localhost") + ":"
          + environment.getProperty("spring.data.redis.port", "6379");
    }
    builder.redisUrl(url);
    if (properties.getName() != null) {
      builder.name(properties.getName());
    }
    if (properties.getKeyPrefix() != null) {
      builder.keyPrefix(properties.getKeyPrefix());
    }
    if (properties.getCommandTimeout() != null) {
      builder.commandTimeout(properties.getCommandTimeout());
    }
    if (properties.getConnectTimeout() != null) {
      builder.connectTimeout(properties.getConnectTimeout());
    }
    return builder;
  }
}
