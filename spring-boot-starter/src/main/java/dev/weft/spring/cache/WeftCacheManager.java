package dev.weft.spring.cache;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches are Weft's ({@link WeftSpringCache}): existing
 * {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} code gets per-cache TTL and
 * jitter, a near tier kept coherent across processes, Weft's cross-process single flight for
 * {@code @Cacheable(sync = true)}, and {@code @CacheEvict(allEntries = true)} as a namespace
 * removal that never uses {@code KEYS}. Entries live at {@code <cache name>::<key>} under the
 * runtime's key prefix, as with {@code RedisCacheManager}.
 *
 * <p>In a Spring Boot application, {@code weft.cache-manager.enabled=true} makes one from {@code
 * weft.cache-manager.*} (see {@code WeftCacheManagerProperties}). Without Spring's context:
 *
 * <pre>{@code
 * WeftCacheManager manager = WeftCacheManager.builder(weft)
 *     .defaults(CacheOptions.defaults().ttl("10m").jitter("30s"))
 *     .cache("products", CacheOptions.defaults().ttl("1h").near(true))
 *     .build();
 * Cache products = manager.getCache("products");
 * Product p = products.get(sku, () -> repository.find(sku));  // one load across processes
 * }</pre>
 *
 * <p>The caches {@link #getCache(String)} returns read values as {@code Object} (JSON objects as
 * maps); {@link #getCache(String, Type)} returns the view of a cache that reads them as a declared
 * type, which the auto-configuration's cache resolver asks for with each cached method's return
 * type (see {@link WeftSpringCache}). Thread-safe.
 */
public final class WeftCacheManager implements CacheManager {

  private final Weft weft;
  private final CacheOptions defaults;
  private final Map<String, CacheOptions> configured;
  private final boolean dynamic;
  private final ConcurrentMap<String, WeftSpringCache> caches = new ConcurrentHashMap<>();

  private WeftCacheManager(Builder builder) {
    this.weft = builder.weft;
    this.defaults = builder.defaults;
    this.configured = Map.copyOf(builder.caches);
    this.dynamic = builder.dynamic;
    for (String name : builder.names) {
      cache(name);
    }
  }

  /**
   * @param weft the runtime whose Redis, key prefix and codec the caches use, not {@code null};
   *     the manager does not close it
   * @return a builder with {@link CacheOptions#defaults()} for every cache, caches made on first
   *     use
   */
  public static Builder builder(Weft weft) {
    return new Builder(weft);
  }

  /**
   * @param name the cache's name
   * @return the cache, reading values as {@code Object}; {@code null} when the name is unknown and
   *     the manager makes no caches on demand ({@link Builder#dynamic(boolean)})
   */
  @Override
  public WeftSpringCache getCache(String name) {
    WeftSpringCache cache = caches.get(name);
    if (cache != null || !dynamic) {
      return cache;
    }
    return cache(name);
  }

  /**
   * @param name the cache's name
   * @param valueType the type its values are read as, such as a cached method's return type
   * @return the view of the cache that reads values as {@code valueType}; {@code null} as for
   *     {@link #getCache(String)}
   */
  public WeftSpringCache getCache(String name, Type valueType) {
    WeftSpringCache cache = getCache(name);
    return cache == null ? null : cache.withValueType(valueType);
  }

  @Override
  public Collection<String> getCacheNames() {
    return Collections.unmodifiableSet(caches.keySet());
  }

  /** @return the runtime the caches use */
  public Weft weft() {
    return weft;
  }

  /**
   * @param name a cache's name
   * @return the settings a cache of that name has (or would have)
   */
  public CacheOptions options(String name) {
    return configured.getOrDefault(name, defaults);
  }

  private WeftSpringCache cache(String name) {
    Objects.requireNonNull(name, "name");
    return caches.computeIfAbsent(name, n -> WeftSpringCache.create(n, weft, options(n)));
  }

  /** Settings of a {@link WeftCacheManager}; not thread-safe. */
  public static final class Builder {

    private final Weft weft;
    private CacheOptions defaults = CacheOptions.defaults();
    private final Map<String, CacheOptions> caches = new LinkedHashMap<>();
    private final Set<String> names = new LinkedHashSet<>();
    private boolean dynamic = true;

    private Builder(Weft weft) {
      this.weft = Objects.requireNonNull(weft, "weft");
    }

    /**
     * @param options the settings of every cache not named in {@link #cache}; {@link
     *     CacheOptions#cacheNulls()} is Spring's {@code allowNullValues}
     * @return this builder
     */
    public Builder defaults(CacheOptions options) {
      this.defaults = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Gives one cache its own settings, and makes it at once.
     *
     * @param name the cache's name, not {@code null}
     * @param options its settings, whole (they are not merged with {@link #defaults})
     * @return this builder
     */
    public Builder cache(String name, CacheOptions options) {
      caches.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(options, "options"));
      names.add(name);
      return this;
    }

    /**
     * @param cacheNames caches made at once, with the defaults unless {@link #cache} names them
     *     (Spring's {@code spring.cache.cache-names})
     * @return this builder
     */
    public Builder cacheNames(Collection<String> cacheNames) {
      names.addAll(List.copyOf(cacheNames));
      return this;
    }

    /**
     * @param enabled whether a name not made at once gets a cache with the defaults on first use
     *     ({@code true}, as {@code RedisCacheManager}), or {@code null}
     * @return this builder
     */
    public Builder dynamic(boolean enabled) {
      this.dynamic = enabled;
      return this;
    }

    /** @return the manager, its named caches made */
    public WeftCacheManager build() {
      return new WeftCacheManager(this);
    }
  }
}
