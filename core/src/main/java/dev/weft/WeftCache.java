package dev.weft;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.internal.cache.CacheAside;
import dev.weft.internal.cache.CacheRuntime;
import dev.weft.internal.cache.EntryStore;
import dev.weft.internal.cache.Sneaky;
import dev.weft.internal.codec.JsonCodec.ValueCodec;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A cache of values of one type, used without annotations; the same engine as {@code @Cached},
 * {@code @WriteThrough} and {@code @Invalidate}: stampede protection, stale-while-revalidate,
 * early refresh, near cache, tags, and the fail-open policy. Obtain one from {@link Weft#cache};
 * thread-safe.
 *
 * <pre>{@code
 * WeftCache<Product> products = weft.cache(Product.class, CacheOptions.ttl("10m"));
 * Product p = products.get("product:" + sku, () -> repository.find(sku));
 * products.put("product:" + sku, updated, "category:" + updated.category());
 * weft.invalidateTag("category:displays");
 * }</pre>
 *
 * @param <T> the values' type
 */
public final class WeftCache<T> {

  private final CacheRuntime runtime;
  private final CacheAside aside;
  private final ValueCodec codec;
  private final CacheOptions options;

  WeftCache(CacheRuntime runtime, CacheAside aside, ValueCodec codec, CacheOptions options) {
    this.runtime = runtime;
    this.aside = aside;
    this.codec = codec;
    this.options = options;
  }

  /**
   * Returns the value under {@code key}, or loads, stores and returns it. Concurrent misses of one
   * key, in this process and others, run {@code loader} once.
   *
   * @param key the entry's key, not {@code null}
   * @param loader computes the value on a miss; may return {@code null}; its exception reaches the
   *     caller unchanged and nothing is stored
   * @return the value, may be {@code null}
   */
  @SuppressWarnings("unchecked")
  public T get(String key, Callable<? extends T> loader) {
    Objects.requireNonNull(key, "key");
    Object[] args = {key};
    CacheAside.Call call = aside.begin(runtime, null, args, (t, a) -> loader.call());
    if (call.hit()) {
      return (T) call.value();
    }
    T loaded;
    try {
      loaded = loader.call();
    } catch (Exception | Error e) {
      aside.finish(runtime, call, null, e);
      throw Sneaky.rethrow(e);
    }
    return (T) aside.finish(runtime, call, loaded, null);
  }

  /**
   * Writes {@code value} under {@code key} (write-through) with this cache's time to live; every
   * process's near copy of the key is dropped.
   *
   * @param key the entry's key, not {@code null}
   * @param value the value, may be {@code null}
   * @param tags tags the entry carries
   * @throws WeftConfigurationException if the value cannot be written as JSON
   * @throws io.lettuce.core.RedisException if Redis is unavailable (an explicit write is not
   *     silently dropped)
   */
  public void put(String key, T value, String... tags) {
    Objects.requireNonNull(key, "key");
    byte[] bytes;
    try {
      bytes = codec.encode(value);
    } catch (JsonProcessingException e) {
      throw new WeftConfigurationException(
          "WeftCache.put(" + key + "): the value cannot be written as JSON of " + codec.type(), e);
    }
    long ttl =
        EntryStore.ttlMillis(options.ttl().plus(options.staleWhileRevalidate()), options.jitter());
    EntryStore.put(runtime.redis(), key, bytes, ttl, List.of(tags));
  }

  /**
   * Removes the entry under {@code key}, here and in every process's near cache.
   *
   * @param key the entry's key, not {@code null}
   * @throws io.lettuce.core.RedisException if Redis is unavailable
   */
  public void invalidate(String key) {
    EntryStore.delete(runtime.redis(), Objects.requireNonNull(key, "key"));
  }
}
