package dev.weft.spring.boot;

import dev.weft.Weft;
import dev.weft.exception.WeftConfigurationException;
import java.util.List;
import java.util.Objects;
import org.springframework.core.env.Environment;

/**
 * How {@code weft.*} and {@code spring.data.redis.*} become a {@link Weft.Builder}.
 *
 * <p>Where Redis is, in order: {@code weft.redis.url}; else {@code spring.data.redis.url}; else
 * {@code spring.data.redis.sentinel.*}, {@code spring.data.redis.cluster.nodes}, or {@code
 * spring.data.redis.host}/{@code port}/{@code database}, as Spring Data Redis reads them; else,
 * when no {@code spring.data.redis.*} key is set at all, what a runtime outside Spring reads
 * ({@code WEFT_REDIS_URL}, {@code REDIS_URL}, then {@code redis://localhost:6379}). TLS is on for
 * {@code rediss://} URLs and when {@code spring.data.redis.ssl.enabled} or {@code
 * spring.data.redis.ssl.bundle} is set. A user and password set apart from a URL are handed to
 * Weft as {@link Weft.Credentials}, never written into a URL, so no character needs encoding.
 */
final class RuntimeSettings {

  private RuntimeSettings() {}

  static Weft.Builder from(WeftProperties properties, Environment environment) {
    return from(properties, SpringDataRedis.from(environment), springDataRedisSet(environment));
  }

  static Weft.Builder from(WeftProperties properties, SpringDataRedis spring, boolean springSet) {
    Weft.Builder builder = Weft.builder();
    if (properties.getRedis().getUrl() != null) {
      builder.redisUrl(properties.getRedis().getUrl());
    } else if (springSet) {
      address(builder, spring);
    }
    if (properties.getName() != null) {
      builder.name(properties.getName());
    }
    if (properties.getKeyPrefix() != null) {
      builder.keyPrefix(properties.getKeyPrefix());
    }
    if (properties.getCommandTimeout() != null) {
      builder.commandTimeout(properties.getCommandTimeout());
    } else if (spring.getTimeout() != null) {
      builder.commandTimeout(spring.getTimeout());
    }
    if (properties.getConnectTimeout() != null) {
      builder.connectTimeout(properties.getConnectTimeout());
    } else if (spring.getConnectTimeout() != null) {
      builder.connectTimeout(spring.getConnectTimeout());
    }
    if (properties.isReadCacheFromReplicas()) {
      builder.readCacheFromReplicas(true);
    }
    if (properties.getNearCacheSize() != null) {
      builder.nearCacheSize(properties.getNearCacheSize());
    }
    if (properties.getBreakerOpenWait() != null) {
      builder.breakerOpenWait(properties.getBreakerOpenWait());
    }
    if (!properties.getRedlockUrls().isEmpty()) {
      builder.redlock(properties.getRedlockUrls().toArray(String[]::new));
    }
    return builder;
  }

  private static void address(Weft.Builder builder, SpringDataRedis spring) {
    boolean tls = spring.getSsl().on();
    if (spring.getUrl() != null) {
      String url = spring.getUrl();
      builder.redisUrl(tls && url.startsWith("redis://") ? "rediss://" + url.substring(8) : url);
      return;
    }
    SpringDataRedis.Sentinel sentinel = spring.getSentinel();
    if (sentinel.getMaster() != null) {
      if (sentinel.getPassword() != null
          && !Objects.equals(sentinel.getPassword(), spring.getPassword())) {
        throw new WeftConfigurationException(
            "spring.data.redis.sentinel.password differs from spring.data.redis.password: Weft"
                + " authenticates to the sentinels and to the master as one user; give both the"
                + " same password, or set weft.redis.url to a redis-sentinel:// URL");
      }
      builder.redisUrl(
          (tls ? "rediss-sentinel://" : "redis-sentinel://")
              + nodes("spring.data.redis.sentinel.nodes", sentinel.getNodes())
              + "/" + spring.getDatabase() + "#" + sentinel.getMaster());
    } else if (!spring.getCluster().getNodes().isEmpty()) {
      builder.redisUrl(
          (tls ? "rediss-cluster://" : "redis-cluster://")
              + nodes("spring.data.redis.cluster.nodes", spring.getCluster().getNodes()));
    } else {
      builder.redisUrl(
          (tls ? "rediss://" : "redis://") + host(spring.getHost()) + ":" + spring.getPort()
              + "/" + spring.getDatabase());
    }
    if (spring.getPassword() != null) {
      String username = spring.getUsername();
      String password = spring.getPassword();
      builder.credentials(() -> new Weft.Credentials(username, password));
    } else if (spring.getUsername() != null) {
      throw new WeftConfigurationException(
          "spring.data.redis.username is set without spring.data.redis.password: set the"
              + " password of that ACL user too");
    }
  }

  private static String nodes(String property, List<String> nodes) {
    for (String node : nodes) {
      if (!node.matches("[^\\s,/@]+:\\d{1,5}")) {
        throw new WeftConfigurationException(
            property + " holds \"" + node + "\", which is not host:port; write each node as"
                + " host:port, such as redis-1:6379");
      }
    }
    return String.join(",", nodes);
  }

  private static String host(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static boolean springDataRedisSet(Environment environment) {
    for (String key :
        new String[] {
          "url", "host", "port", "database", "username", "password", "ssl.enabled", "ssl.bundle",
          "sentinel.master", "cluster.nodes[0]", "cluster.nodes"
        }) {
      if (environment.containsProperty("spring.data.redis." + key)) {
        return true;
      }
    }
    return false;
  }
}
