package dev.weft.internal.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.cache.CacheOptions;
import dev.weft.cache.WeftCache;
import dev.weft.exception.WeftConfigurationException;
import dev.weft.internal.codec.TypedCodec;
import dev.weft.internal.plan.KeyText;
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

/** A {@link WeftCache} of one type and options on a runtime's cache engine. */
public final class ProgrammaticCache<T> implements WeftCache<T> {

  private final CacheRuntime runtime;
  private final CacheAside aside;
  private final BulkCache bulk;
  private final TypedCodec codec;
  private final CacheOptions options;

  /**
   * @param runtime the runtime's cache engine
   * @param aside the read path for single keys
   * @param bulk the read path for {@link #getAll}
   * @param codec the values' codec
   * @param options the cache's options
   */
  public ProgrammaticCache(
      CacheRuntime runtime, CacheAside aside, BulkCache bulk, TypedCodec codec, CacheOptions options) {
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
  public static CacheAside.Tags tagsFromArguments() {
    return (args, value) -> args.length > 1 ? (List<String>) args[1] : List.of();
  }

  @Override
  public T get(String key, Callable<? extends T> loader) {
    return get(key, List.of(), loader);
  }

  @Override
  public T get(String key, Collection<String> tags, Callable<? extends T> loader) {
    return load(arguments(key, tags), loader);
  }

  /**
   * As {@link #get(String, Callable)} on a cache made for {@code Weft.cached}, whose entries each
   * live as long as their call says.
   *
   * @param key the entry's key, not {@code null}
   * @param ttl the stored entry's time to live, positive
   * @param loader computes the value on a miss
   * @return the value, may be {@code null}
   */
  public T get(String key, Duration ttl, Callable<? extends T> loader) {
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

  @Override
  public CompletableFuture<T> getAsync(
      String key, Supplier<? extends CompletionStage<? extends T>> loader) {
    return getAsync(key, List.of(), loader);
  }

  @Override
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

  @Override
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

  @Override
  public void put(String key, T value, String... tags) {
    Objects.requireNonNull(key, "key");
    byte[] bytes = encode(key, value);
    long ttl =
        EntryStore.ttlMillis(options.ttl().plus(options.staleWhileRevalidate()), options.jitter());
    EntryStore.put(runtime.redis(), KeyText.programmatic(key), bytes, ttl, List.of(tags));
  }

  @Override
  public void invalidate(String key) {
    invalidateIfPresent(key);
  }

  @Override
  public boolean invalidateIfPresent(String key) {
    return EntryStore.delete(
        runtime.redis(), KeyText.programmatic(Objects.requireNonNull(key, "key")));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Hit<T> getIfPresent(String key) {
    Object found = aside.peek(runtime, arguments(key, List.of()));
    return found == CacheAside.ABSENT ? null : new Hit<>((T) found);
  }

  /**
   * Takes a lease at the key (which hands back the entry when there is one) and stores over that
   * lease only: the same two steps as a load, so an invalidation or a write in between wins.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Hit<T> putIfAbsent(String key, T value) {
    String stored = KeyText.programmatic(Objects.requireNonNull(key, "key"));
    byte[] bytes = encode(key, value);
    byte[] marker = EntryStore.newMarker();
    byte[] there =
        EntryStore.lease(runtime.redis(), stored, marker, options.loadTimeout().toMillis());
    if (there != null) {
      try {
        return new Hit<>((T) codec.decode(there));
      } catch (IOException e) {
        // an entry that does not read as the type is a miss: replace it
        put(key, value);
        return null;
      }
    }
    long ttl =
        EntryStore.ttlMillis(options.ttl().plus(options.staleWhileRevalidate()), options.jitter());
    EntryStore.putIf(runtime.redis(), stored, bytes, ttl, List.of(), marker);
    return null;
  }

  private byte[] encode(String key, T value) {
    try {
      return codec.encode(value);
    } catch (IOException e) {
      throw new WeftConfigurationException(
          "WeftCache.put(" + key + "): the value cannot be written as " + codec.typeName(), e);
    }
  }

  private static Object[] arguments(String key, Collection<String> tags) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(tags, "tags");
    return tags.isEmpty() ? new Object[] {key} : new Object[] {key, List.copyOf(tags)};
  }
}
