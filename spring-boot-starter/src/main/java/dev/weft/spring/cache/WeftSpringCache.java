package dev.weft.spring.cache;

import dev.weft.Weft;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link Cache} on a Weft {@link WeftCache}: what {@code @Cacheable}, {@code @CachePut}
 * and {@code @CacheEvict} use once {@link WeftCacheManager} is the application's cache manager.
 * Thread-safe.
 *
 * <h2>Design</h2>
 *
 * Every operation is one of {@link WeftCache}'s, on keys {@code <name>::<key>} ({@link
 * SpringCacheKeys}): {@link #get(Object, Callable)}, which {@code @Cacheable(sync = true)} calls,
 * is Weft's cache-aside, so concurrent misses of a key load once across every process that shares
 * the Redis (the load lock, and waiters woken by the change feed); {@link #put}, {@link #evict} and
 * {@link #clear} announce the change, so every process's near tier drops its copy; {@link #clear}
 * is Weft's namespace removal ({@code SCAN} in batches, never {@code KEYS}) of {@code <name>::}.
 * Reads fail open, as {@code @Cached} does: while Redis is unavailable a read is a miss and the
 * method runs; writes and evictions throw, so that an eviction the application asked for is not
 * silently lost.
 *
 * <p>Weft reads a value as its <em>declared</em> type and never as a type the payload names (see
 * {@code dev.weft.codec.ValueCodec}), while Spring hands a cache plain objects. The declared type is
 * the cached method's return type: the cache manager's resolver ({@link
 * WeftCacheManager#getCache(String, Type)}) gives each method a view of the cache bound to it
 * (every view shares the entries, they differ only in how they read them). The cache that
 * {@link WeftCacheManager#getCache(String)} returns reads values as {@code Object}: JSON objects
 * as maps, as Weft's codec reads an {@code Object}.
 *
 * <p>{@code null} follows Spring's {@code allowNullValues} ({@link CacheOptions#cacheNulls()}):
 * when allowed, a {@code null} result is cached and read back as a {@link ValueWrapper} of {@code
 * null}; when not, {@link #put} of {@code null} is refused as Spring's caches refuse it (so a
 * {@code @Cacheable} method that returns {@code null} throws, as with {@code RedisCacheManager},
 * unless it says {@code unless = "#result == null"}), while a {@link #get(Object, Callable)} load
 * ({@code sync = true}) that returns {@code null} is returned without being cached.
 *
 * <p>The asynchronous {@link #retrieve(Object)} and {@link #retrieve(Object, Supplier)} (Spring
 * 6.1 and later, for methods that return a {@code CompletableFuture}) look the key up before
 * returning, one Redis read bounded by the runtime's command timeout, as {@link
 * WeftCache#getAsync} does; the load itself, and its store, are asynchronous.
 */
public final class WeftSpringCache implements Cache {

  private final Shared shared;
  private final Type valueType;
  private final WeftCache<Object> entries;

  /** What the views of one cache share: its name, settings, keys and views. */
  static final class Shared {
    final String name;
    final Weft weft;
    final CacheOptions options;
    final SpringCacheKeys keys;
    final ConcurrentMap<Type, WeftSpringCache> views = new ConcurrentHashMap<>();

    Shared(String name, Weft weft, CacheOptions options) {
      this.name = name;
      this.weft = weft;
      this.options = options;
      this.keys = new SpringCacheKeys(name);
    }
  }

  private WeftSpringCache(Shared shared, Type valueType) {
    this.shared = shared;
    this.valueType = valueType;
    this.entries = shared.weft.cache(valueType, shared.options);
  }

  /**
   * @param name the cache's name, not {@code null}
   * @param weft the runtime, not {@code null}
   * @param options the cache's settings
   * @return the cache, reading values as {@code Object}
   */
  static WeftSpringCache create(String name, Weft weft, CacheOptions options) {
    return view(new Shared(name, weft, options), Object.class);
  }

  private static WeftSpringCache view(Shared shared, Type type) {
    return shared.views.computeIfAbsent(type, t -> new WeftSpringCache(shared, t));
  }

  /**
   * @param type the type values are read as, such as a cached method's return type; not {@code
   *     null}
   * @return a view of this cache that reads values as {@code type}; the same entries
   */
  public WeftSpringCache withValueType(Type type) {
    Objects.requireNonNull(type, "type");
    return type.equals(valueType) ? this : view(shared, type);
  }

  /** @return the type values are read as */
  public Type valueType() {
    return valueType;
  }

  /** @return the cache's settings */
  public CacheOptions options() {
    return shared.options;
  }

  /** @return whether {@code null} is cached (Spring's {@code allowNullValues}) */
  public boolean isAllowNullValues() {
    return shared.options.cacheNulls();
  }

  /**
   * @param key Spring's key, not {@code null}
   * @return the Redis key of its entry, without the runtime's key prefix
   */
  public String entryKey(Object key) {
    return shared.keys.render(Objects.requireNonNull(key, "key"));
  }

  @Override
  public String getName() {
    return shared.name;
  }

  /** @return the {@link WeftCache} of this view's value type */
  @Override
  public WeftCache<Object> getNativeCache() {
    return entries;
  }

  @Override
  public ValueWrapper get(Object key) {
    WeftCache.Hit<Object> hit = entries.getIfPresent(entryKey(key));
    return hit == null ? null : new SimpleValueWrapper(hit.value());
  }

  @Override
  public <T> T get(Object key, Class<T> type) {
    WeftCache.Hit<Object> hit =
        (type == null ? this : withValueType(type)).entries.getIfPresent(entryKey(key));
    Object value = hit == null ? null : hit.value();
    if (value != null && type != null && !type.isInstance(value)) {
      throw new IllegalStateException(
          "Cached value is not of required type [" + type.getName() + "]: " + value);
    }
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    return typed;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    try {
      return (T) entries.get(entryKey(key), () -> {
        try {
          return valueLoader.call();
        } catch (Exception e) {
          throw new LoaderFailed(e);
        }
      });
    } catch (LoaderFailed e) {
      throw new ValueRetrievalException(key, valueLoader, e.getCause());
    }
  }

  @Override
  public CompletableFuture<?> retrieve(Object key) {
    WeftCache.Hit<Object> hit = entries.getIfPresent(entryKey(key));
    return hit == null ? null : CompletableFuture.completedFuture(new SimpleValueWrapper(hit.value()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(
      Object key, Supplier<CompletableFuture<T>> valueLoader) {
    return (CompletableFuture<T>) entries.getAsync(entryKey(key), valueLoader);
  }

  @Override
  public void put(Object key, Object value) {
    entries.put(entryKey(key), checked(value));
  }

  @Override
  public ValueWrapper putIfAbsent(Object key, Object value) {
    WeftCache.Hit<Object> there = entries.putIfAbsent(entryKey(key), checked(value));
    return there == null ? null : new SimpleValueWrapper(there.value());
  }

  @Override
  public void evict(Object key) {
    entries.invalidate(entryKey(key));
  }

  @Override
  public boolean evictIfPresent(Object key) {
    return entries.invalidateIfPresent(entryKey(key));
  }

  /** Removes every entry of the cache, in every process, by Weft's namespace removal. */
  @Override
  public void clear() {
    invalidate();
  }

  /**
   * Removes every entry of the cache, in every process, by Weft's namespace removal; done when
   * this returns.
   *
   * @return whether there was any entry
   */
  @Override
  public boolean invalidate() {
    return shared.weft.invalidateNamespace(shared.keys.namespace()) > 0;
  }

  private Object checked(Object value) {
    if (value == null && !isAllowNullValues()) {
      throw new IllegalArgumentException(
          "Cache '" + shared.name + "' is configured to not allow null values but null was"
              + " provided; avoid storing null with @Cacheable(unless = \"#result == null\"),"
              + " or allow null values (weft.cache-manager.caches." + shared.name
              + ".cache-null-values=true)");
    }
    return value;
  }

  @Override
  public String toString() {
    return "WeftSpringCache[" + shared.name + " as " + valueType.getTypeName() + "]";
  }

  /** Carries what the application's loader threw through Weft's load, to tell it from Weft's own. */
  private static final class LoaderFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LoaderFailed(Exception cause) {
      super(cause.toString(), cause, false, false);
    }
  }
}
