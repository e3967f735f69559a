package dev.weft.spring.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Weft cache manager's settings, under {@code weft.cache-manager.*}: the defaults of every
 * cache, and per cache name under {@code weft.cache-manager.caches.<name>.*}, each setting unset
 * there taken from the defaults.
 *
 * <pre>{@code
 * weft.cache-manager.enabled=true
 * weft.cache-manager.ttl=10m
 * weft.cache-manager.jitter=30s
 * weft.cache-manager.caches.products.ttl=1h
 * weft.cache-manager.caches.products.near=true
 * }</pre>
 *
 * <p>Spring's own cache settings are honoured where Weft's are not given: {@code
 * spring.cache.cache-names} (caches made at start-up), {@code spring.cache.redis.time-to-live}
 * (the default TTL) and {@code spring.cache.redis.cache-null-values}.
 */
@ConfigurationProperties(prefix = "weft.cache-manager")
public class WeftCacheManagerProperties {

  /** Whether a Weft cache manager is the application's CacheManager (unless it defines one). */
  private boolean enabled;

  /**
   * Whether a cache name used but not configured gets a cache with the defaults on first use, as
   * with RedisCacheManager.
   */
  private boolean dynamic = true;

  /** The settings of every cache not configured by name. */
  private final Settings defaults = new Settings();

  /** Settings by cache name, over the defaults. */
  private Map<String, Settings> caches = new LinkedHashMap<>();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isDynamic() {
    return dynamic;
  }

  public void setDynamic(boolean dynamic) {
    this.dynamic = dynamic;
  }

  /** @return the defaults, bound from {@code weft.cache-manager.*} itself */
  public Settings defaults() {
    return defaults;
  }

  public Duration getTtl() {
    return defaults.getTtl();
  }

  /** @param ttl each entry's time to live; default {@code spring.cache.redis.time-to-live}, else 10 min */
  public void setTtl(Duration ttl) {
    defaults.setTtl(ttl);
  }

  public Duration getJitter() {
    return defaults.getJitter();
  }

  /** @param jitter the most random extra lifetime an entry gets; default none */
  public void setJitter(Duration jitter) {
    defaults.setJitter(jitter);
  }

  public Boolean getNear() {
    return defaults.getNear();
  }

  /**
   * @param near whether a local tier is kept in front of Redis, dropped in every process when an
   *     entry changes; default off
   */
  public void setNear(Boolean near) {
    defaults.setNear(near);
  }

  public Boolean getCacheNullValues() {
    return defaults.getCacheNullValues();
  }

  /**
   * @param cacheNullValues Spring's allowNullValues; default {@code
   *     spring.cache.redis.cache-null-values}, else true
   */
  public void setCacheNullValues(Boolean cacheNullValues) {
    defaults.setCacheNullValues(cacheNullValues);
  }

  public Duration getStaleWhileRevalidate() {
    return defaults.getStaleWhileRevalidate();
  }

  /** @param window how long an expired entry is still served while one caller reloads it */
  public void setStaleWhileRevalidate(Duration window) {
    defaults.setStaleWhileRevalidate(window);
  }

  public Boolean getEarlyRefresh() {
    return defaults.getEarlyRefresh();
  }

  /** @param earlyRefresh whether entries are refreshed early (XFetch); default off */
  public void setEarlyRefresh(Boolean earlyRefresh) {
    defaults.setEarlyRefresh(earlyRefresh);
  }

  public Duration getLoadTimeout() {
    return defaults.getLoadTimeout();
  }

  /** @param loadTimeout the lease of a key's load lock; default 10 s */
  public void setLoadTimeout(Duration loadTimeout) {
    defaults.setLoadTimeout(loadTimeout);
  }

  public Map<String, Settings> getCaches() {
    return caches;
  }

  public void setCaches(Map<String, Settings> caches) {
    this.caches = caches;
  }

  /** One cache's settings; {@code null} ones are taken from the defaults. */
  public static class Settings {

    /** Each entry's time to live. */
    private Duration ttl;

    /** The most random extra lifetime an entry gets, so entries written together expire apart. */
    private Duration jitter;

    /** Whether a local tier is kept in front of Redis, coherent across processes. */
    private Boolean near;

    /** Whether null results are cached (Spring's allowNullValues). */
    private Boolean cacheNullValues;

    /** How long an expired entry is still served while one caller reloads it. */
    private Duration staleWhileRevalidate;

    /** Whether entries are refreshed before they expire (XFetch). */
    private Boolean earlyRefresh;

    /** The lease of a key's load lock: the longest one load may keep others waiting. */
    private Duration loadTimeout;

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public Duration getJitter() {
      return jitter;
    }

    public void setJitter(Duration jitter) {
      this.jitter = jitter;
    }

    public Boolean getNear() {
      return near;
    }

    public void setNear(Boolean near) {
      this.near = near;
    }

    public Boolean getCacheNullValues() {
      return cacheNullValues;
    }

    public void setCacheNullValues(Boolean cacheNullValues) {
      this.cacheNullValues = cacheNullValues;
    }

    public Duration getStaleWhileRevalidate() {
      return staleWhileRevalidate;
    }

    public void setStaleWhileRevalidate(Duration staleWhileRevalidate) {
      this.staleWhileRevalidate = staleWhileRevalidate;
    }

    public Boolean getEarlyRefresh() {
      return earlyRefresh;
    }

    public void setEarlyRefresh(Boolean earlyRefresh) {
      this.earlyRefresh = earlyRefresh;
    }

    public Duration getLoadTimeout() {
      return loadTimeout;
    }

    public void setLoadTimeout(Duration loadTimeout) {
      this.loadTimeout = loadTimeout;
    }
  }
}
