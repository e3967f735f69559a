package dev.weft.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Weft's own settings, under {@code weft.*}. Redis's address and credentials come from {@code
 * spring.data.redis.*}, the same settings Spring Data Redis reads, unless {@code weft.redis.url}
 * names another server.
 *
 * <pre>{@code
 * spring.data.redis.host=cache.internal
 * spring.data.redis.password=${REDIS_PASSWORD}
 * weft.key-prefix=orders
 * weft.command-timeout=300ms
 * }</pre>
 */
@ConfigurationProperties(prefix = "weft")
public class WeftProperties {

  /** Whether the starter makes a Weft runtime at all. */
  private boolean enabled = true;

  /** The runtime's name, for annotations that say {@code runtime = "..."}; none by default. */
  private String name;

  /** Puts every key Weft writes under {@code <prefix>:}; none by default. */
  private String keyPrefix;

  /**
   * How long one Redis command may take before the call goes on without Redis; default {@code
   * spring.data.redis.timeout}, else 1 s.
   */
  private Duration commandTimeout;

  /**
   * How long opening a connection may take, and how long calls that arrive before the first
   * connect wait for it; default {@code spring.data.redis.connect-timeout}, else 10 s.
   */
  private Duration connectTimeout;

  /** Lets plain cache reads go to replicas. */
  private boolean readCacheFromReplicas;

  /** The independent Redis masters for {@code @DistributedLock(redlock = true)}. */
  private List<String> redlockUrls = new ArrayList<>();

  /** How many entries a near cache keeps at most; default 10,000. */
  private Integer nearCacheSize;

  /**
   * How long the circuit breaker stays open after Redis failed, before it lets a probe through;
   * default 1 s.
   */
  private Duration breakerOpenWait;

  private final Redis redis = new Redis();

  public Integer getNearCacheSize() {
    return nearCacheSize;
  }

  public void setNearCacheSize(Integer nearCacheSize) {
    this.nearCacheSize = nearCacheSize;
  }

  public Duration getBreakerOpenWait() {
    return breakerOpenWait;
  }

  public void setBreakerOpenWait(Duration breakerOpenWait) {
    this.breakerOpenWait = breakerOpenWait;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKeyPrefix() {
    return keyPrefix;
  }

  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  public void setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public boolean isReadCacheFromReplicas() {
    return readCacheFromReplicas;
  }

  public void setReadCacheFromReplicas(boolean readCacheFromReplicas) {
    this.readCacheFromReplicas = readCacheFromReplicas;
  }

  public List<String> getRedlockUrls() {
    return redlockUrls;
  }

  public void setRedlockUrls(List<String> redlockUrls) {
    this.redlockUrls = redlockUrls;
  }

  public Redis getRedis() {
    return redis;
  }

  /** Where Weft's Redis is when it is not the one {@code spring.data.redis.*} describes. */
  public static class Redis {

    /**
     * A Redis URL ({@code redis://}, {@code rediss://}, {@code redis-sentinel://}, {@code
     * redis-cluster://host:port,host:port}); when set, {@code spring.data.redis.*} is not read.
     */
    private String url;

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }
  }
}
