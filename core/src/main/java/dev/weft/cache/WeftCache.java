package dev.weft.cache;

import dev.weft.Weft;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.exception.WeftUnavailableException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cache of values of one type, used without annotations; the same engine as {@code @Cached},
 * {@code @CachedBulk}, {@code @WriteThrough} and {@code @Invalidate}: stampede protection,
 * stale-while-revalidate, early refresh, near cache, tags, and the fail-open policy. Obtain one
 * from {@link Weft#cache}; thread-safe.
 *
 * <pre>{@code
 * WeftCache<Product> products = weft.cache(Product.class, CacheOptions.defaults().ttl("10m"));
 * Product p = products.get("product:" + sku, List.of("category:" + category), () -> repository.find(sku));
 * CompletableFuture<Product> later = products.getAsync("product:" + sku, () -> client.fetch(sku));
 * Map<String, Product> some = products.getAll(keys, missing -> repository.findByKeys(missing));
 * products.put("product:" + sku, updated, "category:" + updated.category());
 * weft.invalidateTag("category:displays");
 * }</pre>
 *
 * <p>Reads fail open as a {@code @Cached} method does: while Redis is unavailable, every read runs
 * its loader and nothing is stored. Explicit writes ({@link #put}, {@link #invalidate}) throw
 * instead, so a write the caller asked for is never silently dropped.
 *
 * <p>Keys are stored behind the runtime's {@linkplain Weft.Builder#keyPrefix key prefix}, if it has
 * one. A key that starts with {@code weft:} names Weft's own keys and is refused with an {@link
 * IllegalArgumentException}.
 *
 * @param <T> the values' type
 */
public interface WeftCache<T> {

  /**
   * Returns the value under {@code key}, or loads, stores and returns it. Concurrent misses of one
   * key, in this process and others, run {@code loader} once.
   *
   * @param key the entry's key, not {@code null}
   * @param loader computes the value on a miss; may return {@code null}; its exception reaches the
   *     caller unchanged and nothing is stored
   * @return the value, may be {@code null}
   */
  T get(String key, Callable<? extends T> loader);

  /**
   * As {@link #get(String, Callable)}; a loaded entry carries {@code tags}, so {@link
   * Weft#invalidateTag} removes it.
   *
   * @param key the entry's key, not {@code null}
   * @param tags the tags a stored entry carries, taken literally, none {@code null}
   * @param loader computes the value on a miss; may return {@code null}; its exception reaches the
   *     caller unchanged and nothing is stored
   * @return the value, may be {@code null}
   */
  T get(String key, Collection<String> tags, Callable<? extends T> loader);

  /**
   * The asynchronous form of {@link #get(String, Callable)}: a hit is an already completed future;
   * on a miss, {@code loader}'s future is returned and the value it completes with is stored (a
   * future that fails stores nothing). Concurrent misses of one key wait for the one load, as with
   * {@code get}.
   *
   * @param key the entry's key, not {@code null}
   * @param loader starts the load on a miss; not {@code null}, nor may it return {@code null}
   * @return the value's future, never {@code null}
   */
  CompletableFuture<T> getAsync(
      String key, Supplier<? extends CompletionStage<? extends T>> loader);

  /**
   * As {@link #getAsync(String, Supplier)}; a stored entry carries {@code tags}.
   *
   * @param key the entry's key, not {@code null}
   * @param tags the tags a stored entry carries, taken literally, none {@code null}
   * @param loader starts the load on a miss; not {@code null}, nor may it return {@code null}
   * @return the value's future, never {@code null}
   */
  CompletableFuture<T> getAsync(
      String key, Collection<String> tags, Supplier<? extends CompletionStage<? extends T>> loader);

  /**
   * Returns the values of many keys at once: every key is read with one {@code MGET}, and {@code
   * loader} is called once, with only the keys that missed; what it returns is stored entry by
   * entry. A key {@code loader} leaves out is cached as absent (unless {@link
   * CacheOptions#cacheNulls()} is off) and missing from the answer.
   *
   * @param keys the entries' keys, none {@code null}; duplicates are read once
   * @param loader given the keys that missed, in request order, returns their values by key; its
   *     exception reaches the caller unchanged and nothing is stored
   * @return the values found or loaded, by key, in request order; absent keys are left out
   */
  Map<String, T> getAll(
      Collection<String> keys, Function<? super List<String>, ? extends Map<String, ? extends T>> loader);

  /**
   * Writes {@code value} under {@code key} (write-through) with this cache's time to live; every
   * process's near copy of the key is dropped.
   *
   * @param key the entry's key, not {@code null}
   * @param value the value, may be {@code null}
   * @param tags tags the entry carries
   * @throws WeftConfigurationException if the value cannot be written as JSON
   * @throws WeftUnavailableException if Redis is unavailable (an explicit write is not silently
   *     dropped)
   */
  void put(String key, T value, String... tags);

  /**
   * Removes the entry under {@code key}, here and in every process's near cache.
   *
   * @param key the entry's key, not {@code null}
   * @throws WeftUnavailableException if Redis is unavailable
   */
  void invalidate(String key);

  /**
   * Returns what the cache holds under {@code key}, without loading: the near tier, then Redis.
   * Fails open as {@link #get(String, Callable)} does: while Redis is unavailable, every key is
   * absent. A load in flight elsewhere is not waited for (the key is absent until it stores).
   *
   * @param key the entry's key, not {@code null}
   * @return the entry, whose value may be a cached {@code null}; {@code null} when there is none
   */
  Hit<T> getIfPresent(String key);

  /**
   * Writes {@code value} under {@code key} unless the key holds an entry, with this cache's time
   * to live; a load in flight for the key (in any process) loses its store to this value.
   *
   * @param key the entry's key, not {@code null}
   * @param value the value, may be {@code null}
   * @return the entry already there, which is kept; {@code null} when {@code value} was written
   * @throws WeftConfigurationException if the value cannot be written by the runtime's codec
   * @throws WeftUnavailableException if Redis is unavailable
   */
  Hit<T> putIfAbsent(String key, T value);

  /**
   * As {@link #invalidate}, saying whether there was anything to remove.
   *
   * @param key the entry's key, not {@code null}
   * @return whether the key held an entry (or a load's lease, which the load then does not store
   *     over)
   * @throws WeftUnavailableException if Redis is unavailable
   */
  boolean invalidateIfPresent(String key);

  /**
   * A value found in the cache.
   *
   * @param value the value, {@code null} for a cached {@code null}
   * @param <T> the values' type
   */
  record Hit<T>(T value) {}
}
