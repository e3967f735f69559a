package dev.weft;

import dev.weft.internal.cache.BulkCache;
import dev.weft.internal.cache.CacheAside;
import dev.weft.internal.cache.CacheRuntime;
import dev.weft.internal.cache.EntryStore;
import dev.weft.internal.cache.Sneaky;
import dev.weft.internal.plan.KeyText;
import dev.weft.internal.codec.TypedCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cache of values of one type, used without annotations; the same engine as {@code @Cached},
 * {@code @CachedBulk}, {@code @WriteThrough} and {@code @Invalidate}: stampede protection,
 * stale-while-revalidate, early refresh, near cache, tags, and the fail-open policy. Obtain one
 * from {@link Weft#cache}; thread-safe.
 *
 * <pre>{@code
 * WeftCache<Product> products = weft.cache(Product.class, CacheOptions.ttl("10m"));
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
public final class WeftCache<T> {

  private final CacheRuntime runtime;
  private final CacheAside aside;
  private final BulkCache bulk;
  private final TypedCodec codec;
  private final CacheOptions options;

  WeftCache(
      CacheRuntime runtime, CacheAside aside, BulkCache bulk, TypedCodec codec,
      CacheOptions options) {
    this.runtime = runtime;
    this.aside = aside;
    this.bulk = bulk;
    this.codec = codec;
    this.options = options;
  }

  /**
   * The tags of a programmatic entry travel as the call's second argument.
   *
   * @return the tags for {@link CacheAside.Settings}
   */
  @SuppressWarnings("unchecked")
  static CacheAside.Tags tagsFromArguments() {
    return (args, value) -> args.length > 1 ? (List<String>) args[1] : List.of();
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
  public T get(String key, Callable<? extends T> loader) {
    return get(key, List.of(), loader);
  }

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
  @SuppressWarnings("unchecked")
  public T get(String key, Collection<String> tags, Callable<? extends T> loader) {
    return load(arguments(key, tags), loader);
  }

  /**
   * As {@link #get(String, Callable)} on a cache made for {@code Weft.cached}, whose entries each
   * live as long as their call says.
   *
   * @param ttl the stored entry's time to live, positive
   */
  T get(String key, Duration ttl, Callable<? extends T> loader) {
    return load(new Object[] {Objects.requireNonNull(key, "key"), List.of(), ttl}, loader);
  }

  @SuppressWarnings("unchecked")
  private T load(Object[] arguments, Callable<? extends T> loader) {
    Objects.requireNonNull(loader, "loader");
    CacheAside.Call call = aside.begin(runtime, null, arguments, (t, a) -> loader.call());
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
   * The asynchronous form of {@link #get(String, Callable)}: a hit is an already completed future;
   * on a miss, {@code loader}'s future is returned and the value it completes with is stored (a
   * future that fails stores nothing). Concurrent misses of one key wait for the one load, as with
   * {@code get}.
   *
   * @param key the entry's key, not {@code null}
   * @param loader starts the load on a miss; not {@code null}, nor may it return {@code null}
   * @return the value's future, never {@code null}
   */
  public CompletableFuture<T> getAsync(
      String key, Supplier<? extends CompletionStage<? extends T>> loader) {
    return getAsync(key, List.of(), loader);
  }

  /**
   * As {@link #getAsync(String, Supplier)}; a stored entry carries {@code tags}.
   *
   * @param key the entry's key, not {@code null}
   * @param tags the tags a stored entry carries, taken literally, none {@code null}
   * @param loader starts the load on a miss; not {@code null}, nor may it return {@code null}
   * @return the value's future, never {@code null}
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<T> getAsync(
      String key, Collection<String> tags, Supplier<? extends CompletionStage<? extends T>> loader) {
    Objects.requireNonNull(loader, "loader");
    CacheAside.Call call =
        aside.begin(
            runtime, null, arguments(key, tags),
            (t, a) -> {
              try {
                return loader.get().toCompletableFuture().get();
              } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
              }
            });
    if (call.hit()) {
      return CompletableFuture.completedFuture((T) call.value());
    }
    CompletableFuture<T> loading;
    try {
      loading =
          (CompletableFuture<T>)
              Objects.requireNonNull(loader.get(), "the loader returned null, not a future")
                  .toCompletableFuture();
    } catch (RuntimeException | Error e) {
      aside.finish(runtime, call, null, e);
      throw e;
    }
    return loading.whenComplete(
        (value, error) -> aside.finish(runtime, call, error == null ? value : null, error));
  }

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
  @SuppressWarnings("unchecked")
  public Map<String, T> getAll(
      Collection<String> keys, Function<? super List<String>, ? extends Map<String, ? extends T>> loader) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(loader, "loader");
    for (String key : keys) {
      Objects.requireNonNull(key, "keys contains null");
    }
    BulkCache.Call call = bulk.begin(runtime, new Object[] {keys});
    Object loaded = call.hit() ? Map.of() : loader.apply((List<String>) call.args()[0]);
    return (Map<String, T>) (Map<?, ?>) bulk.finish(runtime, call, loaded);
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
    } catch (IOException e) {
      throw new WeftConfigurationException(
          "WeftCache.put(" + key + "): the value cannot be written as " + codec.typeName(), e);
    }
    long ttl =
        EntryStore.ttlMillis(options.ttl().plus(options.staleWhileRevalidate()), options.jitter());
    EntryStore.put(runtime.redis(), KeyText.programmatic(key), bytes, ttl, List.of(tags));
  }

  /**
   * Removes the entry under {@code key}, here and in every process's near cache.
   *
   * @param key the entry's key, not {@code null}
   * @throws io.lettuce.core.RedisException if Redis is unavailable
   */
  public void invalidate(String key) {
    EntryStore.delete(runtime.redis(), KeyText.programmatic(Objects.requireNonNull(key, "key")));
  }

  private static Object[] arguments(String key, Collection<String> tags) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(tags, "tags");
    return tags.isEmpty() ? new Object[] {key} : new Object[] {key, List.copyOf(tags)};
  }
}
